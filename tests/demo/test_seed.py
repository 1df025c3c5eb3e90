"""The demo bureau: a `--small` seed on SQLite is complete, consistent and access-controlled."""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ncb.demo import DEMO_PASSWORD, DemoError, seed
from ncb.domain import deadlines, routing, workflow
from ncb.rules import load_rules
from ncb.services import queues
from ncb.services.auth import verify_password
from ncb.services.context import SYSTEM, principal_for
from ncb.store import audit
from ncb.store.access import PRINCIPAL
from ncb.store.db import make_engine, session_factory, transaction
from ncb.store.models import (
    Agency,
    AuditEntry,
    Case,
    CaseEvent,
    Deadline,
    Entity,
    SearchKey,
    Share,
    SharingGroup,
    SharingGroupMember,
    Team,
    User,
)

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.sqlite3'}")
    report = seed(engine, small=True, seed=2026, now=NOW, channels=False)
    yield engine, report
    engine.dispose()


def system_session(engine) -> Session:
    session = Session(engine)
    session.info[PRINCIPAL] = SYSTEM
    return session


def test_all_agencies_and_groups(demo_db):
    engine, _ = demo_db
    rules = load_rules()
    with system_session(engine) as s:
        codes = set(s.scalars(select(Agency.code)))
        five = {"GB-NCA", "AU-ACC", "AU-AFP", "US-DEA", "US-FBI", "US-ICE", "NZ-POLICE", "CA-RCMP"}
        assert five <= codes and "EUROPOL" in codes
        members = [cc for cc, c in rules.countries.items() if c.interpol_member and cc != "GB"]
        assert {f"INTERPOL-{cc}" for cc in members} <= codes
        assert len(members) > 180
        assert {f"SIRENE-{cc}" for cc, c in rules.countries.items() if c.sis} <= codes
        forces = s.scalar(select(func.count()).where(Agency.country == "GB", Agency.kind == "police"))
        assert forces >= 40
        groups = dict(s.execute(
            select(SharingGroup.code, func.count(SharingGroupMember.id))
            .join(SharingGroupMember, SharingGroupMember.group_id == SharingGroup.id)
            .group_by(SharingGroup.code)).all())
        assert groups["five_eyes"] == 8
        assert groups["interpol_ncbs"] == len(members) + 1
        assert groups["sirene"] > 25


def test_users_for_every_role(demo_db):
    engine, report = demo_db
    with system_session(engine) as s:
        users = s.scalars(select(User)).all()
        roles = Counter(r for u in users for r in u.roles)
        assert set(load_rules().roles) <= set(roles)
        liaison = [u for u in users if "liaison_officer" in u.roles]
        assert len(liaison) == 140
        assert len({u.post for u in liaison}) == 45
        assert all(u.post_countries for u in liaison)
        partner_agencies = {u.agency.code for u in users if "partner_user" in u.roles}
        assert {"US-FBI", "CA-RCMP", "EUROPOL", "INTERPOL-FR"} <= partner_agencies
        assert len({u.password_hash for u in users}) == 1  # hashed once, reused
        assert verify_password(users[0].password_hash, DEMO_PASSWORD)
    logins = {name for name, _, _ in report.logins}
    assert {"desk", "supervisor", "analyst", "liaison", "extradition", "partner.fbi",
            "partner.interpol_fr", "tips", "admin"} <= logins
    # The guide (README, sign-in page) names exactly the users the seed creates, with their role.
    from ncb.demo.guide import DEMO_LOGINS

    assert {g.username for g in DEMO_LOGINS} == logins
    agencies = {name: agency for name, _, agency in report.logins}
    assert all(agencies[g.username] == g.agency for g in DEMO_LOGINS)


def test_cases_follow_state_machine_deadlines_and_routing(demo_db):
    engine, report = demo_db
    rules = load_rules()
    with system_session(engine) as s:
        cases = s.scalars(select(Case)).all()
        assert len(cases) == report.cases == 300
        events = defaultdict(list)
        for e in s.scalars(select(CaseEvent).order_by(CaseEvent.at, CaseEvent.id)):
            events[e.case_id].append(e)
        dls = {d.case_id: d for d in s.scalars(select(Deadline))}
        teams = {t.id: t.code for t in s.scalars(select(Team))}
        statuses = Counter()
        for c in cases:
            statuses[c.status] += 1
            status = "new"
            for e in events[c.id]:
                target = None
                if e.kind == "triaged":
                    target = e.data["status"][1]
                elif e.kind == "assigned":
                    target = "assigned"
                elif e.kind == "status":
                    assert e.data["old"] == status
                    target = e.data["new"]
                if target:
                    workflow.check_transition(status, target)
                    status = target
            assert status == c.status, c.reference
            d = dls[c.id]
            rule = (rules.request_types[c.request_type].deadline if c.request_type
                    else deadlines.service_level_rule(c.channel, c.priority))
            assert d.rule_id == rule
            assert d.due_at == deadlines.compute_due(rule, c.received_at).due_at
            done = c.status in ("answered", "closed", "cancelled")
            assert (c.next_due_at is None) == done
            assert (d.met_at is not None) == done
            assert (c.closed_at is not None) == (c.status in ("closed", "cancelled"))
            assert teams[c.team_id] == routing.route(c.channel, c.crime_area, c.country)
            assert c.received_at <= NOW and c.created_at <= NOW
        assert statuses["closed"] > 50
        assert sum(v for k, v in statuses.items() if k not in ("closed", "cancelled")) > 20
        overdue = [c for c in cases if c.next_due_at and c.next_due_at < NOW]
        assert overdue
        classes = Counter(c.classification for c in cases)
        assert classes["OFFICIAL"] > classes["OFFICIAL-SENSITIVE"] > 0
        assert Counter(c.channel for c in cases).keys() >= {"interpol", "europol", "schengen"}


def test_names_in_many_scripts_and_search_keys(demo_db):
    engine, _ = demo_db
    with system_session(engine) as s:
        people = s.scalars(select(Entity).where(Entity.kind == "person")).all()
        scripts = set()
        for p in people:
            for ch in p.display_name:
                if ch.isalpha():
                    scripts.add(unicodedata.name(ch, "?").split()[0])
        assert {"LATIN", "CYRILLIC", "ARABIC", "CJK"} <= scripts
        assert len(scripts & {"GREEK", "HEBREW", "HANGUL", "HIRAGANA", "KATAKANA",
                              "DEVANAGARI"}) >= 1
        kinds = Counter(e.kind for e in s.scalars(select(Entity)))
        assert kinds["travel_document"] and kinds["vehicle"] and kinds["phone"]
        for kind, model in (("case", Case), ("entity", Entity)):
            keyed = s.scalar(select(func.count(func.distinct(SearchKey.record_id)))
                             .where(SearchKey.record_kind == kind))
            total = s.scalar(select(func.count()).select_from(model))
            assert keyed == total
        vehicle = s.scalars(select(Entity).where(Entity.kind == "vehicle")).first()
        assert len(vehicle.details["vin"]) == 17


def test_audit_chain_verifies(demo_db):
    engine, report = demo_db
    with system_session(engine) as s:
        result = audit.verify(s)
        assert result.ok, result
        assert result.checked == report.counts["audit_log"]
        collected = s.scalar(select(func.count()).where(AuditEntry.action == "collection",
                                                        AuditEntry.record_kind == "case"))
        assert collected == 300


def test_desk_officer_queue_is_not_empty(demo_db):
    engine, _ = demo_db
    with Session(engine) as s:
        desk = s.scalars(select(User).where(User.username == "desk")).one()
        p = principal_for(s, desk)
        s.info[PRINCIPAL] = p
        assert queues.queue(s, p, "mine").items
        assert queues.queue(s, p, "team").items


@pytest.mark.parametrize("username", ["partner.fbi", "partner.interpol_fr", "partner.europol"])
def test_partner_sees_only_what_is_shared_with_it(demo_db, username):
    engine, _ = demo_db
    with Session(engine) as s:
        user = s.scalars(select(User).where(User.username == username)).one()
        p = principal_for(s, user)
        s.info[PRINCIPAL] = p
        visible = s.scalars(select(Case)).all()
    with system_session(engine) as s:
        total = s.scalar(select(func.count()).select_from(Case))
        named = set(s.scalars(select(Share.record_id).where(
            Share.record_kind == "case", Share.agency_id == user.agency_id)))
    assert 0 < len(visible) < total
    for c in visible:
        assert c.classification_rank <= p.clearance_rank
        assert (user.agency_id in (c.owner_agency_id, c.originator_agency_id)
                or c.id in named
                or (c.sharing_scope == "group" and c.sharing_group_id in p.group_ids))


def test_same_seed_same_bureau_and_refuses_a_second_seed(tmp_path, demo_db):
    engine, _ = demo_db
    other = make_engine(f"sqlite:///{tmp_path / 'again.sqlite3'}")
    try:
        seed(other, small=True, seed=2026, now=NOW)
        with Session(engine) as a, Session(other) as b:
            q = select(Case.reference, Case.title, Case.status).order_by(Case.id).limit(50)
            assert a.execute(q).all() == b.execute(q).all()
        with pytest.raises(DemoError):
            seed(other, small=True, seed=2026, now=NOW)
    finally:
        other.dispose()


def test_demo_logins_work_through_the_api(demo_db):
    from fastapi.testclient import TestClient

    from ncb.app import create_app

    engine, _ = demo_db
    with TestClient(create_app(engine=engine)) as client:
        token = client.post("/auth/token", json={"username": "desk", "password": DEMO_PASSWORD})
        assert token.status_code == 200, token.text
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        page = client.get("/cases/queue/mine", headers=headers)
        assert page.status_code == 200, page.text
        assert page.json()["items"]


def test_full_demo_with_channels_appeals_and_tips(tmp_path):
    """The demo as `make demo` seeds it: channel traffic, appeals and tips on top of the cases."""
    from ncb.services.search import search
    from ncb.store.models import Appeal, Notice, Warrant

    engine = make_engine(f"sqlite:///{tmp_path / 'full.sqlite3'}")
    report = seed(engine, small=True, seed=7, now=NOW)
    assert report.tips and all(len(pin) >= 6 for _, pin in report.tips)
    with transaction(session_factory(engine), **{PRINCIPAL: SYSTEM}) as s:
        assert audit.verify(s).ok
        assert s.scalar(select(func.count()).select_from(Warrant)) > 0
        assert s.scalar(select(func.count()).select_from(Appeal)) >= 10
        notice = s.scalars(select(Notice)).first()
        subject = s.get(Entity, notice.entity_id)
        found = search(s, SYSTEM, subject.display_name)
        assert subject.id in {e.id for e in found.entities}
    # The planted network: the desk officer sees the courier as one identity in two cases, and
    # the phone tying his first case to the Dutch contact's (ncb.demo.network_story).
    from ncb.services.graph.network import around_case
    from ncb.services.identities.resolve import identity_of

    with transaction(session_factory(engine)) as s:
        desk = principal_for(s, s.scalar(select(User).where(User.username == "desk")))
        s.info[PRINCIPAL] = desk
        courier = s.scalars(select(Entity).where(Entity.display_name.contains("Montoya"))).all()
        assert len(courier) == 2 and len({identity_of(s, e.id) for e in courier}) == 1
        first = s.scalar(select(Case).where(Case.title.startswith("Cocaine courier")))
        view = around_case(s, desk, first.reference)
        cases = {n.label for n in view.nodes if n.type == "case"}
        assert len(cases) == 3  # his second case through him, the Dutch case through the phone
        assert any(sh.identity.kind == "phone" for sh in view.shared)
        assert "Joost Verhagen" in {n.label for n in view.ring(3)}
    engine.dispose()
