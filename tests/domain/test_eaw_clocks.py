"""EAW clocks: consent vs no consent, extension, force majeure, provisional arrest, release flag."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ncb.domain.eaw import Clock, EawEvent, eaw_clocks, release_required
from ncb.domain.eaw_clocks import release_reasons
from ncb.domain.errors import DomainError

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
        37 * D,
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
