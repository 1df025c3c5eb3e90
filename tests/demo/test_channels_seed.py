"""seed_channels adds a plausible year of traffic quickly, and the statistics read it back."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from ncb.demo.channels import seed_channels
from ncb.rules import load_rules
from ncb.services.channels.eaw_limits import custody, expired_limits
from ncb.services.channels.eaw_panel import release_panel
from ncb.services.channels.stats import eaw_stats
from ncb.services.context import SYSTEM
from ncb.store.access import PRINCIPAL
from ncb.store.db import transaction
from ncb.store.models import Agency, Case, Warrant, WarrantEvent


def test_seed_channels_and_stats(factory, seeded):
    now = datetime(2026, 6, 30, 12, tzinfo=UTC)
    began = time.perf_counter()
    with transaction(factory, **{PRINCIPAL: SYSTEM}) as s:
        home = s.scalar(select(Agency.id).where(Agency.code == "GB-NCA"))
        counts = seed_channels(s, home, now=now, scale=0.2)
    assert time.perf_counter() - began < 20
    assert counts["warrants"] == 250 + 30 and counts["alerts"] == 600
    assert counts["sirene_forms"] == 120 and counts["messages"] > 500
    with transaction(factory, **{PRINCIPAL: SYSTEM}) as s:
        stats = eaw_stats(s, SYSTEM, 2026)
        prev = eaw_stats(s, SYSTEM, 2025)
    surrenders = stats["surrenders"] + prev["surrenders"]
    assert 150 < surrenders < 250
    med = stats["median_days_arrest_to_decision"]
    assert 10 < med["with_consent"] < 20 and 30 < med["without_consent"] < 50
    grounds = set(prev["refusals_by_ground"]) | set(stats["refusals_by_ground"])
    assert grounds and grounds <= set(load_rules().eaw_refusal_grounds)


def test_bulk_consent_limits_run_from_consent_and_every_custody_warrant_is_mirrored(factory, seeded):
    """FD 2002/584/JHA Art. 17: after consent the final decision is due 10 days after the
    consent, not after the arrest; bulk-loaded warrants carry their limits like recorded ones."""
    now = datetime(2026, 6, 30, 12, tzinfo=UTC)
    with transaction(factory, **{PRINCIPAL: SYSTEM}) as s:
        home = s.scalar(select(Agency.id).where(Agency.code == "GB-NCA"))
        seed_channels(s, home, now=now, scale=0.2)
    with transaction(factory, **{PRINCIPAL: SYSTEM}) as s:
        consent_at = dict(s.execute(select(WarrantEvent.warrant_id, WarrantEvent.at)
                                    .where(WarrantEvent.kind == "consent")).all())
        open_ids = s.scalars(select(Warrant.id).where(custody())).all()
        assert open_ids
        checked = 0
        for wid in open_ids:
            w = s.get(Warrant, wid)
            case = s.get(Case, w.case_id)
            assert case.next_due_at is not None, w.reference  # mirrored: no slow replay path
            rules = {d.rule_id: d for d in case.deadlines}
            if wid in consent_at:
                d = rules["eaw_decision_consent"]
                assert _utc(d.starts_at) == _utc(consent_at[wid])
                assert _utc(d.due_at) - _utc(consent_at[wid]) in (timedelta(days=10),
                                                                  timedelta(days=40))
                dropped = rules.get("eaw_decision_arrest")
                assert dropped is None or dropped.met_at is not None
                checked += 1
        assert checked
        # The read-only panel and the audited list name the same persons.
        panel = {e.warrant.id for e in release_panel(s, SYSTEM)}
        listed = {r.warrant.id for r in expired_limits(s, datetime.now(UTC))}
        assert panel == listed


def _utc(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)
