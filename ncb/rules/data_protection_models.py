"""Pydantic models for data protection rules (ncb/rules/data_protection.yaml).

Why: how long the bureau keeps a record before it is reviewed, and what a data subject may be
refused, are law and policy; each period and ground names its source and is validated at load.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ncb.rules.models import Period

RecordType = Literal["case", "notice", "alert", "tip", "appeal"]
# The code list each record type's periods are keyed by (channel, notice type, SIS article,
# the tip's or appeal's status).
BY_FIELD: dict[str, str] = {"case": "channel", "notice": "notice_type", "alert": "article",
                            "tip": "tip_status", "appeal": "appeal_status"}
# Statuses the tip and appeal services set (ncb.services.tips, ncb.services.appeals).
TIP_STATUSES = ("received", "sanitised", "dispatched", "closed")
APPEAL_STATUSES = ("wanted", "caught")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ReviewPeriod(_Frozen):
    review_after: Period
    source: str = Field(min_length=3)
    check: bool = False


class RecordRetention(_Frozen):
    """When a record of this type is first due for review: `review_after` from its date."""

    label: str = Field(min_length=1)
    review_after: Period
    # Per channel (cases), notice type (notices) or SIS article (alerts); else review_after.
    periods: dict[str, ReviewPeriod] = Field(default_factory=dict)
    source: str = Field(min_length=3)
    check: bool = False

    def period_for(self, value: str | None) -> ReviewPeriod:
        if value is not None and value in self.periods:
            return self.periods[value]
        return ReviewPeriod(review_after=self.review_after, source=self.source, check=self.check)


class RetentionRules(_Frozen):
    source: str = Field(min_length=3)
    # The queue shows reviews falling due within this many days, overdue ones first.
    horizon_days: int = Field(ge=0, le=366)
    record_types: dict[RecordType, RecordRetention]


class Months(_Frozen):
    """A calendar-month period (a month runs to the same day of the next month)."""

    months: int = Field(ge=1, le=12)

    def after(self, start: datetime) -> datetime:
        month = start.month - 1 + self.months
        year, month = start.year + month // 12, month % 12 + 1
        day = min(start.day, _days_in(year, month))
        return start.replace(year=year, month=month, day=day)


def _days_in(year: int, month: int) -> int:
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return (nxt - timedelta(days=1)).day


class Clock(_Frozen):
    label: str = Field(min_length=1)
    period: Months
    source: str = Field(min_length=3)
    check: bool = False


class Exemption(_Frozen):
    """A ground on which what is held may be withheld from the data subject."""

    label: str = Field(min_length=1)
    applies_to: list[str] = Field(min_length=1, description="kinds of item it applies to")
    source: str = Field(min_length=3)


class SubjectAccessRules(_Frozen):
    source: str = Field(min_length=3)
    clock: Clock
    # The clock as it restarts when proof of identity asked for arrives (s.54(3)(b)).
    identity_clock: Clock
    extension: Clock
    # Matcher score from which a record found by particulars is listed for the handler.
    match_threshold: float = Field(gt=0.5, le=1.0)
    exemptions: dict[str, Exemption]
    # The ground applied by default to records another agency originated.
    third_party_default: str
    # The ground applied by default to open cases (an investigation may be prejudiced).
    open_case_default: str


Need = Callable[[str, str, str, Iterable[str], Iterable[str]], None]


def check_references(retention: RetentionRules, sar: SubjectAccessRules, need: Need,
                     known: dict[str, Iterable[str]]) -> None:
    """Per-value periods name real channels, notice types and articles; defaults real grounds."""
    for rtype, spec in retention.record_types.items():
        need("retention", rtype, "periods", spec.periods, known[BY_FIELD[rtype]])
    grounds = list(sar.exemptions)
    need("subject_access", "third_party_default", "-", [sar.third_party_default], grounds)
    need("subject_access", "open_case_default", "-", [sar.open_case_default], grounds)
