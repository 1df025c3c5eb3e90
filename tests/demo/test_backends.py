"""The seeder works on SQLite and PostgreSQL, and the application can write after it."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ncb.demo import reset, seed
from ncb.services.context import SYSTEM, principal_for
from ncb.services.inputs import CaseIn
from ncb.services.intake import intake_case
from ncb.store import audit
from ncb.store.access import PRINCIPAL
from ncb.store.db import make_engine, session_factory, transaction
from ncb.store.models import Case, User


def test_seed_then_intake_then_reset(empty_db_url):
    engine = make_engine(empty_db_url)
    try:
        report = seed(engine, cases=40, seed=3, channels=False)
        assert report.counts["cases"] == 40
        factory = session_factory(engine)
        with factory() as s:
            desk = principal_for(s, s.scalars(select(User).where(User.username == "desk")).one())
        # ids continue after the seeded rows (PostgreSQL sequences were moved past them)
        with transaction(factory, **{PRINCIPAL: desk}) as s:
            case = intake_case(s, desk, CaseIn.model_validate({
                "channel": "interpol", "title": "Person trace after the demo", "country": "FR",
                "entities": [{"first_name": "Ivan", "last_name": "Petrov"}]}))
            assert case.id > 40
        with Session(engine) as s:
            s.info[PRINCIPAL] = SYSTEM
            assert audit.verify(s).ok
            assert s.scalar(select(func.count()).select_from(Case)) == 41
        reset(engine)
        again = seed(engine, cases=10, seed=3, channels=False)
        assert again.counts["cases"] == 10
    finally:
        engine.dispose()
