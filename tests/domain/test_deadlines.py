"""Deadline computation in UTC, naive refusal and service-level selection."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from ncb.domain.deadlines import (
    compute_due,
    is_overdue,
    service_level_rule,
    time_left,
)
from ncb.domain.errors import DomainError

T0 = datetime(2026, 3, 28, 22, 30, tzinfo=UTC)  # eve of the UK clock change


@pytest.mark.parametrize(
    ("rule_id", "delta"),
    [
        ("sirene_reply", timedelta(hours=12)),
        ("sirene_g_form", timedelta(hours=12)),
        ("interpol_notice_review", timedelta(hours=24)),
        ("service_urgent", timedelta(hours=24)),
        ("service_high", timedelta(hours=72)),
        ("service_normal", timedelta(days=10)),
        ("service_low", timedelta(days=30)),
        ("eaw_decision_consent", timedelta(days=10)),
        ("eaw_decision_arrest", timedelta(days=60)),
        ("eaw_decision_extension", timedelta(days=30)),
        ("eaw_surrender", timedelta(days=10)),
        ("eaw_surrender_force_majeure", timedelta(days=10)),
        ("uk_provisional_hearing", timedelta(hours=48)),
        ("uk_provisional_warrant", timedelta(hours=48)),
        ("uk_provisional_extension", timedelta(hours=48)),
        ("uk_extradition_hearing", timedelta(days=21)),
        # Calendar days "starting with" the day of the order, to 23:59:59 (UTC calendar here).
        ("uk_appeal_notice", timedelta(days=6, hours=1, minutes=29, seconds=59)),
        ("uk_high_court_appeal", timedelta(days=40)),
        ("uk_supreme_court_leave", timedelta(days=13, hours=1, minutes=29, seconds=59)),
        ("uk_removal", timedelta(days=10)),
    ],
)
def test_compute_due(rule_id: str, delta: timedelta) -> None:
    due = compute_due(rule_id, T0)
    assert due.due_at == T0 + delta
    assert due.due_at.tzinfo == UTC
    assert due.rule_id == rule_id and due.basis and due.source and due.label


def test_non_utc_start_is_converted_to_utc() -> None:
    paris = timezone(timedelta(hours=1))
    start = datetime(2026, 1, 10, 13, 0, tzinfo=paris)
    due = compute_due("sirene_reply", start)
    assert due.due_at == datetime(2026, 1, 11, 0, 0, tzinfo=UTC)
    assert due.due_at.utcoffset() == timedelta(0)
    assert due.started_at == datetime(2026, 1, 10, 12, 0, tzinfo=UTC)


def test_naive_datetime_refused() -> None:
    with pytest.raises(ValueError) as info:
        compute_due("sirene_reply", datetime(2026, 1, 1, 12, 0))
    assert isinstance(info.value, DomainError) and info.value.field == "start"


def test_unknown_rule() -> None:
    with pytest.raises(DomainError) as info:
        compute_due("no_such_rule", T0)
    assert info.value.field == "rule_id"


def test_check_flag_carried() -> None:
    assert compute_due("uk_extradition_hearing", T0).check is True
    assert compute_due("eaw_decision_arrest", T0).check is False


@pytest.mark.parametrize(
    ("channel", "priority", "expected"),
    [
        ("schengen", "low", "sirene_reply"),
        ("schengen", "urgent", "sirene_reply"),
        ("interpol", "normal", "service_normal"),
        ("interpol", "urgent", "service_urgent"),
        ("bilateral", "urgent", "service_urgent"),
        ("bilateral", "high", "service_high"),
        ("bilateral", "normal", "service_normal"),
        ("bilateral", "low", "service_low"),
        ("europol", "high", "service_high"),
        ("liaison", "low", "service_low"),
        ("eaw", "normal", "service_normal"),
    ],
)
def test_service_level_rule(channel: str, priority: str, expected: str) -> None:
    assert service_level_rule(channel, priority) == expected


@pytest.mark.parametrize(
    ("channel", "priority", "field"),
    [("pigeon", "low", "channel"), ("interpol", "asap", "priority")],
)
def test_service_level_rule_unknown(channel: str, priority: str, field: str) -> None:
    with pytest.raises(DomainError) as info:
        service_level_rule(channel, priority)
    assert info.value.field == field


def test_time_left_and_overdue() -> None:
    due = T0 + timedelta(hours=12)
    assert time_left(due, T0) == timedelta(hours=12)
    assert not is_overdue(due, due)
    assert is_overdue(due, due + timedelta(seconds=1))
    assert time_left(due, due + timedelta(hours=1)) == timedelta(hours=-1)
    with pytest.raises(DomainError):
        is_overdue(due, datetime(2026, 1, 1))
