"""The demo hook: appeals and tips on top of the small demo bureau, audit chain intact."""

from __future__ import annotations

from collections import Counter
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
from ncb.store.models import Alert, Appeal, Case


def test_seed_demo_appeals_on_the_demo_bureau(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    try:
        seed_demo_bureau(engine, small=True, channels=False)
        tips.SUBMISSIONS.reset()
        factory = session_factory(engine)
        with transaction(factory, **{PRINCIPAL: SYSTEM}) as s:
            made = seed_demo_appeals(s)
            receipts = seed_demo_tips(s, get_settings())
        assert 10 <= len(made) <= 12 and len(receipts) == 4
        with transaction(factory, **{PRINCIPAL: SYSTEM}) as s:
            rows = [(s.get(Case, a.case_id), a) for a in s.scalars(select(Appeal))]
        # Every appeal is on an open case, spread as a bureau's appeals are: fugitives, missing
        # persons, unidentified bodies, witnesses; a named person each except the bodies.
        assert all(c.closed_at is None and c.status in open_statuses() for c, _ in rows)
        kinds = Counter(a.kind for _, a in rows)
        # As many of each as the bureau has open cases of that kind (the plan: 5, 3, 2, 2).
        assert kinds["wanted"] == 5 and 1 <= kinds["missing"] <= 3
        assert kinds["unidentified"] == 2 and kinds["witness"] == 2
        fugitive = [c for c, a in rows if a.kind == "wanted"]
        assert all(c.crime_area == "fugitives" or c.channel == "eaw" for c in fugitive)
        assert all(c.crime_area == "missing_persons" for c, a in rows if a.kind == "missing")
        assert all(a.entity_id is None and a.name.startswith("Unidentified")
                   for _, a in rows if a.kind == "unidentified")
        people = [a.entity_id for _, a in rows if a.entity_id]
        assert len(people) == len(set(people)) >= 8
        assert Counter(a.kind for _, a in rows if a.status == "caught") == {
            "wanted": 2, "missing": 1, "unidentified": 1}
        with transaction(factory) as s:  # the public side: no principal
            counts = appeals.public_counts(s)  # the fugitives' tally only
            assert (counts.listed, counts.caught) == (4, 2)
            thread = tips.read_thread(s, get_settings(), receipts[0].reference, receipts[0].pin)
            assert thread.open_questions == 1
        with transaction(factory, **{PRINCIPAL: SYSTEM}) as s:
            assert audit.verify(s).ok
    finally:
        engine.dispose()


def test_small_demo_has_uk_alerts_and_the_public_site_says_what_each_appeal_asks(
        tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from ncb.app import create_app
    from ncb.settings import Settings

    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    engine = make_engine(url)
    try:
        seed_demo_bureau(engine, small=True)
        factory = session_factory(engine)
        with transaction(factory, **{PRINCIPAL: SYSTEM}) as s:
            uk = Counter(a.article for a in s.scalars(select(Alert)) if a.issuing_country == "GB")
            assert set(uk) == {"26", "32", "34", "36", "38"} and uk["26"] >= 2
            assert all(a.case_id is not None for a in s.scalars(
                select(Alert).where(Alert.issuing_country == "GB")))
            live = {a.kind: a for a in s.scalars(select(Appeal).where(
                Appeal.published_at.is_not(None)).order_by(Appeal.status.desc()))}
            at_large = s.scalars(select(Appeal).where(
                Appeal.published_at.is_not(None), Appeal.kind == "wanted",
                Appeal.status == "wanted")).first()
            assert at_large is not None
        with TestClient(create_app(Settings(database_url=url), engine)) as c:
            page = c.get("/public").text
            assert "Missing since" in page and "Where and when found" in page
            assert "Witness to" in page and "Wanted for" in page
            body = c.get(f"/public/appeals/{live['missing'].public_id}").text
            assert "Missing since" in body and "Do not approach" not in body
            body = c.get(f"/public/appeals/{at_large.public_id}").text
            assert "Do not approach this person." in body
            es = c.get(f"/public/es/appeals/{live['unidentified'].public_id}").text
            assert "Dónde y cuándo se halló" in es
            assert "Sin identificar" in es or "Identificado" in es
    finally:
        engine.dispose()
