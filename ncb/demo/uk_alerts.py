"""The bureau's own (UK) SIS alerts in the demo: so a foreign bureau's hit on a UK alert, the
walk-through's night-shift scenario, has alerts to hit even in the small demo (the bulk channel
seeder makes only other countries' alerts). Made through the Schengen desk's service, on open
cases as the supervisor sees them; deterministic, synthetic only."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from ncb.domain.policy import Principal
from ncb.services import entities, queues
from ncb.services.channels.schengen_alerts import create_alert
from ncb.services.channels.schengen_inputs import AlertIn
from ncb.services.queues import QueueFilter
from ncb.store.models import Alert, Case, Entity

SCAN = 40
COURTS = ["Westminster Magistrates' Court", "Crown Court at Southwark", "Central Criminal Court"]
FORCES = ["Metropolitan Police Service", "Greater Manchester Police", "Kent Police"]


def _person(session: Session, p: Principal, case: Case) -> Entity | None:
    return next((e for e in entities.of_case(session, p, case.reference)
                 if e.kind == "person" and e.last_name and e.date_of_birth), None)


def _who(e: Entity) -> dict[str, Any]:
    return {"surname": e.last_name, "forenames": e.first_name or "", "date_of_birth":
            e.date_of_birth, "nationality": e.nationality}


Build = Callable[[Case, Entity | None, random.Random, int], dict[str, Any] | None]


def _arrest(case: Case, e: Entity | None, rnd: random.Random, n: int) -> dict[str, Any] | None:
    if e is None or case.direction != "outgoing":
        return None
    return _who(e) | {"warrant_reference": f"GB-EAW-{case.received_at.year}-9{n:04d}",
                      "issuing_authority": COURTS[0], "offence": (case.crime_area or "robbery")
                      .replace("_", " ")}


def _missing(case: Case, e: Entity | None, rnd: random.Random, n: int) -> dict[str, Any] | None:
    if e is None:
        return None
    return _who(e) | {"category": rnd.choice(["missing adult", "missing minor"]),
                      "decision_authority": rnd.choice(FORCES)}


def _witness(case: Case, e: Entity | None, rnd: random.Random, n: int) -> dict[str, Any] | None:
    if e is None:
        return None
    return _who(e) | {"procedure": f"witness at trial ({case.reference})",
                      "judicial_authority": rnd.choice(COURTS[1:])}


def _check(case: Case, e: Entity | None, rnd: random.Random, n: int) -> dict[str, Any] | None:
    plate = f"{rnd.choice('BDFGHKLMNP')}{rnd.choice('BDFGHKLMNP')}{rnd.randint(10, 74)} " \
            f"{''.join(rnd.choice('BCDFGHJKLMNPRSTVWXYZ') for _ in range(3))}"
    return {"check_type": "discreet check", "reason": f"suspected courier vehicle ({case.reference})",
            "subject_identifier": plate}


def _vehicle(case: Case, e: Entity | None, rnd: random.Random, n: int) -> dict[str, Any] | None:
    vin = "WVW" + "".join(rnd.choice("ABCDEFGHJKLMNPRSTUVWXYZ0123456789") for _ in range(14))
    return {"object_category": "vehicle", "object_identifier": vin,
            "notes": "stolen in the UK; believed driven to the continent"}


# (article, cases to look in, how many, what the alert says)
PLAN: list[tuple[str, tuple[QueueFilter, ...], int, Build]] = [
    ("26", (QueueFilter(channel="eaw"), QueueFilter(crime_area="fugitives")), 3, _arrest),
    ("32", (QueueFilter(crime_area="missing_persons"),), 2, _missing),
    ("34", (QueueFilter(crime_area="homicide"), QueueFilter(crime_area="robbery")), 1, _witness),
    ("36", (QueueFilter(crime_area="drugs"),), 1, _check),
    ("38", (QueueFilter(crime_area="vehicle_crime"), QueueFilter()), 1, _vehicle),
]


def seed_uk_alerts(session: Session, p: Principal) -> list[Alert]:
    """UK alerts (issuing country GB) of Art. 26, 32, 34, 36 and 38 on open cases."""
    rnd = random.Random(2015)  # the UK joined SIS II in 2015
    made: list[Alert] = []
    used: set[int] = set()
    for article, filters, count, build in PLAN:
        done = 0
        for f in (*filters, QueueFilter()):
            for case in queues.queue(session, p, "desk", f, sort="priority",
                                     page_size=SCAN).items:
                if done >= count:
                    break
                if case.id in used:
                    continue
                data = build(case, _person(session, p, case), rnd, len(made))
                if data is None:
                    continue
                used.add(case.id)
                made.append(create_alert(session, p, AlertIn(
                    article=article, issuing_country="GB", case_ref=case.reference,
                    data={k: v for k, v in data.items() if v})))
                done += 1
            if done >= count:
                break
    return made
