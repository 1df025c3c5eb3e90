"""seed_channels adds a plausible year of traffic quickly, and the statistics read it back."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from sqlalchemy import select

from ncb.demo.channels import seed_channels
from ncb.rules import load_rules
from ncb.services.channels.stats import eaw_stats
from ncb.services.context import SYSTEM
from ncb.store.access import PRINCIPAL
from ncb.store.db import transaction
from ncb.store.models import Agency


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
