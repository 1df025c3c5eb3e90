"""The named bypasses of ncb.store.tips: each finds only what its name says, for a session
with no principal (the public), which the row filter otherwise blinds to every tip."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from ncb.services import tips
from ncb.store import tips as tip_store
from ncb.store.models import Tip, TipMessage
from tests.services.public_fixtures import Bureau, bureau_fixture  # noqa: F401
from tests.store.bypasses import unfiltered_functions


def _submit(b: Bureau) -> tips.Receipt:
    with b.session(None) as s:
        return tips.submit_tip(s, b.settings, "Seen at the harbour on Friday night.",
                               form_token=tips.issue_form_token(
                                   b.settings, now=time.time() - b.settings.tip_form_min_seconds))


def test_the_named_reads_are_the_only_bypasses() -> None:
    assert unfiltered_functions(tip_store) == {
        "reference_taken", "by_reference", "thread", "answers_since", "unlogged_public_events"}


def test_the_sender_reads_the_thread_through_the_named_read_only(bureau: Bureau) -> None:
    """A session without a caller sees no tip message by a plain query; the sender who gave the
    reference and PIN reads their thread (through ncb.store.tips.thread) and answers."""
    r = _submit(bureau)
    with bureau.session("tips") as s:
        tip_id = s.scalars(select(Tip.public_id).where(Tip.reference == r.reference)).one()
        tips.ask(s, bureau.p("tips"), tip_id, "What colour was the van?")
    token = tips.issue_form_token(bureau.settings,
                                  now=time.time() - bureau.settings.tip_form_min_seconds)
    with bureau.session(None) as s:
        assert s.scalars(select(TipMessage)).all() == []  # no caller, no row
        thread = tips.answer(s, bureau.settings, r.reference, r.pin, "A red Transit van.",
                             form_token=token)
    assert thread.messages == (("question", "What colour was the van?"),
                               ("answer", "A red Transit van."))
    with bureau.session(None) as s:
        assert s.scalars(select(TipMessage.id)).all() == []
        found = tip_store.by_reference(s, r.reference)
        assert found is not None
        assert [k for k, _ in tip_store.thread(s, found)] == ["question", "answer"]
        assert tip_store.answers_since(s, found, datetime.now(UTC) - timedelta(hours=2)) == 1
        assert tips.read_thread(s, bureau.settings, r.reference, r.pin).messages == thread.messages


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
