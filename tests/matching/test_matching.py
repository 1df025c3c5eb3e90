"""Behaviour a user would notice: names across scripts, order, nicknames, evidence, index."""

from __future__ import annotations

import pytest

from ncb.matching import (
    Decision,
    MemoryJudgements,
    NameOnly,
    PersonRecord,
    PersonScreening,
    Screener,
    prepare,
)
from ncb.matching.compare import dob_similarity
from ncb.matching.data import countries, given_name_groups, thresholds
from ncb.matching.normalize import name_tokens
from ncb.matching.record import normalize_country, normalize_identifier, parse_dob


def score(a: str, b: str, **kw: str) -> float:
    alg = PersonScreening()
    ra = PersonRecord("a", full_name=a, **{k[:-1]: v for k, v in kw.items() if k.endswith("1")})
    rb = PersonRecord("b", full_name=b, **{k[:-1]: v for k, v in kw.items() if k.endswith("2")})
    return alg.compare_records(ra, rb).score


def is_match(a: str, b: str, **kw: str) -> bool:
    return score(a, b, **kw) >= thresholds()["screening"]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Владимир Путин", "Vladimir Putin"),
        ("Сергей Викторович Лавров", "Sergey Lavrov"),
        ("Юрий Хрущёв", "Yuri Khrushchev"),
        ("محمد بن سلمان", "Mohammed bin Salman"),
        ("习近平", "Xi Jinping"),
        ("Κυριάκος Μητσοτάκης", "Kyriakos Mitsotakis"),
    ],
)
def test_transliterated_names_match_latin(a: str, b: str) -> None:
    assert is_match(a, b)


def test_reordered_names_match() -> None:
    assert is_match("Putin Vladimir", "Vladimir Putin")
    assert is_match("SALEK, ABDULHAI", "ABDULHAI SALEK")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Bob Smith", "Robert Smith"),
        ("Bill Gates", "William Gates"),
        ("Muhammad Ali", "Mohamed Ali"),
        ("Sasha Petrov", "Aleksandr Petrov"),
    ],
)
def test_nicknames_and_variants_match(a: str, b: str) -> None:
    assert is_match(a, b)


def test_different_people_do_not_match() -> None:
    assert not is_match("Barack Obama", "Michelle Obama")
    assert not is_match("Hans O Friedrich", "Hans Joachim Friedrich")
    assert not is_match("John Smith", "Maria Garcia")


def test_honorifics_dropped_and_particles_joined() -> None:
    assert name_tokens("Sheikh Dr. Ahmed al-Hamzi") == ("ahmed", "al", "hamzi")
    assert "vander" in name_tokens("Jan van der Berg")
    assert is_match("Osama bin Laden", "Usama ibn Laden")


def test_different_birth_year_lowers_score_below_threshold() -> None:
    same = score(
        "Ahmed Hassan", "Ahmed Hassan", date_of_birth1="1970-03-01", date_of_birth2="1970-03-01"
    )
    other = score(
        "Ahmed Hassan", "Ahmed Hassan", date_of_birth1="1970-03-01", date_of_birth2="1985-06-12"
    )
    assert other < same
    assert other < thresholds()["screening"] <= same


def test_gender_and_document_disagreement_lower_score() -> None:
    base = score("Ahmed Hassan", "Ahmed Hassan")
    assert score("Ahmed Hassan", "Ahmed Hassan", gender1="m", gender2="female") < base
    assert (
        score(
            "Ahmed Hassan", "Ahmed Hassan", document_number1="X1234567", document_number2="Y9876543"
        )
        < base
    )


def test_dob_partial_swap_and_off_by_one() -> None:
    def sim(a: str, b: str) -> float | None:
        return dob_similarity(
            prepare(PersonRecord("a", "x", date_of_birth=a)),
            prepare(PersonRecord("b", "x", date_of_birth=b)),
        )

    assert sim("1970-03-04", "1970-03-04") == 1.0
    assert sim("1970", "1970-03-04") == pytest.approx(0.8)
    assert sim("1970-04-03", "1970-03-04") == pytest.approx(0.85)
    assert 0.0 < sim("1971-03-04", "1970-03-04") < 0.8  # type: ignore[operator]
    assert sim("1950-03-04", "1990-08-09") == 0.0
    assert sim("", "1970") is None
    assert parse_dob("19560409") == (1956, 4, 9)


def test_ocr_confused_passport_numbers_match() -> None:
    s = Screener()
    s.add(PersonRecord("p1", full_name="Ivan Petrov", document_number="AB 0123 I5S8"))
    s.add(PersonRecord("doc", kind="document", full_name="passport", document_number="OB-0123-158"))
    hits = s.screen(PersonRecord("q", full_name="Ivan Petrov", document_number="AB0I231558"))
    assert hits[0].candidate_id == "p1"
    ident = next(f for f in hits[0].explanation.features if f.feature == "identifier")
    assert ident.similarity is not None and ident.similarity >= 0.9
    obj = s.screen(PersonRecord("q2", kind="document", full_name="-", document_number="0B0123I58"))
    assert obj and obj[0].candidate_id == "doc" and obj[0].match
    assert normalize_identifier("ab-12 34.5") == "AB12345"


def test_explanation_lists_features() -> None:
    exp = PersonScreening().compare_records(
        PersonRecord("a", "Vladimir Putin", date_of_birth="1952-10-07", nationality="Russia"),
        PersonRecord("b", "Putin Vladimir", date_of_birth="1952", nationality="RU"),
    )
    names = [f.feature for f in exp.features]
    assert names[:4] == ["name", "date_of_birth", "gender", "nationality"]
    d = exp.to_dict()
    assert d["features"][0]["weight"] == 1.0 and "contribution" in d["features"][0]
    assert "name" in exp.summary and "date_of_birth" in exp.summary and exp.match


def test_index_add_update_remove_changes_results() -> None:
    s = Screener()
    s.build([PersonRecord("1", "Maria Garcia"), PersonRecord("2", "John Smith")])
    q = PersonRecord("q", "Jon Smith")
    assert [h.candidate_id for h in s.screen(q)][:1] == ["2"]
    s.update(PersonRecord("2", "Peter Miller"))
    assert "2" not in [h.candidate_id for h in s.screen(q)]
    s.add(PersonRecord("3", "John Smyth"))
    assert s.screen(q)[0].candidate_id == "3"
    assert s.remove("3") and not s.remove("3")
    assert s.screen(q) == []
    assert len(s) == 2


def test_judgements_override() -> None:
    j = MemoryJudgements()
    s = Screener(judgements=j)
    s.add(PersonRecord("1", "John Smith"))
    s.add(PersonRecord("2", "Jonathan Smithers"))
    q = PersonRecord("q", "John Smith")
    assert s.screen(q)[0].match
    j.set("1", "q", Decision.NO_MATCH)
    hit = next(h for h in s.screen(q) if h.candidate_id == "1")
    assert not hit.match and "judgement" in hit.summary
    j.set("q", "2", "match")
    hit2 = next(h for h in s.screen(q) if h.candidate_id == "2")
    assert hit2.match and hit2.score == 1.0 and j.get("2", "q") == Decision.MATCH


def test_name_only_ignores_other_evidence() -> None:
    a = PersonRecord("a", "Ahmed Hassan", date_of_birth="1950")
    b = PersonRecord("b", "Ahmed Hassan", date_of_birth="1990")
    assert NameOnly().compare_records(a, b).match


def test_data_tables_load() -> None:
    assert len(given_name_groups()) > 500
    assert countries()["germany"] == "DE" and normalize_country("Iran, Islamic Republic of") == "IR"
    assert set(thresholds()) == {"screening", "linkage"}
