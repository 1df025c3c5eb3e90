"""The person/object page: every appearance of an identity the reader may see, and nothing else.

Every read below goes through the access filter (entities, cases, notices, alerts, warrants,
messages and tips are marked records), so an appearance the reader may not see is simply not
there; its existence is told as "records exist; contact <agency>" from a named store function.
Consulting the page is logged (DPA 2018 s.62).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from ncb.domain.policy import Principal
from ncb.services.context import settings_of
from ncb.services.errors import NotFound
from ncb.store import audit, directory
from ncb.store.identities import hidden_appearance_contacts
from ncb.store.models import (
    Alert,
    Appeal,
    AuditEntry,
    Case,
    CaseEntity,
    Entity,
    Identity,
    IdentityChange,
    IdentityKey,
    IdentityMember,
    Message,
    Notice,
    Tip,
    Warrant,
)


@dataclass
class Fact:
    label: str
    value: str
    provenance: str


@dataclass
class Event:
    at: datetime
    kind: str
    title: str
    link: str | None = None


@dataclass
class PersonView:
    identity_id: int
    kind: str
    label: str
    merged_into: int | None = None
    appearances: list[dict[str, Any]] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    cases: list[dict[str, Any]] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)
    linked: list[dict[str, Any]] = field(default_factory=list)
    timeline: list[Event] = field(default_factory=list)
    restricted: list[str] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)
    consultations: list[dict[str, Any]] = field(default_factory=list)
    show_audit: bool = False
    # Rows the reader may see per section, beyond the display limit (the page's "of N").
    totals: dict[str, int] = field(default_factory=dict)

    def truncated(self) -> dict[str, tuple[int, int]]:
        """Sections cut at the display limit: section -> (shown, total)."""
        shown = {"appearances": len(self.appearances), "cases": len(self.cases),
                 "records": len(self.records),
                 "messages": sum(1 for e in self.timeline if e.kind == "message")}
        return {k: (shown[k], n) for k, n in self.totals.items() if n > shown[k]}


def visible_members(identity_id: int) -> Select[Any]:
    """Ids of the identity's appearances the reader may see (the access filter applies to
    Entity here and in every query this is a subquery of)."""
    return (select(Entity.id).join(IdentityMember, IdentityMember.entity_id == Entity.id)
            .where(IdentityMember.identity_id == identity_id))


def case_ids_of(identity_id: int) -> Select[Any]:
    """Ids of the cases the reader may see an appearance of the identity in (a subquery)."""
    return select(CaseEntity.case_id).where(CaseEntity.entity_id.in_(visible_members(identity_id)))


def restricted_notes(session: Session, identity_id: int, visible: list[int]) -> list[str]:
    """"Records exist; contact <agency>" for the appearances not in `visible` (all of them)."""
    return _notes(hidden_appearance_contacts(session, identity_id, visible))


def _notes(contacts: list[tuple[str, str, int]]) -> list[str]:
    return [f"{n} record(s) exist; contact {name} ({code})" for code, name, n in contacts]


def _aware(at: datetime | None) -> datetime:
    if at is None:
        return datetime.min.replace(tzinfo=UTC)
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def person_view(session: Session, p: Principal, identity_id: int, *,
                log: bool = True, limit: int | None = None) -> PersonView:
    """The page's view: at most `limit` rows per section (NCB_PERSON_SECTION_ROWS), with the
    totals it was cut from.
    Not for a subject access pack, which must hold everything (services.subject_access.held)."""
    limit = limit or settings_of(session).person_section_rows
    ident = session.get(Identity, identity_id)
    if ident is None:
        raise NotFound(f"no identity {identity_id}")
    rows = session.execute(
        select(Entity, IdentityMember).join(IdentityMember, IdentityMember.entity_id == Entity.id)
        .where(IdentityMember.identity_id == identity_id).order_by(Entity.id).limit(limit)).all()
    ents = [e for e, _ in rows]
    if not ents:  # nothing visible: not even the identity's existence is told
        raise NotFound(f"no identity {identity_id} you may see")
    visible = [e.id for e in ents]
    if len(ents) == limit:  # cut: all the visible ids (for the count, and so that the hidden
        visible = list(session.scalars(visible_members(identity_id)))  # rest is only hidden)
    names = Counter(e.display_name for e in ents)
    view = PersonView(identity_id, ident.kind, names.most_common(1)[0][0], ident.merged_into_id)
    contacts = hidden_appearance_contacts(session, identity_id, visible)
    view.restricted = _notes(contacts)
    view.totals["appearances"] = len(visible)
    if log:
        audit.record(session, p, "consultation", "identity", identity_id,
                     details={"appearances": len(visible), "restricted": sum(c[2] for c in contacts)})
    for e, m in rows:
        prov = f"{e.source_kind} {e.source_ref or ''}".strip()
        view.appearances.append({"entity_id": e.id, "name": e.display_name, "kind": e.kind,
                                 "source": prov, "method": m.method, "reason": m.reason,
                                 "classification": e.classification, "at": e.created_at})
        view.timeline.append(Event(_aware(e.created_at), "appearance",
                                   f"Recorded in {prov}: {e.display_name}"))
    _facts(session, view, ents)
    case_ids = _cases(session, view, identity_id, limit)
    _records(session, view, identity_id, limit)
    _linked(session, view, identity_id, case_ids, limit)
    _history(session, p, view, identity_id)
    view.timeline.sort(key=lambda ev: ev.at, reverse=True)
    return view


def _facts(session: Session, view: PersonView, ents: list[Entity]) -> None:
    seen: set[tuple[str, str]] = set()

    def add(label: str, value: str | None, prov: str) -> None:
        if value and (label, value) not in seen:
            seen.add((label, value))
            view.facts.append(Fact(label, value, prov))

    for e in ents:
        prov = f"{e.source_kind} {e.source_ref or ''}".strip()
        add("name", e.display_name, prov)
        for alias in e.aliases or []:
            add("alias", str(alias), prov)
        add("date of birth", e.date_of_birth, prov)
        add("nationality", e.nationality, prov)
        add("place of birth", e.place_of_birth, prov)
        add("identifier", e.identifier, prov)
    keys = session.execute(select(IdentityKey.key, IdentityKey.entity_id)
                           .where(IdentityKey.entity_id.in_([e.id for e in ents])))
    by_id = {e.id: e for e in ents}
    for key, eid in keys:
        e = by_id[eid]
        add("key", key, f"{e.source_kind} {e.source_ref or ''}".strip())


def _total(session: Session, shown: int, limit: int, col: Any, where: Any) -> int:
    """Rows the reader may see; counted only when the section was cut (the page stays fast)."""
    if shown < limit:
        return shown
    return int(session.scalar(select(func.count(col)).where(where)) or 0)


def _cases(session: Session, view: PersonView, identity_id: int, limit: int) -> list[int]:
    rows = session.execute(
        select(Case, CaseEntity.role).join(CaseEntity, CaseEntity.case_id == Case.id)
        .where(CaseEntity.entity_id.in_(visible_members(identity_id)))
        .order_by(Case.received_at.desc(), Case.id).limit(limit)).all()
    out: list[int] = []
    for case, role in rows:
        if case.id in out:
            continue
        out.append(case.id)
        view.cases.append({"reference": case.reference, "title": case.title, "role": role,
                           "channel": case.channel, "status": case.status,
                           "received_at": case.received_at})
        view.timeline.append(Event(_aware(case.received_at), "case",
                                   f"{case.channel} case {case.reference}: {case.title} ({role})",
                                   f"/w/cases/{case.reference}"))
    # A case with several of the appearances is one row per appearance: cut when rows were.
    shown = len(out) if len(rows) < limit else limit
    view.totals["cases"] = _total(session, shown, limit, Case.id,
                                  Case.id.in_(case_ids_of(identity_id)))
    return out


def _records(session: Session, view: PersonView, identity_id: int, limit: int) -> None:
    members, cases = visible_members(identity_id), case_ids_of(identity_id)
    # Appeals carry no markings (public once published): the filter hides none of them.
    appeals = select(Appeal.id).where(Appeal.entity_id.in_(members))
    where: dict[Any, Any] = {Notice: Notice.entity_id.in_(members),
                             Alert: Alert.entity_id.in_(members),
                             Warrant: Warrant.case_id.in_(cases), Tip: Tip.appeal_id.in_(appeals),
                             Message: Message.case_id.in_(cases)}
    totals: dict[Any, int] = {}

    def fetch(model: Any, order: Any) -> list[Any]:
        rows = list(session.scalars(select(model).where(where[model]).order_by(order)
                                    .limit(limit)))
        totals[model] = _total(session, len(rows), limit, model.id, where[model])
        return rows

    for n in fetch(Notice, Notice.id):
        view.records.append({"kind": "notice", "ref": f"{n.notice_type} {n.notice_ref}",
                             "status": n.status})
        view.timeline.append(Event(_aware(n.created_at), "notice",
                                   f"Interpol {n.notice_type} notice {n.notice_ref} ({n.status})"))
    for a in fetch(Alert, Alert.id):
        view.records.append({"kind": "alert", "ref": f"Art. {a.article} {a.schengen_id}",
                             "status": a.status})
        view.timeline.append(Event(_aware(a.created_at), "alert",
                                   f"SIS alert Art. {a.article} {a.schengen_id} ({a.status})"))
    for w in fetch(Warrant, Warrant.id):
        view.records.append({"kind": "warrant", "ref": w.reference, "status": w.status})
        view.timeline.append(Event(_aware(w.received_at), "warrant",
                                   f"EAW {w.direction} {w.reference} ({w.status})"))
    for m in fetch(Message, Message.sent_at.desc()):
        view.timeline.append(Event(_aware(m.sent_at), "message",
                                   f"Message {m.direction}: {m.subject}"))
    for t in fetch(Tip, Tip.id):
        # The day only: a tip's time could identify its sender. Named by its public id,
        # never the sender's reference code (half of their credential, kept on paper).
        day = _aware(t.received_hour).replace(hour=0, minute=0, second=0, microsecond=0)
        view.records.append({"kind": "tip", "ref": t.public_id, "status": t.status})
        view.timeline.append(Event(day, "tip", f"Anonymous tip {t.public_id} ({t.status})"))
    view.totals["messages"] = totals.pop(Message)
    view.totals["records"] = sum(totals.values())


def _linked(session: Session, view: PersonView, identity_id: int, case_ids: list[int],
            limit: int) -> None:
    if not case_ids:
        return
    rows = session.execute(
        select(IdentityMember.identity_id, Entity.kind, Entity.display_name, Case.reference)
        .join(Entity, Entity.id == IdentityMember.entity_id)
        .join(CaseEntity, CaseEntity.entity_id == Entity.id)
        .join(Case, Case.id == CaseEntity.case_id)
        .where(CaseEntity.case_id.in_(case_ids), IdentityMember.identity_id != identity_id)
        .limit(limit)).all()
    linked: dict[int, dict[str, Any]] = {}
    for other, kind, name, ref in rows:
        item = linked.setdefault(other, {"identity_id": other, "kind": kind, "name": name,
                                         "cases": []})
        if ref not in item["cases"]:
            item["cases"].append(ref)
    view.linked = sorted(linked.values(), key=lambda x: (-len(x["cases"]), x["identity_id"]))


def _history(session: Session, p: Principal, view: PersonView, identity_id: int) -> None:
    changes = list(session.scalars(select(IdentityChange).where(
        (IdentityChange.identity_id == identity_id)
        | (IdentityChange.other_identity_id == identity_id)).order_by(IdentityChange.id.desc())))
    authors = {c.author_id for c in changes} - {None}
    names = directory.usernames(session, authors)
    for c in changes:
        view.changes.append({"id": c.id, "action": c.action, "other": c.other_identity_id,
                             "identity": c.identity_id, "count": len(c.entity_ids),
                             "reason": c.reason, "by": names.get(c.author_id or 0, "system"),
                             "at": c.at, "undone_at": c.undone_at})
    view.show_audit = p.has("audit.read")
    if view.show_audit:
        for a in session.scalars(select(AuditEntry).where(
                AuditEntry.record_kind == "identity", AuditEntry.record_id == str(identity_id))
                .order_by(AuditEntry.seq.desc()).limit(50)):
            view.consultations.append({"at": a.at, "actor": a.actor, "action": a.action,
                                       "justification": a.justification})
