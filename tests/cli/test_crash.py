"""Issue 11, reliability: kill -9 of `ncb case import` and of `ncb serve` in the middle of
writing, on SQLite and PostgreSQL. Nothing acknowledged is lost, nothing is half-written (a
case without its deadline, event or audit entry), and the audit chain verifies."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import httpx
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bench.server import NCB, free_port, serve
from ncb.services.context import SYSTEM
from ncb.store import audit
from ncb.store.access import PRINCIPAL
from ncb.store.db import make_engine, session_factory
from ncb.store.models import AuditEntry, Case, CaseEvent, Deadline
from tests.conftest import Seeded

CASE = {"channel": "europol", "country": "NL", "crime_area": "drugs", "summary": "Crash test.",
        "entities": [{"first_name": "Jan", "last_name": "Visser", "date_of_birth": "1980-01-02"}]}


def _env(url: str) -> dict[str, str]:
    return {**os.environ, "NCB_DATABASE_URL": url, "NCB_LOG_LEVEL": "WARNING"}


def _check(url: str) -> tuple[set[str], int]:
    """References of the cases stored; fails if any is half-written or the chain is broken."""
    engine = make_engine(url)
    try:
        with session_factory(engine)() as s:
            s.info[PRINCIPAL] = SYSTEM
            return _whole(s)
    finally:
        engine.dispose()


def _whole(s: Session) -> tuple[set[str], int]:
    report = audit.verify(s)
    assert report.ok, report
    refs = set(s.scalars(select(Case.reference)))
    logged = set(s.scalars(select(AuditEntry.record_id).where(
        AuditEntry.record_kind == "case", AuditEntry.action == "collection")))
    assert refs <= logged, refs - logged  # every stored case has its audit entry
    for model in (Deadline, CaseEvent):
        with_rows = s.scalar(select(func.count(func.distinct(model.case_id)))) or 0
        assert with_rows == len(refs), model.__name__
    return refs, report.checked


def test_kill_import_mid_write_leaves_all_or_nothing(db_url: str, seeded: Seeded,
                                                     tmp_path: Path) -> None:
    lines = [json.dumps(CASE | {"title": f"Import {i}"}) for i in range(150)]
    source = tmp_path / "cases.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outcomes = []
    for delay in (1.5, 3.0, None):  # None: let it finish
        proc = subprocess.Popen([NCB, "case", "import", str(source), "--as", "desk"],
                                env=_env(db_url), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            out, _ = proc.communicate(timeout=delay if delay else 300)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            out, _ = proc.communicate()
        acknowledged = b"imported 150 case(s)" in out
        before = len(outcomes) and outcomes[-1][1]
        refs, _ = _check(db_url)
        grown = len(refs) - (before or 0)
        assert grown in (0, 150), grown  # one transaction: never part of a file
        if acknowledged:
            assert grown == 150
        outcomes.append((acknowledged, len(refs)))
    assert outcomes[-1][0]  # the run left alone finished


def test_kill_server_mid_write_loses_nothing_acknowledged(db_url: str, seeded: Seeded) -> None:
    assert shutil.which(NCB) or Path(NCB).exists()
    port = free_port()
    proc = serve(_env(db_url), port, wait_seconds=30)
    acknowledged: list[str] = []
    failures: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def writer(n: int) -> None:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10,
                          headers=seeded.headers("desk")) as c:
            i = 0
            while not stop.is_set():
                i += 1
                try:
                    r = c.post("/cases", json=CASE | {"title": f"Served {n}-{i}"})
                except httpx.HTTPError:
                    return  # the server is gone: this request was never acknowledged
                with lock:
                    if r.status_code != 201:
                        failures.append(f"{r.status_code} {r.text[:200]}")
                        return
                    acknowledged.append(r.json()["reference"])

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    try:
        while len(acknowledged) < 30 and not failures:
            time.sleep(0.02)
        assert not failures, failures
        proc.send_signal(signal.SIGKILL)  # with requests in flight
        proc.wait()
    finally:
        stop.set()
        for t in threads:
            t.join()
        if proc.poll() is None:
            proc.kill()
    refs, _ = _check(db_url)
    assert set(acknowledged) <= refs, set(acknowledged) - refs
    # The server starts again on what was left, and writes.
    proc = serve(_env(db_url), port, wait_seconds=30)
    try:
        r = httpx.post(f"http://127.0.0.1:{port}/cases", json=CASE | {"title": "After restart"},
                       headers=seeded.headers("desk"), timeout=10)
        assert r.status_code == 201, r.text
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert len(_check(db_url)[0]) == len(refs) + 1
