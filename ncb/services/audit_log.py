"""Reading the audit log: who consulted, disclosed, altered or was refused what (DPA 2018 s.62).

One search serves the API, the workbench page and the CSV export, so a filter means the same
everywhere. Reading the log is itself recorded: the data-protection officer's look at who saw a
record is a consultation too.

A tip's entries keep its internal number (the chain hashes it, and the deferred entries of what
the public sent are matched to their tips by it: ncb.store.tips), but numbers in arrival order
would tell how many tips came and let a reader order them, so every view here shows the tip's
random public id instead, and a search for a tip takes that id.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from ncb.domain.policy import Principal
from ncb.services.errors import Forbidden, InvalidInput
from ncb.store import audit
from ncb.store.models import AuditEntry, Tip


@dataclass(frozen=True)
class AuditFilter:
    actor: str | None = None
    action: str | None = None
    record_kind: str | None = None
    record_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def describe(self) -> dict[str, str]:
        return {f.name: str(v) for f in fields(self) if (v := getattr(self, f.name)) is not None}


@dataclass(frozen=True)
class AuditRow:
    seq: int
    at: datetime
    actor: str
    action: str
    record_kind: str
    record_id: str | None
    justification: str | None
    recipients: list[Any]
    details: dict[str, Any]
    hash: str


@dataclass(frozen=True)
class AuditPage:
    total: int
    limit: int
    offset: int
    items: list[AuditRow]
    actions: tuple[str, ...]


def _need_read(p: Principal) -> None:
    if not p.has("audit.read"):
        raise Forbidden("your role may not read the audit log", rule="permission:audit.read")


def _statement(session: Session, f: AuditFilter) -> Select[Any]:
    if f.action is not None and f.action not in audit.ACTIONS:
        raise InvalidInput(f"action must be one of {', '.join(audit.ACTIONS)}", field="action",
                           rule="code_list")
    if f.since and f.until and f.since > f.until:
        raise InvalidInput("since is after until", field="since", rule="range")
    stmt = select(AuditEntry)
    for column, value in ((AuditEntry.actor, f.actor), (AuditEntry.action, f.action),
                          (AuditEntry.record_kind, f.record_kind)):
        if value:
            stmt = stmt.where(column == value)
    if f.record_id:  # a tip by its public id, never by its internal number
        tip = session.scalar(select(Tip.id).where(Tip.public_id == f.record_id))
        internal = "" if tip is None else str(tip)
        stmt = stmt.where(or_(
            and_(AuditEntry.record_kind != "tip", AuditEntry.record_id == f.record_id),
            and_(AuditEntry.record_kind == "tip", AuditEntry.record_id == internal)))
    if f.since:
        stmt = stmt.where(AuditEntry.at >= f.since)
    if f.until:
        stmt = stmt.where(AuditEntry.at <= f.until)
    return stmt


def _tip_names(session: Session, entries: list[AuditEntry]) -> dict[str, str]:
    """Internal number -> public id of the tips these entries name (visible to the reader).
    An erased tip (or one the reader may not see) has none: its entries show no id."""
    ids = {int(e.record_id) for e in entries
           if e.record_kind == "tip" and e.record_id and e.record_id.isdigit()}
    if not ids:
        return {}
    rows = session.execute(select(Tip.id, Tip.public_id).where(Tip.id.in_(ids))).all()
    return {str(i): public_id for i, public_id in rows}


def _shown_id(e: AuditEntry, tips: dict[str, str]) -> str | None:
    if e.record_kind == "tip":
        return tips.get(e.record_id or "")
    return e.record_id


def _row(e: AuditEntry, tips: dict[str, str]) -> AuditRow:
    return AuditRow(seq=e.seq, at=e.at, actor=e.actor, action=e.action, record_kind=e.record_kind,
                    record_id=_shown_id(e, tips), justification=e.justification,
                    recipients=list(e.recipients or []), details=dict(e.details or {}), hash=e.hash)


def search(session: Session, p: Principal, f: AuditFilter, limit: int = 50,
           offset: int = 0) -> AuditPage:
    """Entries newest first; the search is recorded as a consultation of the audit log."""
    _need_read(p)
    stmt = _statement(session, f)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    entries = list(session.scalars(
        stmt.order_by(AuditEntry.seq.desc()).limit(limit).offset(offset)))
    tips = _tip_names(session, entries)
    rows = [_row(e, tips) for e in entries]
    audit.record(session, p, "consultation", "audit_log", None,
                 details={"filters": f.describe(), "offset": offset, "shown": len(rows)})
    return AuditPage(total=total, limit=limit, offset=offset, items=rows, actions=audit.ACTIONS)


CSV_COLUMNS = ("seq", "at", "actor", "action", "record_kind", "record_id", "justification",
               "recipients", "details", "hash")


def export_csv(session: Session, p: Principal, f: AuditFilter, max_rows: int) -> str:
    """The filtered entries as CSV (oldest first, as an auditor reads a log), at most `max_rows`
    (NCB_AUDIT_EXPORT_ROWS: narrower filters for more), recorded."""
    _need_read(p)
    entries = list(session.scalars(_statement(session, f).order_by(AuditEntry.seq)
                                   .limit(max_rows)))
    tips = _tip_names(session, entries)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    count = 0
    for e in entries:
        writer.writerow([e.seq, e.at.isoformat(), e.actor, e.action, e.record_kind,
                         _shown_id(e, tips) or "", e.justification or "",
                         json.dumps(e.recipients or [], ensure_ascii=False),
                         json.dumps(e.details or {}, ensure_ascii=False, sort_keys=True), e.hash])
        count += 1
    audit.record(session, p, "disclosure", "audit_log", None,
                 recipients=[p.username], details={"filters": f.describe(), "rows": count,
                                                   "format": "csv"})
    return out.getvalue()
