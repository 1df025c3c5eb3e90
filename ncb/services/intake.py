"""Intake: a request from any channel becomes a routed case with its deadline, in one transaction.

`intake_cases` takes a whole batch (a channel feed, an import, one API request) and writes it
with a handful of statements: the cases in one INSERT, then deadlines, timeline events,
entities, links and search keys each in one executemany, and the audit entries with one bump
of the chain head. `intake_case` is the same path with one case.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

from ncb.domain import deadlines, routing
from ncb.domain.policy import Principal
from ncb.rules import load_rules
from ncb.services import lookup, marking, screening
from ncb.services.errors import Forbidden, ServiceError
from ncb.services.inputs import CaseIn, EntityIn
from ncb.services.text import keys_for
from ncb.services.watchlist import NEW_ENTITIES
from ncb.store import audit, entities
from ncb.store.models import Case, CaseEntity, CaseEvent, Deadline, Entity, SearchKey

_CASE_EVENTS = cast(Table, CaseEvent.__table__)
_DEADLINES = cast(Table, Deadline.__table__)
_ENTITIES = cast(Table, Entity.__table__)
_LINKS = cast(Table, CaseEntity.__table__)
_KEYS = cast(Table, SearchKey.__table__)


class NewEntity:
    """A case entity about to be inserted with Core: its column values as attributes.

    Markings are set on it like on any record (ncb.services.marking); once inserted it carries
    its id, and goes to the screening index on commit (watchlist.NEW_ENTITIES).
    """

    __record_kind__ = "entity"
    id: int
    kind: str
    display_name: str
    first_name: str | None
    last_name: str | None
    aliases: list[str]
    identifier: str | None
    source_ref: str | None
    handling_conditions: str | None
    shares: list[int]  # agency ids to share with (not a column)

    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)

    def row(self) -> dict[str, Any]:
        return dict(self.__dict__)


def intake_case(session: Session, p: Principal, data: CaseIn) -> Case:
    return intake_cases(session, p, [data])[0]


def receive_case(session: Session, p: Principal, data: CaseIn) -> Case:
    """One case taken in, written, and read back with its deadlines (inserted in bulk, so the
    ORM has not loaded them): what the case API returns."""
    case = intake_case(session, p, data)
    session.flush()
    session.refresh(case)
    return case


def intake_cases(
    session: Session, p: Principal, batch: Sequence[CaseIn], field_prefix: str | None = None
) -> list[Case]:
    """Intake several cases in the caller's transaction (all or nothing).

    With `field_prefix` (e.g. "cases"), a refused case names its position in the error:
    `cases[3].requesting_agency`.
    """
    if not p.has("case.create"):
        raise Forbidden("your role may not create cases", rule="permission:case.create")
    rules = load_rules()
    home = lookup.home_agency(session)
    now = datetime.now(UTC)
    teams: dict[str, int] = {}
    agencies: dict[str, int] = {}
    cases: list[Case] = []
    prepared = []
    # 1. Resolve and check everything, case by case in order, before writing anything.
    for i, data in enumerate(batch):
        try:
            received = data.received_at.astimezone(UTC) if data.received_at else now
            team_code = routing.route(data.channel, data.crime_area, data.country)
            requesting = None
            if data.requesting_agency:
                requesting = agencies.get(data.requesting_agency)
                if requesting is None:
                    requesting = agencies[data.requesting_agency] = lookup.agency(
                        session, data.requesting_agency, "requesting_agency").id
            team_id = teams.get(team_code)
            if team_id is None:
                team_id = teams[team_code] = lookup.team(session, team_code, "routing").id
            rule_id = _deadline_rule(data)
            due = deadlines.compute_due(rule_id, received)
            case = Case(
                reference=f"TMP-{now.timestamp()}-{id(data)}",
                direction=data.direction,
                channel=data.channel,
                request_type=data.request_type,
                title=data.title,
                summary=data.summary,
                external_ref=data.external_ref,
                requesting_agency_id=requesting,
                requesting_country=data.requesting_country,
                country=data.country,
                crime_area=data.crime_area,
                priority=data.priority,
                priority_rank=rules.priorities[data.priority].order,
                status=rules.state_machines["case"].initial,
                team_id=team_id,
                assignee_id=None,
                next_due_at=due.due_at,
                received_at=received,
                created_at=now,
                updated_at=now,
                closed_at=None,
            )
            share_ids = marking.apply(session, p, case, data.markings, home.id)
            ents = [(ent, _new_entity(session, p, case, ent)) for ent in data.entities]
        except ServiceError as exc:
            if field_prefix is not None:
                exc.field = f"{field_prefix}[{i}].{exc.field}" if exc.field else f"{field_prefix}[{i}]"
                exc.detail = f"{field_prefix}[{i}]: {exc.detail}"
            raise
        cases.append(case)
        prepared.append((data, received, team_code, rule_id, due, share_ids, ents))
    # 2. The cases: one INSERT (RETURNING their ids), then their references.
    session.add_all(cases)
    session.flush()
    conn = session.connection()
    dl_rows, ev_rows, key_rows = [], [], []
    logs: list[list[audit.Pending]] = []  # each case's audit entries, in order
    linked: list[tuple[Case, list[tuple[EntityIn, NewEntity]]]] = []
    for case, (data, received, team_code, rule_id, due, share_ids, ents) in zip(
            cases, prepared, strict=True):
        case.reference = f"NCB-{received.year}-{case.id:07d}"
        marking.add_shares(session, case, share_ids, p.user_id, data.markings.handling_conditions)
        for edata, ent in ents:  # an entity without markings of its own is shared as the case
            if edata.markings is None:
                ent.shares = list(share_ids)
        dl_rows.append({"case_id": case.id, "rule_id": due.rule_id, "label": due.label,
                        "basis": due.basis, "starts_at": received, "due_at": due.due_at})
        ev_rows.append({"case_id": case.id, "kind": "received", "actor_id": p.user_id, "at": now,
                        "data": {"channel": data.channel, "team": team_code,
                                 "deadline": rule_id}})
        key_rows += _key_rows("case", case.id, case.reference, case.external_ref, case.title)
        logs.append([audit.Pending("collection", "case", case.reference,
                                   {"channel": data.channel, "team": team_code})])
        for _, ent in ents:
            ent.source_ref = case.reference
        linked.append((case, ents))
    conn.execute(insert(_DEADLINES), dl_rows)
    conn.execute(insert(_CASE_EVENTS), ev_rows)
    # 3. Their entities, links and keys; each new entity screened against all we hold.
    _insert_entities(session, p, [(case, data, ent) for case, ents in linked
                                  for data, ent in ents], key_rows)
    for (case, ents), log in zip(linked, logs, strict=True):
        own = {ent.id for _, ent in ents}
        for _, ent in ents:
            screening.screen_entity(session, p, case, ent, own=own, audit_to=log)
        if ents:
            log.append(audit.Pending("collection", "entity", case.reference,
                                     {"count": len(ents), "case": case.reference}))
    audit.record_many(session, p, [entry for log in logs for entry in log])
    return cases


def _deadline_rule(data: CaseIn) -> str:
    if data.request_type:
        return load_rules().request_types[data.request_type].deadline
    return deadlines.service_level_rule(data.channel, data.priority)


def _new_entity(session: Session, p: Principal, case: Case, data: EntityIn) -> NewEntity:
    """An entity's column values, marked (its own markings, or else the case's); not inserted."""
    ent = NewEntity(
        kind=data.kind, display_name=data.display_name, first_name=data.first_name,
        last_name=data.last_name, aliases=list(data.aliases), date_of_birth=data.date_of_birth,
        gender=data.gender, nationality=data.nationality, place_of_birth=data.place_of_birth,
        identifier=data.identifier, details=dict(data.details), watch_role="case",
        source_kind="case", source_ref=case.reference, created_by=p.user_id,
    )
    ent.shares = []
    if data.markings is not None:
        ent.shares = marking.apply(session, p, ent, data.markings, case.owner_agency_id,
                                   case)
    else:
        marking.copy_markings(case, ent)
    return ent


def _insert_entities(
    session: Session, p: Principal, items: list[tuple[Case, EntityIn, NewEntity]],
    key_rows: list[dict[str, Any]],
) -> None:
    """Insert entities (ids back in order), their case links, shares and search keys."""
    conn = session.connection()
    if items:
        rows = []
        for _, _, ent in items:
            row = ent.row()
            del row["shares"]
            rows.append(row)
        ids = conn.execute(insert(_ENTITIES).returning(_ENTITIES.c.id,
                                                       sort_by_parameter_order=True),
                           rows).scalars().all()
        links = []
        for (case, data, ent), eid in zip(items, ids, strict=True):
            ent.id = eid
            marking.add_shares(session, ent, ent.shares, p.user_id, ent.handling_conditions)
            links.append({"case_id": case.id, "entity_id": eid, "role": data.role,
                          "provenance": data.provenance or f"{case.channel} case {case.reference}",
                          "added_by": p.user_id})
            key_rows += _key_rows("entity", eid, ent.display_name, ent.first_name,
                                  ent.last_name, *ent.aliases, idents=(ent.identifier,))
        conn.execute(insert(_LINKS), links)
        # Not ORM objects, so the watchlist's flush hook cannot see them: note them here.
        session.info.setdefault(NEW_ENTITIES, []).extend(ent for _, _, ent in items)
    if key_rows:
        conn.execute(insert(_KEYS), key_rows)


def add_entity(
    session: Session, p: Principal, case: Case, data: EntityIn, field: str = "entity",
    audit_it: bool = True,
) -> Entity:
    """Link a new entity to a case, with provenance; markings default to the case's."""
    ent = _new_entity(session, p, case, data)
    _insert_entities(session, p, [(case, data, ent)], [])
    pending = []
    if audit_it:
        pending.append(audit.Pending("collection", "entity", ent.id,
                                     {"case": case.reference, "kind": ent.kind}))
    screening.screen_entity(session, p, case, ent, audit_to=pending)
    audit.record_many(session, p, pending)
    return entities.inserted(session, ent.id)


def _key_rows(
    kind: str, rid: int, *texts: str | None, idents: tuple[str | None, ...] = ()
) -> list[dict[str, Any]]:
    return [{"record_kind": kind, "record_id": rid, "key": k}
            for k in sorted(keys_for(*texts, identifiers=idents))]


def _add_keys(
    session: Session, kind: str, rid: int, *texts: str | None, idents: tuple[str | None, ...] = ()
) -> None:
    rows = _key_rows(kind, rid, *texts, idents=idents)
    if rows:  # one executemany, not an ORM object per key
        session.execute(insert(SearchKey), rows)
