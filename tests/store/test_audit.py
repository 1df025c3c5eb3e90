"""The hash-chained audit log: intact chains verify; edits, deletions and races are caught."""

from __future__ import annotations

import threading

from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session, sessionmaker

from ncb.services.context import SYSTEM
from ncb.store import audit
from ncb.store.access import PRINCIPAL
from ncb.store.db import transaction
from ncb.store.models import AuditEntry


def _append(factory: sessionmaker[Session], n: int, tag: str = "t") -> None:
    for i in range(n):
        with transaction(factory, **{PRINCIPAL: SYSTEM}) as s:
            audit.record(s, SYSTEM, "consultation", "case", i, justification="test",
                         details={"tag": tag, "i": i})


def _verify(factory: sessionmaker[Session]) -> audit.ChainReport:
    with transaction(factory, **{PRINCIPAL: SYSTEM}) as s:
        return audit.verify(s)


def test_intact_chain_verifies(factory: sessionmaker[Session]) -> None:
    _append(factory, 5)
    report = _verify(factory)
    assert report.ok and report.checked == 5 and report.first_broken_seq is None


def test_empty_chain_verifies(factory: sessionmaker[Session]) -> None:
    assert _verify(factory) == audit.ChainReport(True, 0)


def test_tampered_details_name_the_entry(engine: Engine, factory: sessionmaker[Session]) -> None:
    _append(factory, 5)
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET details = :d WHERE seq = 3"),
                     {"d": '{"tag": "forged", "i": 2}'})
    report = _verify(factory)
    assert not report.ok
    assert report.first_broken_seq == 3
    assert report.reason is not None and "hash" in report.reason
    assert report.checked == 2


def test_deleted_middle_entry_detected(engine: Engine, factory: sessionmaker[Session]) -> None:
    _append(factory, 5)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE seq = 3"))
    report = _verify(factory)
    assert not report.ok
    assert report.first_broken_seq == 4
    assert report.reason is not None and "expected entry 3" in report.reason


def test_deleted_tail_detected(engine: Engine, factory: sessionmaker[Session]) -> None:
    _append(factory, 4)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE seq = 4"))
    report = _verify(factory)
    assert not report.ok and report.first_broken_seq == 4


def test_concurrent_writers_keep_one_chain(factory: sessionmaker[Session]) -> None:
    threads, per_thread = 4, 5
    errors: list[BaseException] = []
    start = threading.Barrier(threads)

    def worker(k: int) -> None:
        try:
            start.wait()
            _append(factory, per_thread, tag=f"w{k}")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    pool = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(timeout=60)
    assert not errors, errors
    report = _verify(factory)
    assert report.ok, report
    assert report.checked == threads * per_thread
    with factory() as s:
        seqs = s.scalars(select(AuditEntry.seq).order_by(AuditEntry.seq)).all()
    assert list(seqs) == list(range(1, threads * per_thread + 1))
