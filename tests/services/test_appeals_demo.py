"""The demo hook: appeals and tips on top of the small demo bureau, audit chain intact."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from ncb.demo import seed as seed_demo_bureau
from ncb.demo.appeals import seed_demo_appeals, seed_demo_tips
from ncb.services import appeals, tips
from ncb.services.context import SYSTEM
from ncb.services.queues import open_statuses
from ncb.settings import get_settings
from ncb.store import audit
from ncb.store.access import PRINCIPAL
from ncb.store.db import make_engine, session_factory, transaction
from ncb.store.models import Appeal, Case


def test_seed_demo_appeals_on_the_demo_bureau(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    try:
        seed_demo_bureau(engine, small=True, channels=False)
        tips.SUBMISSIONS.reset()
        factory = session_factory(engine)
        with transaction(factory, **{PRINCIPAL: SYSTEM}) as s:
            made = seed_demo_appeals(s)
            receipts = seed_demo_tips(s, get_settings())
        assert len(made) == 12 and len(receipts) == 4
        with transaction(factory, **{PRINCIPAL: SYSTEM}) as s:
            rows = [(s.get(Case, a.case_id), a) for a in s.scalars(select(Appeal))]
        # Every appeal seeks someone on an open case; most are fugitive cases, a named person each.
        assert len(rows) == 12 and all(c.closed_at is None and c.status in open_statuses()
                                       for c, _ in rows)
        fugitive = [c for c, _ in rows if c.crime_area == "fugitives" or c.channel == "eaw"]
        assert len(fugitive) >= 5  # the small demo has 7 open fugitive or EAW cases with a person
        people = [a.entity_id for _, a in rows if a.entity_id]
        assert len(people) == len(set(people)) >= 8
        assert sum(a.status == "caught" for _, a in rows) == 4
        with transaction(factory) as s:  # the public side: no principal
            counts = appeals.public_counts(s)
            assert (counts.listed, counts.caught) == (10, 4)
            thread = tips.read_thread(s, get_settings(), receipts[0].reference, receipts[0].pin)
            assert thread.open_questions == 1
        with transaction(factory, **{PRINCIPAL: SYSTEM}) as s:
            assert audit.verify(s).ok
    finally:
        engine.dispose()
