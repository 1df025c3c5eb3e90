"""Seed a test database: the small demo bureau when `ncb.demo.seed` exists, else a minimal one.

The minimal bureau has the same usernames and password as the demo (`desk`, `supervisor`,
`analyst`, `liaison`, `partner.fbi`, `admin`; password `demo-password-2026`) and a handful of
cases, one of them OFFICIAL-SENSITIVE, so the workbench tests run before the demo lands.
"""

from __future__ import annotations

import importlib
import inspect
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncb.rules import load_rules
from ncb.settings import Settings
from ncb.store.access import PRINCIPAL
from ncb.store.db import make_engine, session_factory, transaction

PASSWORD = "demo-password-2026"
SENSITIVE_TITLE = "Sensitive: covert source reporting on cartel logistics"
PRIVATE_SUMMARY = "Home-only summary: informant CX-17 meets handler weekly in Rotterdam"


def seed_database(url: str, settings: Settings, cases: int | None = None) -> str:
    """Create the schema and the bureau; return which seeder ran ("demo" or "minimal")."""
    engine = make_engine(url)
    try:
        from ncb.store.migrate import upgrade

        upgrade(engine)
        demo = _demo_seed()
        if demo is not None:
            _call_demo(demo, engine, url, settings, cases)
            kind = "demo"
        else:
            seed_minimal(engine, settings)
            kind = "minimal"
        seed_fixtures(engine, settings)
        return kind
    finally:
        engine.dispose()


def _demo_seed() -> Any:
    try:
        module = importlib.import_module("ncb.demo.seed")
    except ModuleNotFoundError:
        return None
    return getattr(module, "seed", None)


def _call_demo(fn: Any, engine: Any, url: str, settings: Settings, cases: int | None) -> None:
    params = inspect.signature(fn).parameters
    kwargs: dict[str, Any] = {}
    if "small" in params:
        kwargs["small"] = True
    if "cases" in params and cases is not None:
        kwargs["cases"] = cases
    if "settings" in params:
        kwargs["settings"] = settings
    first = next(iter(params), "")
    if first in ("engine",):
        fn(engine, **kwargs)
    elif first in ("url", "database_url"):
        fn(url, **kwargs)
    elif first in ("session", "factory"):
        factory = session_factory(engine)
        if first == "factory":
            fn(factory, **kwargs)
        else:
            with transaction(factory) as session:
                fn(session, **kwargs)
    else:
        fn(engine, **kwargs)


def _principal(session: Session, username: str) -> Any:
    from ncb.services.context import principal_for
    from ncb.store.models import User

    user = session.scalar(select(User).where(User.username == username))
    return principal_for(session, user)


def seed_minimal(engine: Any, settings: Settings) -> None:
    from ncb.services import users
    from ncb.services.context import SYSTEM

    factory = session_factory(engine)
    rules = load_rules()
    with transaction(factory, **{PRINCIPAL: SYSTEM}) as s:
        users.add_agency(s, settings.home_agency, "National Crime Agency", "GB", "ncb",
                         list(rules.channels), max_classification_rank=4)
        users.add_agency(s, "US-FBI", "Federal Bureau of Investigation", "US", "police",
                         ["interpol", "bilateral"], max_classification_rank=3)
        users.add_agency(s, "NL-POL", "Politie Nederland", "NL", "police",
                         ["europol", "schengen"], max_classification_rank=2)
        users.add_group(s, "FIVE-EYES", "Five Eyes law-enforcement group",
                        [settings.home_agency, "US-FBI"])
        for code, team in rules.teams.items():
            users.add_team(s, code, team.name, settings.home_agency)
        people = [
            ("desk", "Dana Desk", ["desk_officer"], "OFFICIAL-SENSITIVE", "general_desk", ()),
            ("supervisor", "Sam Supervisor", ["supervisor"], "SECRET", "general_desk", ()),
            ("analyst", "Ana Analyst", ["analyst"], "SECRET", "intel_analysis", ()),
            ("liaison", "Leo Liaison", ["liaison_officer"], "OFFICIAL-SENSITIVE",
             "liaison_coordination", ("NL", "BE", "DE")),
            ("extradition", "Eve Extradition", ["extradition_officer"], "OFFICIAL-SENSITIVE",
             "eaw_extradition", ()),
            ("admin", "Ada Admin", ["administrator"], "OFFICIAL", None, ()),
        ]
        for username, name, roles, clearance, team, posts in people:
            users.add_user(s, username, PASSWORD, name, settings.home_agency, roles, clearance,
                           team_code=team, post_countries=posts, settings=settings)
        users.add_user(s, "partner.fbi", PASSWORD, "Pat Partner", "US-FBI", ["partner_user"],
                       "OFFICIAL", settings=settings)
    _minimal_cases(factory)


def _minimal_cases(factory: Any) -> None:
    from ncb.services.inputs import CaseIn
    from ncb.services.intake import intake_case

    rows = [
        ("interpol", "FR", "drugs", "high", "Trace of suspected courier Jean Dupont"),
        ("europol", "NL", "money_laundering", "normal", "SIENA request on shell companies"),
        ("schengen", "DE", "fugitives", "urgent", "Article 26 alert hit at Dover"),
        ("bilateral", "US", "cybercrime", "normal", "Subscriber check for ransomware operator"),
        ("liaison", "NL", "firearms", "high", "Liaison request: firearm serial trace"),
        ("interpol", "ES", "fraud", "low", "Blue notice enquiry on investment fraud"),
    ]
    with transaction(factory) as s:
        p = _principal(s, "supervisor")
        s.info[PRINCIPAL] = p
        for i in range(4):
            for channel, country, area, prio, title in rows:
                intake_case(s, p, CaseIn(channel=channel, country=country, crime_area=area,
                                         priority=prio, title=f"{title} #{i + 1}",
                                         summary="Synthetic test case."))


def seed_fixtures(engine: Any, settings: Settings) -> None:
    """Cases the browser tests rely on, whatever seeder ran: one sensitive, one home-only."""
    from ncb.services.inputs import CaseIn, EntityIn, MarkingsIn
    from ncb.services.intake import intake_case

    factory = session_factory(engine)
    with transaction(factory) as s:
        p = _principal(s, "supervisor")
        s.info[PRINCIPAL] = p
        intake_case(s, p, CaseIn(
            channel="europol", country="NL", crime_area="drugs", priority="high",
            title=SENSITIVE_TITLE, summary=PRIVATE_SUMMARY,
            markings=MarkingsIn(classification="OFFICIAL-SENSITIVE", handling_code="H2",
                                tlp="TLP:RED"),
            entities=[EntityIn(first_name="Pieter", last_name="Van Dijk",
                               date_of_birth="1979-03-14", nationality="NL")],
        ))


def case_reference(url: str, title: str) -> str:
    from ncb.services.context import SYSTEM
    from ncb.store.models import Case

    engine = make_engine(url)
    try:
        with transaction(session_factory(engine), **{PRINCIPAL: SYSTEM}) as s:
            ref = s.scalar(select(Case.reference).where(Case.title == title))
            assert ref is not None, f"no case titled {title!r}"
            return ref
    finally:
        engine.dispose()
