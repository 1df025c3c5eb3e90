"""Pydantic models for the bureau's core rules tables (codes, deadlines, workflow, routing, roles).

Why: legal periods and code lists are data, not code. Every entry names its legal or service
source so that an officer (or an auditor) can see where a period or a code comes from, and a
malformed file is refused at load time instead of misbehaving at 3 a.m. on a live case.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Code = str


class Entry(BaseModel):
    """Base of every rules entry: immutable, strict about unknown keys, and always sourced."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str = Field(min_length=3, description="legal or service source of this entry")


class CodeItem(Entry):
    """A plain code-list item (code is the dict key)."""

    label: str = Field(min_length=1)
    description: str = ""


class Country(Entry):
    """A country or territory keyed by ISO 3166-1 alpha-2."""

    name: str = Field(min_length=2)
    region: Literal["africa", "americas", "asia_south_pacific", "europe", "mena"]
    eu: bool
    eu_schengen: bool
    sis: bool
    interpol_member: bool = True


class Channel(CodeItem):
    """A cooperation channel; `service_deadline` (a deadline id) applies to every case on it."""

    service_deadline: str | None = None


class Priority(CodeItem):
    """Case priority; lower `order` is more urgent; `service_deadline` is its deadline id."""

    order: int = Field(ge=1)
    service_deadline: str


class Status(CodeItem):
    """A state of a state machine; terminal states allow no onward transition (except reopen)."""

    terminal: bool = False


class Period(BaseModel):
    """A calendar period (weekends and holidays count, as in the EAW framework decision)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    amount: int = Field(gt=0)
    unit: Literal["hours", "days"]

    def as_timedelta(self) -> timedelta:
        """The period as a timedelta (calendar time)."""
        return timedelta(hours=self.amount) if self.unit == "hours" else timedelta(days=self.amount)


class DeadlineRule(Entry):
    """A legal or service time limit; `check` marks a configurable default not yet confirmed."""

    label: str = Field(min_length=1)
    period: Period
    basis: str = Field(min_length=3, description="what the rule requires, in plain words")
    kind: Literal["legal", "service"] = "legal"
    check: bool = False
    release_on_expiry: bool = False
    # Days the law counts on the bureau's calendar, ending at the end of the last day (bureau
    # time zone): "starting_with" counts the day of the event as day 1 (EA 2003 s.26(4)),
    # "after" starts the next day. None: an exact period from the event (hours, or the FD's days).
    local_days: Literal["starting_with", "after"] | None = None


class Team(Entry):
    """A bureau team that cases are routed to."""

    name: str = Field(min_length=1)
    description: str = ""


class RoutingRule(Entry):
    """One routing row: every given condition must match (absent = any); first match wins."""

    team: Code
    channel: list[Code] | None = None
    crime_area: list[Code] | None = None
    country: list[Code] | None = None
    region: list[str] | None = None
    note: str = ""

    @property
    def is_catch_all(self) -> bool:
        """True when the row has no condition at all."""
        return not (self.channel or self.crime_area or self.country or self.region)


class RequestType(CodeItem):
    """A service in the bureau's catalogue of international requests."""

    required_fields: list[str] = Field(min_length=1)
    deadline: str
    team: Code
    channels: list[Code] = Field(min_length=1)


class Role(CodeItem):
    """A user role and the permissions it grants."""

    permissions: list[Code] = Field(min_length=1)


class StateMachine(Entry):
    """A named state machine: statuses and, per status, the statuses it may move to."""

    label: str
    initial: Code
    statuses: dict[Code, Status]
    transitions: dict[Code, list[Code]]

    @field_validator("transitions")
    @classmethod
    def _no_duplicates(cls, value: dict[Code, list[Code]]) -> dict[Code, list[Code]]:
        for status, targets in value.items():
            if len(set(targets)) != len(targets):
                raise ValueError(f"duplicate target in transitions of {status!r}")
        return value
