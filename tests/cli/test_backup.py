"""`ncb backup` / `ncb restore` on SQLite and PostgreSQL: what was in the backup comes back,
what came later is gone, and the audit chain verifies after the restore (and does not with
another bureau's audit key)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from ncb.cli import app
from ncb.services.inputs import CaseIn
from ncb.services.intake import intake_case
from ncb.settings import get_settings
from ncb.store.access import PRINCIPAL
from ncb.store.db import make_engine, session_factory, transaction
from ncb.store.models import AuditEntry, Case
from tests.conftest import Seeded

runner = CliRunner()


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, db_url: str) -> Iterator[pytest.MonkeyPatch]:
    monkeypatch.setenv("NCB_DATABASE_URL", db_url)
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def _case(factory: sessionmaker[Session], seeded: Seeded, title: str) -> str:
    p = seeded.principals["supervisor"]
    with transaction(factory, **{PRINCIPAL: p}) as s:
        return intake_case(s, p, CaseIn(channel="interpol", country="FR", crime_area="fraud",
                                        title=title, summary="Backup test.")).reference


def _counts(url: str) -> tuple[list[str], int]:
    engine = make_engine(url)
    try:
        with session_factory(engine)() as s:
            titles = list(s.scalars(select(Case.title).execution_options(skip_access=True)
                                    .order_by(Case.id)))
            return titles, s.scalar(select(func.count(AuditEntry.id))) or 0
    finally:
        engine.dispose()


def test_backup_then_restore_verifies_the_chain(env: pytest.MonkeyPatch, db_url: str,
                                                engine, factory, seeded: Seeded,
                                                tmp_path: Path) -> None:
    _case(factory, seeded, "Kept by the backup")
    before = _counts(db_url)
    target = tmp_path / "ncb.backup"
    r = runner.invoke(app, ["backup", str(target)])
    assert r.exit_code == 0, r.output
    assert runner.invoke(app, ["backup", str(target)]).exit_code == 2  # never overwritten
    _case(factory, seeded, "Written after the backup")
    engine.dispose()
    r = runner.invoke(app, ["restore", str(target)])
    assert r.exit_code == 0, r.output
    assert "chain intact" in r.output
    assert _counts(db_url) == before and before[0] == ["Kept by the backup"]
    env.setenv("NCB_AUDIT_KEY", "another bureau's key")  # a backup restored with another key
    get_settings.cache_clear()
    r = runner.invoke(app, ["restore", str(target)])
    assert r.exit_code == 1 and "chain broken" in r.output


def test_restore_refuses_what_is_not_a_backup(env: pytest.MonkeyPatch, db_url: str,
                                              tmp_path: Path) -> None:
    r = runner.invoke(app, ["restore", str(tmp_path / "missing")])
    assert r.exit_code == 2 and "no such file" in r.output
    junk = tmp_path / "junk"
    junk.write_bytes(b"not a database at all")
    r = runner.invoke(app, ["restore", str(junk)])
    assert r.exit_code in (1, 2) and "Traceback" not in r.output
