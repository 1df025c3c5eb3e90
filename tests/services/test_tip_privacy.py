"""Issue 11, anonymous tips: no time finer than the hour anywhere (tables, audit rows, the
audit row's place in the chain), and the sender's answers in their own words only for the
tip handler."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from ncb.services import tips
from ncb.services.context import SYSTEM
from ncb.store import audit
from ncb.store.models import AuditEntry, Tip
from tests.services.public_fixtures import Bureau, bureau_fixture  # noqa: F401

BODY = "I saw the man from the poster at the port of Malaga on Monday morning."


def _token(b: Bureau) -> str:
    return tips.issue_form_token(b.settings, now=time.time() - b.settings.tip_form_min_seconds)


def _submit(b: Bureau) -> tips.Receipt:
    with b.session(None) as s:
        return tips.submit_tip(s, b.settings, BODY, form_token=_token(b))


def _on_the_hour(value: datetime | None) -> bool:
    return value is None or (value.minute, value.second, value.microsecond) == (0, 0, 0)


def _tip_entries(b: Bureau) -> list[AuditEntry]:
    with b.session("system") as s:
        rows = s.scalars(select(AuditEntry).where(AuditEntry.record_kind == "tip",
                                                  AuditEntry.actor == "public")
                         .order_by(AuditEntry.seq)).all()
        s.expunge_all()
        return list(rows)


def test_no_public_audit_entry_until_its_hour_has_closed(bureau: Bureau) -> None:
    r = _submit(bureau)
    with bureau.session("tips") as s:  # staff entries, timed to the microsecond, meanwhile
        tid = s.scalar(select(Tip.public_id).where(Tip.reference == r.reference))
        tips.ask(s, bureau.p("tips"), tid, "Which day was it?")
    with bureau.session(None) as s:
        tips.answer(s, bureau.settings, r.reference, r.pin, "The Monday.", form_token=_token(bureau))
    # Logged now, the entries would sit between staff entries timed to the microsecond.
    assert _tip_entries(bureau) == []
    with bureau.session("tips") as s:
        assert tips.log_closed_hours(s, datetime.now(UTC) + timedelta(hours=1)) == 2
    entries = _tip_entries(bureau)
    assert [e.details for e in entries] == [{"channel": "web form"}, {"follow_up": "answer"}]
    assert all(_on_the_hour(e.at) for e in entries)
    with bureau.session("tips") as s:  # once only, and the chain still verifies
        assert tips.log_closed_hours(s, datetime.now(UTC) + timedelta(hours=2)) == 0
        assert audit.verify(s).ok


def test_every_stored_time_of_a_tip_is_on_the_hour(bureau: Bureau) -> None:
    r = _submit(bureau)
    wrong = "000000" if r.pin != "000000" else "111111"
    for _ in range(tips.MAX_PIN_FAILURES):  # the lock time too: not the time of a wrong PIN
        with pytest.raises(tips.Forbidden), bureau.session(None) as s:
            tips.read_thread(s, bureau.settings, r.reference, wrong)
    with bureau.session("system") as s:
        tip = s.scalar(select(Tip).where(Tip.reference == r.reference))
        assert tip.locked_until is not None
        assert _on_the_hour(tip.received_hour) and _on_the_hour(tip.locked_until)
        assert tip.locked_until > datetime.now(UTC) + timedelta(minutes=59)


def test_answers_as_sent_only_for_the_tip_handler(bureau: Bureau) -> None:
    r = _submit(bureau)
    with bureau.session("tips") as s:
        tid = s.scalar(select(Tip.public_id).where(Tip.reference == r.reference))
        tips.ask(s, bureau.p("tips"), tid, "Who were you with?")
    with bureau.session(None) as s:
        tips.answer(s, bureau.settings, r.reference, r.pin, "With my brother Tom Hale, I work there.",
                    form_token=_token(bureau))
    with bureau.session("supervisor") as s:
        tip = tips.open_tip(s, bureau.p("supervisor"), tid)
        shown = tips.messages(s, bureau.p("supervisor"), tip)
        assert [m.body for m in shown] == ["Who were you with?", None]
    with bureau.session("tips") as s:
        tip = tips.open_tip(s, bureau.p("tips"), tid)
        assert tips.messages(s, bureau.p("tips"), tip)[1].body.startswith("With my brother")


def test_log_closed_hours_is_called_by_the_queue(bureau: Bureau) -> None:
    _submit(bureau)
    with bureau.session("system") as s:  # pretend the tip came in two hours ago
        tip = s.scalars(select(Tip)).one()
        tip.received_hour = tip.received_hour - timedelta(hours=2)
    with bureau.session("tips") as s:
        tips.queue(s, bureau.p("tips"))
    entries = _tip_entries(bureau)
    assert len(entries) == 1 and _on_the_hour(entries[0].at)
    assert SYSTEM  # (the system principal is the one used by the fixture's "system" session)
