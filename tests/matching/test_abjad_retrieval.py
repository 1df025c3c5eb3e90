"""Screening in Hebrew or Arabic script finds the person indexed in Latin letters (issue 8)."""

from ncb.matching import PersonRecord
from ncb.matching.screener import Screener

LIST = ["Benjamin Netanyahu", "Mohammed Al Rasheed", "Benjamin Franklin", "Mohammed Salah",
        "Yair Lapid", "Ahmed Rashid", "Natan Sharansky"]  # fmt: skip


def _screener() -> Screener:
    s = Screener()
    s.build(PersonRecord(id=str(i), full_name=n) for i, n in enumerate(LIST))
    return s


def _best(s: Screener, name: str) -> str:
    hits = [h for h in s.screen(PersonRecord(id="q", full_name=name)) if h.match]
    return LIST[int(hits[0].candidate_id)] if hits else ""


def test_hebrew_and_arabic_script_queries_find_the_latin_record() -> None:
    s = _screener()
    assert _best(s, "בנימין נתניהו") == "Benjamin Netanyahu"
    assert _best(s, "מוחמד אל-רשיד") == "Mohammed Al Rasheed"
    assert _best(s, "بنيامين نتنياهو") == "Benjamin Netanyahu"
    assert _best(s, "محمد الرشيد") == "Mohammed Al Rasheed"


def test_a_removed_record_is_no_longer_found_by_its_skeleton() -> None:
    s = _screener()
    s.remove("0")
    s.index.compact()
    assert _best(s, "בנימין נתניהו") == ""
