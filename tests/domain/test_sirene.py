"""SIRENE forms: required numbered fields of every form, urgency reason, references, G due."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from ncb.domain.errors import DomainError
from ncb.domain.sirene import (
    form_model,
    form_spec,
    g_form_due,
    new_reference,
    parse_reference,
    validate_form,
)

REQUIRED = {
    "A": {1, 2, 3, 4, 5, 6, 11, 12, 13, 14, 16},
    "G": {1, 2, 3, 4, 5, 6, 7, 11, 12, 13, 14},
    "M": {1, 2, 3, 4, 11, 12},
    "I": {1, 2, 3, 4, 5, 11, 12, 13},
}
CASES = [(form, number) for form, numbers in REQUIRED.items() for number in sorted(numbers)]


def complete(form: str) -> dict[str | int, object]:
    return {n: f"value {n}" for n in REQUIRED[form]}


@pytest.mark.parametrize("form", sorted(REQUIRED))
def test_required_fields_match(form: str) -> None:
    spec = form_spec(form)
    assert {n for n, f in spec.fields.items() if f.required} == REQUIRED[form]
    assert validate_form(form, complete(form)) == []


@pytest.mark.parametrize(("form", "number"), CASES)
def test_each_missing_required_field_is_named(form: str, number: int) -> None:
    fields = complete(form)
    del fields[number]
    errors = validate_form(form, fields)
    name = form_spec(form).fields[number].name
    assert errors == [f"form {form}: field {number:03d} ({name}) is required"]


@pytest.mark.parametrize(("form", "number"), CASES[:6])
def test_blank_counts_as_missing(form: str, number: int) -> None:
    fields = complete(form)
    fields[number] = "   "
    assert len(validate_form(form, fields)) == 1


def test_fields_by_name_and_lowercase_form() -> None:
    fields = {form_spec("M").fields[n].name: "x" for n in REQUIRED["M"]}
    assert validate_form("m", fields) == []


def test_unknown_field_reported() -> None:
    fields = complete("G")
    fields[99] = "x"
    fields["colour"] = "x"
    assert len(validate_form("G", fields)) == 2


@pytest.mark.parametrize(
    ("urgent", "reason", "ok"),
    [(True, "", False), (True, "armed suspect", True), (False, "", True)],
)
def test_urgent_needs_reason(urgent: bool, reason: str, ok: bool) -> None:
    fields = complete("G")
    fields["urgent"] = urgent
    fields["urgent_reason"] = reason
    errors = validate_form("G", fields)
    assert (errors == []) is ok
    if not ok:
        assert "urgent_reason" in errors[0]


def test_unknown_form() -> None:
    with pytest.raises(DomainError) as info:
        validate_form("B", {})
    assert info.value.field == "form_type"


def test_form_model_requires_required_fields() -> None:
    model = form_model("G")
    assert model.model_fields["action_taken"].is_required()
    assert not model.model_fields["additional_information"].is_required()


def test_reference_format_and_round_trip() -> None:
    now = datetime(2026, 5, 1, 14, 0, 5, tzinfo=timezone(timedelta(hours=2)))
    ref = new_reference("gb", 42, now)
    assert ref == "GB-SIRENE-20260501T120005Z-000042"
    assert parse_reference(ref) == ("GB", datetime(2026, 5, 1, 12, 0, 5, tzinfo=UTC), 42)
    assert new_reference("GB", 43, now) != ref


@pytest.mark.parametrize(
    ("bureau", "seq", "now", "field"),
    [
        ("ZZ", 1, datetime(2026, 1, 1, tzinfo=UTC), "bureau_code"),
        ("FR", -1, datetime(2026, 1, 1, tzinfo=UTC), "seq"),
        ("FR", 1, datetime(2026, 1, 1), "now"),
    ],
)
def test_reference_refusals(bureau: str, seq: int, now: datetime, field: str) -> None:
    with pytest.raises(DomainError) as info:
        new_reference(bureau, seq, now)
    assert info.value.field == field


def test_parse_reference_refuses_garbage() -> None:
    with pytest.raises(DomainError):
        parse_reference("not-a-ref")


def test_g_form_due_twelve_hours_utc() -> None:
    hit = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
    assert g_form_due(hit) == hit + timedelta(hours=12)
    with pytest.raises(DomainError):
        g_form_due(datetime(2026, 3, 29, 0, 30))
