"""Issue 11: an anonymous flood cannot close the tip line. Past the free allowance each form
needs a proof of work; a sender who does it is accepted however many forms came before,
and the flooder without work stores nothing more."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from ncb.services import tip_forms, tips
from ncb.store.models import Tip
from tests.services.public_fixtures import Bureau, bureau_fixture  # noqa: F401

BODY = "Seen at the bus station in Alicante at noon, with a blue rucksack."


def _token(b: Bureau) -> str:
    return tips.issue_form_token(b.settings, now=time.time() - tips.FORM_MIN_SECONDS)


def _count(b: Bureau) -> int:
    with b.session("system") as s:
        return s.scalar(select(func.count(Tip.id))) or 0


def test_a_flood_of_forms_does_not_close_the_line(bureau: Bureau) -> None:
    refused = 0
    for _ in range(200):  # the reported attack was 126 requests in 7 s
        try:
            with bureau.session(None) as s:
                tips.submit_tip(s, bureau.settings, BODY, form_token=_token(bureau))
        except tips.TooMany as exc:
            assert exc.rule == "proof_of_work"
            refused += 1
    assert _count(bureau) == tip_forms.FREE_PER_WINDOW and refused == 200 - _count(bureau)
    bits = tips.current_bits()
    assert tip_forms.BASE_BITS <= bits <= tip_forms.MAX_BITS
    token = _token(bureau)  # an honest sender: the page's script stamps the form
    with bureau.session(None) as s:
        receipt = tips.submit_tip(s, bureau.settings, BODY, form_token=token,
                                  stamp=tip_forms.solve(token, bits))
    assert receipt.reference and _count(bureau) == tip_forms.FREE_PER_WINDOW + 1


def test_a_wrong_stamp_is_refused_and_the_form_can_be_sent_again(bureau: Bureau) -> None:
    for _ in range(tip_forms.FREE_PER_WINDOW):
        tip_forms.SUBMISSIONS.add()
    token = _token(bureau)
    with pytest.raises(tips.TooMany), bureau.session(None) as s:
        tips.submit_tip(s, bureau.settings, BODY, form_token=token, stamp="12345")
    with bureau.session(None) as s:  # the refusal did not use the token up
        tips.submit_tip(s, bureau.settings, BODY, form_token=token,
                        stamp=tip_forms.solve(token, tips.current_bits()))


def test_difficulty_rises_with_the_flood_and_is_capped() -> None:
    free = tip_forms.FREE_PER_WINDOW
    assert tip_forms.required_bits(free - 1) == 0
    assert tip_forms.required_bits(free) == tip_forms.BASE_BITS
    assert tip_forms.required_bits(4 * free) == tip_forms.BASE_BITS + 4
    assert tip_forms.required_bits(10 ** 9) == tip_forms.MAX_BITS


def test_load_meter_forgets_after_its_window() -> None:
    meter = tip_forms.LoadMeter(window_seconds=60, bucket_seconds=10)
    for t in range(50):
        meter.add(now=1000.0 + t)
    assert meter.count(now=1050.0) == 50
    assert meter.count(now=1200.0) == 0


def test_answers_are_limited_per_tip_not_for_everyone(bureau: Bureau) -> None:
    with bureau.session(None) as s:
        flooded = tips.submit_tip(s, bureau.settings, BODY, form_token=_token(bureau))
    with bureau.session(None) as s:
        other = tips.submit_tip(s, bureau.settings, BODY, form_token=_token(bureau))
    for _ in range(tips.ANSWERS_PER_HOUR):
        with bureau.session(None) as s:
            tips.answer(s, bureau.settings, flooded.reference, flooded.pin, "More detail.",
                        form_token=_token(bureau))
    with pytest.raises(tips.TooMany), bureau.session(None) as s:
        tips.answer(s, bureau.settings, flooded.reference, flooded.pin, "More detail.",
                    form_token=_token(bureau))
    with bureau.session(None) as s:  # another sender's tip is not affected
        tips.answer(s, bureau.settings, other.reference, other.pin, "He wore a red cap.",
                    form_token=_token(bureau))
