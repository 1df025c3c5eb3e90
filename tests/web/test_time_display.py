"""Clocks run in UTC; pages show them in the reader's time zone, with UTC beside it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ncb.web.templating import fmt_dt

AT = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("tz,expected", [
    ("UTC", "2026-07-01 12:00 UTC"),
    ("Europe/London", "2026-07-01 13:00 BST (12:00 UTC)"),
    ("Asia/Kolkata", "2026-07-01 17:30 IST (12:00 UTC)"),
    ("America/Bogota", "2026-07-01 07:00 -05 (12:00 UTC)"),
    ("Not/AZone", "2026-07-01 12:00 UTC"),
])
def test_times_in_the_readers_zone(tz, expected):
    assert fmt_dt(AT, tz) == expected


def test_winter_london_is_gmt_without_a_second_clock():
    assert fmt_dt(datetime(2026, 1, 5, 9, 30, tzinfo=UTC), "Europe/London") == "2026-01-05 09:30 GMT"


def test_demo_liaison_officers_work_in_their_posts_zone():
    from zoneinfo import ZoneInfo

    from ncb.demo.org import POST_ZONES, POSTS

    assert {city for city, _ in POSTS} == set(POST_ZONES)
    assert all(ZoneInfo(z) for z in POST_ZONES.values())
