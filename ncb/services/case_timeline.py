"""The case timeline: events, visible notes and visible messages in one list, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from ncb.services.channels import case_links
from ncb.store.models import CaseEvent, Message, Note


@dataclass
class Entry:
    at: datetime
    kind: str
    actor: str
    title: str
    body: str = ""


def _aware(value: datetime | None) -> datetime:
    if value is None:
        return datetime.min.replace(tzinfo=UTC)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def event_title(ev: CaseEvent) -> str:
    d = ev.data or {}
    if ev.kind == "status":
        reason = f" ({d['reason']})" if d.get("reason") else ""
        return f"Status {d.get('old')} → {d.get('new')}{reason}"
    if ev.kind == "assigned":
        return f"Assigned to {d.get('officer')}" + (f", team {d['team']}" if d.get("team") else "")
    if ev.kind == "received":
        return f"Received on {d.get('channel')}, routed to {d.get('team')}"
    if ev.kind == "triaged":
        parts = ", ".join(f"{k}: {v[0]} → {v[1]}" if isinstance(v, list) else f"{k}: {v}"
                          for k, v in d.items())
        return f"Triaged ({parts})" if parts else "Triaged"
    if ev.kind == "task":
        return f"Task added: {d.get('title')}"
    if ev.kind == "task_done":
        return f"Task {d.get('task_id')} done"
    if ev.kind == "attachment":
        return f"Attachment added: {d.get('filename')}"
    if ev.kind == "deadline_met":
        return f"Deadline met: {d.get('deadline')}"
    return case_links.event_title(ev.kind, d) or ev.kind.replace("_", " ").capitalize()


def timeline(events: list[CaseEvent], notes: list[Note], messages: list[Message],
             users: dict[int, str]) -> list[Entry]:
    """Notes and messages come from the records themselves (already filtered for the caller),
    never from their events, so a hidden note leaves no line behind."""
    out: list[Entry] = []
    for ev in events:
        if ev.kind in ("note", "message"):
            continue
        out.append(Entry(_aware(ev.at), ev.kind, users.get(ev.actor_id or 0, "system"),
                         event_title(ev)))
    for n in notes:
        out.append(Entry(_aware(n.created_at), "note", users.get(n.author_id or 0, "?"),
                         f"Note ({n.classification})", n.body))
    for m in messages:
        arrow = "from" if m.direction == "in" else "to"
        who = m.sender if m.direction == "in" else ", ".join(m.recipients or [])
        out.append(Entry(_aware(m.sent_at), "message", m.sender,
                         f"Message {arrow} {who}: {m.subject} [{m.handling_code or '-'}]", m.body))
    out.sort(key=lambda e: e.at, reverse=True)
    return out
