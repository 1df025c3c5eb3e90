"""An attacker who can write the database but lacks the audit key: every forgery is caught.

The old chain was plain SHA-256, so anyone could append an entry with a valid hash, change the
actor's user id (outside the hash) or cut the tail and wind the head back. Each attack here
passed `verify` before the chain was keyed and checkpointed.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from ncb.cli import app
from ncb.services.context import SYSTEM
from ncb.store import audit, audit_checkpoints
from ncb.store.access import PRINCIPAL
from ncb.store.db import transaction
from tests.store.test_audit import _append, _verify


def _forge_sha256(seq: int, at: datetime, prev: str) -> str:
    """What a forger computes without the key: the unkeyed digest of the old scheme."""
    body = json.dumps([seq, at.isoformat(timespec="microseconds"), "intruder", "erasure", "case",
                       "1", None, [], {}, prev], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(body.encode()).hexdigest()


def test_an_appended_forgery_with_an_updated_head_is_caught(engine: Engine,
                                                            factory: sessionmaker[Session]) -> None:
    _append(factory, 3)
    with engine.begin() as conn:
        prev = conn.execute(text("SELECT last_hash FROM audit_head WHERE id = 1")).scalar_one()
        at = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
        forged = _forge_sha256(4, at, prev)
        conn.execute(text(
            "INSERT INTO audit_log (seq, at, actor, action, record_kind, record_id, recipients, "
            "details, prev_hash, hash) VALUES (4, :at, 'intruder', 'erasure', 'case', '1', '[]', "
            "'{}', :prev, :hash)"), {"at": at, "prev": prev, "hash": forged})
        conn.execute(text("UPDATE audit_head SET seq = 4, last_hash = :h WHERE id = 1"),
                     {"h": forged})
    report = _verify(factory)
    assert not report.ok and report.first_broken_seq == 4 and report.checked == 3


def test_a_changed_actor_user_id_is_caught(engine: Engine, factory: sessionmaker[Session],
                                           seeded) -> None:  # type: ignore[no-untyped-def]
    _append(factory, 3)
    with engine.begin() as conn:
        user_id = conn.execute(text("SELECT id FROM users WHERE username = 'desk'")).scalar_one()
        conn.execute(text("UPDATE audit_log SET actor_user_id = :u WHERE seq = 2"), {"u": user_id})
    report = _verify(factory)
    assert not report.ok and report.first_broken_seq == 2


def test_a_cut_tail_with_the_head_wound_back_is_caught_by_a_checkpoint(
        engine: Engine, factory: sessionmaker[Session]) -> None:
    _append(factory, 5)
    with transaction(factory, **{PRINCIPAL: SYSTEM}) as s:
        line = audit_checkpoints.take(s).line()
    with engine.begin() as conn:
        head = conn.execute(text("SELECT hash FROM audit_log WHERE seq = 3")).scalar_one()
        conn.execute(text("DELETE FROM audit_log WHERE seq > 3"))
        conn.execute(text("UPDATE audit_head SET seq = 3, last_hash = :h WHERE id = 1"), {"h": head})
    assert _verify(factory).ok  # without a checkpoint the cut cannot be seen
    with transaction(factory, **{PRINCIPAL: SYSTEM}) as s:
        report = audit_checkpoints.verify_with(s, audit_checkpoints.parse(line))
    assert not report.ok and report.reason is not None and "tail was removed" in report.reason


def test_a_checkpoint_signed_with_another_key_is_refused(factory: sessionmaker[Session]) -> None:
    _append(factory, 2)
    with transaction(factory, **{PRINCIPAL: SYSTEM}) as s:
        data = json.loads(audit_checkpoints.take(s).line())
    data["seq"] = 1  # an edited line keeps the old signature
    try:
        audit_checkpoints.parse(json.dumps(data))
    except audit_checkpoints.CheckpointError as exc:
        assert "line 1" in str(exc) and "signature" in str(exc)
    else:
        raise AssertionError("an edited checkpoint was accepted")


def test_cli_checkpoint_then_verify_against_it(engine: Engine, factory: sessionmaker[Session],
                                               db_url: str, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from ncb.settings import get_settings

    _append(factory, 4)
    monkeypatch.setenv("NCB_DATABASE_URL", db_url)
    get_settings.cache_clear()
    cps = tmp_path / "checkpoints.jsonl"
    runner = CliRunner()
    made = runner.invoke(app, ["audit", "checkpoint", "--out", str(cps)])
    assert made.exit_code == 0 and "entry 4" in made.output, made.output
    ok = runner.invoke(app, ["audit", "verify", "--checkpoint", str(cps)])
    assert ok.exit_code == 0 and "consistent with 1 checkpoint(s)" in ok.output, ok.output
    with engine.begin() as conn:
        head = conn.execute(text("SELECT hash FROM audit_log WHERE seq = 2")).scalar_one()
        conn.execute(text("DELETE FROM audit_log WHERE seq > 2"))
        conn.execute(text("UPDATE audit_head SET seq = 2, last_hash = :h WHERE id = 1"), {"h": head})
    cut = runner.invoke(app, ["audit", "verify", "--checkpoint", str(cps)])
    assert cut.exit_code == 1 and "tail was removed" in cut.output
    cps.write_text(cps.read_text().replace('"seq": 4', '"seq": 2'))
    edited = runner.invoke(app, ["audit", "verify", "--checkpoint", str(cps)])
    assert edited.exit_code == 1 and "signature" in edited.output
    get_settings.cache_clear()


def test_the_key_is_not_in_the_database(engine: Engine, factory: sessionmaker[Session]) -> None:
    _append(factory, 1)
    key = audit.audit_key().hex()
    with engine.connect() as conn:
        for table in ("audit_log", "audit_head"):
            for row in conn.execute(text(f"SELECT * FROM {table}")):
                assert key not in " ".join(str(v) for v in row)
