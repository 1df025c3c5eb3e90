"""CLI: `ncb db upgrade`, `ncb user add`, `ncb audit verify` (exit codes and messages)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, select, text
from typer.testing import CliRunner

from ncb.cli import app
from ncb.settings import get_settings
from ncb.store.models import User

runner = CliRunner()


@pytest.fixture
def use_db(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    def point(url: str) -> None:
        monkeypatch.setenv("NCB_DATABASE_URL", url)
        get_settings.cache_clear()

    yield point
    get_settings.cache_clear()


def test_help_for_every_command() -> None:
    for args in (["--help"], ["db", "upgrade", "--help"], ["user", "add", "--help"],
                 ["serve", "--help"], ["audit", "verify", "--help"]):
        r = runner.invoke(app, args)
        assert r.exit_code == 0, (args, r.output)


def test_db_upgrade_creates_schema(empty_db_url: str, use_db) -> None:
    use_db(empty_db_url)
    r = runner.invoke(app, ["db", "upgrade"])
    assert r.exit_code == 0, r.output
    assert "revision head" in r.output
    engine = create_engine(empty_db_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT seq FROM audit_head")).scalar_one() == 0
    engine.dispose()


def test_user_add_and_bad_role(engine, seeded, use_db) -> None:
    use_db(engine.url.render_as_string(hide_password=False))
    args = ["user", "add", "newdesk", "--agency", "GB-NCA", "--role", "desk_officer",
            "--role", "analyst", "--clearance", "OFFICIAL-SENSITIVE",
            "--display-name", "New Desk", "--team", "general_desk", "--password-stdin"]
    r = runner.invoke(app, args, input="a-long-password\n")
    assert r.exit_code == 0, r.output
    assert "a-long-password" not in r.output
    with engine.connect() as conn:
        row = conn.execute(select(User.roles, User.password_hash)
                           .where(User.username == "newdesk")).one()
    assert row.roles == ["desk_officer", "analyst"] and row.password_hash.startswith("$argon2id$")

    bad = runner.invoke(app, ["user", "add", "x1", "--agency", "GB-NCA", "--role", "wizard",
                              "--password-stdin"], input="a-long-password\n")
    assert bad.exit_code == 2
    assert "roles" in bad.output and "wizard" in bad.output
    bad_agency = runner.invoke(app, ["user", "add", "x2", "--agency", "NOPE", "--role",
                                     "analyst", "--password-stdin"], input="a-long-password\n")
    assert bad_agency.exit_code == 2 and "agency" in bad_agency.output


def test_user_add_prompts_hidden(engine, seeded, use_db) -> None:
    use_db(engine.url.render_as_string(hide_password=False))
    r = runner.invoke(app, ["user", "add", "prompted", "--agency", "GB-NCA", "--role", "analyst"],
                      input="hidden-password-1\nhidden-password-1\n")
    assert r.exit_code == 0, r.output
    assert "hidden-password-1" not in r.output


def test_audit_verify_ok_then_broken(engine, seeded, use_db) -> None:
    use_db(engine.url.render_as_string(hide_password=False))
    r = runner.invoke(app, ["audit", "verify"])
    assert r.exit_code == 0, r.output
    assert f"chain intact: {len(seeded.users)} entries" in r.output
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2"))
    r = runner.invoke(app, ["audit", "verify"])
    assert r.exit_code == 1
    assert "entry 2" in r.output
