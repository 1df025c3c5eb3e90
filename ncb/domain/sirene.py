"""SIRENE forms (A, G, M, I): numbered-field validation, references and the G-form deadline.

Why: SIRENE bureaux exchange structured forms whose fields are numbered in the SIRENE Manual; a
form with a missing mandatory field is sent back, costing hours of a 12-hour limit. The layout is
data (`sirene_forms` in `ncb/rules/schengen.yaml`); this module checks a form before it leaves and
says which numbered fields are missing, and refuses an "urgent" flag without a reason.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, create_model

from ncb.domain.deadlines import as_utc, compute_due
from ncb.domain.errors import DomainError, UnknownCode
from ncb.rules import load_rules
from ncb.rules.channel_models import SireneForm

__all__ = [
    "form_model",
    "form_spec",
    "g_form_due",
    "new_reference",
    "parse_reference",
    "validate_form",
]

_REFERENCE = re.compile(r"^(?P<bureau>[A-Z]{2})-SIRENE-(?P<stamp>\d{8}T\d{6}Z)-(?P<seq>\d{6,})$")


def form_spec(form_type: str) -> SireneForm:
    """The rules entry of form `form_type` (A, G, M or I)."""
    forms = load_rules().sirene_forms
    key = form_type.upper()
    if key not in forms:
        raise UnknownCode("form_type", form_type, "sirene_forms", sorted(forms))
    return forms[key]


@functools.cache
def form_model(form_type: str) -> type[BaseModel]:
    """A pydantic model of the form, one attribute per field name (required fields required)."""
    spec = form_spec(form_type)
    definitions: dict[str, Any] = {
        f.name: ((Any, ...) if f.required else (Any, None)) for f in spec.fields.values()
    }
    return create_model(f"SireneForm{form_type.upper()}", **definitions)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


FormFields = Mapping[str, Any] | Mapping[int, Any] | Mapping[str | int, Any]


def validate_form(form_type: str, fields: FormFields) -> list[str]:
    """Errors of a form; `fields` is keyed by field number or name. Empty list = valid."""
    spec = form_spec(form_type)
    by_name = {f.name: n for n, f in spec.fields.items()}
    values: dict[int, Any] = {}
    errors: list[str] = []
    for key, value in fields.items():
        number = key if isinstance(key, int) else by_name.get(str(key))
        if number is None and isinstance(key, str) and key.isdigit():
            number = int(key)
        if number is None or number not in spec.fields:
            errors.append(f"form {form_type.upper()}: unknown field {key!r}")
            continue
        values[number] = value
    for number, f in sorted(spec.fields.items()):
        if f.required and _blank(values.get(number)):
            errors.append(f"form {form_type.upper()}: field {number:03d} ({f.name}) is required")
    urgent_no = by_name.get("urgent")
    reason_no = by_name.get("urgent_reason")
    if (
        urgent_no is not None
        and values.get(urgent_no)
        and (reason_no is None or _blank(values.get(reason_no)))
    ):
        errors.append(
            f"form {form_type.upper()}: field {urgent_no:03d} (urgent) is set, so field "
            f"{reason_no or 0:03d} (urgent_reason) must give the reason"
        )
    return errors


def new_reference(bureau_code: str, seq: int, now: datetime) -> str:
    """A unique form reference: `<ISO2>-SIRENE-<UTC yyyymmddThhmmssZ>-<seq, 6+ digits>`."""
    code = bureau_code.upper()
    if code not in load_rules().countries:
        raise UnknownCode("bureau_code", bureau_code, "countries")
    if seq < 0:
        raise DomainError("seq", "sirene.reference", "sequence number must not be negative")
    stamp = as_utc(now, "now").strftime("%Y%m%dT%H%M%SZ")
    return f"{code}-SIRENE-{stamp}-{seq:06d}"


def parse_reference(reference: str) -> tuple[str, datetime, int]:
    """Split a reference made by new_reference into (bureau, UTC timestamp, sequence)."""
    m = _REFERENCE.match(reference)
    if not m:
        raise DomainError(
            "reference",
            "sirene.reference",
            f"{reference!r} is not a reference like GB-SIRENE-20260101T120000Z-000001",
        )
    stamp = datetime.strptime(m["stamp"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    return m["bureau"], stamp, int(m["seq"])


def g_form_due(hit_at: datetime) -> datetime:
    """When the G form (hit, action taken) is due after a hit at `hit_at` (12 h, UTC)."""
    return compute_due(form_spec("G").deadline or "sirene_g_form", hit_at).due_at
