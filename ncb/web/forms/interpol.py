"""Interpol forms: a new notice (subject, charge, recipients), the review steps, a JSON import
file, an SLTD check; and the notice refusals placed beside their inputs."""

from __future__ import annotations

import json
import re
from typing import Any

from ncb.rules import load_rules
from ncb.web.deps import text
from ncb.web.forms.common import Errors, split_list

NOTICE_FIELDS = {"notice_type", "requesting_country", "subject", "recipients", "case_ref"}
SLTD_FIELDS = {"number", "issuing_country", "justification"}


def notice_types() -> list[tuple[str, str]]:
    return [(k, v.label) for k, v in load_rules().notice_types.items()]


def notice_payload(form: dict[str, Any]) -> dict[str, Any]:
    subject: dict[str, Any] = {k: text(form, f"subject.{k}") for k in (
        "name", "forename", "date_of_birth", "place_of_birth", "sex_id")}
    subject = {k: v for k, v in subject.items() if v is not None}
    subject.setdefault("name", "")
    nat = text(form, "subject.nationalities")
    if nat:
        subject["nationalities"] = split_list(nat)
    charge = text(form, "subject.charge")
    if charge:
        subject["arrest_warrants"] = [{"charge": charge, "issuing_country_id":
                                       text(form, "requesting_country") or "GB"}]
    return {"notice_type": text(form, "notice_type") or "",
            "requesting_country": text(form, "requesting_country") or "GB",
            "subject": subject, "recipients": split_list(text(form, "recipients")),
            "case_ref": text(form, "case_ref")}


def notice_errors(errors: Errors) -> Errors:
    """`n.subject.arrest_warrants.0.charge` -> `subject.charge`, the input that holds it."""
    errors = {k.removeprefix("n."): v for k, v in errors.items()}
    if "subject.arrest_warrants" in " ".join(errors):
        errors = {("subject.charge" if k.startswith("subject.arrest_warrants") else k): v
                  for k, v in errors.items()}
    errors = {(re.sub(r"^(subject\.nationalities)\.\d+$", r"\1", k)): v for k, v in errors.items()}
    if "n" in errors:
        errors["__all__"] = errors.pop("n")
    return errors


async def import_file(form: dict[str, Any], max_mb: int) -> tuple[Any, Errors]:
    """The uploaded JSON of notices, or why it cannot be read (beside the file input); above
    `max_mb` (NCB_INTERPOL_IMPORT_MB) it is refused unread."""
    max_bytes = max_mb * 1024 * 1024
    upload = form.get("file")
    if not hasattr(upload, "read"):
        return None, {"file": "file: choose a JSON file of notices"}
    raw = await upload.read(max_bytes + 1)  # type: ignore[union-attr]
    if not raw:
        return None, {"file": "file: the file is empty; choose a JSON file of notices"}
    if len(raw) > max_bytes:
        return None, {"file": f"file: larger than {max_mb} MB; split it or use `ncb notice import`"}
    try:
        return json.loads(raw.decode("utf-8-sig")), {}
    except (UnicodeDecodeError, ValueError) as exc:
        return None, {"file": f"file: not valid JSON ({exc})"}


def sltd_payload(form: dict[str, Any]) -> dict[str, Any]:
    return {"number": text(form, "number") or "",
            "issuing_country": text(form, "issuing_country"),
            "justification": text(form, "justification") or ""}
