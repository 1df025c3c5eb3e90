"""Everything held on one identity that the handler may see: complete, and read in batches.

The person page shows at most its display limit per section; a subject access pack must give
the data subject all their personal data (DPA 2018 s.45(1)), so these reads carry no limit.
Rows come `batch` at a time (yield_per: a server-side cursor on PostgreSQL), so an identity
with 10,000 appearances is never loaded at once; only ids, distinct facts and the pack's
own items are kept (the session holds rows weakly). Every read goes through the access filter,
as on the person page.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from ncb.services.errors import NotFound
from ncb.services.identities.person import case_ids_of, restricted_notes, visible_members
from ncb.services.retention.schedule import due_at
from ncb.store.models import Alert, Appeal, Case, Entity, Notice, Tip, Warrant

BATCH = 500  # rows per fetch


@dataclass
class Held:
    """One record the pack decides on: disclosed, or withheld on a ground."""

    key: str
    kind: str
    label: str
    detail: str
    foreign: bool  # another agency's (or country's) record: its originator is consulted
    open_: bool  # still live: disclosure could obstruct the investigation
    review: datetime | None = None


def _stream(session: Session, stmt: Select[Any], batch: int) -> Iterator[Any]:
    yield from session.scalars(stmt.execution_options(yield_per=batch))


def visible_appearances(session: Session, identity_id: int) -> list[int]:
    """Ids of every appearance the handler may see; 404 when there is none (the identity's
    existence is then not confirmed)."""
    ids: list[int] = list(session.scalars(visible_members(identity_id)))
    if not ids:
        raise NotFound(f"no identity {identity_id} you may see")
    return ids


def consult(session: Session, identity_id: int, visible: list[int]) -> list[str]:
    """For the handler only: "records exist; contact <agency>" for what they may not see."""
    return restricted_notes(session, identity_id, visible)


def records(session: Session, identity_id: int, home: int, *, batch: int = BATCH) -> Iterator[Held]:
    members, cases = visible_members(identity_id), case_ids_of(identity_id)
    for c in _stream(session, select(Case).where(Case.id.in_(cases)).order_by(Case.id), batch):
        yield Held(
            f"case:{c.reference}",
            "case",
            f"{c.channel} case {c.reference}",
            c.title,
            c.originator_agency_id != home,
            c.closed_at is None,
            due_at("case", c, None),
        )
    rows = session.execute(
        select(Warrant, Case.closed_at)
        .join(Case, Case.id == Warrant.case_id)
        .where(Warrant.case_id.in_(cases))
        .order_by(Warrant.id)
        .execution_options(yield_per=batch)
    )
    for w, closed_at in rows:
        yield Held(
            f"warrant:{w.reference}",
            "warrant",
            f"EAW {w.reference}",
            f"{w.direction}, {w.status}",
            w.direction == "incoming",
            closed_at is None,
        )
    notices = select(Notice).where(Notice.entity_id.in_(members)).order_by(Notice.id)
    for n in _stream(session, notices, batch):
        yield Held(
            f"notice:{n.notice_type}-{n.notice_ref}",
            "notice",
            f"Interpol {n.notice_type} notice {n.notice_ref}",
            n.status,
            n.originator_agency_id != home or n.direction == "incoming",
            n.status not in ("cancelled", "deleted"),
            due_at("notice", n, None),
        )
    alerts = select(Alert).where(Alert.entity_id.in_(members)).order_by(Alert.id)
    for a in _stream(session, alerts, batch):
        yield Held(
            f"alert:{a.schengen_id}",
            "alert",
            f"SIS alert Art. {a.article} {a.schengen_id}",
            a.status,
            a.originator_agency_id != home or a.issuing_country != "GB",
            a.status == "active",
            due_at("alert", a, None),
        )
    # Appeals carry no markings (public once published); a tip is named by its public id only.
    appeals = select(Appeal.id).where(Appeal.entity_id.in_(members))
    for t in _stream(session, select(Tip).where(Tip.appeal_id.in_(appeals)).order_by(Tip.id), batch):
        yield Held(f"tip:{t.public_id}", "tip", f"Anonymous tip {t.public_id}", t.status, False, False)


def facts(session: Session, identity_id: int, *, batch: int = BATCH) -> Iterator[dict[str, Any]]:
    """Each distinct (label, value) said of the person, with every appearance saying it
    (`said_by`: record key -> provenance, in appearance order), so that the pack can show a
    fact through any appearance it may disclose, not only the first. "source"/"from" name the
    first; the pack re-attributes them."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    ents = select(Entity).where(Entity.id.in_(visible_members(identity_id))).order_by(Entity.id)
    for e in _stream(session, ents, batch):
        prov = f"{e.source_kind} {e.source_ref or ''}".strip()
        key = f"case:{prov.split(' ', 1)[-1]}"
        said = [
            ("name", e.display_name),
            *(("alias", str(a)) for a in e.aliases or []),
            ("date of birth", e.date_of_birth),
            ("nationality", e.nationality),
            ("place of birth", e.place_of_birth),
            ("identifier", e.identifier),
        ]
        for label, value in said:
            if not value:
                continue
            fact = found.setdefault((label, value), {"label": label, "value": value,
                                                     "source": prov, "from": key,
                                                     "said_by": {}})
            fact["said_by"].setdefault(key, prov)
    yield from found.values()
