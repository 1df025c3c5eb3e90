"""EAW events as a newcomer records them: consent moves the case before the judge, the order
after consent is the final decision (no appeal clock), a decision without a hearing is refused
with what to record instead; release reasons carry minute-precision UTC times."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import delete

from ncb.services.context import SYSTEM
from ncb.store.access import PRINCIPAL
from ncb.store.models import Case, Deadline, Warrant
from tests.api.test_channels_eaw import NOW, certified, event


def _clocks(client, seeded, wid):
    r = client.get(f"/eaw/warrants/{wid}/clocks", headers=seeded.headers("extradition"))
    assert r.status_code == 200, r.text
    return {c["name"]: c for c in r.json()}


def test_consent_then_final_decision_starts_surrender_not_appeal(client, seeded):
    w = certified(client, seeded, "FR-EAW-CONSENT")
    assert event(client, seeded, w["id"], "arrest", NOW - timedelta(days=12)).status_code == 200
    r = event(client, seeded, w["id"], "consent", NOW - timedelta(days=11))
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "initial_hearing" and r.json()["consent"] is True
    # After consent the judge's order is final: "decision" (appealable) is refused, naming why.
    r = event(client, seeded, w["id"], "decision", NOW - timedelta(days=2))
    assert r.status_code == 422, r.text
    err = r.json()["errors"][0]
    assert err["field"] == "kind" and err["rule"] == "eaw.consent_decision_is_final"
    assert "final_decision" in r.text and "s.46" in r.text
    r = event(client, seeded, w["id"], "final_decision", NOW - timedelta(days=2),
              outcome="ordered")
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "decided"
    clocks = _clocks(client, seeded, w["id"])
    assert clocks["decision_consent"]["status"] == "met"
    assert clocks["surrender"]["status"] == "running"
    assert "appeal_notice" not in clocks


def test_decision_before_any_hearing_says_what_to_record(client, seeded):
    w = certified(client, seeded, "FR-EAW-NOHEARING")
    event(client, seeded, w["id"], "arrest", NOW - timedelta(days=3))
    r = event(client, seeded, w["id"], "decision", NOW - timedelta(days=1))
    assert r.status_code == 409, r.text
    err = r.json()["errors"][0]
    assert err["field"] == "kind" and err["rule"] == "eaw.hearing_first"
    assert "initial hearing" in r.text and "consent" in r.text


def test_release_reasons_have_no_microseconds(client, seeded):
    w = certified(client, seeded, "FR-EAW-LATE2")
    event(client, seeded, w["id"], "arrest", NOW - timedelta(days=61, microseconds=-123456))
    rows = client.get("/eaw/warrants/release-required",
                      headers=seeded.headers("extradition")).json()
    reasons = next(x for x in rows if x["reference"] == "FR-EAW-LATE2")["release_reasons"]
    assert reasons and all(re.search(r"limit \d{4}-\d\d-\d\d \d\d:\d\d UTC passed", r)
                           for r in reasons)
    assert not any(re.search(r"\d\d:\d\d:\d\d\.\d+", r) for r in reasons)


def test_custody_without_mirrored_limits_is_still_rechecked(client, seeded, factory):
    """Bulk-loaded history (the demo's year of warrants) has events but no case deadlines yet:
    the release list must still replay it, not trust the missing limits."""
    w = certified(client, seeded, "FR-EAW-BULK")
    event(client, seeded, w["id"], "arrest", NOW - timedelta(days=70))
    with factory() as s:
        s.info[PRINCIPAL] = SYSTEM
        warrant = s.get(Warrant, w["id"])
        case = s.get(Case, warrant.case_id)
        s.execute(delete(Deadline).where(Deadline.case_id == case.id))
        case.next_due_at, warrant.release_required, warrant.release_reasons = None, False, []
        s.commit()
    rows = client.get("/eaw/warrants/release-required",
                      headers=seeded.headers("extradition")).json()
    assert "FR-EAW-BULK" in [x["reference"] for x in rows]
