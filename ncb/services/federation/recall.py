"""Recall and erasure: the originator withdraws an item; every recipient removes it (or marks it
withdrawn where a trace must be kept), passes the recall on to whoever it shared the item
with, and acknowledges. The originator sees who has and who has not acknowledged."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ncb.domain.policy import Principal
from ncb.services.casework import _need
from ncb.services.errors import InvalidInput, NotFound
from ncb.services.federation import objects, outbox
from ncb.services.federation.node import Node
from ncb.services.federation.share import _children
from ncb.services.reading import case_by_ref
from ncb.store import audit
from ncb.store.models import (
    Case,
    Entity,
    FedDisclosure,
    FedObject,
    FedRecall,
    FedRecallAck,
    SearchKey,
    utcnow,
)

MODES = ("erase", "withdraw")


@dataclass(frozen=True)
class RecallView:
    recall_id: str
    issuer: str
    root: str
    mode: str
    reason: str
    acknowledged: list[str]
    pending: list[str]


def recall_case(session: Session, p: Principal, node: Node, ref: str, mode: str,
                reason: str) -> FedRecall:
    _need(p, "case.note")
    _need(p, "record.share")  # sending a case to peer nodes is disclosure
    if mode not in MODES:
        raise InvalidInput(f"mode must be one of {', '.join(MODES)}", field="mode", rule="code_list")
    if not reason.strip():
        raise InvalidInput("reason: say why the item is recalled", field="reason", rule="required")
    case = case_by_ref(session, p, ref)
    root, _ = objects.origin_id(session, node.code, "case", case.id)
    oids = [root] + [objects.origin_id(session, node.code, k, r.id)[0]
                     for k, r in _children(session, case.id)]
    recipients = sorted(set(session.scalars(select(FedDisclosure.recipient)
                                            .where(FedDisclosure.origin_id.in_(oids)))))
    if not recipients:
        raise NotFound(f"case {case.reference} was not sent to any node; nothing to recall")
    rec = FedRecall(recall_id=uuid.uuid4().hex, issuer=node.code, root_origin_id=root,
                    objects=oids, mode=mode, reason=reason)
    session.add(rec)
    _fan_out(session, node, rec, recipients)
    audit.record(session, p, "erasure", "case", case.reference, justification=reason,
                 recipients=recipients, details={"recall_id": rec.recall_id, "mode": mode,
                                                 "scope": "recipients"})
    return rec


def _fan_out(session: Session, node: Node, rec: FedRecall, recipients: list[str]) -> None:
    for code in recipients:
        env = outbox.enqueue(session, node, code, "recall", {
            "recall_id": rec.recall_id, "issuer": rec.issuer, "root": rec.root_origin_id,
            "objects": rec.objects, "mode": rec.mode, "reason": rec.reason})
        session.add(FedRecallAck(recall_id=rec.recall_id, agency_code=code,
                                 details={"envelope_id": env.envelope_id}))


def apply_recall(session: Session, node: Node, header: dict[str, Any],
                 payload: dict[str, Any]) -> dict[str, Any]:
    rid, mode = str(payload.get("recall_id", ""))[:32], payload.get("mode")
    oids = [str(o) for o in payload.get("objects", [])]
    if not rid or mode not in MODES:
        return {"refused": "recall needs an id and a mode"}
    removed: list[str] = []
    first_time = session.scalar(select(FedRecall.id).where(FedRecall.recall_id == rid)) is None
    if first_time:
        rec = FedRecall(recall_id=rid, issuer=str(payload.get("issuer", header["from"]))[:40],
                        root_origin_id=str(payload.get("root", ""))[:120], objects=oids,
                        mode=mode, reason=str(payload.get("reason", "")))
        session.add(rec)
        known = list(session.scalars(select(FedObject).where(FedObject.origin_id.in_(oids))))
        for obj in sorted(known, key=lambda o: o.local_kind == "case"):  # children first
            _remove(session, node, obj, mode, rec.reason)
            removed.append(obj.origin_id)
        onward = sorted(set(session.scalars(
            select(FedDisclosure.recipient).where(FedDisclosure.origin_id.in_(oids),
                                                  FedDisclosure.recipient != header["from"]))))
        _fan_out(session, node, rec, onward)
        audit.record(session, node.principal(f"node:{header['from']}"), "erasure", "fed_recall",
                     rid, justification=rec.reason, recipients=onward,
                     details={"envelope_id": header["id"], "mode": mode, "removed": removed})
    outbox.enqueue(session, node, header["from"], "recall_ack",
                   {"recall_id": rid, "agency": node.code, "removed": removed, "mode": mode})
    return {"applied": removed or [rid]}


def _remove(session: Session, node: Node, obj: FedObject, mode: str, reason: str) -> None:
    model = _model(obj.local_kind)
    rec = session.get(model, obj.local_id)
    if mode == "withdraw":  # a trace is kept, the content may not be used or passed on
        obj.withdrawn_at = utcnow()
        if isinstance(rec, Case):
            rec.status = "cancelled"
            rec.summary = f"[withdrawn by the originator: {reason}]"
        if rec is not None:
            rec.handling_code, rec.tlp = "4", "TLP:RED"
        return
    if rec is not None:
        if obj.local_kind in ("case", "entity"):
            session.execute(delete(SearchKey).where(SearchKey.record_kind == obj.local_kind,
                                                    SearchKey.record_id == obj.local_id))
        # Core DELETE: the database cascades to deadlines, notes and links (ON DELETE CASCADE).
        session.execute(delete(model).where(model.id == obj.local_id))
    session.delete(obj)
    session.flush()


def _model(kind: str) -> Any:
    return objects.MODELS.get(kind, Entity)


def apply_ack(session: Session, node: Node, header: dict[str, Any],
              payload: dict[str, Any]) -> dict[str, Any]:
    rid = str(payload.get("recall_id", ""))[:32]
    ack = session.scalar(select(FedRecallAck).where(FedRecallAck.recall_id == rid,
                                                    FedRecallAck.agency_code == header["from"]))
    if ack is None:
        return {"refused": "acknowledgement of a recall this node did not send"}
    ack.state, ack.acked_at = "acknowledged", utcnow()
    ack.details = {**ack.details, "removed": payload.get("removed", [])[:200],
                   "ack_envelope_id": header["id"]}
    return {"applied": [rid]}


def recalls(session: Session) -> list[RecallView]:
    out = []
    for rec in session.scalars(select(FedRecall).order_by(FedRecall.created_at.desc())):
        acks = list(session.scalars(select(FedRecallAck).where(FedRecallAck.recall_id ==
                                                               rec.recall_id)))
        out.append(RecallView(rec.recall_id, rec.issuer, rec.root_origin_id, rec.mode, rec.reason,
                              sorted(a.agency_code for a in acks if a.state == "acknowledged"),
                              sorted(a.agency_code for a in acks if a.state != "acknowledged")))
    return out
