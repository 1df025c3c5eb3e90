"""`ncb db upgrade` and `ncb demo` on PostgreSQL URLs with %-escapes: a Unix-socket host and a
password with special characters, both against the throwaway server (password really checked)."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from ncb.cli import app
from ncb.settings import get_settings
from ncb.store.db import make_engine
from tests.conftest import PgServer, new_pg_database

pytestmark = pytest.mark.postgres
runner = CliRunner()
ROLE = "ncb_pw_user"
PASSWORD = "p%40ss:w@rd%25/ok"  # %, @, : and / as a deployer might choose


@pytest.fixture
def use_url(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    def point(url: str) -> None:
        monkeypatch.setenv("NCB_DATABASE_URL", url)
        get_settings.cache_clear()

    yield point
    get_settings.cache_clear()


@pytest.fixture
def empty_db(pg_server: PgServer) -> Iterator[str]:
    url, drop = new_pg_database(pg_server, None)
    yield url.rsplit("/", 1)[1]
    drop()


def socket_url(server: PgServer, db: str) -> str:
    return (f"postgresql+psycopg://postgres@/{db}?host={quote(str(server.root), safe='')}"
            f"&port={server.port}")


@pytest.fixture
def password_role(pg_server: PgServer, empty_db: str) -> Iterator[str]:
    """A role that must give its password (scram), whatever the server's trust default is."""
    hba = pg_server.root / "data" / "pg_hba.conf"
    original = hba.read_text()
    hba.write_text(f"host all {ROLE} 127.0.0.1/32 scram-sha-256\n" + original)
    admin = pg_server.admin()
    with admin.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": ROLE})
        verb = "ALTER" if exists.first() else "CREATE"
        conn.execute(text(f"{verb} ROLE {ROLE} LOGIN PASSWORD '{PASSWORD}'"))
        conn.execute(text(f'ALTER DATABASE "{empty_db}" OWNER TO {ROLE}'))
        conn.execute(text("SELECT pg_reload_conf()"))
    yield (f"postgresql+psycopg://{ROLE}:{quote(PASSWORD, safe='')}@127.0.0.1:{pg_server.port}"
           f"/{empty_db}")
    hba.write_text(original)
    with admin.connect() as conn:
        conn.execute(text(f'ALTER DATABASE "{empty_db}" OWNER TO postgres'))
        conn.execute(text("SELECT pg_reload_conf()"))
    admin.dispose()  # the role is dropped with the server


def _upgrade_and_check(url: str) -> None:
    r = runner.invoke(app, ["db", "upgrade"])
    assert r.exit_code == 0, r.output
    assert "revision head" in r.output
    engine = make_engine(url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT seq FROM audit_head")).scalar_one() == 0
    engine.dispose()


def test_db_upgrade_over_the_unix_socket(pg_server, empty_db, use_url):
    url = socket_url(pg_server, empty_db)
    assert "%2F" in url
    use_url(url)
    _upgrade_and_check(url)


def test_db_upgrade_with_a_password_of_special_characters(password_role, use_url):
    wrong = password_role.replace(quote(PASSWORD, safe=""), "wrong")
    use_url(wrong)  # the server does check it: a wrong password fails
    assert runner.invoke(app, ["db", "upgrade"]).exit_code != 0
    use_url(password_role)
    _upgrade_and_check(password_role)


def test_demo_over_the_unix_socket_then_verify(pg_server, empty_db, use_url):
    use_url(socket_url(pg_server, empty_db))
    r = runner.invoke(app, ["demo", "--cases", "20"])
    assert r.exit_code == 0, r.output
    verified = runner.invoke(app, ["audit", "verify"])
    assert verified.exit_code == 0 and "chain intact" in verified.output, verified.output
