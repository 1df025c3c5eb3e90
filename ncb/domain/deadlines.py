"""Compute legal and service deadlines in UTC from the rules in `ncb/rules/deadlines.yaml`.

Why: a missed SIRENE 12-hour reply or EAW 60-day decision has legal consequences, so every due time
is computed in one place, always in UTC (the bureau works 24/7 across time zones), and always
carries the basis and source that justify it. Naive datetimes are refused: a clock that silently
assumes local time is a clock that is wrong for half the year.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

from ncb.domain.errors import NaiveDatetime, UnknownCode
from ncb.rules import DeadlineRule, load_rules

__all__ = [
    "Due",
    "as_utc",
    "compute_due",
    "deadline_rule",
    "is_overdue",
    "service_level_rule",
    "time_left",
]


class Due(BaseModel):
    """A computed deadline with its legal or service basis."""

    model_config = ConfigDict(frozen=True)

    rule_id: str
    label: str
    basis: str
    source: str
    check: bool
    started_at: datetime
    due_at: datetime


def as_utc(value: datetime, field: str = "start") -> datetime:
    """`value` converted to UTC; refuses naive datetimes (NaiveDatetime names `field`)."""
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise NaiveDatetime(field)
    return value.astimezone(UTC)


def deadline_rule(rule_id: str) -> DeadlineRule:
    """The deadline rule `rule_id` from the rules tables."""
    rules = load_rules().deadlines
    if rule_id not in rules:
        raise UnknownCode("rule_id", rule_id, "deadlines", sorted(rules))
    return rules[rule_id]


def compute_due(rule_id: str, start: datetime, zone: str = "UTC") -> Due:
    """When rule `rule_id` falls due for a period starting at `start` (calendar time, UTC).

    A rule counting days on the calendar (`local_days`) ends at 23:59:59 of its last day in
    `zone` (the bureau's time zone): a decision at 00:30 in London on the 2nd is a day-2 event
    even though it is still the 1st in UTC."""
    rule = deadline_rule(rule_id)
    started = as_utc(start, "start")
    return Due(
        rule_id=rule_id,
        label=rule.label,
        basis=rule.basis,
        source=rule.source,
        check=rule.check,
        started_at=started,
        due_at=_end_of_day(started, rule, zone) if rule.local_days else started + rule.period.as_timedelta(),
    )


def _end_of_day(start: datetime, rule: DeadlineRule, zone: str) -> datetime:
    days = rule.period.as_timedelta().days - (1 if rule.local_days == "starting_with" else 0)
    last = start.astimezone(ZoneInfo(zone)).date() + timedelta(days=days)
    # The end of that day on the wall clock, whatever the offset that day (summer time).
    return datetime.combine(last, time(23, 59, 59), ZoneInfo(zone)).astimezone(UTC)


def service_level_rule(channel: str, priority: str) -> str:
    """Deadline rule id for a new case on `channel` with `priority`.

    A channel with its own deadline (Schengen: the SIRENE 12 h reply) uses it,
    unless the priority's service level is stricter; other channels use the priority's level.
    """
    rules = load_rules()
    if channel not in rules.channels:
        raise UnknownCode("channel", channel, "channels", list(rules.channels))
    if priority not in rules.priorities:
        raise UnknownCode("priority", priority, "priorities", list(rules.priorities))
    by_priority = rules.priorities[priority].service_deadline
    by_channel = rules.channels[channel].service_deadline
    if by_channel is None:
        return by_priority
    channel_period = deadline_rule(by_channel).period.as_timedelta()
    priority_period = deadline_rule(by_priority).period.as_timedelta()
    return by_priority if priority_period < channel_period else by_channel


def time_left(due_at: datetime, now: datetime) -> timedelta:
    """Time remaining until `due_at` (negative once overdue)."""
    return as_utc(due_at, "due_at") - as_utc(now, "now")


def is_overdue(due_at: datetime, now: datetime) -> bool:
    """True once `now` is strictly after `due_at`."""
    return time_left(due_at, now) < timedelta(0)
