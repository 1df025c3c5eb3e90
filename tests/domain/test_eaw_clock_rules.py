"""EAW clock rules beyond the main table: replacement, restart, refusals, ordering."""

from __future__ import annotations

from datetime import datetime

import pytest

from ncb.domain.eaw import EawEvent, eaw_clocks, release_required
from ncb.domain.eaw_clocks import release_reasons
from ncb.domain.errors import DomainError
from tests.domain.test_eaw_clocks import T0, D, H, by_name, ev


def test_consent_replaces_the_sixty_day_clock_and_the_hearing() -> None:
    clocks = by_name(eaw_clocks([ev("arrest", 0 * D), ev("consent", 1 * D)], now=T0 + 2 * D))
    assert "decision_consent" in clocks
    assert "decision_no_consent" not in clocks and "extradition_hearing" not in clocks


def test_consent_after_expiry_does_not_hide_the_breach() -> None:
    clocks = eaw_clocks([ev("arrest", 0 * D), ev("consent", 61 * D)], now=T0 + 62 * D)
    assert by_name(clocks)["decision_no_consent"].status == "expired"
    assert release_required(clocks, T0 + 62 * D)
    assert any("60 days" in r or "no consent" in r for r in release_reasons(clocks, T0 + 62 * D))


def test_force_majeure_drops_the_ordinary_surrender_clock() -> None:
    events = [
        ev("arrest", 0 * D),
        ev("final_decision", 5 * D),
        ev("force_majeure", 8 * D, new_date=12 * D),
    ]
    clocks = by_name(eaw_clocks(events, now=T0 + 9 * D))
    assert "surrender" not in clocks
    assert clocks["surrender_force_majeure"].started_at == T0 + 12 * D


def test_second_force_majeure_restarts_from_latest_new_date() -> None:
    events = [
        ev("arrest", 0 * D),
        ev("final_decision", 5 * D),
        ev("force_majeure", 8 * D, new_date=12 * D),
        ev("force_majeure", 20 * D, new_date=25 * D),
    ]
    clock = by_name(eaw_clocks(events, now=T0 + 21 * D))["surrender_force_majeure"]
    assert clock.due_at == T0 + 35 * D


@pytest.mark.parametrize(
    ("events", "field"),
    [
        ([ev("arrest", 0 * D), ev("extension", 10 * D)], "reason"),
        (
            [
                ev("arrest", 0 * D),
                ev("extension", 10 * D, reason="a"),
                ev("extension", 20 * D, reason="b"),
            ],
            "events",
        ),
        ([ev("arrest", 0 * D), ev("extension", 61 * D, reason="too late")], "events"),
        (
            [
                ev("provisional_arrest", 0 * H),
                ev("provisional_extension", 10 * H),
                ev("provisional_extension", 50 * H),
            ],
            "events",
        ),
        (
            [ev("arrest", 0 * D), ev("final_decision", 5 * D), ev("force_majeure", 6 * D)],
            "new_date",
        ),
        ([ev("arrested_twice", 0 * D)], "events[0].kind"),
    ],
)
def test_invalid_event_sequences(events: list[EawEvent], field: str) -> None:
    with pytest.raises(DomainError) as info:
        eaw_clocks(events, now=T0 + 100 * D)
    assert info.value.field == field


def test_naive_event_time_refused() -> None:
    with pytest.raises(DomainError) as info:
        eaw_clocks([EawEvent(kind="arrest", at=datetime(2026, 1, 1))], now=T0)
    assert info.value.field == "events[0].at"


def test_events_out_of_order_are_sorted() -> None:
    events = [ev("final_decision", 20 * D), ev("arrest", 0 * D)]
    clocks = by_name(eaw_clocks(events, now=T0 + 21 * D))
    assert clocks["decision_no_consent"].status == "met"


def test_appeal_notice_expiry_does_not_require_release() -> None:
    events = [ev("arrest", 0 * D), ev("extradition_hearing", 10 * D), ev("decision", 30 * D)]
    clocks = eaw_clocks(events, now=T0 + 38 * D)
    assert by_name(clocks)["appeal_notice"].status == "expired"
    assert not release_required(clocks, T0 + 38 * D)
