"""Demo data for the public appeals site: appeals drawn from fugitive cases, and a few tips.

Built only through the public functions of ncb.services.appeals and ncb.services.tips (tips
come with a signed form token, as from the public form); ncb.demo.seed decides when.
Deterministic (seeded random), synthetic only.
"""

from __future__ import annotations

import random
import time
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ncb.domain.policy import Principal
from ncb.services import appeals, tips
from ncb.services.appeals import AppealIn
from ncb.services.context import SYSTEM, principal_for
from ncb.settings import Settings
from ncb.store.models import Appeal, Case, CaseEntity, Entity, User

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


def _supervisor(session: Session) -> Principal:
    user = session.scalar(select(User).where(User.username == "supervisor"))
    return principal_for(session, user) if user is not None else SYSTEM


def _candidates(session: Session, limit: int) -> list[tuple[Case, Entity | None]]:
    cases = session.scalars(
        select(Case).where(or_(Case.crime_area == "fugitives", Case.channel == "eaw"))
        .order_by(Case.id).limit(limit).execution_options(skip_access=True)
    ).all()
    if len(cases) < limit:  # a small demo: any cases will do
        more = session.scalars(select(Case).where(Case.id.not_in([c.id for c in cases] or [-1]))
                               .order_by(Case.id).limit(limit - len(cases))
                               .execution_options(skip_access=True)).all()
        cases = [*cases, *more]
    out: list[tuple[Case, Entity | None]] = []
    for case in cases:
        person = session.scalar(
            select(Entity).join(CaseEntity, CaseEntity.entity_id == Entity.id)
            .where(CaseEntity.case_id == case.id, Entity.kind == "person")
            .limit(1).execution_options(skip_access=True))
        out.append((case, person))
    return out


def seed_demo_appeals(session: Session, principal: Principal | None = None, *,
                      limit: int = 12, caught: int = 4, drafts: int = 2) -> list[Appeal]:
    """Appeals for the demo bureau: from fugitive cases' persons, most published, a few caught.

    Call inside a transaction after cases and users exist. `principal` defaults to the
    `supervisor` user when present, else SYSTEM.
    """
    rnd = random.Random(2006)  # Operation Captura began in 2006
    p = principal or _supervisor(session)
    made: list[Appeal] = []
    for i, (case, person) in enumerate(_candidates(session, limit)):
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
        appeal = appeals.draft_appeal(session, SYSTEM, data)
        appeal.drafted_by = p.user_id
        made.append(appeal)
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
        token = tips.issue_form_token(settings, now=time.time() - tips.FORM_MIN_SECONDS)
        receipt = tips.submit_tip(session, settings, texts[i], appeal_public_id=pid,
                                  form_token=token)
        receipts.append(receipt)
        if i == 0:
            tip_id = session.scalars(select(tips.Tip.id)
                                     .where(tips.Tip.reference == receipt.reference)
                                     .execution_options(skip_access=True)).one()
            tips.sanitise(session, hp, tip_id, "Subject seen at a seafront bar in Fuengirola, "
                          "driving a white van.")
            tips.ask(session, hp, tip_id, "Which day and time did you see him? Any van plate?")
    return receipts
