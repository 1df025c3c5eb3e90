"""EAW clocks: consent vs no consent, extension, force majeure, provisional arrest, release flag."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ncb.domain.eaw import Clock, EawEvent, eaw_clocks, release_required

T0 = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)
D = timedelta(days=1)
H = timedelta(hours=1)


def ev(kind: str, at: timedelta, reason: str = "", new_date: timedelta | None = None) -> EawEvent:
    return EawEvent(
        kind=kind,
        at=T0 + at,
        reason=reason,
        new_date=T0 + new_date if new_date is not None else None,
    )


def by_name(clocks: list[Clock]) -> dict[str, Clock]:
    return {c.name: c for c in clocks}


# (events, now offset, clock name, expected due offset, expected status, expected release flag)
CASES = [
    ([ev("arrest", 0 * D)], 5 * D, "decision_no_consent", 60 * D, "running", False),
    ([ev("arrest", 0 * D)], 61 * D, "decision_no_consent", 60 * D, "expired", True),
    (
        [ev("arrest", 0 * D), ev("final_decision", 59 * D)],
        61 * D,
        "decision_no_consent",
        60 * D,
        "met",
        False,
    ),
    (
        [ev("arrest", 0 * D), ev("consent", 3 * D)],
        5 * D,
        "decision_consent",
        13 * D,
        "running",
        False,
    ),
    (
        [ev("arrest", 0 * D), ev("consent", 3 * D)],
        14 * D,
        "decision_consent",
        13 * D,
        "expired",
        True,
    ),
    (
        [ev("arrest", 0 * D), ev("consent", 3 * D), ev("final_decision", 12 * D)],
        20 * D,
        "decision_consent",
        13 * D,
        "met",
        False,
    ),
    (
        [
            ev("arrest", 0 * D),
            ev("extradition_hearing", 10 * D),
            ev("extension", 50 * D, reason="translation awaited"),
        ],
        70 * D,
        "decision_no_consent",
        90 * D,
        "running",
        False,
    ),
    (
        [ev("arrest", 0 * D), ev("extension", 50 * D, reason="translation awaited")],
        91 * D,
        "decision_no_consent",
        90 * D,
        "expired",
        True,
    ),
    (
        [ev("arrest", 0 * D), ev("consent", 2 * D), ev("extension", 5 * D, reason="medical")],
        20 * D,
        "decision_consent",
        42 * D,
        "running",
        False,
    ),
    (
        [ev("arrest", 0 * D), ev("final_decision", 20 * D)],
        25 * D,
        "surrender",
        30 * D,
        "running",
        False,
    ),
    (
        [ev("arrest", 0 * D), ev("final_decision", 20 * D)],
        31 * D,
        "surrender",
        30 * D,
        "expired",
        True,
    ),
    (
        [ev("arrest", 0 * D), ev("final_decision", 20 * D), ev("surrender", 29 * D)],
        31 * D,
        "surrender",
        30 * D,
        "met",
        False,
    ),
    (
        [
            ev("arrest", 0 * D),
            ev("final_decision", 20 * D),
            ev("force_majeure", 25 * D, new_date=35 * D),
        ],
        40 * D,
        "surrender_force_majeure",
        45 * D,
        "running",
        False,
    ),
    (
        [
            ev("arrest", 0 * D),
            ev("final_decision", 20 * D),
            ev("force_majeure", 25 * D, new_date=35 * D),
        ],
        46 * D,
        "surrender_force_majeure",
        45 * D,
        "expired",
        True,
    ),
    ([ev("provisional_arrest", 0 * H)], 10 * H, "provisional_hearing", 48 * H, "running", False),
    ([ev("provisional_arrest", 0 * H)], 49 * H, "provisional_hearing", 48 * H, "expired", True),
    (
        [
            ev("provisional_arrest", 0 * H),
            ev("initial_hearing", 20 * H),
            ev("warrant_produced", 30 * H),
        ],
        49 * H,
        "provisional_hearing",
        48 * H,
        "met",
        False,
    ),
    (
        [ev("provisional_arrest", 0 * H), ev("initial_hearing", 20 * H)],
        49 * H,
        "provisional_warrant",
        48 * H,
        "expired",
        True,
    ),
    (
        [
            ev("provisional_arrest", 0 * H),
            ev("initial_hearing", 20 * H),
            ev("provisional_extension", 40 * H),
        ],
        60 * H,
        "provisional_warrant",
        96 * H,
        "running",
        False,
    ),
    (
        [
            ev("provisional_arrest", 0 * H),
            ev("initial_hearing", 20 * H),
            ev("provisional_extension", 40 * H),
            ev("warrant_produced", 90 * H),
        ],
        100 * H,
        "provisional_warrant",
        96 * H,
        "met",
        False,
    ),
    (
        [
            ev("provisional_arrest", 0 * H),
            ev("initial_hearing", 20 * H),
            ev("provisional_extension", 40 * H),
        ],
        97 * H,
        "provisional_warrant",
        96 * H,
        "expired",
        True,
    ),
    ([ev("arrest", 0 * D)], 22 * D, "extradition_hearing", 21 * D, "expired", True),
    (
        [ev("arrest", 0 * D), ev("extradition_hearing", 15 * D)],
        22 * D,
        "extradition_hearing",
        21 * D,
        "met",
        False,
    ),
    (
        [ev("arrest", 0 * D), ev("decision", 30 * D)],
        38 * D,
        "appeal_notice",
        36 * D + timedelta(hours=14, minutes=59, seconds=59),  # day 7's end (s.26(4))
        "expired",
        False,
    ),  # the appeal window closing is not a custody limit
    (
        [
            ev("arrest", 0 * D),
            ev("extradition_hearing", 10 * D),
            ev("decision", 30 * D),
            ev("appeal_window_closed", 37 * D),
        ],
        40 * D,
        "removal",
        47 * D,
        "running",
        False,
    ),
    (
        [
            ev("arrest", 0 * D),
            ev("extradition_hearing", 10 * D),
            ev("decision", 30 * D),
            ev("appeal_lodged", 35 * D),
        ],
        50 * D,
        "high_court_appeal",
        75 * D,
        "running",
        False,
    ),
]


@pytest.mark.parametrize(("events", "now", "name", "due", "status", "release"), CASES)
def test_clock(
    events: list[EawEvent], now: timedelta, name: str, due: timedelta, status: str, release: bool
) -> None:
    clocks = eaw_clocks(events, now=T0 + now)
    clock = by_name(clocks)[name]
    assert clock.due_at == T0 + due
    assert clock.due_at.tzinfo == UTC
    assert clock.status == status
    assert release_required(clocks, T0 + now) is release
    assert clock.basis and clock.source
