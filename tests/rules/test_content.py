"""Content checks on the packaged rules: counts, sources, and the facts in DOMAIN.md."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from ncb.rules import Rules, load_rules

R: Rules = load_rules()


def test_countries() -> None:
    members = {k for k, c in R.countries.items() if c.interpol_member}
    assert 194 <= len(members) <= 196
    assert sum(c.eu for c in R.countries.values()) == 27
    assert sum(c.eu_schengen for c in R.countries.values()) == 29
    assert {"IE", "CY"} <= {k for k, c in R.countries.items() if c.sis and not c.eu_schengen}
    assert R.countries["NO"].eu_schengen and not R.countries["NO"].eu
    assert not R.countries["GB"].eu and not R.countries["GB"].sis
    assert not R.countries["KP"].interpol_member


def test_code_lists() -> None:
    assert len(R.crime_areas) == 20
    assert set(R.channels) == {"interpol", "europol", "schengen", "eaw", "bilateral", "liaison",
                               "data_protection"}
    assert [p for p, _ in sorted(R.priorities.items(), key=lambda kv: kv[1].order)] == [
        "urgent",
        "high",
        "normal",
        "low",
    ]
    assert {c: x.rank for c, x in R.classifications.items()} == {
        "OFFICIAL": 1,
        "OFFICIAL-SENSITIVE": 2,
        "SECRET": 3,
        "TOP-SECRET": 4,
    }
    assert set(R.handling_codes["europol"].codes) == {"H0", "H1", "H2", "H3"}
    assert R.handling_codes["europol"].codes["H3"].requires_text
    assert R.handling_codes["uk_3x5x2"].codes["C"].requires_conditions
    assert set(R.handling_codes["uk_5x5x5"].codes) == {"1", "2", "3", "4", "5"}
    assert list(R.tlp) == ["TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED"]
    assert set(R.grading["europol_4x4"].source_codes) == {"A", "B", "C", "X"}
    assert set(R.grading["uk_3x5x2"].information_codes) == set("ABCDE")
    assert {
        "red",
        "yellow",
        "blue",
        "black",
        "green",
        "orange",
        "purple",
        "silver",
        "un_special",
        "diffusion",
    } == set(R.notice_types)
    assert not R.notice_types["diffusion"].reviewed
    assert set(R.sis_articles) == {"26", "32", "34", "36", "38", "40"}
    assert "warrant_reference" in R.sis_articles["26"].required_fields
    assert set(R.sirene_forms) == {"A", "G", "M", "I"}
    assert R.sirene_forms["G"].deadline == "sirene_g_form"
    assert set(R.eaw_sections) == set("abcdefghi")


def test_roles_and_permissions() -> None:
    assert set(R.roles) == {
        "desk_officer",
        "supervisor",
        "analyst",
        "liaison_officer",
        "extradition_officer",
        "partner_user",
        "tip_handler",
        "data_protection_officer",
        "administrator",
    }
    # The DPO reads and verifies the audit, and does nothing else.
    assert set(R.roles["data_protection_officer"].permissions) == {"audit.read", "audit.verify"}
    assert "eaw.certify" in R.roles["extradition_officer"].permissions
    assert "eaw.certify" not in R.roles["desk_officer"].permissions
    assert "user.admin" in R.roles["administrator"].permissions


def test_request_types() -> None:
    for code in (
        "person_trace",
        "address_trace",
        "criminal_record_check",
        "vehicle_check",
        "document_check",
        "phone_subscriber_check",
        "fingerprint_check",
        "dna_check",
        "locate_and_arrest",
    ):
        rt = R.request_types[code]
        assert rt.required_fields and rt.deadline in R.deadlines and rt.team in R.teams


def test_check_marked_periods() -> None:
    assert R.deadlines["uk_extradition_hearing"].check
    assert R.deadlines["uk_high_court_appeal"].check


def _entries(obj: object) -> list[BaseModel]:
    if isinstance(obj, BaseModel):
        found = [obj] if "source" in type(obj).model_fields else []
        for name in type(obj).model_fields:
            found += _entries(getattr(obj, name))
        return found
    if isinstance(obj, dict):
        return [e for v in obj.values() for e in _entries(v)]
    if isinstance(obj, list):
        return [e for v in obj for e in _entries(v)]
    return []


@pytest.mark.parametrize("section", sorted(Rules.model_fields))
def test_every_entry_names_its_source(section: str) -> None:
    entries = _entries(getattr(R, section))
    assert entries, section
    for entry in entries:
        assert len(entry.source.strip()) >= 3  # type: ignore[attr-defined]
