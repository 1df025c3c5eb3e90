"""Interpol notice JSON: parse, all-or-nothing errors with positions, export round trip, Art. 3."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from ncb.domain.errors import DomainError
from ncb.domain.interpol import (
    NoticeImportError,
    article3_check,
    export_notice,
    parse_notices,
)


def notice(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "entity_id": "2009/12345",
        "forename": "JOHN",
        "name": "DOE",
        "date_of_birth": "1975/03/02",
        "place_of_birth": "London",
        "country_of_birth_id": "GB",
        "nationalities": ["GB", "ie"],
        "sex_id": "M",
        "height": 1.8,
        "weight": 0,
        "eyes_colors_id": ["BRO"],
        "hairs_id": ["BLA"],
        "distinguishing_marks": "Tattoo of a swallow on the left hand",
        "languages_spoken_ids": ["ENG"],
        "arrest_warrants": [{"charge": "Drug trafficking", "issuing_country_id": "ES"}],
        "_links": {"self": {"href": "https://example.invalid"}},
    }
    base.update(changes)
    return base


def test_parse_good_notice() -> None:
    [rec] = parse_notices([notice()])
    assert rec.nationalities == ["GB", "IE"]
    assert rec.weight is None and rec.height == 1.8
    assert rec.birth_year == 1975 and rec.birth_date is not None
    assert rec.arrest_warrants[0].issuing_country_id == "ES"


@pytest.mark.parametrize(
    ("dob", "year", "full"),
    [
        ("1975", 1975, False),
        ("1975/03", 1975, False),
        ("1975/03/02", 1975, True),
        (None, None, False),
    ],
)
def test_partial_dates_of_birth(dob: str | None, year: int | None, full: bool) -> None:
    [rec] = parse_notices([notice(date_of_birth=dob)])
    assert rec.birth_year == year
    assert (rec.birth_date is not None) is full


def test_dash_style_entity_id_and_nulls() -> None:
    [rec] = parse_notices(
        [notice(entity_id="2009-12345", nationalities=None, hairs_id=None, height=0, sex_id=None)]
    )
    assert rec.nationalities == [] and rec.height is None and rec.sex_id is None


@pytest.mark.parametrize("notice_type", ["red", "yellow", "un_special"])
def test_round_trip(notice_type: str) -> None:
    [rec] = parse_notices([notice()], notice_type=notice_type)
    exported = export_notice(rec)
    assert exported["weight"] == 0 and "_links" not in exported and "notice_type" not in exported
    assert parse_notices([exported], notice_type=notice_type) == [rec]


BAD = [
    (notice(entity_id="12345"), "entity_id"),
    (notice(entity_id="2009/"), "entity_id"),
    (notice(name=""), "name"),
    (notice(date_of_birth="02/03/1975"), "date_of_birth"),
    (notice(date_of_birth="1975/02/30"), "date_of_birth"),
    (notice(nationalities=["XX"]), "nationalities.0"),
    (notice(sex_id="X"), "sex_id"),
    (notice(height=-1), "height"),
    (
        notice(arrest_warrants=[{"charge": "", "issuing_country_id": "ES"}]),
        "arrest_warrants.0.charge",
    ),
    (
        notice(arrest_warrants=[{"charge": "Fraud", "issuing_country_id": "QQ"}]),
        "arrest_warrants.0.issuing_country_id",
    ),
    (notice(forname="typo"), "forname"),
]


@pytest.mark.parametrize(("bad", "field"), BAD)
def test_bad_record_position_and_field(bad: dict[str, Any], field: str) -> None:
    with pytest.raises(NoticeImportError) as info:
        parse_notices([notice(), notice(), bad])
    assert [(pos, f) for pos, f, _ in info.value.errors] == [(2, field)]
    assert info.value.field == "items" and info.value.rule == "interpol.notice_json"


def test_every_bad_record_is_reported_and_nothing_returned() -> None:
    items: list[Any] = [
        notice(),
        notice(entity_id="x"),
        notice(),
        "not an object",
        notice(sex_id="Q", nationalities=["ZZ"]),
    ]
    with pytest.raises(NoticeImportError) as info:
        parse_notices(items)
    positions = [pos for pos, _, _ in info.value.errors]
    assert positions == [1, 3, 4, 4]
    assert "record 2 entity_id" in str(info.value) and "nothing imported" in str(info.value)
    assert "records counted from 1" in str(info.value)


def test_unknown_notice_type_refused() -> None:
    with pytest.raises(NoticeImportError) as info:
        parse_notices([notice()], notice_type="pink")
    assert info.value.errors[0][1] == "notice_type"


def test_article3_check() -> None:
    at = datetime(2026, 1, 1, 12, tzinfo=UTC)
    ok = article3_check("2009/12345", [], "ordinary drug trafficking charge", "officer1", at)
    assert ok.compliant and ok.recommendation == "proceed"
    bad = article3_check(
        "2009/12345",
        ["political", "religious"],
        "charge is insulting the head of state",
        "officer1",
        at,
    )
    assert not bad.compliant and bad.concerns == ["political", "religious"]
    assert "General Secretariat" in bad.recommendation


@pytest.mark.parametrize(
    ("concerns", "rationale", "by", "field"),
    [
        (["sporting"], "r", "o", "concerns"),
        ([], " ", "o", "rationale"),
        ([], "r", "", "assessed_by"),
    ],
)
def test_article3_refusals(concerns: list[str], rationale: str, by: str, field: str) -> None:
    with pytest.raises(DomainError) as info:
        article3_check("2009/1", concerns, rationale, by, datetime(2026, 1, 1, tzinfo=UTC))
    assert info.value.field == field
