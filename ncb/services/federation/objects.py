"""Local records <-> wire objects (FollowTheMoney-style, markings on every object)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncb.federation import ftm, marks
from ncb.federation.keys import NodeKeys
from ncb.store.models import Agency, Attachment, Case, Entity, FedObject, Message, Note

MODELS: dict[str, Any] = {"case": Case, "note": Note, "message": Message,
                          "attachment": Attachment, "entity": Entity}
CASE_PROPS = ("reference", "title", "summary", "status", "priority", "crime_area", "country",
              "channel", "request_type", "direction")


def agency_codes(session: Session) -> dict[int, str]:
    return {int(i): str(c) for i, c in session.execute(select(Agency.id, Agency.code))}


def origin_id(session: Session, node_code: str, kind: str, rid: int) -> tuple[str, int]:
    """The object's id across nodes (kept from its originator) and its version."""
    row = session.scalar(select(FedObject).where(FedObject.local_kind == kind,
                                                 FedObject.local_id == rid))
    if row is not None:
        return row.origin_id, row.version
    return f"{node_code}/{kind}/{rid}", 0


def seal_markings(session: Session, keys: NodeKeys, objs: list[Any]) -> None:
    """Before objects leave: ours get their markings signed by this node; relayed ones carry
    the markings exactly as their originator signed them, with that signature (in place)."""
    relayed = [o for o in objs if isinstance(o, dict) and isinstance(o.get("id"), str)
               and marks.origin_node(o["id"]) != keys.agency and "markings_sig" not in o]
    if relayed:
        signed = {oid: sig for oid, sig in session.execute(
            select(FedObject.origin_id, FedObject.markings_sig)
            .where(FedObject.origin_id.in_([o["id"] for o in relayed])))}
        for obj in relayed:
            got = signed.get(obj["id"])
            if got:  # unsigned (received before signing existed): refused at the next node
                obj["markings"] = got["markings"]
                obj["markings_sig"] = {k: got[k] for k in ("node", "key", "sig")}
    marks.sign_own(keys, objs)


def markings(record: Any, codes: dict[int, str], provider_permission: bool = False) -> dict[str, Any]:
    return {"classification": record.classification, "handling_code": record.handling_code,
            "handling_conditions": record.handling_conditions, "tlp": record.tlp,
            "source_grade": record.source_grade, "intel_grade": record.intel_grade,
            "originator": codes.get(record.originator_agency_id, "?"),
            "provider_permission": provider_permission}


def deadlines(case: Case) -> list[str]:
    return [f"{d.rule_id}|{d.due_at.isoformat()}|{d.met_at.isoformat() if d.met_at else ''}"
            for d in case.deadlines]


def case_object(oid: str, case: Case, mk: dict[str, Any]) -> dict[str, Any]:
    props = {name: [str(getattr(case, name))] for name in CASE_PROPS
             if getattr(case, name) not in (None, "")}
    props["deadlines"] = deadlines(case)
    return {"id": oid, "schema": "ncb:Case", "properties": props, "markings": mk,
            "parent": None, "refs": []}


def child_object(oid: str, record: Any, mk: dict[str, Any], parent: str) -> dict[str, Any]:
    if isinstance(record, Note):
        props = {"description": [record.body]}
        schema = "Note"
    elif isinstance(record, Message):
        props = {"subject": [record.subject], "bodyText": [record.body],
                 "sender": [record.sender], "recipients": [str(r) for r in record.recipients],
                 "direction": [record.direction]}
        schema = "Message"
    elif isinstance(record, Attachment):
        props = {"fileName": [record.filename], "mimeType": [record.content_type],
                 "contentHash": [record.sha256], "fileSize": [str(record.size)]}
        schema = "Document"
    elif isinstance(record, Entity):
        return ftm.entity_to_ftm(oid, {c: getattr(record, c) for c in (
            "kind", *ftm.PROPS)}, mk, parent)
    else:  # pragma: no cover - the caller passes only the kinds above
        raise TypeError(type(record).__name__)
    return {"id": oid, "schema": schema, "properties": props, "markings": mk, "parent": parent,
            "refs": []}
