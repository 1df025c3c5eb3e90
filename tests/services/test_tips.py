"""Anonymous tips: nothing identifying stored, PINs, lockout, follow-up, sanitise and dispatch."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import inspect, select

from ncb.services import tips
from ncb.services.errors import Conflict, Forbidden, InvalidInput
from ncb.settings import Settings
from ncb.store.models import AuditEntry, CaseEvent, Note, Tip, TipMessage
from tests.services.public_fixtures import Bureau, bureau_fixture  # noqa: F401

BODY = "I saw the man from the poster at the port of Malaga on Monday morning."


def _token(settings: Settings) -> str:
    """A form token as the public form gives it, old enough to pass the too-fast check."""
    return tips.issue_form_token(settings, now=time.time() - settings.tip_form_min_seconds)


def _submit(b: Bureau, body: str = BODY) -> tips.Receipt:
    with b.session(None) as s:
        return tips.submit_tip(s, b.settings, body,
                               form_token=_token(b.settings))


def _tip_id(b: Bureau, ref: str) -> str:
    """The tip's public id: what the workbench and the API name it by."""
    with b.session("system") as s:
        return s.scalar(select(Tip.public_id).where(Tip.reference == ref))


def test_reference_and_pin_shape(bureau: Bureau) -> None:
    r = _submit(bureau)
    assert len(r.reference) == 10 and set(r.reference) <= set(tips.REF_ALPHABET)
    assert len(r.pin) == 6 and r.pin.isdigit()
    assert len({tips.new_reference() for _ in range(500)}) == 500


def test_pin_is_stored_only_as_keyed_hash(bureau: Bureau) -> None:
    r = _submit(bureau)
    with bureau.session("system") as s:
        tip = s.scalar(select(Tip).where(Tip.reference == r.reference))
        assert r.pin not in tip.pin_hash and len(tip.pin_hash) == 64
        assert tip.pin_hash == tips.pin_hash(bureau.settings, r.reference, r.pin)
        other = bureau.settings.model_copy(update={"secret_key": "another-key"})
        assert tip.pin_hash != tips.pin_hash(other, r.reference, r.pin)
        assert tip.received_hour.minute == 0 and tip.received_hour.second == 0
        assert tip.classification and tip.owner_agency_id == bureau.seeded.agencies["GB-NCA"]


def test_tip_storage_keeps_nothing_identifying(bureau: Bureau) -> None:
    r = _submit(bureau)
    columns = {c.key for c in inspect(Tip).columns} | {c.key for c in inspect(TipMessage).columns}
    for bad in ("ip", "ip_address", "address", "user_agent", "client", "host", "headers",
                "created_at", "email", "phone", "cookie", "session"):
        assert bad not in columns
    with bureau.session("system") as s:
        assert tips.log_closed_hours(s, datetime.now(UTC) + timedelta(hours=1)) == 1
        entry = s.scalars(select(AuditEntry).where(AuditEntry.record_kind == "tip")).one()
        assert entry.actor == "public" and entry.actor_user_id is None
        assert r.pin not in str(entry.details) and r.reference not in str(entry.details)


def test_pin_check_and_lockout_on_the_tip(bureau: Bureau) -> None:
    r = _submit(bureau)
    other = _submit(bureau, "Another sighting, at the bus station in Alicante at noon.")
    with bureau.session(None) as s:
        assert tips.read_thread(s, bureau.settings, r.reference.lower(), r.pin).status == "received"
    with bureau.session(None) as s, pytest.raises(Forbidden):
        tips.read_thread(s, bureau.settings, "ZZZZZZZZZZ", r.pin)
    wrong = "000000" if r.pin != "000000" else "111111"
    for _ in range(tips.MAX_PIN_FAILURES):
        with pytest.raises(Forbidden), bureau.session(None) as s:
            tips.read_thread(s, bureau.settings, r.reference, wrong)
    with pytest.raises(tips.Locked), bureau.session(None) as s:
        tips.read_thread(s, bureau.settings, r.reference, r.pin)
    with bureau.session(None) as s:  # the lock is on that tip only, nobody else is affected
        assert tips.read_thread(s, bureau.settings, other.reference, other.pin)


def test_follow_up_question_and_answer(bureau: Bureau) -> None:
    r = _submit(bureau)
    tid = _tip_id(bureau, r.reference)
    with bureau.session("tips") as s:
        tips.ask(s, bureau.p("tips"), tid, "What colour was his car?")
    with bureau.session(None) as s:
        thread = tips.read_thread(s, bureau.settings, r.reference, r.pin)
        assert thread.messages == (("question", "What colour was his car?"),)
        assert thread.open_questions == 1
    with bureau.session(None) as s:
        thread = tips.answer(s, bureau.settings, r.reference, r.pin, "A red Seat Leon.",
                             form_token=_token(bureau.settings))
        assert thread.messages[-1] == ("answer", "A red Seat Leon.") and thread.open_questions == 0
    with bureau.session("tips") as s:
        tip = tips.open_tip(s, bureau.p("tips"), tid)
        msgs = tips.messages(s, bureau.p("tips"), tip)
        assert [m.kind for m in msgs] == ["question", "answer"]
        assert msgs[1].body == "A red Seat Leon." and msgs[1].at.minute == 0
        rows = s.scalars(select(TipMessage).where(TipMessage.tip_id == tip.id)).all()
        assert rows[1].author_id is None


def test_sanitise_and_dispatch_to_the_case_is_audited(bureau: Bureau) -> None:
    r = _submit(bureau)
    tid = _tip_id(bureau, r.reference)
    with pytest.raises(Conflict), bureau.session("supervisor") as s:
        tips.dispatch(s, bureau.p("supervisor"), tid, bureau.case_ref)
    with pytest.raises(Forbidden), bureau.session("supervisor") as s:
        tips.sanitise(s, bureau.p("supervisor"), tid, "Subject seen at Malaga port, Monday am.")
    with bureau.session("tips") as s:
        tips.sanitise(s, bureau.p("tips"), tid, "Subject seen at Malaga port, Monday am.")
    with pytest.raises(Forbidden), bureau.session("tips") as s:
        tips.dispatch(s, bureau.p("tips"), tid, bureau.case_ref)
    with bureau.session("supervisor") as s:
        tip = tips.dispatch(s, bureau.p("supervisor"), tid, bureau.case_ref, "Captura sighting")
        assert tip.status == "dispatched"
    with bureau.session("system") as s:
        note = s.scalars(select(Note)).one()
        assert "Malaga port" in note.body and "Monday morning" not in note.body
        assert tid in note.body and r.reference not in note.body  # not the sender's code
        assert s.scalars(select(CaseEvent).where(CaseEvent.kind == "tip_dispatched")).one()
        entry = s.scalars(select(AuditEntry).where(AuditEntry.record_kind == "tip",
                                                   AuditEntry.action == "disclosure")).one()
        assert entry.actor == "supervisor" and entry.recipients == [bureau.case_ref]
        assert entry.justification == "Captura sighting"
    with bureau.session(None) as s:
        assert tips.read_thread(s, bureau.settings, r.reference, r.pin).status == \
            "passed to investigators"


def test_queue_needs_tip_permissions(bureau: Bureau) -> None:
    _submit(bureau)
    with bureau.session("tips") as s:
        assert len(tips.queue(s, bureau.p("tips"))) == 1
    with pytest.raises(Forbidden), bureau.session("desk") as s:
        tips.queue(s, bureau.p("desk"))
    with bureau.session("partner") as s:  # another agency: row-level filter hides the tip
        assert s.scalars(select(Tip)).all() == []


def test_size_limits(bureau: Bureau) -> None:
    with pytest.raises(InvalidInput):
        _submit(bureau, "x" * (tips.MAX_TIP_CHARS + 1))
    with pytest.raises(InvalidInput):
        _submit(bureau, "short")
    r = _submit(bureau, "Control\x00 chars\x1b[31m are dropped from the text.")
    with bureau.session("system") as s:
        body = s.scalar(select(Tip.body).where(Tip.reference == r.reference))
        assert "\x00" not in body and "\x1b" not in body


def test_form_token(bureau: Bureau, monkeypatch: pytest.MonkeyPatch) -> None:
    st = bureau.settings
    now = time.time()
    token = tips.issue_form_token(st, now - 10)
    tips.check_form_token(st, token, now)
    with pytest.raises(InvalidInput):  # single use
        tips.check_form_token(st, token, now)
    with pytest.raises(tips.TooMany):  # too fast for a person
        tips.check_form_token(st, tips.issue_form_token(st, now), now)
    with pytest.raises(InvalidInput):  # stale
        tips.check_form_token(st, tips.issue_form_token(st, now - 3 * 3600), now)
    forged = tips.issue_form_token(st, now - 10)[:-4] + "abcd"
    with pytest.raises(InvalidInput):
        tips.check_form_token(st, forged, now)
    with pytest.raises(InvalidInput):
        tips.check_form_token(st, "garbage", now)


def test_form_token_ages_are_the_settings(bureau: Bureau) -> None:
    """NCB_TIP_FORM_MIN_SECONDS / _MAX_SECONDS decide what is too fast and what has expired."""
    st = bureau.settings.model_copy(update={"tip_form_min_seconds": 30, "tip_form_max_seconds": 60})
    now = time.time()
    with pytest.raises(tips.TooMany):  # 10 s passes the default 2 s, not 30 s
        tips.check_form_token(st, tips.issue_form_token(st, now - 10), now)
    with pytest.raises(InvalidInput, match="expired"):  # 2 min passes the default 2 h, not 60 s
        tips.check_form_token(st, tips.issue_form_token(st, now - 120), now)
    tips.check_form_token(st, tips.issue_form_token(st, now - 45), now)


def test_no_tip_table_holds_client_data_columns(bureau: Bureau) -> None:
    schema = inspect(bureau.engine)  # the migrated columns, on either database
    for table in ("tips", "tip_messages"):
        cols = [c["name"] for c in schema.get_columns(table)]
        assert cols, f"no table {table}"
        assert not any(c == "ip" or "agent" in c or "addr" in c for c in cols)
