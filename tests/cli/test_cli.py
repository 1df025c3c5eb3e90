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


def test_log_filter_removes_client_addresses() -> None:
    import logging

    from ncb.cli.serve import NoAddressFilter, log_config

    cfg = log_config("INFO")
    assert cfg["loggers"]["uvicorn.access"]["handlers"] == []
    for msg, args in ((
        '%s - "WebSocket /x" [accepted]', (("10.1.2.3", 5555),)),
        ("client %s", ("2001:db8::1",)), ("fwd 203.0.113.9, ::ffff:10.0.0.1", ()),
    ):
        record = logging.LogRecord("uvicorn.error", logging.INFO, "x", 1, msg, args, None)
        NoAddressFilter().filter(record)
        text = record.getMessage()
        assert "[address removed]" in text
        for ip in ("10.1.2.3", "2001:db8::1", "203.0.113.9", "10.0.0.1"):
            assert ip not in text
    keep = logging.LogRecord("x", logging.INFO, "x", 1, "at 12:30:01 v0.1.0", (), None)
    NoAddressFilter().filter(keep)
    assert keep.getMessage() == "at 12:30:01 v0.1.0"


def test_serve_refuses_dev_key_off_loopback(use_db, tmp_path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NCB_SECRET_KEY")
    use_db(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    r = runner.invoke(app, ["serve", "--host", "0.0.0.0", "--port", "8765"])
    assert r.exit_code == 2 and "NCB_SECRET_KEY" in r.output


def test_served_requests_leave_no_address_in_logs(tmp_path) -> None:
    """Run `ncb serve` for real; hit the public tip page and the API; the log has no address."""
    import os
    import socket
    import subprocess
    import sys
    import time

    import httpx

    from ncb.store.db import make_engine
    from ncb.store.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'serve.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "NCB_DATABASE_URL": url, "NCB_LOG_LEVEL": "DEBUG"}
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-c", "from ncb.cli import app; app()", "serve", "--port", str(port)],
            env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(100):
                try:
                    if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            fwd = {"X-Forwarded-For": "198.51.100.23", "X-Real-IP": "198.51.100.24"}
            httpx.get(f"{base}/public/tip", headers=fwd, timeout=5)
            httpx.post(f"{base}/public/tip", headers=fwd, data={"text": "seen him"}, timeout=5)
            assert httpx.get(f"{base}/auth/me", headers=fwd, timeout=5).status_code == 401
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    text = log.read_text()
    assert "Application startup complete" in text or "Started server" in text, text
    for ip in ("127.0.0.1", "198.51.100.23", "198.51.100.24"):
        assert ip not in text, text
