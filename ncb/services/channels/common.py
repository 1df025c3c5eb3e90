"""Helpers shared by the channel services: permissions, case deadlines, UTC times, country codes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic_core import PydanticCustomError
from sqlalchemy.orm import Session

from ncb.domain.policy import Principal
from ncb.rules import load_rules
from ncb.services.context import settings_of
from ncb.services.errors import Forbidden, InvalidInput
from ncb.store.models import Case, Deadline

SKEW = timedelta(minutes=5)


def need(p: Principal, perm: str) -> None:
    if not p.has(perm):
        raise Forbidden(f"your role lacks the permission {perm}", rule=f"permission:{perm}")


def now_utc() -> datetime:
    return datetime.now(UTC)


def bureau_zone(session: Session) -> str:
    """The bureau's time zone (NCB_BUREAU_TIMEZONE): where the law's calendar days end."""
    return settings_of(session).bureau_timezone


def not_future(at: datetime, field: str) -> datetime:
    """`at` in UTC; a time in the future (beyond clock skew) is refused."""
    at = at.astimezone(UTC)
    if at > now_utc() + SKEW:
        raise InvalidInput(f"{field}: cannot be in the future", field=field, rule="not_in_future")
    return at


def country(value: str | None) -> str | None:
    """Pydantic validator body: an ISO 3166-1 alpha-2 code from the rules."""
    if value is None:
        return None
    code = value.strip().upper()
    if code not in load_rules().countries:
        raise PydanticCustomError("code_list", "{value!r} is not a known ISO country code",
                                  {"value": value})
    return code


def refresh_next_due(case: Case) -> None:
    """The case's next_due_at is its earliest unmet deadline (what the queues sort on)."""
    pending = [d.due_at for d in case.deadlines if d.met_at is None]
    case.next_due_at = min(pending) if pending else None


def add_deadline(case: Case, rule_id: str, label: str, basis: str, starts_at: datetime,
                 due_at: datetime) -> Deadline:
    d = Deadline(rule_id=rule_id, label=label, basis=basis, starts_at=starts_at, due_at=due_at)
    case.deadlines.append(d)
    refresh_next_due(case)
    return d


def dump(model: Any) -> dict[str, Any]:
    return dict(model.model_dump(mode="json"))
