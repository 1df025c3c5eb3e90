"""The loader refuses bad rules files with an error naming the file, the entry and the field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ncb.rules import RULES_DIR, RulesError, load_rules, load_rules_from, validate_file


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    for path in RULES_DIR.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_packaged_rules_load_and_are_cached() -> None:
    assert load_rules() is load_rules()


def test_copy_loads_like_the_package(rules_copy: Path) -> None:
    assert load_rules_from(rules_copy) == load_rules()


@pytest.mark.parametrize(
    ("file", "old", "new", "entry", "field"),
    [
        (
            "deadlines.yaml",
            "period: {amount: 12, unit: hours}",
            "period: {amount: 12, unit: weeks}",
            "deadlines.sirene_reply",
            "period.unit",
        ),
        (
            "deadlines.yaml",
            "period: {amount: 60, unit: days}",
            "period: {amount: -60, unit: days}",
            "deadlines.eaw_decision_arrest",
            "period.amount",
        ),
        (
            "codes.yaml",
            "urgent: {label: Urgent, order: 1,",
            "urgent: {label: Urgent, order: first,",
            "priorities.urgent",
            "order",
        ),
        ("markings.yaml", "rank: 3\n", "rnak: 3\n", "classifications.SECRET", "rank"),
        (
            "eaw.yaml",
            "offence_min_months: 12",
            "offence_min_months: twelve",
            "eaw_thresholds",
            "offence_min_months",
        ),
        (
            "countries.yaml",
            '"FR": {name: "France", region: europe',
            '"FR": {name: "France", region: atlantis',
            "countries.FR",
            "region",
        ),
        (
            "schengen.yaml",
            "12: {name: hit_time_utc,",
            "12: {name: Hit Time,",
            "sirene_forms.G",
            "fields.12.name",
        ),
    ],
)
def test_bad_field_names_file_entry_and_field(
    rules_copy: Path, file: str, old: str, new: str, entry: str, field: str
) -> None:
    path = rules_copy / file
    replace(path, old, new)
    with pytest.raises(RulesError) as info:
        validate_file(path)
    err = info.value
    assert err.file == file
    assert entry in err.entry
    assert field.split(".")[0] in err.field or field in str(err)
    assert file in str(err) and entry in str(err)


def test_missing_source_is_refused(rules_copy: Path) -> None:
    path = rules_copy / "deadlines.yaml"
    replace(path, '    source: "Reg. (EU) 2018/1862 Art. 8(2); SIRENE Manual s.1.13"\n', "")
    with pytest.raises(RulesError) as info:
        validate_file(path)
    assert info.value.entry == "deadlines.sirene_reply" and info.value.field == "source"


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("routing.yaml", "team: cyber}", "team: cyborgs}", "cyborgs"),
        ("routing.yaml", "  - {team: general_desk, note: Catch-all}\n", "", "catch-all"),
        ("requests.yaml", "deadline: service_high\n", "deadline: service_soon\n", "service_soon"),
        (
            "roles.yaml",
            "permissions: [tip.handle, appeal.draft]",
            "permissions: [tip.handle, tip.eat]",
            "tip.eat",
        ),
        ("workflow.yaml", "new: [triaged, cancelled]", "new: [triaged, limbo]", "limbo"),
        (
            "codes.yaml",
            "service_deadline: sirene_reply",
            "service_deadline: sirene_later",
            "sirene_later",
        ),
    ],
)
def test_cross_references_checked(
    rules_copy: Path, file: str, old: str, new: str, message: str
) -> None:
    replace(rules_copy / file, old, new)
    with pytest.raises(RulesError) as info:
        load_rules_from(rules_copy)
    assert info.value.file == file and message in str(info.value)


def test_not_yaml(rules_copy: Path) -> None:
    (rules_copy / "europol.yaml").write_text("europol_limits: [unclosed\n", encoding="utf-8")
    with pytest.raises(RulesError, match="europol.yaml"):
        validate_file(rules_copy / "europol.yaml")


def test_duplicate_key_refused(rules_copy: Path) -> None:
    replace(
        rules_copy / "codes.yaml",
        "  fraud: {label: Fraud and economic crime}\n",
        "  fraud: {label: Fraud and economic crime}\n  fraud: {label: Again}\n",
    )
    with pytest.raises(RulesError, match="duplicate key 'fraud'"):
        validate_file(rules_copy / "codes.yaml")


def test_unknown_section_refused(rules_copy: Path) -> None:
    (rules_copy / "extra.yaml").write_text("weather: {}\n", encoding="utf-8")
    with pytest.raises(RulesError, match="unknown section"):
        load_rules_from(rules_copy)


def test_section_defined_twice_refused(rules_copy: Path) -> None:
    shutil.copy(rules_copy / "europol.yaml", rules_copy / "europol2.yaml")
    with pytest.raises(RulesError, match="already defined in europol.yaml"):
        load_rules_from(rules_copy)


def test_missing_section_refused(rules_copy: Path) -> None:
    (rules_copy / "europol.yaml").unlink()
    with pytest.raises(RulesError, match="europol_limits"):
        load_rules_from(rules_copy)


def test_norway_is_not_false(rules_copy: Path) -> None:
    replace(rules_copy / "countries.yaml", '"NO":', "NO:")
    with pytest.raises(RulesError) as info:
        validate_file(rules_copy / "countries.yaml")
    assert "countries.yaml" in str(info.value)
