"""Demo data for the public appeals site: appeals on fugitives, missing persons, unidentified
bodies and witnesses, drawn from open cases, and a few tips.

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
from ncb.services.appeals import AppealIn, AppealKind
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
# The demo's appeals, in the proportions a bureau's public site has them: fugitives (most of
# them caught in time, as Captura's were), missing persons, unidentified bodies, witnesses.
# (kind, cases to look in, how many, how many caught / found / identified / traced)
PLAN: list[tuple[AppealKind, tuple[QueueFilter, ...], int, int]] = [
    ("wanted", (QueueFilter(crime_area="fugitives"), QueueFilter(channel="eaw")), 5, 2),
    ("missing", (QueueFilter(crime_area="missing_persons"),), 3, 1),
    ("unidentified", (QueueFilter(crime_area="homicide"), QueueFilter(crime_area="other")), 2, 1),
    ("witness", (QueueFilter(crime_area="homicide"), QueueFilter(crime_area="robbery"),
                 QueueFilter(crime_area="firearms")), 2, 0),
]
PLACES = {"Malaga": "ES", "Alicante": "ES", "Marbella": "ES", "Benidorm": "ES",
          "Tenerife": "ES", "Albufeira": "PT", "Limassol": "CY", "Amsterdam": "NL"}
MONTHS = ["January", "March", "May", "July", "September", "November"]


def supervisor(session: Session) -> Principal:
    user = session.scalar(select(User).where(User.username == "supervisor"))
    return principal_for(session, user) if user is not None else SYSTEM


def _candidates(session: Session, p: Principal, filters: tuple[QueueFilter, ...], limit: int,
                used: set[int], people: set[int],
                anywhere: bool = False) -> list[tuple[Case, Entity | None]]:
    """Open cases to appeal on, read as the supervisor reads them (the desk queue, open cases
    only): the kind's own cases (those with a named person before the rest), then for a
    fugitive any open case; each case and person once. A closed case never gets an appeal (nobody is still
    being sought)."""
    cases: dict[int, bool] = {}  # case id -> found by the kind's own filters
    rows: dict[int, Case] = {}
    # Only a fugitive may come from any open case (a named person on it); a missing person,
    # a body or a witness needs a case of its own kind, or there is no such appeal.
    wider = [(False, QueueFilter())] if anywhere else []
    for own, f in [(True, f) for f in filters] + wider:
        for c in queues.queue(session, p, "desk", f, sort="priority", page_size=SCAN).items:
            if c.id not in used and c.id not in rows:
                rows[c.id], cases[c.id] = c, own
        if len(rows) >= limit * 3:
            break
    ranked: list[tuple[int, Case, Entity | None]] = []
    for case in list(rows.values())[:SCAN]:
        person = next((e for e in entities.of_case(session, p, case.reference)
                       if e.kind == "person" and (e.first_name or e.last_name)
                       and e.id not in people), None)
        # The kind's own cases first (named, then not), then any open case.
        rank = (0 if cases[case.id] else 2) + (0 if person is not None else 1)
        ranked.append((rank, case, person))
    ranked.sort(key=lambda r: r[0])
    return [(c, e) for _, c, e in ranked[:limit]]


INCIDENTS = {"firearms": "a shooting", "robbery": "an armed robbery",
             "homicide": "a fatal assault"}


def _text(kind: AppealKind, case: Case, rnd: random.Random, place: str, age: int) -> str:
    month, year = rnd.choice(MONTHS), case.received_at.year
    if kind == "missing":
        return f"Missing since {month} {year}; last seen in {place}"
    if kind == "unidentified":
        return (f"Found dead near {place} in {month} {year}; about {age}, no documents. "
                "Do you know who he is?")
    if kind == "witness":
        return (f"Witness to {INCIDENTS.get(case.crime_area or '', 'a serious assault')} in "
                f"London, {year}; sought to give evidence at the Central Criminal Court")
    return OFFENCES.get(case.crime_area or "", "Armed robbery")


def _appeal_in(kind: AppealKind, case: Case, person: Entity | None, i: int,
               rnd: random.Random) -> AppealIn:
    place, age = rnd.choice(sorted(PLACES)), rnd.randint(30, 55)
    if kind == "unidentified":  # nobody knows the name: that is what the appeal asks
        return AppealIn(kind=kind, case=case.reference, name=f"Unidentified man, {place}",
                        age=age, height_cm=rnd.randint(165, 190),
                        distinguishing_marks=rnd.choice(MARKS),
                        wanted_for=_text(kind, case, rnd, place, age),
                        believed_country=PLACES[place])
    if person is not None:
        name = f"{person.first_name or ''} {(person.last_name or '').upper()}".strip()
        aliases = [str(a) for a in (person.aliases or [])][:3]
        yob = int(person.date_of_birth[:4]) if person.date_of_birth else None
    else:
        first, last, aliases = FALLBACK_NAMES[i % len(FALLBACK_NAMES)]
        name, yob = f"{first} {last.upper()}", rnd.randint(1965, 1995)
    return AppealIn(
        kind=kind, case=case.reference, entity_id=person.id if person else None, name=name,
        aliases=aliases if kind == "wanted" else [], year_of_birth=yob,
        height_cm=rnd.randint(165, 195), distinguishing_marks=rnd.choice(MARKS),
        wanted_for=_text(kind, case, rnd, place, age),
        believed_country=PLACES[place] if kind == "missing" else (
            case.country if case.country and case.country != "GB" else rnd.choice(COUNTRIES)))


def seed_demo_appeals(session: Session, principal: Principal | None = None, *,
                      drafts: int = 2) -> list[Appeal]:
    """Appeals for the demo bureau by PLAN: fugitives, missing persons, unidentified bodies and
    witnesses on open cases, most published, some caught / found / identified; the last
    `drafts` (a fugitive's and a witness's) stay drafts.

    Call inside a transaction after cases and users exist. `principal` defaults to the
    `supervisor` user when present, else SYSTEM.
    """
    rnd = random.Random(2006)  # Operation Captura began in 2006
    p = principal or supervisor(session)
    made: list[Appeal] = []
    used: set[int] = set()
    people: set[int] = set()
    for kind, filters, count, caught in PLAN:
        batch: list[Appeal] = []
        for case, person in _candidates(session, p, filters, count, used, people,
                                        anywhere=kind == "wanted"):
            used.add(case.id)
            if person is not None and kind != "unidentified":
                people.add(person.id)
            batch.append(appeals.draft_appeal(
                session, p, _appeal_in(kind, case, person, len(made) + len(batch), rnd)))
        # The last of the fugitives and of the witnesses stay drafts (drafts == 2).
        draft_one = kind in ("wanted", "witness")[:drafts] and len(batch) > 1
        live = batch[:-1] if draft_one else batch
        for appeal in live:
            appeals.publish_appeal(session, p, appeal.id, "Demo: approved for the annual appeal")
        for appeal in live[:caught]:
            appeals.set_status(session, p, appeal.id, "caught")
        made += batch
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
