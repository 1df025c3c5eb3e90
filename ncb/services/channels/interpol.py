"""Interpol: notices and diffusions (draft, Article 3, review, public extract, cancellation),
bulk import/export in the public notice JSON layout, and SLTD travel-document checks.

Parsing, the Article 3 assessment and the export layout are ncb.domain.interpol's; an import is
validated whole first and written in the caller's one transaction, so nothing is half-imported.
"""

from __future__ import annotations

import re
from contextlib import suppress
from typing import Any, Literal

from pydantic import AwareDatetime, Field, field_validator
from sqlalchemy import Integer, cast, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ncb.domain import interpol as domain
from ncb.domain.policy import Principal
from ncb.rules import load_rules
from ncb.services import intake, lookup, marking
from ncb.services.casework import _event
from ncb.services.channels.common import country as _country
from ncb.services.channels.common import need, not_future, now_utc
from ncb.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from ncb.services.inputs import CaseIn, MarkingsIn, Strict
from ncb.services.reading import case_by_ref, load_visible
from ncb.store import audit
from ncb.store.models import Entity, Notice, SltdDocument
from ncb.store.models.channels import NoticeSequence

STATUSES = ("draft", "review", "published", "sent", "refused", "cancelled")


class NoticeIn(Strict):
    notice_type: str
    requesting_country: str = "GB"
    subject: dict[str, Any] = Field(description="The person in the public notice layout")
    recipients: list[str] = Field(default_factory=list, description="Diffusions: NCB codes")
    case_ref: str | None = None
    markings: MarkingsIn | None = None

    _c = field_validator("requesting_country")(_country)

    @field_validator("notice_type")
    @classmethod
    def _type(cls, v: str) -> str:
        from ncb.services.inputs import _in_list

        return _in_list(v, load_rules().notice_types, "notice type") or v


class Article3In(Strict):
    concerns: list[str] = Field(default_factory=list)
    rationale: str = Field(min_length=1, max_length=20000)
    assessed_at: AwareDatetime | None = None


class ReviewIn(Strict):
    outcome: Literal["published", "refused"]
    note: str = Field(default="", max_length=20000)


class ConsentIn(Strict):
    consent: bool
    note: str = Field(default="", max_length=2000)


class CancelIn(Strict):
    reason: str = Field(min_length=3, max_length=5000)


class SltdIn(Strict):
    number: str = Field(min_length=3, max_length=40)
    issuing_country: str
    document_type: str = Field(default="passport", max_length=20)
    status: Literal["stolen", "lost", "revoked"] = "stolen"

    _c = field_validator("issuing_country")(_country)


class SltdCheckIn(Strict):
    number: str = Field(min_length=3, max_length=40)
    issuing_country: str | None = None
    justification: str = Field(default="", max_length=2000)

    _c = field_validator("issuing_country")(_country)


def _iso_dob(dob: str | None) -> str | None:
    return dob.replace("/", "-") if dob else None


def _entity_for(session: Session, p: Principal, notice: Notice, rec: domain.NoticeRecord
                ) -> Entity:
    """The notice's person as an Entity (watch_role "notice") so screening finds it."""
    ent = Entity(kind="person", display_name=" ".join(x for x in (rec.forename, rec.name) if x),
                 first_name=rec.forename, last_name=rec.name, aliases=[],
                 date_of_birth=_iso_dob(rec.date_of_birth), gender=rec.sex_id,
                 nationality=rec.nationalities[0] if rec.nationalities else None,
                 place_of_birth=rec.place_of_birth,
                 details={"notice_type": rec.notice_type, "notice": rec.entity_id},
                 watch_role="notice", source_kind="interpol_notice", source_ref=rec.entity_id,
                 created_by=p.user_id)
    marking.copy_markings(notice, ent)
    session.add(ent)
    session.flush()
    intake._add_keys(session, "entity", ent.id, ent.display_name, ent.first_name, ent.last_name)
    return ent


REF_ATTEMPTS = 5


def _highest_number(session: Session, year: int) -> int:
    """The highest sequence number of `year` in use, imported or drafted, of any notice type
    (compared as numbers: imported refs such as 2026-7 are not zero-padded)."""
    seq = cast(func.substr(Notice.notice_ref, 6), Integer)
    return session.scalar(select(func.max(seq)).where(Notice.notice_ref.like(f"{year}-%"))
                          .execution_options(skip_access=True)) or 0


def _next_ref(session: Session) -> str:
    """Draw the next YEAR-SEQ inside the caller's transaction.

    The per-year row of `notice_sequences` is locked (FOR UPDATE on PostgreSQL; SQLite has one
    writer) so concurrent drafts draw different numbers, and the draw never falls below a number
    already in use (imports included). The unique (type, ref) constraint backs this up: a clash
    is retried by `draft`.
    """
    year = now_utc().year
    row = session.scalar(select(NoticeSequence).where(NoticeSequence.year == year)
                         .with_for_update())
    if row is None:
        # Another transaction may create the year's row first: then theirs is used.
        with suppress(IntegrityError), session.begin_nested():
            session.execute(insert(NoticeSequence).values(year=year, last=0))
        row = session.scalar(select(NoticeSequence).where(NoticeSequence.year == year)
                             .with_for_update())
        assert row is not None
    row.last = max(row.last, _highest_number(session, year)) + 1
    session.flush()
    return f"{year}-{row.last:05d}"


def draft(session: Session, p: Principal, data: NoticeIn) -> Notice:
    """Draft a notice (or diffusion) on an outgoing Interpol case; review deadline from intake."""
    need(p, "notice.draft")
    kind = load_rules().notice_types[data.notice_type]
    if kind.kind == "diffusion" and not data.recipients:
        raise InvalidInput("recipients: a diffusion names the NCBs it goes to (or 'all')",
                           field="recipients", rule="interpol.diffusion.recipients")
    try:
        rec = domain.NoticeRecord.model_validate(
            {**data.subject, "entity_id": f"{now_utc().year}-1", "notice_type": data.notice_type})
    except Exception as exc:  # pydantic ValidationError: name the subject field
        errs: list[Any] = getattr(exc, "errors", lambda: [])()
        first = errs[0] if errs else {"loc": (), "msg": str(exc)}
        field = "subject." + ".".join(str(x) for x in first["loc"])
        raise InvalidInput(f"{field}: {first['msg']}", field=field, rule="interpol.notice_json"
                           ) from None
    case = case_by_ref(session, p, data.case_ref) if data.case_ref else intake.intake_case(
        session, p, CaseIn(channel="interpol", direction="outgoing",
                           title=f"{kind.label}: {rec.forename or ''} {rec.name}".strip(),
                           requesting_country=data.requesting_country, priority="high",
                           markings=data.markings or MarkingsIn()))
    for attempt in range(REF_ATTEMPTS):
        ref = _next_ref(session)
        rec = rec.model_copy(update={"entity_id": ref})
        notice = Notice(notice_ref=ref, notice_type=data.notice_type, direction="outgoing",
                        status="draft", requesting_country=data.requesting_country,
                        case_id=case.id, data=domain.export_notice(rec),
                        recipients=list(data.recipients),
                        public_consent=data.notice_type == "un_special",
                        public_extract=data.notice_type == "un_special")
        marking.copy_markings(case, notice)
        try:
            with session.begin_nested():
                session.add(notice)
                session.flush()
            break
        except IntegrityError:  # an import or another draft took the number meanwhile
            if attempt == REF_ATTEMPTS - 1:
                raise Conflict("could not draw a free notice number; try again",
                               field="notice_ref", rule="interpol.notice_ref.unique") from None
    notice.entity_id = _entity_for(session, p, notice, rec).id
    _event(session, case, p, "notice_drafted", notice=notice.id, type=data.notice_type)
    audit.record(session, p, "collection", "notice", notice.id,
                 details={"type": data.notice_type, "case": case.reference})
    return notice


def get(session: Session, p: Principal, notice_id: int) -> Notice:
    return load_visible(session, p, Notice, notice_id, "notice")


def article3(session: Session, p: Principal, notice_id: int, data: Article3In) -> Notice:
    need(p, "notice.draft")
    n = get(session, p, notice_id)
    at = not_future(data.assessed_at or now_utc(), "assessed_at")
    a = domain.article3_check(n.notice_ref, data.concerns, data.rationale, p.username, at)
    n.article3 = a.model_dump(mode="json")
    n.updated_at = now_utc()
    audit.record(session, p, "alteration", "notice", n.id, justification=data.rationale,
                 details={"article3": {"compliant": a.compliant, "concerns": a.concerns}})
    return n


def submit(session: Session, p: Principal, notice_id: int) -> Notice:
    """Send for review (notices) or directly to the chosen NCBs (diffusions): Article 3 first."""
    need(p, "notice.draft")
    n = get(session, p, notice_id)
    if n.status != "draft":
        raise Conflict(f"notice is {n.status}, not draft", field="status", rule="interpol.draft")
    if not n.article3:
        raise InvalidInput("article3: record the Article 3 assessment first", field="article3",
                           rule="interpol.article3.required")
    if not n.article3.get("compliant"):
        raise Forbidden("Article 3 concerns recorded: " + ", ".join(n.article3["concerns"])
                        + "; " + n.article3["recommendation"], field="article3",
                        rule="interpol.article3")
    kind = load_rules().notice_types[n.notice_type]
    n.status = "review" if kind.reviewed else "sent"
    n.updated_at = now_utc()
    action = "disclosure"
    recipients = list(n.recipients) if not kind.reviewed else ["INTERPOL General Secretariat"]
    audit.record(session, p, action, "notice", n.id, recipients=recipients,
                 details={"status": n.status, "type": n.notice_type})
    return n


def review(session: Session, p: Principal, notice_id: int, data: ReviewIn) -> Notice:
    """The General Secretariat's answer, recorded; publication meets the case's review limit."""
    need(p, "notice.draft")
    n = get(session, p, notice_id)
    if n.status != "review":
        raise Conflict(f"notice is {n.status}, not under review", field="status",
                       rule="interpol.review")
    n.status, n.review_note, n.updated_at = data.outcome, data.note, now_utc()
    audit.record(session, p, "alteration", "notice", n.id,
                 details={"review": data.outcome, "note": data.note})
    return n


def public_consent(session: Session, p: Principal, notice_id: int, data: ConsentIn) -> Notice:
    """A public extract exists only with the requesting country's consent (UN notices: always)."""
    need(p, "notice.draft")
    n = get(session, p, notice_id)
    if n.notice_type == "un_special":
        return n
    n.public_consent = data.consent
    n.public_extract = data.consent and n.status == "published"
    audit.record(session, p, "alteration", "notice", n.id,
                 details={"public_consent": data.consent, "note": data.note})
    return n


def public_extract(session: Session, p: Principal, notice_id: int) -> dict[str, Any]:
    n = get(session, p, notice_id)
    if not (n.public_consent and n.status == "published"):
        raise Forbidden("no public extract: the requesting country has not agreed to publication"
                        " or the notice is not published", field="public_consent",
                        rule="interpol.public_extract.consent")
    audit.record(session, p, "disclosure", "notice", n.id, recipients=["public"],
                 details={"extract": True})
    return dict(n.data)


def cancel(session: Session, p: Principal, notice_id: int, data: CancelIn) -> Notice:
    need(p, "notice.draft")
    n = get(session, p, notice_id)
    if n.status == "cancelled":
        raise Conflict("notice already cancelled", field="status", rule="interpol.cancelled")
    n.status, n.cancel_reason, n.public_extract = "cancelled", data.reason, False
    n.updated_at = now_utc()
    if n.entity_id:  # a cancelled notice no longer makes its person "wanted"
        ent = session.get(Entity, n.entity_id)
        if ent is not None:
            ent.watch_role = None
    audit.record(session, p, "alteration", "notice", n.id, justification=data.reason,
                 details={"status": "cancelled"})
    return n


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


def by_ref(session: Session, p: Principal, ref: str) -> Notice:
    n = session.scalar(select(Notice).where(Notice.notice_ref == ref))
    if n is None:
        raise NotFound(f"no notice {ref}")
    return n


__all__ = ["STATUSES", "draft", "import_notices", "sltd_check"]
