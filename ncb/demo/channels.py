"""Plausible yearly channel volumes for the demo bureau (UK scale), written with Core bulk inserts.

Call after the demo's cases exist: `seed_channels(session, home_agency_id)`; EAW deadlines come
from the events through `eaw_limits.mirror_clocks`, as for any bulk import.
Adds ~1,250 incoming EAWs (~1,100 surrendered, refusals by ground, consent ~60 %), ~150 outgoing
EAWs, SIS alerts (screened entities, watch role "alert"), hits with their G forms, Interpol red
notices (entities, watch role "notice"), SLTD documents and Europol SIENA messages. Bulk rows skip
the audit chain (demo data); everything else keeps the shapes the services write.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from ncb.rules import load_rules
from ncb.services.channels.eaw_limits import mirror_clocks
from ncb.services.text import keys_for
from ncb.store.models import (
    Alert,
    Case,
    Deadline,
    Entity,
    Message,
    Notice,
    SearchKey,
    SireneForm,
    SltdDocument,
    Team,
    Warrant,
    WarrantEvent,
)

SURNAMES = ["Popescu", "Kowalski", "Garcia", "Martin", "Muller", "Rossi", "Nowak", "Silva",
            "Horvath", "Jansen", "Dubois", "Ionescu", "Novak", "Petrov", "Smith", "O'Brien",
            "Fernandez", "Kovacs", "Lopez", "Schmidt", "Wozniak", "Costa", "Papadopoulos"]
FORENAMES = ["Andrei", "Piotr", "Juan", "Luc", "Hans", "Marco", "Anna", "Maria", "Istvan",
             "Pieter", "Elena", "Tomasz", "Sofia", "Ivan", "John", "Sean", "Laura", "Jan"]
ISSUERS = ["PL", "RO", "FR", "DE", "ES", "IT", "NL", "LT", "HU", "CZ", "PT", "IE", "BE", "SK"]
GROUNDS = (["national_resident_serving_sentence"] * 44 + ["trial_in_absentia"] * 15
           + ["no_double_criminality"] * 12 + ["statute_barred"] * 10
           + ["ne_bis_in_idem"] * 8 + ["territoriality"] * 6 + ["prosecuted_at_home"] * 5)
MARK: dict[str, Any] = {"classification": "OFFICIAL", "classification_rank": 1, "handling_code": "P",
        "tlp": "TLP:AMBER", "sharing_scope": "own"}


def _ids(bind: Any, model: Any, rows: list[dict[str, Any]]) -> list[int]:
    if not rows:
        return []
    stmt = insert(model.__table__).returning(model.__table__.c.id, sort_by_parameter_order=True)
    return [r[0] for r in bind.execute(stmt, rows)]


def _plain(bind: Any, model: Any, rows: list[dict[str, Any]], batch: int = 10_000) -> None:
    for i in range(0, len(rows), batch):
        if rows[i:i + batch]:
            bind.execute(insert(model.__table__), rows[i:i + batch])


def _search_keys(bind: Any, kind: str, ids: list[int], texts: list[tuple[str, ...]]) -> None:
    """The search keys intake would have written, so seeded records are found by search."""
    _plain(bind, SearchKey, [{"record_kind": kind, "record_id": rid, "key": key}
                             for rid, row in zip(ids, texts, strict=True)
                             for key in sorted(keys_for(*row))])


def _person(rng: random.Random) -> dict[str, str]:
    first, last = rng.choice(FORENAMES), rng.choice(SURNAMES)
    dob = f"{rng.randint(1955, 2003)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return {"first_name": first, "last_name": last, "display_name": f"{first} {last}",
            "date_of_birth": dob, "gender": rng.choice("MMMF")}


EXTENSION_REASON = "hearing adjourned for further information from the issuing state (Art. 15(2))"
Event = tuple[str, datetime, dict[str, Any]]


def _history(rng: random.Random, w: dict[str, Any], outcome: str, consent: bool,
             arrest: datetime, decision: datetime) -> list[Event]:
    """An executed warrant's events as a court records them: hearing, consent, the Art. 17(4)
    extension when the decision comes after the 10/60-day limit, final decision, surrender.
    One open warrant in ten misses its step, so the demo has persons to release."""
    evs: list[Event] = [("arrest", arrest, {}), ("initial_hearing", arrest + timedelta(hours=20), {})]
    lapse = outcome == "open" and rng.random() < 0.1
    if consent:
        evs.append(("consent", arrest + timedelta(hours=22), {}))
        limit = arrest + timedelta(hours=22, days=10)
    else:
        if not lapse:
            evs.append(("extradition_hearing", arrest + timedelta(days=rng.uniform(3, 20)), {}))
        limit = arrest + timedelta(days=60)
    if decision > limit - timedelta(days=1) and not lapse:
        evs.append(("extension", limit - timedelta(days=1), {}))
    if outcome != "open":
        det = {"outcome": "refused", "refusal_ground": w["refusal_ground"]} \
            if outcome == "refused" else {"outcome": "ordered"}
        evs.append(("final_decision", decision, det))
        if outcome == "surrendered":
            evs.append(("surrender", decision + timedelta(days=rng.randint(1, 9)), {}))
    return evs


def seed_channels(bind: Session, home_agency_id: int, *, now: datetime | None = None,
                  scale: float = 1.0, seed: int = 2026) -> dict[str, int]:
    """Add a year of channel traffic; returns row counts per table."""
    rng = random.Random(seed)
    now = (now or datetime.now(UTC)).astimezone(UTC)
    year_ago = now - timedelta(days=365)
    mark = MARK | {"owner_agency_id": home_agency_id, "originator_agency_id": home_agency_id}
    teams = dict(bind.execute(select(Team.code, Team.id)).all())
    counts: Counter[str] = Counter()

    def when(lo: datetime, hi: datetime) -> datetime:
        return lo + timedelta(seconds=rng.random() * max(1.0, (hi - lo).total_seconds()))

    def cases(prefix: str, channel: str, team: str, n: int, direction: str = "incoming",
              status: str = "in_progress") -> tuple[list[int], list[datetime]]:
        rec = sorted(when(year_ago, now - timedelta(days=1)) for _ in range(n))
        rows = [mark | {"reference": f"{prefix}-{now.year}-{seed % 1000:03d}{i:06d}",
                        "direction": direction, "channel": channel,
                        "title": f"{channel.upper()} {prefix} {i}", "priority": "high",
                        "priority_rank": 2, "status": status, "team_id": teams.get(team),
                        "received_at": r, "created_at": r, "updated_at": r}
                for i, r in enumerate(rec)]
        ids = _ids(bind, Case, rows)
        _search_keys(bind, "case", ids, [(r["reference"], r["title"]) for r in rows])
        counts["cases"] += len(ids)
        return ids, rec

    # ---- EAW: incoming (surrenders ~1,100 a year), outgoing ~150
    n_in = int(1250 * scale)
    case_ids, received = cases("EAW", "eaw", "eaw_extradition", n_in)
    warrants, plans = [], []
    for i, (cid, rec) in enumerate(zip(case_ids, received, strict=True)):
        p = _person(rng)
        fate = rng.random()
        outcome = ("surrendered" if fate < 0.88 else "refused" if fate < 0.95 else "open")
        consent = rng.random() < 0.6
        arrest = rec + timedelta(days=rng.randint(1, 60))
        days = rng.gauss(15, 4) if consent else rng.gauss(40, 12)
        decision = arrest + timedelta(days=max(2.0, days))
        if decision > now:
            outcome = "open"
        plans.append((outcome, consent, arrest, decision))
        status = {"surrendered": "surrendered", "refused": "discharged"}.get(
            outcome, "arrested" if arrest < now else "certified")
        warrants.append(mark | {
            "case_id": cid, "direction": "incoming", "reference": f"{rng.choice(ISSUERS)}-EAW-{i}",
            "issuing_country": rng.choice(ISSUERS), "executing_country": "GB", "status": status,
            "sections": {"identity": {"name": p["last_name"], "forenames": p["first_name"]}},
            "translation": {"translated": True, "history": []}, "certification": {},
            "consent": consent if outcome != "open" else None,
            "outcome": {"surrendered": "surrendered", "refused": "refused"}.get(outcome),
            "refusal_ground": rng.choice(GROUNDS) if outcome == "refused" else None,
            "received_at": rec, "certified_at": rec + timedelta(hours=rng.randint(2, 72)),
            "created_at": rec})
    w_ids = _ids(bind, Warrant, warrants)
    events = []
    for wid, w, (outcome, consent, arrest, decision) in zip(w_ids, warrants, plans, strict=True):
        if arrest >= now:
            continue
        events += [{"warrant_id": wid, "kind": k, "at": at, "details": d, "recorded_at": at,
                    "reason": EXTENSION_REASON if k == "extension" else ""}
                   for k, at, d in _history(rng, w, outcome, consent, arrest, decision) if at < now]
    out_ids, out_rec = cases("EAWO", "eaw", "eaw_extradition", int(150 * scale), "outgoing")
    _plain(bind, Warrant, [mark | {
        "case_id": cid, "direction": "outgoing", "reference": f"GB-EAW-{now.year}-{i:05d}",
        "issuing_country": "GB", "executing_country": rng.choice(ISSUERS),
        "status": rng.choice(["drafted", "translated", "transmitted", "transmitted"]),
        "sections": {}, "translation": {"translated": False, "history": []},
        "certification": {}, "received_at": r, "created_at": r}
        for i, (cid, r) in enumerate(zip(out_ids, out_rec, strict=True))])
    _plain(bind, WarrantEvent, events)
    # The limits (10 days from consent, 60 from arrest, +30...) are the service's to compute.
    mirror_clocks(bind, w_ids + out_ids, now)
    counts["warrants"] += len(w_ids) + len(out_ids)
    counts["warrant_events"] += len(events)

    deadlines: list[dict[str, Any]] = []
    # ---- SIS alerts (subjects screened) and hits with G forms
    articles = list(load_rules().sis_articles)
    n_alerts = int(3000 * scale)
    ents: list[dict[str, Any]] = [mark | _person(rng) | {"kind": "person", "watch_role": "alert",
                                   "source_kind": "sis_alert", "source_ref": f"SIS-{i}"}
            for i in range(n_alerts)]
    e_ids = _ids(bind, Entity, ents)
    _search_keys(bind, "entity", e_ids, [(e["display_name"],) for e in ents])
    alerts = [mark | {"schengen_id": f"{c}-SIS-{seed:04d}{i:08d}", "article": art,
                      "issuing_country": c, "entity_id": eid,
                      "data": {"surname": e["last_name"], "forenames": e["first_name"]},
                      "created_at": when(year_ago, now)}
              for i, (eid, e) in enumerate(zip(e_ids, ents, strict=True))
              for art, c in [(rng.choice(articles), rng.choice(ISSUERS))]]
    a_ids = _ids(bind, Alert, alerts)
    counts["alerts"] += len(a_ids)
    counts["entities"] += len(e_ids)
    hit_idx = rng.sample(range(len(a_ids)), min(len(a_ids), int(600 * scale)))
    hit_cases, hit_times = cases("SIS", "schengen", "sirene_desk", len(hit_idx), status="answered")
    forms = []
    for n, (k, cid, at) in enumerate(zip(hit_idx, hit_cases, hit_times, strict=True)):
        stamp = at.strftime("%Y%m%dT%H%M%SZ")
        forms.append(mark | {
            "reference": f"GB-SIRENE-{stamp}-{seed % 100:02d}{n:06d}", "form_type": "G",
            "direction": "out", "alert_id": a_ids[k], "case_id": cid, "sender": "GB",
            "recipient": alerts[k]["issuing_country"],
            "fields": {"schengen_id": alerts[k]["schengen_id"], "hit_place": "UK border",
                       "action_taken": "person detained"},
            "created_at": at, "sent_at": at + timedelta(hours=rng.uniform(0.5, 11.5))})
        deadlines.append({"case_id": cid, "rule_id": "sirene_g_form", "label": "SIRENE G form",
                          "basis": "SIRENE Manual s.1.13", "starts_at": at,
                          "due_at": at + timedelta(hours=12), "met_at": forms[-1]["sent_at"]})
    _plain(bind, SireneForm, forms)
    counts["sirene_forms"] += len(forms)

    # ---- Interpol red notices (public layout data) and SLTD
    n_notices = int(2000 * scale)
    nents: list[dict[str, Any]] = [mark | _person(rng) | {"kind": "person", "watch_role": "notice",
                                    "source_kind": "interpol_notice",
                                    "source_ref": f"{now.year - rng.randint(0, 9)}/{i:06d}"}
             for i in range(n_notices)]
    ne_ids = _ids(bind, Entity, nents)
    _search_keys(bind, "entity", ne_ids, [(e["display_name"],) for e in nents])
    _plain(bind, Notice, [mark | {
        "notice_ref": e["source_ref"].replace("/", "-"), "notice_type": "red",
        "direction": "incoming", "status": "published", "requesting_country": rng.choice(ISSUERS),
        "entity_id": eid, "public_consent": True, "public_extract": True, "tlp": "TLP:CLEAR",
        "data": {"entity_id": e["source_ref"], "name": e["last_name"],
                 "forename": e["first_name"], "date_of_birth": e["date_of_birth"].replace("-", "/")},
        "created_at": when(year_ago, now), "updated_at": now}
        for eid, e in zip(ne_ids, nents, strict=True)])
    counts["notices"] += len(ne_ids)
    counts["entities"] += len(ne_ids)
    docs = {(f"{rng.choice('ABCDEFGHJK')}{rng.randint(10**7, 10**8 - 1)}", "GB")
            for _ in range(int(2000 * scale))}
    _plain(bind, SltdDocument, [{"number": n, "issuing_country": c,
                                 "status": rng.choice(["stolen", "lost", "lost"]),
                                 "reported_at": when(year_ago, now),
                                 "added_by_agency_id": home_agency_id} for n, c in docs])
    counts["sltd_documents"] += len(docs)

    # ---- Europol SIENA messages on Europol cases
    eu_ids, eu_rec = cases("SIENA", "europol", "europol_desk", int(500 * scale))
    msgs = []
    for cid, rec in zip(eu_ids, eu_rec, strict=True):
        for k in range(rng.randint(4, 16)):
            code = rng.choice(["H0", "H0", "H1", "H2", "H2", "H3"])
            msgs.append(mark | {
                "case_id": cid, "direction": "in" if k % 2 == 0 else "out", "channel": "europol",
                "sender": "EUROPOL" if k % 2 == 0 else "GB-NCA", "recipients": ["GB-NCA"],
                "subject": f"SIENA exchange {k}", "body": "", "handling_code": code,
                "handling_conditions": "not to be used for asset recovery" if code == "H3"
                else None, "source_grade": rng.choice("ABBCX"),
                "intel_grade": rng.choice("1223"), "provider_permission": False,
                "sent_at": min(now, rec + timedelta(hours=6 * k))})
    _plain(bind, Message, msgs)
    counts["messages"] += len(msgs)
    _plain(bind, Deadline, deadlines)
    counts["deadlines"] += len(deadlines)
    return dict(counts)
