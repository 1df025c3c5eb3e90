"""What is held on a requester, and the export pack with restrictions applied.

Found through identities: the matcher proposes identities from the requester's particulars, the
handler confirms which are theirs, and every visible appearance of those identities is an item.
Each item is disclosed or withheld on a ground from the rules (DPA 2018 s.45(4)); defaults:
another agency's record waits for its originator's view, an open case is withheld to avoid
obstructing the investigation, a tip protects its sender. Records the handler may not see are
only "records exist; contact <agency>" for the handler, and never in the pack.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncb.domain.policy import Principal
from ncb.rules import load_rules
from ncb.services import lookup
from ncb.services.inputs import EntityIn
from ncb.services.screening import screen_adhoc
from ncb.services.subject_access import held
from ncb.services.subject_access.requests import clock, load
from ncb.store import audit
from ncb.store.models import IdentityMember

RIGHTS = ("You may ask for inaccurate data to be rectified (DPA 2018 s.46) and for data to be "
          "erased or its processing restricted (s.47); you may complain to the Information "
          "Commissioner (s.51, s.165).")
PURPOSE = "Law enforcement purposes (DPA 2018 s.31): international police cooperation."


@dataclass
class Item:
    key: str
    kind: str
    label: str
    detail: str
    disclose: bool
    ground: str | None
    ground_label: str = ""
    ground_source: str = ""
    decided: bool = False
    retention_review: datetime | None = None


@dataclass
class PackView:
    reference: str
    particulars: dict[str, Any]
    status: str
    received_at: datetime
    due_at: datetime | None
    extended: bool
    identity_ids: list[int]
    # Proof of identity asked for (s.52(4)) and when it came; while awaited no clock runs.
    identity_requested_at: datetime | None = None
    identity_request: str | None = None
    identity_received_at: datetime | None = None
    clock_basis: str | None = None
    candidates: list[dict[str, Any]] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    facts: list[dict[str, Any]] = field(default_factory=list)
    consult: list[str] = field(default_factory=list)
    grounds: dict[str, dict[str, Any]] = field(default_factory=dict)


def candidates(session: Session, p: Principal, particulars: dict[str, Any]) -> list[dict[str, Any]]:
    """Identities the matcher finds for the particulars (visible appearances only)."""
    query = EntityIn(kind="person", name=particulars.get("name"),
                     first_name=particulars.get("first_name"),
                     last_name=particulars.get("last_name"),
                     date_of_birth=particulars.get("date_of_birth"),
                     nationality=particulars.get("nationality"),
                     identifier=particulars.get("identifier"),
                     aliases=list(particulars.get("aliases") or []))
    threshold = load_rules().subject_access.match_threshold
    hits = [h for h in screen_adhoc(session, p, [query], top=20)[0]
            if h.visible and h.target_id is not None and h.score >= threshold]
    idents = dict(session.execute(select(IdentityMember.entity_id, IdentityMember.identity_id)
                                  .where(IdentityMember.entity_id.in_(
                                      [h.target_id for h in hits]))).all()) if hits else {}
    best: dict[int, dict[str, Any]] = {}
    for h in hits:
        ident = idents.get(h.target_id or 0)
        if ident is not None and (ident not in best or best[ident]["score"] < h.score):
            best[ident] = {"identity_id": ident, "score": h.score, "summary": h.target_summary}
    return sorted(best.values(), key=lambda c: -c["score"])


def _default(kind: str, foreign: bool, open_: bool) -> str | None:
    rules = load_rules().subject_access
    if kind == "tip":
        return "rights_of_others"
    if foreign:
        return rules.third_party_default
    if open_:
        return rules.open_case_default
    return None


def build(session: Session, p: Principal, ref: str, *, find: bool = True,
          batch: int = held.BATCH) -> PackView:
    case, sar = load(session, p, ref)
    rules = load_rules().subject_access
    due = clock(case)
    view = PackView(case.reference, dict(sar.particulars), sar.status, sar.received_at,
                    due.due_at if due else None, sar.extended_at is not None,
                    list(sar.identity_ids),
                    grounds={k: {"label": g.label, "source": g.source,
                                 "applies_to": g.applies_to} for k, g in rules.exemptions.items()},
                    identity_requested_at=sar.identity_requested_at,
                    identity_request=sar.identity_request,
                    identity_received_at=sar.identity_received_at,
                    clock_basis=due.basis if due else None)
    if find:
        view.candidates = candidates(session, p, sar.particulars)
    home = lookup.home_agency(session).id
    items: dict[str, Item] = {}

    def add(key: str, kind: str, label: str, detail: str, foreign: bool, open_: bool,
            review: datetime | None = None) -> None:
        ground = _default(kind, foreign, open_)
        decided = sar.decisions.get(key)
        if decided is not None:
            ground = None if decided["disclose"] else decided["ground"]
        g = rules.exemptions.get(ground or "")
        items[key] = Item(key, kind, label, detail, ground is None, ground,
                          g.label if g else "", g.source if g else "", decided is not None,
                          review)

    for ident in sar.identity_ids:  # complete, not the person page's display limit
        visible = held.visible_appearances(session, int(ident))
        view.consult += [r for r in held.consult(session, int(ident), visible)
                         if r not in view.consult]
        for r in held.records(session, int(ident), home, batch=batch):
            add(r.key, r.kind, r.label, r.detail, r.foreign, r.open_, r.review)
        known = {(f["label"], f["value"]): f for f in view.facts}
        for f in held.facts(session, int(ident), batch=batch):
            if (f["label"], f["value"]) in known:  # said under another identity too
                for k, prov in f["said_by"].items():
                    known[(f["label"], f["value"])]["said_by"].setdefault(k, prov)
            else:
                view.facts.append(f)
                known[(f["label"], f["value"])] = f
    view.items = sorted(items.values(), key=lambda i: (i.kind, i.key))
    withheld = {i.key for i in view.items if not i.disclose}
    for fact in view.facts:
        _attribute(fact, withheld)
    return view


def _attribute(fact: dict[str, Any], withheld: set[str]) -> None:
    """A fact is disclosed through the first appearance saying it whose record is disclosed,
    and attributed to that one; withheld only when every appearance saying it is withheld."""
    said_by: dict[str, str] = fact.get("said_by") or {fact["from"]: fact["source"]}
    shown = [(k, prov) for k, prov in said_by.items() if k not in withheld]
    fact["disclose"] = bool(shown)
    if shown:
        fact["from"], fact["source"] = shown[0]
    fact.pop("said_by", None)  # the pack and the API name one appearance per fact


def export(session: Session, p: Principal, ref: str, *,
           batch: int = held.BATCH) -> dict[str, Any]:
    """The pack for the requester: everything held that they may have, and what was withheld
    on which ground (counted, never described); logged as a disclosure to the data subject."""
    v = build(session, p, ref, find=False, batch=batch)
    withheld: dict[str, int] = {}
    for i in v.items:
        if not i.disclose and i.ground:
            withheld[i.ground] = withheld.get(i.ground, 0) + 1
    pack = {
        "reference": v.reference, "requester": v.particulars.get("name"),
        "received_at": v.received_at.isoformat(), "purpose": PURPOSE,
        "personal_data": [{k: f[k] for k in ("label", "value")} for f in v.facts
                          if f["disclose"]],
        "records": [{"record": i.label, "detail": i.detail,
                     "retention_review": i.retention_review.date().isoformat()
                     if i.retention_review else None} for i in v.items if i.disclose],
        "withheld": [{"ground": v.grounds[g]["label"], "source": v.grounds[g]["source"],
                      "items": n} for g, n in sorted(withheld.items())],
        "rights": RIGHTS,
    }
    audit.record(session, p, "disclosure", "subject_access", v.reference,
                 recipients=["data subject"],
                 details={"disclosed": [i.key for i in v.items if i.disclose],
                          "withheld": {i.key: i.ground for i in v.items if not i.disclose}})
    return pack
