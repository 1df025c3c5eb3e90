"""EAW forms: the sectioned intake form, certification, life-cycle events, translation and
transmission, each posted form -> the payload of ncb.services.channels.eaw."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from ncb.services.errors import InvalidInput
from ncb.web.deps import text
from ncb.web.forms.common import Errors, as_utc, split_list, to_int
from ncb.web.templating import field_errors

# Intake form of a new warrant: section letter -> (warrant attribute, its inputs).
SECTION_INPUTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "a": ("identity", ("name", "forenames", "date_of_birth", "place_of_birth", "nationality",
                       "sex", "aliases", "residence", "description")),
    "b": ("decision", ("kind", "reference", "issued_on")),
    "c": ("sentence", ("max_penalty_months", "sentence_months", "remaining_months", "life")),
    "d": ("trial", ("appeared_in_person", "guarantee")),
    "e": ("offences", ("count", "description", "legal_classification", "list_offences")),
    "f": ("other_circumstances", ()),
    "g": ("property_seizure", ()),
    "h": ("life_sentence_review", ()),
    "i": ("issuing_authority", ("name", "country", "signed_by", "signed_on")),
}
LISTS = {"nationality", "aliases"}
YES_NO = {"life", "appeared_in_person"}
NUMBERS = {"max_penalty_months", "sentence_months", "remaining_months", "count"}
WARRANT_FIELDS = {"reference", "issuing_country", "executing_country", "received_at"}
CERT_FIELDS = {"decision", "reasons", "offence_max_months", "sentence_months",
               "list_offence_code", "dual_criminality", "refusal_grounds",
               "proportionality_notes"}
EVENT_FIELDS = {"kind", "at", "reason", "new_date", "outcome", "refusal_ground", "events"}
TRANSLATION_FIELDS = {"language", "status", "at"}
TRANSMIT_FIELDS = {"recipients", "at", "justification"}


def _section_value(letter: str, form: dict[str, Any], offences: list[str]) -> Any:
    attr, inputs = SECTION_INPUTS[letter]
    if not inputs:
        return text(form, f"{letter}.{attr}") or ""
    out: dict[str, Any] = {}
    for name in inputs:
        if name == "list_offences":
            if offences:
                out[name] = offences
            continue
        raw = text(form, f"{letter}.{name}")
        if raw is None:
            continue
        if name in LISTS:
            out[name] = [x.upper() if name == "nationality" else x for x in split_list(raw)]
        elif name in YES_NO:
            out[name] = {"yes": True, "no": False}.get(raw, raw)
        elif name in NUMBERS:
            out[name] = to_int(raw)
        else:
            out[name] = raw
    if not out or (letter == "i" and set(out) == {"country"}):
        return None  # nothing filled in: the section is missing
    return out


def direction_of(form: dict[str, Any]) -> str:
    return "outgoing" if text(form, "direction") == "outgoing" else "incoming"


def warrant_payload(form: dict[str, Any], offences: list[str],
                    tz: str = "UTC") -> tuple[dict[str, Any], Errors]:
    """The WarrantIn payload of the intake form; a time that does not parse is an error."""
    direction = direction_of(form)
    warrant = {attr: v for letter, (attr, _) in SECTION_INPUTS.items()
               if (v := _section_value(letter, form, offences)) is not None}
    warrant["translated"] = text(form, "translated") == "yes"
    errors: Errors = {}
    try:
        received = as_utc(text(form, "received_at"), "received_at", tz)
    except InvalidInput as exc:
        received, errors = None, {"received_at": exc.detail}
    return {"reference": text(form, "reference") or "",
            "issuing_country": text(form, "issuing_country") or "",
            "executing_country": text(form, "executing_country") or "GB",
            "received_at": received if direction == "incoming" else None,
            "proportionality_notes": text(form, "proportionality_notes") or "",
            "warrant": warrant}, errors


def warrant_errors(exc: ValidationError) -> Errors:
    """Pydantic locations -> input names: warrant.identity.forenames -> a.forenames."""
    attrs = {attr: letter for letter, (attr, _) in SECTION_INPUTS.items()}
    out: Errors = {}
    for loc, msg in field_errors(exc).items():
        parts = [x for x in loc.split(".") if not x.isdigit()]
        if parts[:1] == ["warrant"] and len(parts) > 1 and parts[1] in attrs:
            letter = attrs[parts[1]]
            name = f"{letter}.{parts[2]}" if len(parts) > 2 else f"sec.{letter}"
            if not SECTION_INPUTS[letter][1]:
                name = f"{letter}.{parts[1]}"
        else:
            name = ".".join(parts) or "__all__"
        out.setdefault(name, msg)
    return out


def missing_errors(missing: list[str], labels: dict[str, Any]) -> Errors:
    """Each missing section beside its heading, and one summary at the top."""
    if not missing:
        return {}
    errors: Errors = {"__all__": "Missing section(s): " + ", ".join(
        f"({m}) {labels[m].label}" for m in missing)}
    for letter in missing:
        errors[f"sec.{letter}"] = f"Section ({letter}) {labels[letter].label} is missing"
    return errors


def certify_payload(form: dict[str, Any], grounds: list[str]) -> dict[str, Any]:
    dual = text(form, "cert.dual_criminality")
    return {"decision": text(form, "cert.decision") or "",
            "reasons": text(form, "cert.reasons") or "",
            "offence_max_months": to_int(text(form, "cert.offence_max_months")),
            "sentence_months": to_int(text(form, "cert.sentence_months")),
            "list_offence_code": text(form, "cert.list_offence_code"),
            "dual_criminality": {"yes": True, "no": False}.get(dual or ""),
            "refusal_grounds": grounds,
            "proportionality_notes": text(form, "cert.proportionality_notes") or ""}


def event_payload(form: dict[str, Any], tz: str = "UTC") -> dict[str, Any]:
    """The EventIn payload; raises InvalidInput naming `at` or `new_date` if a time is bad."""
    return {"kind": text(form, "event.kind") or "",
            "at": as_utc(text(form, "event.at"), "at", tz),
            "reason": text(form, "event.reason") or "",
            "new_date": as_utc(text(form, "event.new_date"), "new_date", tz),
            "outcome": text(form, "event.outcome"),
            "refusal_ground": text(form, "event.refusal_ground")}


def translation_payload(form: dict[str, Any], tz: str = "UTC") -> dict[str, Any]:
    at = as_utc(text(form, "tr.at"), "at", tz)
    return {"language": text(form, "tr.language") or "", "status": text(form, "tr.status") or "",
            "at": at}


def transmit_payload(form: dict[str, Any], tz: str = "UTC") -> dict[str, Any]:
    return {"recipients": split_list(text(form, "tx.recipients")),
            "at": as_utc(text(form, "tx.at"), "at", tz),
            "justification": text(form, "tx.justification") or ""}
