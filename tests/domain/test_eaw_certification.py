"""EAW certification thresholds, list offences, refusal grounds and sections (a)-(i)."""

from __future__ import annotations

import pytest

from ncb.domain.eaw import (
    Decision,
    Identity,
    IssuingAuthority,
    Offences,
    Sentence,
    Trial,
    Warrant,
    certification_check,
    missing_sections,
)
from ncb.domain.errors import DomainError
from ncb.rules import load_rules


@pytest.mark.parametrize(
    ("offence", "sentence", "list_code", "dual", "grounds", "ok", "threshold", "dual_required"),
    [
        (12, None, None, True, [], True, "offence", True),
        (11, None, None, True, [], False, "offence", True),
        (None, 4, None, True, [], True, "sentence", True),
        (None, 3, None, True, [], False, "sentence", True),
        (60, 3, None, True, [], False, "sentence", True),
        (36, None, "fraud", None, [], True, "list_offence", False),
        (36, None, "fraud", False, [], True, "list_offence", False),
        (35, None, "fraud", None, [], False, "offence", True),
        (35, None, "fraud", True, [], True, "offence", True),
        (24, None, None, False, [], False, "offence", True),
        (24, None, None, None, [], False, "offence", True),
        (
            120,
            None,
            "murder_grievous_bodily_injury",
            None,
            ["amnesty"],
            False,
            "list_offence",
            False,
        ),
        (120, None, "rape", None, ["ne_bis_in_idem"], False, "list_offence", False),
        (120, None, "rape", None, ["age"], False, "list_offence", False),
        (
            120,
            None,
            "rape",
            None,
            ["national_resident_serving_sentence"],
            True,
            "list_offence",
            False,
        ),
        (24, None, None, True, ["statute_barred", "trial_in_absentia"], True, "offence", True),
        (48, 6, "drug_trafficking", None, [], True, "list_offence", False),
    ],
)
def test_certification(
    offence: int | None,
    sentence: int | None,
    list_code: str | None,
    dual: bool | None,
    grounds: list[str],
    ok: bool,
    threshold: str,
    dual_required: bool,
) -> None:
    result = certification_check(offence, sentence, list_code, dual, grounds)
    assert result.certifiable is ok
    assert result.threshold == threshold
    assert result.dual_criminality_required is dual_required
    assert bool(result.reasons) is (not ok)
    for g in grounds:
        assert any(g in text for text in result.reasons + result.notes)


def test_thresholds_come_from_rules() -> None:
    th = load_rules().eaw_thresholds
    assert (th.offence_min_months, th.sentence_min_months, th.list_offence_min_months) == (
        12,
        4,
        36,
    )


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ((None, None, None, True, []), "offence_max_months"),
        ((-1, None, None, True, []), "offence_max_months"),
        ((12, None, "jaywalking", True, []), "list_offence_code"),
        ((12, None, None, True, ["bad_mood"]), "refusal_grounds"),
    ],
)
def test_certification_bad_input(args: tuple[object, ...], field: str) -> None:
    with pytest.raises(DomainError) as info:
        certification_check(*args)  # type: ignore[arg-type]
    assert info.value.field == field


def test_all_32_list_offences_and_refusal_kinds() -> None:
    rules = load_rules()
    assert len(rules.eaw_list_offences) == 32
    kinds = {k: g.kind for k, g in rules.eaw_refusal_grounds.items()}
    assert {k for k, v in kinds.items() if v == "mandatory"} == {"amnesty", "ne_bis_in_idem", "age"}
    assert "national_resident_serving_sentence" in kinds and "trial_in_absentia" in kinds


def full_warrant(**changes: object) -> Warrant:
    base = Warrant(
        identity=Identity(name="DOE", forenames="John"),
        decision=Decision(kind="arrest_warrant", reference="W-1"),
        sentence=Sentence(max_penalty_months=120),
        trial=Trial(appeared_in_person=True),
        offences=Offences(
            count=1, description="Armed robbery", list_offences=["organised_armed_robbery"]
        ),
        issuing_authority=IssuingAuthority(name="Juzgado", country="ES", signed_by="Judge X"),
    )
    return base.model_copy(update=changes)


@pytest.mark.parametrize(
    ("changes", "missing"),
    [
        ({}, []),
        ({"identity": None}, ["a"]),
        ({"decision": None, "issuing_authority": None}, ["b", "i"]),
        ({"sentence": None, "trial": None, "offences": None}, ["c", "d", "e"]),
        ({"sentence": Sentence(life=True)}, ["h"]),
    ],
)
def test_missing_sections(changes: dict[str, object], missing: list[str]) -> None:
    assert missing_sections(full_warrant(**changes)) == missing


def test_life_sentence_with_review_is_complete() -> None:
    w = full_warrant(sentence=Sentence(life=True), life_sentence_review="review after 20 years")
    assert missing_sections(w) == []


def test_unknown_list_offence_in_section_e() -> None:
    w = full_warrant(offences=Offences(count=1, description="x", list_offences=["nope"]))
    with pytest.raises(DomainError):
        missing_sections(w)
