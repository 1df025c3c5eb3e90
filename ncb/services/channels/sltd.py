"""SLTD: stolen and lost travel documents; only the issuing country adds, every check is logged."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncb.domain.policy import Principal
from ncb.services import lookup
from ncb.services.channels.common import need
from ncb.services.channels.interpol_inputs import SltdCheckIn, SltdIn
from ncb.services.errors import Conflict, Forbidden, InvalidInput
from ncb.store import audit
from ncb.store.models import SltdDocument

_DOC = re.compile(r"[^A-Z0-9]")


def norm_doc(number: str) -> str:
    return _DOC.sub("", number.upper())


def sltd_add(session: Session, p: Principal, data: SltdIn) -> SltdDocument:
    """Only the issuing country may add its document to SLTD."""
    need(p, "entity.create")
    mine = lookup.agency(session, p.agency_code, "agency").country if not p.system else None
    if mine is not None and mine != data.issuing_country:
        raise Forbidden(f"only {data.issuing_country}'s authorities may add its documents to SLTD",
                        field="issuing_country", rule="interpol.sltd.issuing_country")
    number = norm_doc(data.number)
    if session.scalar(select(SltdDocument.id).where(SltdDocument.number == number,
                                                    SltdDocument.issuing_country
                                                    == data.issuing_country)):
        raise Conflict(f"document {number} ({data.issuing_country}) is already listed",
                       field="number", rule="interpol.sltd.unique")
    doc = SltdDocument(number=number, issuing_country=data.issuing_country,
                       document_type=data.document_type, status=data.status,
                       added_by_agency_id=None if p.system else p.agency_id)
    session.add(doc)
    session.flush()
    audit.record(session, p, "collection", "sltd", doc.id,
                 details={"issuing_country": data.issuing_country, "status": data.status})
    return doc


def sltd_check(session: Session, p: Principal, data: SltdCheckIn) -> dict[str, Any]:
    """Hit / no hit against SLTD; every check is logged as a consultation."""
    need(p, "screen.run")
    number = norm_doc(data.number)
    if len(number) < 3:
        raise InvalidInput("number: too short once normalised", field="number", rule="min_length")
    q = select(SltdDocument).where(SltdDocument.number == number)
    if data.issuing_country:
        q = q.where(SltdDocument.issuing_country == data.issuing_country)
    docs = list(session.scalars(q))
    audit.record(session, p, "consultation", "sltd", docs[0].id if docs else None,
                 justification=data.justification or None,
                 details={"number": number, "issuing_country": data.issuing_country,
                          "hit": bool(docs)})
    return {"hit": bool(docs), "number": number,
            "documents": [{"number": d.number, "issuing_country": d.issuing_country,
                           "document_type": d.document_type, "status": d.status,
                           "reported_at": d.reported_at} for d in docs]}


