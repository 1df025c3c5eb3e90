"""`ncb demo --small --reset` seeds, prints the logins, and `ncb audit verify` passes after it."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from ncb.cli import app
from ncb.settings import get_settings


@pytest.fixture
def demo_url(tmp_path, monkeypatch):
    monkeypatch.setenv("NCB_DATABASE_URL", f"sqlite:///{tmp_path / 'cli-demo.sqlite3'}")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_demo_small_then_reset_then_verify(demo_url):
    runner = CliRunner()
    first = runner.invoke(app, ["demo", "--cases", "40"])
    assert first.exit_code == 0, first.output
    assert "partner.interpol_fr" in first.output and "demo-password-2026" in first.output
    again = runner.invoke(app, ["demo", "--cases", "40"])
    assert again.exit_code == 1 and "--reset" in again.output
    reset = runner.invoke(app, ["demo", "--small", "--reset", "--seed", "7"])
    assert reset.exit_code == 0, reset.output
    verified = runner.invoke(app, ["audit", "verify"])
    assert verified.exit_code == 0, verified.output
    assert "chain intact" in verified.output
