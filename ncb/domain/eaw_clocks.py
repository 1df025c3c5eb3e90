"""The clocks that run while an EAW is executed, and the "release at once" flag.

Why: Framework Decision 2002/584/JHA Art. 17 and 23 and Extradition Act 2003 Part 1 set hard time
limits (10 days after consent, 60 days after arrest, +30 once with reasons, 10 days to surrender,
48 h after a provisional arrest...). When a limit runs out without the required event the person
must be released. Which events start, meet, drop or extend which clock is data
(`eaw_clocks` in `ncb/rules/eaw.yaml`); this module only replays the events against it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from ncb.domain.deadlines import as_utc, compute_due, deadline_rule
from ncb.domain.errors import DomainError, UnknownCode
from ncb.rules import load_rules
from ncb.rules.channel_models import EawClockSpec

__all__ = ["Clock", "EawEvent", "eaw_clocks", "known_events", "release_reasons", "release_required"]


class EawEvent(BaseModel):
    """A life-cycle event: `kind` (see known_events()), when it happened (UTC), optional detail."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: str
    at: datetime
    reason: str = ""
    new_date: datetime | None = None


class Clock(BaseModel):
    """One running (or finished) time limit."""

    model_config = ConfigDict(frozen=True)

    name: str
    label: str
    rule_id: str
    basis: str
    source: str
    started_at: datetime
    due_at: datetime
    status: Literal["running", "met", "expired"]
    met_at: datetime | None = None
    extensions: int = 0
    release_on_expiry: bool = False


def known_events() -> set[str]:
    """Every event kind named by the clock specs."""
    names: set[str] = set()
    for spec in load_rules().eaw_clocks.values():
        names.update(spec.starts_on, spec.met_by, spec.dropped_by)
        if spec.extension:
            names.add(spec.extension.event)
    return names


def _checked(events: list[EawEvent]) -> list[EawEvent]:
    known = known_events()
    out: list[EawEvent] = []
    for i, ev in enumerate(events):
        if ev.kind not in known:
            raise UnknownCode(f"events[{i}].kind", ev.kind, "eaw_clocks events", sorted(known))
        new_date = as_utc(ev.new_date, f"events[{i}].new_date") if ev.new_date else None
        out.append(
            ev.model_copy(update={"at": as_utc(ev.at, f"events[{i}].at"), "new_date": new_date})
        )
    return sorted(out, key=lambda e: e.at)


def _clock(
    name: str, spec: EawClockSpec, events: list[EawEvent], now: datetime, zone: str = "UTC"
) -> Clock | None:
    starts = [e for e in events if e.kind in spec.starts_on]
    if not starts:
        return None
    start_ev = starts[-1] if spec.restart else starts[0]
    if spec.start_from == "new_date":
        if start_ev.new_date is None:
            raise DomainError(
                "new_date",
                f"eaw_clocks.{name}",
                f"a {start_ev.kind!r} event needs the new date agreed",
            )
        start = start_ev.new_date
    else:
        start = start_ev.at
    due = compute_due(spec.rule, start, zone)
    due_at = due.due_at
    count = 0
    if spec.extension:
        ext = spec.extension
        for ev in (e for e in events if e.kind == ext.event and e.at >= start_ev.at):
            if ev.at > due_at:
                raise DomainError(
                    "events",
                    f"eaw_clocks.{name}.extension",
                    f"{ext.event!r} at {ev.at.isoformat()} comes after the limit "
                    f"{due_at.isoformat()} expired; it cannot extend it",
                )
            if ext.requires_reason and not ev.reason.strip():
                raise DomainError(
                    "reason",
                    f"eaw_clocks.{name}.extension",
                    f"{ext.event!r} needs the reasons given to the issuing authority",
                )
            count += 1
            if count > ext.max_times:
                raise DomainError(
                    "events",
                    f"eaw_clocks.{name}.extension",
                    f"{spec.label} may be extended at most {ext.max_times} time(s)",
                )
            due_at += deadline_rule(ext.rule).period.as_timedelta()
    later = [e for e in events if e.at >= start_ev.at and e is not start_ev]
    if any(e.kind in spec.dropped_by and e.at <= due_at for e in later):
        return None
    met_ev = next((e for e in later if e.kind in spec.met_by), None)
    if met_ev is not None:
        status: Literal["running", "met", "expired"] = "met" if met_ev.at <= due_at else "expired"
    else:
        status = "expired" if now > due_at else "running"
    rule = deadline_rule(spec.rule)
    return Clock(
        name=name,
        label=spec.label,
        rule_id=spec.rule,
        basis=due.basis,
        source=due.source,
        started_at=start,
        due_at=due_at,
        status=status,
        met_at=met_ev.at if met_ev else None,
        extensions=count,
        release_on_expiry=rule.release_on_expiry,
    )


def eaw_clocks(events: list[EawEvent], now: datetime | None = None, zone: str = "UTC") -> list[Clock]:
    """Every clock started by `events` with its due time and status at `now` (default: now, UTC);
    `zone` is the bureau's time zone, for the limits the law counts in calendar days."""
    at = as_utc(now, "now") if now is not None else datetime.now(UTC)
    ordered = _checked(events)
    clocks = [_clock(name, spec, ordered, at, zone) for name, spec in load_rules().eaw_clocks.items()]
    return sorted((c for c in clocks if c is not None), key=lambda c: c.due_at)


def release_reasons(clocks: list[Clock], now: datetime) -> list[str]:
    """Why the person must be released: each custody limit that expired without its event."""
    at = as_utc(now, "now")
    return [
        f"{c.label}: limit {c.due_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC passed without the "
        f"required event ({c.source})"
        for c in clocks
        if c.release_on_expiry and c.met_at is None and at > c.due_at
    ]


def release_required(clocks: list[Clock], now: datetime) -> bool:
    """True when a custody limit expired without the required event: release at once."""
    return bool(release_reasons(clocks, now))
