"""Liaison post mode: `ncb node lock` leaves no plaintext name anywhere on disk (the WAL folded
in and shredded too); `unlock` needs the officer's passphrase; a tampered file is refused."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from ncb.cli import app
from ncb.services import intake
from ncb.services.context import SYSTEM, unit_of_work
from ncb.services.inputs import CaseIn, EntityIn
from ncb.settings import Settings, get_settings
from ncb.store.db import make_engine, session_factory
from ncb.store.models import Entity
from tests.conftest import seed_bureau

runner = CliRunner()
PASS = "the officer's long passphrase"
NAMES = (b"Okonkwo-Hale", b"Forged visas sold at the airport", b"Supervisor")


@pytest.fixture
def post_db(tmp_path: Path, sqlite_template: Path, monkeypatch: pytest.MonkeyPatch
            ) -> Iterator[Path]:
    db = tmp_path / "post.sqlite3"
    shutil.copyfile(sqlite_template, db)
    url = f"sqlite:///{db}"
    monkeypatch.setenv("NCB_DATABASE_URL", url)
    monkeypatch.setenv("NCB_NODE_PASSPHRASE", PASS)
    monkeypatch.setenv("NCB_NODE_SCRYPT_LOG_N", "10")
    get_settings.cache_clear()
    engine = make_engine(url)
    factory = session_factory(engine)
    seeded = seed_bureau(factory, Settings(database_url=url, argon2_time_cost=1,
                                           argon2_memory_kib=8))
    p = seeded.principals["liaison"]
    with unit_of_work(factory, p) as s:
        intake.intake_case(s, p, CaseIn(channel="liaison", title="Forged visas sold at the airport",
                                        country="NG", entities=[EntityIn(
                                            first_name="Babatunde", last_name="Okonkwo-Hale")]))
    engine.dispose()
    assert (tmp_path / "post.sqlite3-wal").exists() or any(n in db.read_bytes() for n in NAMES)
    yield db
    get_settings.cache_clear()


def _on_disk(root: Path) -> bytes:
    return b"".join(p.read_bytes() for p in root.rglob("*") if p.is_file())


def test_locked_post_holds_no_plaintext_and_unlocks_with_the_passphrase(
        post_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    r = runner.invoke(app, ["node", "lock"])
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in post_db.parent.iterdir()) == ["post.sqlite3.sealed"]
    disk = _on_disk(post_db.parent)
    assert not [n for n in NAMES if n in disk]
    assert runner.invoke(app, ["node", "lock"]).exit_code == 2  # locked already

    monkeypatch.setenv("NCB_NODE_PASSPHRASE", "")
    get_settings.cache_clear()
    wrong = runner.invoke(app, ["node", "unlock"], input="not the passphrase\n")
    assert wrong.exit_code == 2 and "passphrase" in wrong.output
    assert not post_db.exists()
    ok = runner.invoke(app, ["node", "unlock"], input=f"{PASS}\n")
    assert ok.exit_code == 0, ok.output
    assert not (post_db.parent / "post.sqlite3.sealed").exists()
    engine = make_engine(f"sqlite:///{post_db}")
    try:
        with unit_of_work(session_factory(engine), SYSTEM) as s:
            assert s.scalars(select(Entity.last_name)).all() == ["Okonkwo-Hale"]
    finally:
        engine.dispose()


def test_tampered_sealed_file_is_refused(post_db: Path) -> None:
    assert runner.invoke(app, ["node", "lock"]).exit_code == 0
    sealed = post_db.parent / "post.sqlite3.sealed"
    data = bytearray(sealed.read_bytes())
    data[len(data) // 2] ^= 0x01
    sealed.write_bytes(bytes(data))
    r = runner.invoke(app, ["node", "unlock"])
    assert r.exit_code == 2 and "altered" in r.output
    assert not post_db.exists() and not (post_db.parent / "post.sqlite3.tmp").exists()


def test_database_in_use_is_not_locked(post_db: Path) -> None:
    with closing(sqlite3.connect(post_db)) as conn:
        conn.execute("BEGIN IMMEDIATE")  # a server in the middle of a write
        r = runner.invoke(app, ["node", "lock"])
        conn.rollback()
    assert r.exit_code == 2 and "in use" in r.output
    assert post_db.exists() and not (post_db.parent / "post.sqlite3.sealed").exists()


def test_post_mode_needs_sqlite(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NCB_DATABASE_URL", "postgresql://u@localhost/x")
    get_settings.cache_clear()
    r = runner.invoke(app, ["node", "lock"])
    assert r.exit_code == 2 and "NCB_DATABASE_URL" in r.output
    get_settings.cache_clear()


def test_serve_post_unlocks_on_start_and_locks_on_stop(post_db: Path) -> None:
    import os
    import subprocess
    import sys
    import time

    import httpx

    from ncb.services.federation import node as node_svc
    from tests.conftest import _free_port

    key = post_db.parent / "post.key"
    engine = make_engine(f"sqlite:///{post_db}")
    with unit_of_work(session_factory(engine), SYSTEM) as s:
        node_svc.init_node(s, "GB-NCA-LOS", "Lagos post", "GB", 3, key, PASS, 10)
    engine.dispose()
    assert runner.invoke(app, ["node", "lock"]).exit_code == 0
    port = _free_port()
    env = {**os.environ, "NCB_NODE_KEY_FILE": str(key), "NCB_HOME_AGENCY": "GB-NCA-LOS"}
    proc = subprocess.Popen([str(Path(sys.executable).parent / "ncb"), "node", "serve-post",
                             "--port", str(port)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    try:
        for _ in range(300):
            try:
                if httpx.get(f"http://127.0.0.1:{port}/federation/identity",
                             timeout=1).json()["agency"] == "GB-NCA-LOS":
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        assert post_db.exists()  # unlocked while it serves
    finally:
        proc.terminate()
        output = proc.communicate(timeout=60)[0].decode()
    assert proc.returncode == 0, output
    assert "locked:" in output
    assert sorted(p.name for p in post_db.parent.iterdir()) == ["post.key", "post.sqlite3.sealed"]
    assert not [n for n in NAMES if n in _on_disk(post_db.parent)]
