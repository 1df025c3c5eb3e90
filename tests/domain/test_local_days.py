"""Limits the law counts in calendar days end at the end of the last day in the bureau's zone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from ncb.domain.deadlines import compute_due
from ncb.domain.eaw_clocks import EawEvent, eaw_clocks
from ncb.settings import Settings


def test_an_order_made_just_after_midnight_in_london_counts_that_day_as_day_one() -> None:
    # 00:30 on 2 July in London (BST) is still 1 July in UTC.
    order = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)
    london = compute_due("uk_appeal_notice", order, "Europe/London")
    # EA 2003 s.26(4): 7 days starting with 2 July -> the end of 8 July, 23:59:59 BST.
    assert london.due_at == datetime(2026, 7, 8, 22, 59, 59, tzinfo=UTC)
    # Counted on the UTC calendar the order is a 1 July order: a day earlier.
    assert compute_due("uk_appeal_notice", order, "UTC").due_at == datetime(
        2026, 7, 7, 23, 59, 59, tzinfo=UTC
    )


def test_the_last_day_ends_on_the_wall_clock_across_the_change_to_winter_time() -> None:
    order = datetime(2026, 10, 20, 9, tzinfo=UTC)  # BST; clocks go back on 25 October
    due = compute_due("uk_appeal_notice", order, "Europe/London").due_at
    assert due == datetime(2026, 10, 26, 23, 59, 59, tzinfo=UTC)  # 23:59:59 GMT


def test_the_eaw_appeal_clock_runs_on_the_bureau_calendar_and_exact_periods_do_not() -> None:
    arrest = datetime(2026, 7, 1, 8, tzinfo=UTC)
    decision = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)
    events = [
        EawEvent(kind="arrest", at=arrest),
        EawEvent(kind="initial_hearing", at=arrest),
        EawEvent(kind="decision", at=decision),
    ]
    clocks = {c.name: c for c in eaw_clocks(events, decision, "Europe/London")}
    assert clocks["appeal_notice"].due_at == datetime(2026, 7, 8, 22, 59, 59, tzinfo=UTC)
    # Framework Decision periods run from the event itself (60 days after arrest, to the minute).
    assert clocks["decision_no_consent"].due_at == datetime(2026, 8, 30, 8, tzinfo=UTC)


def test_an_unknown_bureau_time_zone_is_refused_naming_the_setting() -> None:
    with pytest.raises(ValidationError, match="NCB_BUREAU_TIMEZONE"):
        Settings(bureau_timezone="Europe/Atlantis")


def test_a_reader_without_a_zone_of_their_own_reads_the_bureau_time(factory, seeded) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from ncb.services.context import SYSTEM, principal_for
    from ncb.store.access import PRINCIPAL
    from ncb.store.db import transaction
    from ncb.store.models import User
    from ncb.web.templating import fmt_dt

    with transaction(factory, **{PRINCIPAL: SYSTEM}) as s:
        user = s.scalar(select(User).where(User.username == "desk"))
        user.timezone = ""
        zone = principal_for(s, user).timezone
    assert zone == "Europe/London"
    assert fmt_dt(datetime(2026, 7, 1, 23, 30, tzinfo=UTC), zone) == "2026-07-02 00:30 BST (23:30 UTC)"
