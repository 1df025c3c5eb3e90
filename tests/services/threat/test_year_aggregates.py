"""The year in numbers, counted by aggregate queries, says what a row-by-row count of the same
records says, and its EAW figures are the EAW statistics page's (demo bureau with channel
traffic, SQLite and PostgreSQL, as the duty supervisor and an analyst)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from sqlalchemy import select

from ncb.demo import seed
from ncb.services.channels.stats import eaw_stats
from ncb.services.context import principal_for
from ncb.services.threat.year import year_in_numbers
from ncb.store.access import PRINCIPAL
from ncb.store.db import make_engine, session_factory
from ncb.store.models import Appeal, Case, User


def test_year_in_numbers_agrees_with_counting_each_record(empty_db_url):
    engine = make_engine(empty_db_url)
    try:
        seed(engine, cases=300, seed=5, now=datetime(2026, 11, 1, 12, tzinfo=UTC))
        factory = session_factory(engine)
        for username in ("supervisor", "analyst"):
            with factory() as s:
                user = s.scalars(select(User).where(User.username == username)).one()
                p = principal_for(s, user)
                s.info[PRINCIPAL] = p
                received = s.execute(select(Case.channel, Case.received_at)).all()
                years = sorted({at.year for _, at in received})
                assert years, "the demo seeded no cases"
                seen_eaw = 0
                for year in years:
                    y = year_in_numbers(s, p, year)
                    in_year = [(ch, at) for ch, at in received if at.year == year]
                    assert y.total_cases == len(in_year)
                    months = Counter(f"{at:%Y-%m}" for _, at in in_year)
                    assert y.cases_by_month == {f"{year}-{m:02d}": months[f"{year}-{m:02d}"]
                                                for m in range(1, 13)}
                    st = eaw_stats(s, p, year)
                    assert y.eaw == {"received": st["requests_received"],
                                     "certified": st["certified"], "arrests": st["arrests"],
                                     "surrenders": st["surrenders"],
                                     "final decisions": st["final_decisions"]}, (username, year)
                    seen_eaw += st["arrests"] + st["requests_received"]
                    start, end = datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1,
                                                                             tzinfo=UTC)
                    appeals = s.execute(select(Appeal.published_at, Appeal.caught_at,
                                               Appeal.withdrawn_at)).all()
                    assert y.captura["listed this year"] == sum(
                        1 for pub, _, _ in appeals if pub and start <= pub < end)
                    assert y.captura["still listed at year end"] == sum(
                        1 for pub, caught, gone in appeals if pub and pub < end
                        and not (gone and gone < end) and not (caught and caught < end))
                assert seen_eaw > 0  # the check compared real warrant traffic
                s.rollback()
    finally:
        engine.dispose()
