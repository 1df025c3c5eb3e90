"""`ncb demo --federation --stop-after 0` as a real process: four nodes start, the exchange
plays, and each node's own database holds exactly what the markings allowed it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from ncb.demo import federation_story as story
from ncb.services.context import SYSTEM, unit_of_work
from ncb.services.federation import recall
from ncb.store.db import make_engine, session_factory
from ncb.store.models import Case, Entity, Note
from tests.conftest import _free_port


def _held(root: Path, code: str) -> tuple[list[str], list[str], list[str]]:
    engine = make_engine(f"sqlite:///{root / (code + '.sqlite3')}")
    try:
        with unit_of_work(session_factory(engine), SYSTEM) as s:
            return (sorted(s.scalars(select(Case.title))), sorted(s.scalars(select(Note.body))),
                    sorted(s.scalars(select(Entity.display_name))))
    finally:
        engine.dispose()


def test_demo_federation_plays_the_exchange(tmp_path: Path) -> None:
    root = tmp_path / "fed"
    env = {**os.environ, "NCB_ARGON2_TIME_COST": "1", "NCB_ARGON2_MEMORY_KIB": "8",
           "NCB_NODE_SCRYPT_LOG_N": "10", "COLUMNS": "200"}
    port = _free_port()  # the demo uses port .. port+3 on 127.0.0.1 .. 127.0.0.4
    run = subprocess.run([str(Path(sys.executable).parent / "ncb"), "demo", "--federation",
                          "--dir", str(root), "--base-port", str(port), "--stop-after", "0"],
                         env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    out = run.stdout
    assert f"http://127.0.0.2:{port + 1}/login" in out and "demo-password-2026" in out
    assert "recall acknowledged by AU-AFP" in out and "sync:" not in out

    fbi_cases, fbi_notes, fbi_people = _held(root, "US-FBI")
    assert story.TITLE_FBI in fbi_cases
    assert story.NOTE_SHARED in fbi_notes  # exactly what its markings allow
    assert story.NOTE_SECRET not in fbi_notes and story.NOTE_INTERNAL not in fbi_notes
    assert any("Okonkwo-Hale" in p for p in fbi_people)
    post_cases, post_notes, _ = _held(root, "GB-NCA-LOS")
    assert story.TITLE_FBI in post_cases and story.NOTE_SECRET in post_notes  # SECRET link
    assert story.NOTE_INTERNAL not in post_notes
    uk_cases, _, _ = _held(root, "GB-NCA")
    assert {story.TITLE_REPLY, story.TITLE_POST} <= set(uk_cases)  # the reply, the post's case
    afp_cases, afp_notes, _ = _held(root, "AU-AFP")
    assert story.TITLE_AFP not in afp_cases and afp_notes == []  # recalled and erased
    engine = make_engine(f"sqlite:///{root / 'GB-NCA.sqlite3'}")
    try:
        with unit_of_work(session_factory(engine), SYSTEM) as s:
            [view] = recall.recalls(s)
        assert (view.acknowledged, view.pending) == (["AU-AFP"], [])
    finally:
        engine.dispose()
    for code in ("GB-NCA", "US-FBI", "AU-AFP", "GB-NCA-LOS"):
        assert (root / f"{code}.key").read_bytes()[:4] != b"{\"ag"  # sealed, not plain JSON
