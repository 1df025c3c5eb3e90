"""Bulk notice import and export in the public notice JSON layout: validated whole first and
written in the caller's one transaction, so nothing is half-imported."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncb.domain import interpol as domain
from ncb.domain.policy import Principal
from ncb.services import lookup, marking
from ncb.services.channels.common import need, now_utc
from ncb.services.channels.notice_subjects import _entity_for
from ncb.services.errors import InvalidInput
from ncb.services.inputs import MarkingsIn
from ncb.store import audit
from ncb.store.models import Notice


def unwrap(payload: Any) -> list[Any]:
    """Items of a notice JSON document: a list, or the public API page (`_embedded.notices`)."""
    if isinstance(payload, list):
        return payload
    if isinstance(payload, dict):
        emb = payload.get("_embedded")
        if isinstance(emb, dict) and isinstance(emb.get("notices"), list):
            return list(emb["notices"])
        if isinstance(payload.get("notices"), list):
            return list(payload["notices"])
    raise InvalidInput("items: expected a JSON list of notices or {\"_embedded\": {\"notices\": "
                       "[...]}}", field="items", rule="interpol.notice_json")


def import_notices(session: Session, p: Principal, items: list[Any], notice_type: str = "red"
                   ) -> list[Notice]:
    """Validate all, then write all (the caller's one transaction): nothing half-imported."""
    need(p, "entity.create")
    try:
        records = domain.parse_notices(items, notice_type)
    except domain.NoticeImportError as exc:
        raise InvalidInput(exc.message, field="items", rule=exc.rule,
                           bad_records=[{"position": pos, "record": pos + 1, "field": f, "message": m}
                                        for pos, f, m in exc.errors]) from None
    seen: dict[str, int] = {}
    for i, r in enumerate(records):
        if r.entity_id in seen:
            raise InvalidInput(f"items: record {i + 1} repeats notice {r.entity_id} (record "
                               f"{seen[r.entity_id] + 1}; counted from 1); nothing imported",
                               field="items", rule="interpol.unique",
                               bad_records=[{"position": i, "record": i + 1, "field": "entity_id",
                                             "message": "duplicate in batch"}])
        seen[r.entity_id] = i
    home = lookup.home_agency(session)
    existing = {n.notice_ref: n for n in session.scalars(select(Notice).where(
        Notice.notice_type == notice_type,
        Notice.notice_ref.in_([r.entity_id.replace("/", "-") for r in records])))}
    out = []
    for r in records:
        ref = r.entity_id.replace("/", "-")
        n = existing.get(ref)
        if n is None:
            n = Notice(notice_ref=ref, notice_type=notice_type, direction="incoming",
                       status="published", requesting_country=(
                           r.arrest_warrants[0].issuing_country_id if r.arrest_warrants else None),
                       data=domain.export_notice(r), public_consent=True, public_extract=True)
            marking.apply(session, p, n, MarkingsIn(tlp="TLP:CLEAR"), home.id)
            session.add(n)
            session.flush()
            n.entity_id = _entity_for(session, p, n, r).id
        else:
            n.data, n.updated_at = domain.export_notice(r), now_utc()
        out.append(n)
    audit.record(session, p, "collection", "notice", None,
                 details={"import": len(out), "type": notice_type,
                          "new": len(out) - len(existing)})
    return out


def export_notices(session: Session, p: Principal, notice_type: str | None = None,
                   limit: int = 1000) -> list[dict[str, Any]]:
    q = select(Notice).where(Notice.status == "published").order_by(Notice.id).limit(limit)
    if notice_type:
        q = q.where(Notice.notice_type == notice_type)
    rows = list(session.scalars(q))
    audit.record(session, p, "consultation", "notice", None,
                 details={"export": len(rows), "type": notice_type})
    return [{**n.data, "entity_id": n.notice_ref.replace("-", "/")} for n in rows]


