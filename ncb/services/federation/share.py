"""Send a case to peer nodes: release decided per recipient, per object, per embedded reference.

A user sends what they can see; of that, each recipient gets only what the markings allow
(`can_receive`) and what was shared with it; the case envelope carries the records, attachment
contents travel in their own lane (envelope.lane_of), one envelope each.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ncb.domain.policy import Principal, Recipient, can_receive
from ncb.federation import release
from ncb.services.casework import _need
from ncb.services.errors import Forbidden, InvalidInput
from ncb.services.federation import objects, outbox
from ncb.services.federation.node import Node
from ncb.services.reading import case_by_ref
from ncb.store import audit
from ncb.store.access import marking_of
from ncb.store.models import (
    Agency,
    Attachment,
    CaseEntity,
    Entity,
    FedDisclosure,
    Message,
    Note,
    Share,
    SharingGroupMember,
)


@dataclass
class Sent:
    agency: str
    envelope_ids: list[str] = field(default_factory=list)
    released: list[str] = field(default_factory=list)
    withheld: list[dict[str, Any]] = field(default_factory=list)


def _recipient(session: Session, code: str, i: int) -> Recipient:
    agency = session.scalar(select(Agency).where(Agency.code == code))
    if agency is None:
        raise InvalidInput(f"agencies[{i}]: no agency {code!r}", field=f"agencies[{i}]",
                           rule="known_agency")
    groups = frozenset(session.scalars(select(SharingGroupMember.group_id)
                                       .where(SharingGroupMember.agency_id == agency.id)))
    return Recipient(agency.id, agency.code, agency.max_classification_rank, groups)


def _children(session: Session, case_id: int) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for kind, model in (("note", Note), ("message", Message), ("attachment", Attachment)):
        out += [(kind, r) for r in session.scalars(select(model).where(model.case_id == case_id)
                                                   .order_by(model.id))]
    ents = session.scalars(select(Entity).join(CaseEntity, CaseEntity.entity_id == Entity.id)
                           .where(CaseEntity.case_id == case_id).order_by(Entity.id))
    return out + [("entity", e) for e in ents]


def send_case(
    session: Session, p: Principal, node: Node, ref: str, agencies: list[str],
    justification: str | None = None,
) -> list[Sent]:
    """Queue the case for each agency (all recipients pass the case's own check, or none)."""
    _need(p, "case.note")
    _need(p, "record.share")  # sending a case to peer nodes is disclosure
    if not agencies:
        raise InvalidInput("agencies: name at least one peer node", field="agencies", rule="required")
    case = case_by_ref(session, p, ref)  # only what this user may see
    codes = objects.agency_codes(session)
    case_oid, case_ver = objects.origin_id(session, node.code, "case", case.id)
    children = _children(session, case.id)
    recipients = [_recipient(session, code, i) for i, code in enumerate(agencies)]
    case_mk = marking_of(session, case)
    refused = {r.agency_code: can_receive(r, case_mk, node.agency_id) for r in recipients}
    bad = {c: list(d.reasons) for c, d in refused.items() if not d.allowed}
    if bad:
        raise Forbidden(f"release refused for {', '.join(bad)}", field="agencies", rule="markings",
                        decisions=bad)
    return [_send_one(session, p, node, case, case_oid, case_ver, children, r, codes, justification)
            for r in recipients]


def _send_one(
    session: Session, p: Principal, node: Node, case: Any, case_oid: str, case_ver: int,
    children: list[tuple[str, Any]], r: Recipient, codes: dict[int, str], why: str | None,
) -> Sent:
    items = [release.Item(case_oid, marking_of(session, case))]
    wire: dict[str, dict[str, Any]] = {}
    versions = {case_oid: case_ver}
    records: dict[str, Any] = {}
    for kind, rec in children:
        oid, ver = objects.origin_id(session, node.code, kind, rec.id)
        pp = bool(getattr(rec, "provider_permission", False))
        items.append(release.Item(oid, marking_of(session, rec), parent=case_oid,
                                  provider_permission=pp))
        wire[oid] = objects.child_object(oid, rec, objects.markings(rec, codes, pp), case_oid)
        versions[oid], records[oid] = ver, rec
    wire[case_oid] = objects.case_object(case_oid, case, objects.markings(case, codes))
    decisions = release.decide(items, r, node.agency_id, root=case_oid)
    released = [i.key for i in items if decisions[i.key].allowed]
    keep = set(released)
    out = Sent(r.agency_code, released=released,
               withheld=[{"id": k, "reasons": list(d.reasons)} for k, d in decisions.items()
                         if not d.allowed])
    payload_objs = []
    for oid in released:
        obj = wire[oid]
        obj["refs"] = release.kept_refs(obj.get("refs", []), keep)
        obj["version"] = _version(session, oid, versions[oid])
        payload_objs.append(obj)
    env = outbox.enqueue(session, node, r.agency_code, "case",
                         {"root": case_oid, "objects": payload_objs})
    out.envelope_ids.append(env.envelope_id)
    for obj in payload_objs:
        session.add(FedDisclosure(origin_id=obj["id"], recipient=r.agency_code,
                                  envelope_id=env.envelope_id, version=obj["version"]))
    _share_root(session, p, case, r)
    for oid in released:  # contents in the attachment lane, applied once the case is
        rec = records.get(oid)
        if isinstance(rec, Attachment):
            blob = outbox.enqueue(session, node, r.agency_code, "blob",
                                  {"object": oid, "sha256": rec.sha256, "after": env.seq},
                                  data=rec.data)
            out.envelope_ids.append(blob.envelope_id)
    audit.record(session, p, "disclosure", "case", case.reference, justification=why,
                 recipients=[r.agency_code],
                 details={"envelope_id": env.envelope_id, "objects": released,
                          "withheld": [w["id"] for w in out.withheld], "channel": "federation"})
    return out


def _version(session: Session, oid: str, known: int) -> int:
    """Objects we originate get a new version per send; relayed ones keep the originator's."""
    if known:
        return known
    sent = session.scalar(select(func.max(FedDisclosure.version))
                          .where(FedDisclosure.origin_id == oid))
    return int(sent or 0) + 1


def _share_root(session: Session, p: Principal, case: Any, r: Recipient) -> None:
    exists = session.scalar(select(Share.id).where(Share.record_kind == "case",
                                                   Share.record_id == case.id,
                                                   Share.agency_id == r.agency_id))
    if exists is None:
        session.add(Share(record_kind="case", record_id=case.id, agency_id=r.agency_id,
                          shared_by=p.user_id, conditions=case.handling_conditions))
