"""The named bypasses of ncb.store.tips: each finds only what its name says, for a session
with no principal (the public), which the row filter otherwise blinds to every tip."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from ncb.services import tips
from ncb.store import tips as tip_store
from ncb.store.models import Tip
from tests.services.public_fixtures import Bureau, bureau_fixture  # noqa: F401


def _submit(b: Bureau) -> tips.Receipt:
    with b.session(None) as s:
        return tips.submit_tip(s, b.settings, "Seen at the harbour on Friday night.",
                               form_token=tips.issue_form_token(
                                   b.settings, now=time.time() - tips.FORM_MIN_SECONDS))


def test_public_finds_a_tip_only_by_its_reference(bureau: Bureau) -> None:
    r = _submit(bureau)
    with bureau.session(None) as s:
        assert s.scalars(select(Tip)).all() == []  # the filter hides tips from the public
        assert tip_store.reference_taken(s, r.reference)
        assert not tip_store.reference_taken(s, "ZZZZZZZZZZ")
        found = tip_store.by_reference(s, r.reference)
        assert found is not None and found.reference == r.reference
        assert tip_store.by_reference(s, "ZZZZZZZZZZ") is None


def test_unlogged_public_events_before_an_hour(bureau: Bureau) -> None:
    _submit(bureau)
    now = datetime.now(UTC)
    with bureau.session("system") as s:
        assert tip_store.unlogged_public_events(s, now - timedelta(hours=1)) == ([], [])
        due, answers = tip_store.unlogged_public_events(s, now + timedelta(hours=1))
        assert len(due) == 1 and answers == []
        tips.log_closed_hours(s, now + timedelta(hours=1))
        assert tip_store.unlogged_public_events(s, now + timedelta(hours=1)) == ([], [])
