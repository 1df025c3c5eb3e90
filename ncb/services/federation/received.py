"""Apply a received case envelope: markings enforced again, objects created or updated once.

Each object is checked on arrival with the same `can_receive` the sender used (this node as
recipient, the sending node as sharer), so a sender that passes on what its originator
forbade is caught here too. Objects already at this version are left alone (idempotent);
newer versions merge (legal fields to the conflict queue, free text merged).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from ncb.domain.policy import Marking, Recipient, can_receive
from ncb.federation import conflicts, ftm, marks
from ncb.federation.keys import PublicKey
from ncb.rules import load_rules
from ncb.services import users
from ncb.services.federation import objects, peers
from ncb.services.federation.node import Node
from ncb.services.text import keys_for
from ncb.store.models import (
    Agency,
    Attachment,
    Case,
    CaseEntity,
    Deadline,
    Entity,
    FedConflict,
    FedObject,
    Message,
    Note,
    SearchKey,
    utcnow,
)

SCHEMA_KIND = {"ncb:Case": "case", "Note": "note", "Message": "message", "Document": "attachment"}
MODELS = objects.MODELS


AGENCY_IDS, ME, KEYS = "fed_agency_ids", "fed_me", "fed_keys"  # session.info caches


def agency_id_for(session: Session, code: str) -> int:
    cache: dict[str, int] = session.info.setdefault(AGENCY_IDS, {})
    if code in cache:
        return cache[code]
    found = session.scalar(select(Agency.id).where(Agency.code == code))
    if found is not None:
        cache[code] = int(found)
        return int(found)
    country = code[:2].upper() if code[:2].isalpha() and code[:2].upper() in \
        load_rules().countries else "GB"
    return users.add_agency(session, code, code, country, "partner", (), 1).id


def _marking(wire: dict[str, Any], sender_id: int, originator_id: int) -> tuple[Marking, int]:
    classes = load_rules().classifications
    name = wire["classification"]
    rank = classes[name].rank if name in classes else 99  # unknown: above every accreditation
    return Marking(name, rank, sender_id, originator_id, "own", None,
                   frozenset(), wire.get("handling_code"), wire.get("handling_conditions"),
                   wire.get("tlp")), rank


def _me(session: Session, node: Node) -> Recipient:
    """This node as recipient (its accreditation), read once per session."""
    found = session.info.get(ME)
    if found is None:
        me = session.get(Agency, node.agency_id)
        assert me is not None
        found = session.info[ME] = Recipient(me.id, me.code, me.max_classification_rank)
    return found


def _key_of(session: Session, node: Node) -> Any:
    """Originating nodes' keys (this node's own included), looked up once per session."""
    cache: dict[tuple[str, str], PublicKey] = session.info.setdefault(KEYS, {})
    find = peers.sender_key(session)

    def key_of(code: str, key_id: str) -> PublicKey:
        if (code, key_id) not in cache:
            own = node.keys.by_key_id(key_id) if code == node.code else None
            cache[(code, key_id)] = own.public if own is not None else find(code, key_id)
        return cache[(code, key_id)]
    return key_of


def apply_case(session: Session, node: Node, header: dict[str, Any],
               payload: dict[str, Any]) -> dict[str, Any]:
    objs = payload.get("objects")
    if not isinstance(objs, list) or not objs:
        return {"refused": "payload has no objects"}
    for obj in objs:
        why = ftm.check_object(obj)
        if why:
            return {"refused": why}
    sender_id = agency_id_for(session, header["from"])
    me_r = _me(session, node)
    known = {k.origin_id: k for k in session.scalars(
        select(FedObject).where(FedObject.origin_id.in_([o["id"] for o in objs])))}
    applied: list[str] = []
    refused: list[dict[str, Any]] = []
    tampered: list[str] = []
    local: dict[str, Any] = {}
    created: list[New] = []
    key_of = _key_of(session, node)
    for obj in objs:  # parents come before children in the sender's list
        parent = obj.get("parent")
        if parent is not None and parent not in local:
            refused.append({"id": obj["id"], "reasons": ["its parent was not accepted"]})
            continue
        bad = marks.check(obj, key_of, header["from"], header["from_key"])  # before believing
        if bad:
            refused.append({"id": obj["id"], "reasons": [bad]})
            tampered.append(obj["id"])
            continue
        mk, rank = _marking(obj["markings"], sender_id, agency_id_for(session, obj["markings"]["originator"]))
        d = can_receive(me_r, mk, sender_id, bool(obj["markings"].get("provider_permission")))
        if not d.allowed:
            refused.append({"id": obj["id"], "reasons": list(d.reasons)})
            continue
        rec, changed = _upsert(session, node, header, obj, mk, rank,
                               local.get(parent) if parent else None, known.get(obj["id"]), created)
        local[obj["id"]] = rec
        if changed:
            applied.append(obj["id"])
    _link(session, header, created)
    out: dict[str, Any] = {"applied": applied, "refused": refused}
    if tampered:
        out["markings_refused"] = tampered
    return out


@dataclass(frozen=True)
class New:
    """A record created from a wire object, linked once the batch of them has its ids."""

    kind: str
    obj: dict[str, Any]
    rec: Any
    parent: Any


def _set_markings(rec: Any, mk: Marking, rank: int, wire: dict[str, Any], owner: int) -> None:
    rec.classification, rec.classification_rank = mk.classification, rank
    rec.handling_code, rec.handling_conditions, rec.tlp = mk.handling_code, \
        mk.handling_conditions, mk.tlp
    rec.source_grade, rec.intel_grade = wire.get("source_grade"), wire.get("intel_grade")
    rec.owner_agency_id, rec.originator_agency_id = owner, mk.originator_agency_id
    rec.sharing_scope, rec.sharing_group_id = "own", None


def _upsert(session: Session, node: Node, header: dict[str, Any], obj: dict[str, Any],
            mk: Marking, rank: int, parent: Any, known: FedObject | None,
            created: list[New]) -> tuple[Any, bool]:
    kind = SCHEMA_KIND.get(obj["schema"], "entity")
    version = int(obj.get("version") or 1)
    if known is not None:
        rec = session.get(MODELS[known.local_kind], known.local_id)
        if rec is None or version <= known.version or known.withdrawn_at is not None:
            return rec, False
        _update(session, node, header, obj, known, rec)
        _set_markings(rec, mk, rank, obj["markings"], node.agency_id)
        known.version, known.envelope_id = version, header["id"]
        known.markings_sig = _signed(obj, header)
        return rec, True
    if parent is not None and parent.id is None:
        session.flush()  # the new case gets its id; its children are then written together
    rec = _create(session, kind, obj, parent)
    _set_markings(rec, mk, rank, obj["markings"], node.agency_id)
    session.add(rec)
    created.append(New(kind, obj, rec, parent))
    return rec, True


def _link(session: Session, header: dict[str, Any], created: list[New]) -> None:
    """Case links, search keys and origin rows of the new records: one flush for their ids,
    then plain multi-row inserts (no ORM objects: nothing reads them back in this envelope)."""
    if not created:
        return
    session.flush()
    now = utcnow()
    links: list[dict[str, Any]] = []
    keys: list[dict[str, Any]] = []
    origins: list[dict[str, Any]] = []
    for n in created:
        if n.kind == "entity":
            links.append({"case_id": n.parent.id, "entity_id": n.rec.id, "role": "subject",
                          "provenance": f"received from {header['from']} ({n.obj['id']})",
                          "added_by": None, "added_at": now})
        if n.kind in ("case", "entity"):
            keys += _keys(n.kind, n.rec)
        origins.append({"origin_id": n.obj["id"], "origin_agency": n.obj["markings"]["originator"],
                        "local_kind": n.kind, "local_id": n.rec.id,
                        "version": int(n.obj.get("version") or 1), "base": _base(n.kind, n.obj),
                        "received_from": header["from"], "envelope_id": header["id"],
                        "received_at": now, "withdrawn_at": None,
                        "markings_sig": _signed(n.obj, header)})
    for model, rows in ((CaseEntity, links), (SearchKey, keys), (FedObject, origins)):
        if rows:
            session.execute(insert(cast(Table, model.__table__)), rows)


def _signed(obj: dict[str, Any], header: dict[str, Any]) -> dict[str, Any]:
    """What a relay needs to pass the object on: the markings exactly as signed, and the
    signature in full form (verified on arrival)."""
    return {"markings": obj["markings"], **marks.full(obj, header["from"], header["from_key"])}


def _base(kind: str, obj: dict[str, Any]) -> dict[str, Any]:
    """What both nodes agree on after this version: the merge base of the next one."""
    return _legal(obj) if kind == "case" else {"summary": ftm.first(obj, "description")}


def _legal(obj: dict[str, Any]) -> dict[str, Any]:
    props = obj.get("properties", {})
    return {"status": ftm.first(obj, "status"), "deadlines": sorted(props.get("deadlines", [])),
            "summary": ftm.first(obj, "summary")}


def _reference(obj: dict[str, Any], origin: str) -> str:
    ref = f"{ftm.first(obj, 'reference', obj['id'])}@{origin}"
    return ref if len(ref) <= 40 else "F-" + hashlib.sha256(obj["id"].encode()).hexdigest()[:30]


def _create(session: Session, kind: str, obj: dict[str, Any], parent: Any) -> Any:
    f = ftm.first
    origin = obj["markings"]["originator"]
    if kind == "case":
        case = Case(reference=_reference(obj, origin), direction="incoming",
                    channel=f(obj, "channel", "bilateral"), title=f(obj, "title", "(untitled)")[:300],
                    summary=f(obj, "summary"), external_ref=f(obj, "reference")[:80] or None,
                    status=f(obj, "status", "new"), priority=f(obj, "priority", "normal"),
                    crime_area=f(obj, "crime_area") or None, country=f(obj, "country") or None,
                    request_type=f(obj, "request_type") or None)
        case.deadlines = [_deadline(text) for text in obj["properties"].get("deadlines", [])]
        due = [d.due_at for d in case.deadlines if d.met_at is None]
        case.next_due_at = min(due) if due else None
        return case
    if kind == "note":
        return Note(case_id=parent.id, body=f(obj, "description"))
    if kind == "message":
        return Message(case_id=parent.id, direction="in", channel=parent.channel,
                       sender=f(obj, "sender"), recipients=obj["properties"].get("recipients", []),
                       subject=f(obj, "subject")[:300], body=f(obj, "bodyText"))
    if kind == "attachment":  # contents follow in a blob envelope
        return Attachment(case_id=parent.id, filename=f(obj, "fileName")[:255],
                          content_type=f(obj, "mimeType")[:120], size=int(f(obj, "fileSize", "0")),
                          sha256=f(obj, "contentHash"), data=b"")
    row = ftm.ftm_to_entity(obj)
    return Entity(**row, source_kind="federation", source_ref=obj["id"][:80])


def _deadline(text: str) -> Deadline:
    rule_id, due, met = (text.split("|") + ["", "", ""])[:3]
    at = datetime.fromisoformat(due)
    return Deadline(rule_id=rule_id[:60], label=rule_id[:200], basis="set by the originating node",
                    starts_at=at, due_at=at, met_at=datetime.fromisoformat(met) if met else None)


def _keys(kind: str, rec: Any) -> list[dict[str, Any]]:
    if kind == "case":
        keys = keys_for(rec.reference, rec.external_ref, rec.title)
    else:
        keys = keys_for(rec.display_name, rec.first_name, rec.last_name, *rec.aliases,
                        identifiers=(rec.identifier,))
    return [{"record_kind": kind, "record_id": rec.id, "key": k} for k in sorted(keys)]


def _update(session: Session, node: Node, header: dict[str, Any], obj: dict[str, Any],
            known: FedObject, rec: Any) -> None:
    if isinstance(rec, Case):
        mine = {"status": rec.status, "deadlines": sorted(objects.deadlines(rec)),
                "summary": rec.summary}
        remote = _legal(obj)
        merged, found = conflicts.merge(known.base, mine, remote, header["from"])
        rec.status, rec.summary = merged["status"], merged["summary"]
        if merged["deadlines"] != mine["deadlines"]:
            rec.deadlines = [_deadline(t) for t in merged["deadlines"]]
        rec.title = ftm.first(obj, "title", rec.title)[:300]
        rec.updated_at = utcnow()
        for c in found:
            session.add(FedConflict(origin_id=known.origin_id, local_kind="case", local_id=rec.id,
                                    field=c.field, base_value=c.base, local_value=c.local,
                                    remote_value=c.remote, remote_agency=header["from"],
                                    envelope_id=header["id"]))
        known.base = remote
    elif isinstance(rec, Note):
        rec.body = conflicts.merge_text(known.base.get("summary", ""), rec.body,
                                        ftm.first(obj, "description"), header["from"])
        known.base = {"summary": ftm.first(obj, "description")}
