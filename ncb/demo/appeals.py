"""Demo data for the public appeals site: appeals drawn from fugitive cases, and a few tips.

Built only through public service functions (the desk queue and a case's entities choose the
open cases, ncb.services.appeals drafts, publishes and marks caught; ncb.services.tips: tips
come with a signed form token, as from the public form); ncb.demo.seed decides when.
Deterministic (seeded random), synthetic only.
"""

from __future__ import annotations

import random
import time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncb.domain.policy import Principal
from ncb.services import appeals, entities, queues, tips
from ncb.services.appeals import AppealIn
from ncb.services.context import SYSTEM, principal_for
from ncb.services.queues import QueueFilter
from ncb.settings import Settings
from ncb.store.models import Appeal, Case, Entity, User

MARKS = [
    "Tattoo of a swallow on the left hand", "Scar across the right eyebrow",
    "Tattoo 'MUM' on the right forearm", "Gold front tooth", "Walks with a slight limp",
    "Sleeve tattoo of a dragon on the left arm", "Missing top of the left index finger",
    "Birthmark on the neck", "Shaved head, tattoo of a star behind the right ear",
]
OFFENCES = {
    "drugs": "Conspiracy to import class A drugs",
    "firearms": "Possession of a firearm with intent to endanger life",
    "fraud": "Fraud by false representation (investment scheme)",
    "money_laundering": "Money laundering",
    "homicide": "Murder",
    "fugitives": "Armed robbery",
    "trafficking": "Human trafficking",
    "cybercrime": "Computer misuse and blackmail",
}
FALLBACK_NAMES = [
    ("Kevin", "Marsh", ["Kev"]), ("Lee", "Sutton", ["The Fox"]), ("Darren", "Pike", []),
    ("Marcus", "Hale", ["Marky"]), ("Gary", "Doyle", ["G"]), ("Stephen", "Crane", []),
    ("Paul", "Rowe", ["Rowey"]), ("Jason", "Tate", []), ("Craig", "Mercer", ["Big C"]),
    ("Wayne", "Lowe", []),
]
COUNTRIES = ["ES", "ES", "ES", "CY", "NL", "PT", "TH", "AE", "FR"]
SCAN = 60  # open cases looked at for a named person


def _supervisor(session: Session) -> Principal:
    user = session.scalar(select(User).where(User.username == "supervisor"))
    return principal_for(session, user) if user is not None else SYSTEM


def _candidates(session: Session, p: Principal, limit: int) -> list[tuple[Case, Entity | None]]:
    """Open cases to appeal on, read as the supervisor reads them (the desk queue, open cases
    only): fugitive cases first, then EAW cases, then any; those with a named person first,
    each person once. A closed case never gets an appeal (nobody is still being sought)."""
    cases: dict[int, Case] = {}
    for f in (QueueFilter(crime_area="fugitives"), QueueFilter(channel="eaw"), QueueFilter()):
        for c in queues.queue(session, p, "desk", f, sort="priority", page_size=SCAN).items:
            cases.setdefault(c.id, c)
        if len(cases) >= SCAN:
            break
    named: list[tuple[Case, Entity | None]] = []
    unnamed: list[tuple[Case, Entity | None]] = []
    people: set[int] = set()
    for case in list(cases.values())[:SCAN]:
        person = next((e for e in entities.of_case(session, p, case.reference)
                       if e.kind == "person" and (e.first_name or e.last_name)
                       and e.id not in people), None)
        if person is not None:
            people.add(person.id)
            named.append((case, person))
        else:
            unnamed.append((case, None))
    return (named + unnamed)[:limit]


def seed_demo_appeals(session: Session, principal: Principal | None = None, *,
                      limit: int = 12, caught: int = 4, drafts: int = 2) -> list[Appeal]:
    """Appeals for the demo bureau: on open fugitive cases' persons, most published, a few caught.

    Call inside a transaction after cases and users exist. `principal` defaults to the
    `supervisor` user when present, else SYSTEM.
    """
    rnd = random.Random(2006)  # Operation Captura began in 2006
    p = principal or _supervisor(session)
    made: list[Appeal] = []
    for i, (case, person) in enumerate(_candidates(session, p, limit)):
        if person is not None and (person.first_name or person.last_name):
            name = f"{person.first_name or ''} {(person.last_name or '').upper()}".strip()
            aliases = [str(a) for a in (person.aliases or [])][:3]
            yob = int(person.date_of_birth[:4]) if person.date_of_birth else None
        else:
            first, last, aliases = FALLBACK_NAMES[i % len(FALLBACK_NAMES)]
            name, yob = f"{first} {last.upper()}", rnd.randint(1965, 1995)
        data = AppealIn(
            case=case.reference, entity_id=person.id if person else None, name=name,
            aliases=aliases, year_of_birth=yob, height_cm=rnd.randint(165, 195),
            distinguishing_marks=rnd.choice(MARKS),
            wanted_for=OFFENCES.get(case.crime_area or "", "Armed robbery"),
            believed_country=(case.country if case.country and case.country != "GB"
                              else rnd.choice(COUNTRIES)),
        )
        made.append(appeals.draft_appeal(session, p, data))
    live = made[: len(made) - drafts] if len(made) > drafts else made
    for appeal in live:
        appeals.publish_appeal(session, p, appeal.id, "Demo: approved for the annual appeal")
    for appeal in live[:caught]:
        appeals.set_status(session, p, appeal.id, "caught")
    return made


def seed_demo_tips(session: Session, settings: Settings, count: int = 4) -> list[Any]:
    """A few anonymous tips on live appeals (one sanitised with a follow-up question).

    Call after `seed_demo_appeals`, in a SYSTEM-principal transaction; returns the receipts
    (reference, PIN) so the demo can print one for a walk-through. Each tip comes through the
    public form's path: a signed form token, as old as a person filling the form would take.
    """
    handler = session.scalar(select(User).where(User.username == "tips"))
    hp = principal_for(session, handler) if handler is not None else SYSTEM
    choices = appeals.live_choices(session)
    texts = [
        "I saw him at a bar on the seafront in Fuengirola last Friday, driving a white van.",
        "He uses the name Kev and works at a car wash near the marina most mornings.",
        "A man matching the photo rents a flat above the bakery on Calle Real.",
        "Heard he flew to Cyprus two weeks ago on a false passport.",
    ]
    receipts = []
    for i in range(min(count, len(texts))):
        pid = choices[i % len(choices)][0] if choices else None
        token = tips.issue_form_token(settings, now=time.time() - settings.tip_form_min_seconds)
        receipt = tips.submit_tip(session, settings, texts[i], appeal_public_id=pid,
                                  form_token=token)
        receipts.append(receipt)
        if i == 0:
            tip_id = next(t.public_id for t in tips.queue(session, hp)
                          if t.reference == receipt.reference)
            tips.sanitise(session, hp, tip_id, "Subject seen at a seafront bar in Fuengirola, "
                          "driving a white van.")
            tips.ask(session, hp, tip_id, "Which day and time did you see him? Any van plate?")
    return receipts
