"""/openapi.json documents a response schema for every EAW, Schengen and Interpol route."""

from __future__ import annotations

from typing import Any

SURFACES = ("/eaw", "/schengen", "/interpol")


def _resolve(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref") or (schema.get("items") or {}).get("$ref")
    if ref:
        return doc["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    return schema


def test_channel_routes_document_their_responses(client, seeded):
    doc = client.get("/openapi.json", headers=seeded.headers("desk")).json()
    routes = [(path, method, op) for path, ops in doc["paths"].items()
              if path.startswith(SURFACES) for method, op in ops.items()]
    assert len(routes) >= 25
    undocumented = []
    for path, method, op in routes:
        ok = next((v for k, v in op["responses"].items() if k.startswith("2")), None)
        schema = ((ok or {}).get("content") or {}).get("application/json", {}).get("schema")
        target = _resolve(doc, schema) if schema else {}
        if not target.get("properties"):
            undocumented.append(f"{method.upper()} {path}")
    assert undocumented == []
    for name, fields in NAMED:
        assert fields <= set(doc["components"]["schemas"][name]["properties"]), name


NAMED = [
    ("WarrantOut", {"reference", "status", "sections", "events", "deadlines",
                    "release_required"}),
    ("OutgoingDraftOut", {"missing_sections"}),
    ("EawStatsOut", {"requests_received", "refusals_by_ground"}),
    ("AlertOut", {"schengen_id", "article", "review_date"}),
    ("FormOut", {"reference", "form_type", "due_at"}),
    ("NoticeOut", {"notice_ref", "notice_type", "article3"}),
    ("SltdCheckOut", {"hit", "documents"}),
]
