"""Schengen forms: a new SIS alert, a hit, a SIRENE form with its numbered fields, an erasure;
and the numbered-field refusals placed beside their inputs."""

from __future__ import annotations

import re
from typing import Any

from ncb.domain import sirene
from ncb.rules import load_rules
from ncb.web.deps import text
from ncb.web.forms.common import Errors, as_utc, to_int

SIS_DATA_HINTS = {"date_of_birth": "YYYY-MM-DD", "warrant_reference": "EAW reference"}
ALERT_FIELDS = {"article", "issuing_country", "schengen_id", "data", "flagged", "flag_reason",
                "case_ref"}
HIT_FIELDS = {"hit_at", "place", "action_taken", "urgent", "urgent_reason",
              "additional_information", "case_ref", "alert_id"}
FORM_FIELDS = {"form_type", "direction", "recipient", "sender", "reference", "alert_id",
               "case_ref", "in_reply_to"}
# Header fields the service fills itself (or takes from the alert) on an outgoing form.
AUTO_FIELDS = {"timestamp_utc", "reference", "sender", "recipient"}
_FIELD_NO = re.compile(r"field (\d{3}) \((\w+)\)")


def articles() -> list[tuple[str, str]]:
    return [(k, f"Art. {k}: {v.label}") for k, v in load_rules().sis_articles.items()]


def alert_payload(form: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """(article, AlertIn payload): the article's required data fields plus free notes."""
    article = text(form, "article") or ""
    spec = load_rules().sis_articles.get(article)
    data = {f: text(form, f"data.{f}") for f in (spec.required_fields if spec else [])}
    extra = text(form, "data.other")
    return article, {
        "article": article, "issuing_country": text(form, "issuing_country") or "",
        "schengen_id": text(form, "schengen_id"),
        "data": {k: v for k, v in data.items() if v is not None}
        | ({"notes": extra} if extra else {}),
        "flagged": text(form, "flagged") == "yes", "flag_reason": text(form, "flag_reason"),
        "case_ref": text(form, "case_ref")}


def hit_payload(form: dict[str, Any], tz: str = "UTC") -> dict[str, Any]:
    """The HitIn payload; raises InvalidInput naming `hit_at` if the time is bad."""
    return {"hit_at": as_utc(text(form, "hit.hit_at"), "hit_at", tz),
            "place": text(form, "hit.place") or "",
            "action_taken": text(form, "hit.action_taken") or "",
            "urgent": text(form, "hit.urgent") == "yes",
            "urgent_reason": text(form, "hit.urgent_reason"),
            "additional_information": text(form, "hit.additional_information")}


def whole(value: str) -> int | None:
    """An id from the query string; anything else is no id (the page starts blank)."""
    v = value.strip()
    return int(v) if v.isascii() and v.isdigit() and len(v) < 12 else None


def form_type_of(form: dict[str, Any]) -> str:
    return (text(form, "form_type") or "").upper()


def sirene_payload(form: dict[str, Any], form_type: str) -> dict[str, Any]:
    """The FormIn payload: the form type's numbered fields (not those the service fills)."""
    spec = sirene.form_spec(form_type)
    fields: dict[str, Any] = {}
    for f in spec.fields.values():
        if f.name in AUTO_FIELDS:
            continue
        v = text(form, f"fields.{f.name}")
        if f.name == "urgent":
            if v == "yes":
                fields["urgent"] = True
        elif v is not None:
            fields[f.name] = v
    return {"form_type": form_type, "direction": text(form, "direction") or "out",
            "recipient": text(form, "recipient") or "", "sender": text(form, "sender"),
            "reference": text(form, "reference"),
            "alert_id": to_int(text(form, "alert_id")), "case_ref": text(form, "case_ref"),
            "in_reply_to": to_int(text(form, "in_reply_to")), "fields": fields}


def form_field_errors(messages: list[str]) -> Errors:
    """validate_form's messages keyed by the input they concern (`fields.<name>`)."""
    out: Errors = {}
    for msg in messages:
        if "must give the reason" in msg:
            out.setdefault("fields.urgent_reason", msg)
            continue
        m = _FIELD_NO.search(msg)
        out.setdefault(f"fields.{m.group(2)}" if m else "__all__", msg)
    return out


def sirene_errors(errors: Errors) -> Errors:
    """The service's refusals of a SIRENE form, each beside its input."""
    errors = {k.removeprefix("f."): v for k, v in errors.items()}
    if "f" in errors:  # the numbered-field check: put each message beside its field
        msg = errors.pop("f")
        parts = [m.strip() for m in msg.split(";")] if msg.startswith("form ") else []
        errors |= form_field_errors(parts) if parts else {"__all__": msg}
    return errors
