"""Intake: a request from any channel becomes a routed case with its deadline, in one transaction."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert
from sqlalchemy.orm import Session

from ncb.domain import deadlines, routing
from ncb.domain.policy import Principal
from ncb.rules import load_rules
from ncb.services import lookup, marking, screening
from ncb.services.errors import Forbidden
from ncb.services.inputs import CaseIn, EntityIn
from ncb.services.text import keys_for
from ncb.store import audit
from ncb.store.models import Case, CaseEntity, CaseEvent, Deadline, Entity, SearchKey


def intake_case(session: Session, p: Principal, data: CaseIn) -> Case:
    if not p.has("case.create"):
        raise Forbidden("your role may not create cases", rule="permission:case.create")
    rules = load_rules()
    home = lookup.home_agency(session)
    now = datetime.now(UTC)
    received = data.received_at.astimezone(UTC) if data.received_at else now
    team_code = routing.route(data.channel, data.crime_area, data.country)
    case = Case(
        reference=f"TMP-{now.timestamp()}-{id(data)}",
        direction=data.direction,
        channel=data.channel,
        request_type=data.request_type,
        title=data.title,
        summary=data.summary,
        external_ref=data.external_ref,
        requesting_agency_id=(
            lookup.agency(session, data.requesting_agency, "requesting_agency").id
            if data.requesting_agency else None
        ),
        requesting_country=data.requesting_country,
        country=data.country,
        crime_area=data.crime_area,
        priority=data.priority,
        priority_rank=rules.priorities[data.priority].order,
        status=rules.state_machines["case"].initial,
        team_id=lookup.team(session, team_code, "routing").id,
        received_at=received,
        created_at=now,
        updated_at=now,
    )
    share_ids = marking.apply(session, p, case, data.markings, home.id)
    session.add(case)
    session.flush()
    case.reference = f"NCB-{received.year}-{case.id:07d}"
    marking.add_shares(session, case, share_ids, p.user_id, data.markings.handling_conditions)
    rule_id = _deadline_rule(data)
    due = deadlines.compute_due(rule_id, received)
    session.add(Deadline(case_id=case.id, rule_id=due.rule_id, label=due.label, basis=due.basis,
                         starts_at=received, due_at=due.due_at))
    case.next_due_at = due.due_at
    session.add(CaseEvent(case_id=case.id, kind="received", actor_id=p.user_id, at=now,
                          data={"channel": data.channel, "team": team_code, "deadline": rule_id}))
    _add_keys(session, "case", case.id, case.reference, case.external_ref, case.title)
    audit.record(session, p, "collection", "case", case.reference,
                 details={"channel": data.channel, "team": team_code})
    for i, ent in enumerate(data.entities):
        add_entity(session, p, case, ent, field=f"entities[{i}]", audit_it=False)
    if data.entities:
        audit.record(session, p, "collection", "entity", case.reference,
                     details={"count": len(data.entities), "case": case.reference})
    return case


def _deadline_rule(data: CaseIn) -> str:
    if data.request_type:
        return load_rules().request_types[data.request_type].deadline
    return deadlines.service_level_rule(data.channel, data.priority)


def add_entity(
    session: Session, p: Principal, case: Case, data: EntityIn, field: str = "entity",
    audit_it: bool = True,
) -> Entity:
    """Link a new entity to a case, with provenance; markings default to the case's."""
    ent = Entity(
        kind=data.kind, display_name=data.display_name, first_name=data.first_name,
        last_name=data.last_name, aliases=list(data.aliases), date_of_birth=data.date_of_birth,
        gender=data.gender, nationality=data.nationality, place_of_birth=data.place_of_birth,
        identifier=data.identifier, details=dict(data.details), watch_role="case",
        source_kind="case", source_ref=case.reference, created_by=p.user_id,
    )
    marking.add_marked(session, p, ent, data.markings, case)
    provenance = data.provenance or f"{case.channel} case {case.reference}"
    session.add(CaseEntity(case_id=case.id, entity_id=ent.id, role=data.role,
                           provenance=provenance, added_by=p.user_id))
    _add_keys(session, "entity", ent.id, ent.display_name, ent.first_name, ent.last_name,
              *ent.aliases, idents=(ent.identifier,))
    if audit_it:
        audit.record(session, p, "collection", "entity", ent.id,
                     details={"case": case.reference, "kind": ent.kind})
    screening.screen_entity(session, p, case, ent)
    return ent


def _add_keys(
    session: Session, kind: str, rid: int, *texts: str | None, idents: tuple[str | None, ...] = ()
) -> None:
    keys = keys_for(*texts, identifiers=idents)
    if keys:  # one executemany, not an ORM object per key
        session.execute(insert(SearchKey), [{"record_kind": kind, "record_id": rid, "key": k}
                                            for k in sorted(keys)])
