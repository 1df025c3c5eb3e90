"""Wire objects: FollowTheMoney-style JSON (schema + multi-valued string properties) with markings.

Entities map onto FTM schemas; a case, which FTM has no schema for, travels as `ncb:Case`.
Every object carries its markings; the receiver stores them with the originator intact.
"""

from __future__ import annotations

from typing import Any

# Our entity kind -> FTM schema, and our column -> FTM property.
SCHEMAS = {
    "person": "Person", "organisation": "Organization", "vehicle": "Vehicle",
    "travel_document": "Passport", "phone": "Thing", "address": "Address",
    "bank_account": "BankAccount", "firearm": "Thing",
}
PROPS = {
    "display_name": "name", "first_name": "firstName", "last_name": "lastName",
    "aliases": "alias", "date_of_birth": "birthDate", "gender": "gender",
    "nationality": "nationality", "place_of_birth": "birthPlace", "identifier": "idNumber",
}
MARKING_FIELDS = ("classification", "handling_code", "handling_conditions", "tlp",
                  "source_grade", "intel_grade", "originator", "provider_permission")


def _values(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value if v not in (None, "")]
    return [str(value)]


def entity_to_ftm(oid: str, row: dict[str, Any], markings: dict[str, Any],
                  parent: str | None) -> dict[str, Any]:
    props = {PROPS[k]: _values(row.get(k)) for k in PROPS if _values(row.get(k))}
    props["ncbKind"] = [row["kind"]]
    return {"id": oid, "schema": SCHEMAS.get(row["kind"], "Thing"), "properties": props,
            "markings": markings, "parent": parent, "refs": []}


def ftm_to_entity(obj: dict[str, Any]) -> dict[str, Any]:
    props: dict[str, list[str]] = obj.get("properties", {})
    kind = (props.get("ncbKind") or ["person"])[0]
    row: dict[str, Any] = {"kind": kind}
    for col, prop in PROPS.items():
        vals = props.get(prop, [])
        row[col] = vals if col == "aliases" else (vals[0] if vals else None)
    row["display_name"] = row["display_name"] or "(unnamed)"
    return row


def first(obj: dict[str, Any], prop: str, default: str = "") -> str:
    vals = obj.get("properties", {}).get(prop) or [default]
    return str(vals[0])


def check_object(obj: Any) -> str | None:
    """Why a wire object is malformed, or None."""
    if not isinstance(obj, dict):
        return "object is not a JSON object"
    if not isinstance(obj.get("id"), str) or not isinstance(obj.get("schema"), str):
        return "object needs a string id and schema"
    props = obj.get("properties")
    if not isinstance(props, dict) or not all(
            isinstance(v, list) and all(isinstance(s, str) for s in v) for v in props.values()):
        return f"object {obj['id']}: properties must map names to lists of strings"
    m = obj.get("markings")
    if not isinstance(m, dict) or not isinstance(m.get("classification"), str) \
            or not isinstance(m.get("originator"), str):
        return f"object {obj['id']}: markings with classification and originator are required"
    return None
