"""The routing table: first match wins, absent condition = any, catch-all last."""

from __future__ import annotations

import pytest

from ncb.domain.errors import DomainError
from ncb.domain.routing import explain_route, matching_rule, route


@pytest.mark.parametrize(
    ("channel", "crime_area", "country", "team"),
    [
        ("eaw", "fugitives", "ES", "eaw_extradition"),
        ("eaw", None, None, "eaw_extradition"),
        ("schengen", "drugs", "FR", "sirene_desk"),
        ("interpol", "fugitives", "ES", "fugitives"),
        ("bilateral", "fugitives", "TH", "fugitives"),
        ("europol", "terrorism", "DE", "intel_analysis"),
        ("interpol", "cybercrime", "RU", "cyber"),
        ("europol", "drugs", "NL", "drugs_firearms"),
        ("interpol", "firearms", None, "drugs_firearms"),
        ("bilateral", "fraud", "US", "liaison_coordination"),
        ("bilateral", "fraud", "us", "liaison_coordination"),
        ("bilateral", None, "AU", "liaison_coordination"),
        ("liaison", "fraud", "GH", "liaison_coordination"),
        ("interpol", "fraud", "BR", "interpol_desk"),
        ("europol", "money_laundering", "IT", "europol_desk"),
        ("bilateral", "fraud", "FR", "general_desk"),
        ("bilateral", None, None, "general_desk"),
    ],
)
def test_route(channel: str, crime_area: str | None, country: str | None, team: str) -> None:
    assert route(channel, crime_area, country) == team


def test_matching_rule_explains() -> None:
    row = matching_rule("bilateral", "fugitives", "ES")
    assert row.team == "fugitives" and "Captura" in row.note and row.source


@pytest.mark.parametrize(
    ("channel", "crime_area", "country", "field"),
    [
        ("fax", None, None, "channel"),
        ("interpol", "piracy", None, "crime_area"),
        ("interpol", None, "ZZ", "country"),
    ],
)
def test_unknown_codes(
    channel: str, crime_area: str | None, country: str | None, field: str
) -> None:
    with pytest.raises(DomainError) as info:
        route(channel, crime_area, country)
    assert info.value.field == field


def test_explain_route() -> None:
    text = explain_route("bilateral", "fugitives", "ES")
    assert "Fugitives Unit" in text and "row 3" in text and "source" in text
