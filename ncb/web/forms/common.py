"""Parsing shared by the channel forms: times typed in the officer's zone (stored in UTC),
whole numbers, the posted values, choices."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ncb.rules import load_rules
from ncb.services.channels.common import now_utc
from ncb.services.errors import InvalidInput
from ncb.store.ids import in_range

Errors = dict[str, str]


def zone(tz: str | None) -> ZoneInfo:
    """The officer's time zone (their settings), UTC when unset or unknown."""
    try:
        return ZoneInfo(tz or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def as_utc(value: str | None, name: str, tz: str = "UTC") -> datetime | None:
    """A datetime-local value, read in the officer's zone `tz` (their settings), or an ISO time
    with its own offset; returned in UTC, as every clock is stored. None when empty. A local
    time that occurs twice (the autumn change) is read as the first of the two."""
    if not value:
        return None
    try:
        at = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(f"{name}: enter a date and time as YYYY-MM-DD HH:MM ({tz} time)",
                           field=name, rule="datetime") from None
    return (at if at.tzinfo else at.replace(tzinfo=zone(tz))).astimezone(UTC)


def local_input(at: datetime | None = None, tz: str = "UTC") -> str:
    """A value for a datetime-local input: the time in the officer's zone, to the minute."""
    return (at or now_utc()).astimezone(zone(tz)).strftime("%Y-%m-%dT%H:%M")


def to_int(value: str | None) -> int | None:
    """A whole number; anything else is passed on for the service's schema to refuse."""
    # Not a number in range: hand the text on, so the form model names the field.
    digits = (value or "").strip().removeprefix("-")
    if digits.isascii() and digits.isdigit() and in_range(int(value or "")):
        return int(value or "")
    return value if value else None  # type: ignore[return-value]


def values(form: dict[str, Any]) -> dict[str, str]:
    """The posted text fields, to fill the form again after a refusal."""
    return {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf"}


def split_list(raw: str | None) -> list[str]:
    """A comma-separated input as its trimmed, non-empty items."""
    return [x.strip() for x in (raw or "").split(",") if x.strip()]


def countries() -> list[tuple[str, str]]:
    return sorted(((k, f"{k} {v.name}") for k, v in load_rules().countries.items()),
                  key=lambda x: x[0])


def unprefixed(errors: Errors, prefix: str) -> Errors:
    """`{prefix}.name` -> `name` (the input's own name); a bare refusal goes to the top."""
    out = {k.removeprefix(f"{prefix}."): v for k, v in errors.items()}
    if prefix in out:
        out["__all__"] = out.pop(prefix)
    return out
