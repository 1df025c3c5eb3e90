"""Joining appearances into identities: by identifier, by the matcher, incrementally.

Every new entity gets an identity when it is written: the identity of an earlier appearance
sharing a deterministic key (same passport and issuing country, same E.164 phone, VIN, IBAN...),
otherwise a new one. A new person may then join an existing identity on the matcher's word, but
only above the rules' high threshold and only when it agrees with most of that identity's
appearances (one weak link must not chain two people together).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Table, delete, insert, update
from sqlalchemy.orm import Session

from ncb.domain.identifiers import keys_for
from ncb.rules import load_rules
from ncb.store import identities as store_identities
from ncb.store.models import Identity, IdentityKey, IdentityMember

_IDENTITIES = cast(Table, Identity.__table__)
_MEMBERS = cast(Table, IdentityMember.__table__)
_KEYS = cast(Table, IdentityKey.__table__)
RESOLVED = "identities_resolved"  # session.info: entity ids given an identity in this transaction

KEY_LABELS = {"doc": "travel document number and issuing country", "phone": "E.164 phone number",
              "vin": "vehicle identification number", "plate": "plate and registration country",
              "iban": "IBAN", "firearm": "firearm serial number and make",
              "org": "registration number and country", "addr": "address and country"}


@dataclass
class Attached:
    entity_id: int
    identity_id: int
    created: bool  # a new identity (nothing known shared a key)
    method: str


def identity_keys(row: Any) -> list[str]:
    return keys_for(row, load_rules().identities.calling_codes.codes)


def identity_of(session: Session, entity_id: int) -> int | None:
    return store_identities.identity_of(session, entity_id)


def identities_of(session: Session, entity_ids: Iterable[int]) -> dict[int, int]:
    # Every appearance, seen by the caller or not: an entity joins its identity whatever the
    # markings of the others (ncb.store.identities reads past the filter, ids only).
    return store_identities.identities_of(session, entity_ids)


def attach_many(session: Session, ents: Sequence[Any], author_id: int | None = None
                ) -> list[Attached]:
    """Give each (inserted, not yet resolved) entity an identity; Core inserts, in batches."""
    if not ents:
        return []
    conn = session.connection()
    now = datetime.now(UTC)
    ent_keys = [(e, identity_keys(e)) for e in ents]
    known = store_identities.identities_holding(
        session, sorted({k for _, ks in ent_keys for k in ks}))
    pending: dict[str, int] = {}  # key -> index of the batch entity that first held it
    plan: list[tuple[Any, list[str], int | None, int | None, str]] = []
    for i, (ent, keys) in enumerate(ent_keys):
        hit = next((k for k in keys if k in known), None)
        if hit is not None:
            plan.append((ent, keys, known[hit], None, hit))
        else:
            shared = next((k for k in keys if k in pending), None)
            plan.append((ent, keys, None, None if shared is None else pending[shared],
                         shared or ""))
        for k in keys:
            pending.setdefault(k, i)
    fresh = [p for p in plan if p[2] is None and p[3] is None]
    new_ids = conn.execute(insert(_IDENTITIES).returning(_IDENTITIES.c.id,
                                                         sort_by_parameter_order=True),
                           [{"kind": p[0].kind, "created_at": now, "updated_at": now}
                            for p in fresh]).scalars().all() if fresh else []
    by_index: dict[int, int] = {}
    fresh_iter = iter(new_ids)
    out: list[Attached] = []
    members, key_rows = [], []
    for i, (ent, keys, existing, first, key) in enumerate(plan):
        author = getattr(ent, "created_by", None) or author_id
        if existing is not None:
            ident, created, method = existing, False, "identifier"
            reason = f"same {KEY_LABELS.get(key.split(':')[0], 'identifier')} ({key})"
        elif first is not None:
            ident, created, method = by_index[first], False, "identifier"
            reason = f"same {KEY_LABELS.get(key.split(':')[0], 'identifier')} ({key})"
        else:
            ident, created, method, reason = next(fresh_iter), True, "new", "first appearance"
        by_index[i] = ident
        members.append({"entity_id": ent.id, "identity_id": ident, "method": method,
                        "reason": reason, "score": None, "author_id": author, "joined_at": now})
        key_rows += [{"entity_id": ent.id, "key": k} for k in dict.fromkeys(keys)]
        out.append(Attached(ent.id, ident, created, method))
    conn.execute(insert(_MEMBERS), members)
    session.info.setdefault(RESOLVED, set()).update(m["entity_id"] for m in members)
    if key_rows:
        conn.execute(insert(_KEYS), key_rows)
    return out


def attach(session: Session, ent: Any, author_id: int | None = None) -> Attached:
    current = identity_of(session, ent.id)
    if current is not None:
        return Attached(ent.id, current, False, "known")
    return attach_many(session, [ent], author_id)[0]


def join_scores(hits: Iterable[Any]) -> dict[int, float]:
    """Candidate entity id -> score, for matcher hits that may support a join.

    Judged pairs are left out (a reviewer decided them), and so is any hit on which a
    required feature (the rules' `require_agreeing`, e.g. date of birth) does not agree exactly.
    """
    required = load_rules().identities.matcher.require_agreeing
    out: dict[int, float] = {}
    for h in hits:
        if h.explanation.judgement:
            continue
        sims = {f.feature: f.similarity for f in h.explanation.features}
        if all((sims.get(r) or 0.0) >= 0.999 for r in required):
            out[int(h.candidate_id)] = h.score
    return out


def matcher_join(session: Session, att: Attached, scores: dict[int, float],
                 algorithm: str = "PersonScreening") -> int:
    """Move a new singleton person into the identity the matcher is sure of; its identity id.

    `scores`: candidate entity id -> the matcher's score against this appearance.
    """
    cfg = load_rules().identities.matcher
    if not att.created or not scores:
        return att.identity_id
    strong = {eid: s for eid, s in scores.items() if s >= cfg.join_threshold}
    if not strong:
        return att.identity_id
    owners = identities_of(session, strong)
    by_identity: dict[int, float] = {}
    for eid, ident in owners.items():
        if ident != att.identity_id:
            by_identity[ident] = max(by_identity.get(ident, 0.0), strong[eid])
    for ident, best in sorted(by_identity.items(), key=lambda kv: -kv[1]):
        sample = store_identities.member_ids(session, ident, newest=cfg.compare_at_most)
        agree = sum(1 for eid in sample if scores.get(eid, 0.0) >= cfg.join_threshold)
        if sample and agree / len(sample) >= cfg.agreement:
            via = max((eid for eid in sample if eid in strong), key=lambda e: strong[e])
            session.execute(update(IdentityMember).where(IdentityMember.entity_id == att.entity_id)
                            .values(identity_id=ident, method="matcher", score=round(best, 4),
                                    reason=f"{algorithm} score {best:.2f} with entity {via}, "
                                           f"agreeing with {agree} of {len(sample)} appearances"))
            session.execute(delete(Identity).where(Identity.id == att.identity_id))
            att.identity_id, att.created, att.method = ident, False, "matcher"
            return ident
    return att.identity_id
