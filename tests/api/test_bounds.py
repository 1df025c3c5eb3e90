"""Integers beyond the database's range are refused as 422 naming the field, on every route."""

from __future__ import annotations

import re
from typing import Any

import pytest

from ncb.store.ids import INT_MAX

HUGE = "9" * 20  # an OverflowError on SQLite, "integer out of range" on PostgreSQL
JUST_OVER = str(INT_MAX + 1)


def _integer_params(op: dict[str, Any]) -> tuple[list[str], list[str]]:
    path, query = [], []
    for prm in op.get("parameters", []):
        schema = prm.get("schema", {})
        types = {schema.get("type")} | {s.get("type") for s in schema.get("anyOf", [])}
        if "integer" in types:
            (path if prm["in"] == "path" else query if prm["in"] == "query" else []).append(
                prm["name"])
    return path, query


def _operations(client: Any, headers: dict[str, str]) -> list[tuple[str, str, list[str], list[str]]]:
    doc = client.get("/openapi.json", headers=headers).json()
    out = []
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            ints, query = _integer_params(op)
            if ints or query:
                out.append((method, path, ints, query))
    return out


def _fill(path: str, ints: list[str], value: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: value if m.group(1) in ints else "REF-1", path)


def test_every_integer_path_parameter_is_bounded(client, seeded):
    h = seeded.headers("supervisor")
    ops = _operations(client, h)
    assert len([o for o in ops if o[2]]) >= 20  # the finding: ~20 routes
    for method, path, ints, _query in ops:
        if not ints:
            continue
        for value in (HUGE, JUST_OVER):
            url = _fill(path, ints, value)
            r = client.request(method.upper(), url, headers=h, json={})
            assert r.status_code == 422, (method, url, r.status_code, r.text[:300])
            assert r.headers["content-type"].startswith("application/problem+json")
            refused = {(e["field"], e["rule"]) for e in r.json()["errors"]}
            assert (f"path.{ints[0]}", "db_integer_range") in refused, (url, refused)


def test_every_integer_query_parameter_is_bounded(client, seeded):
    h = seeded.headers("supervisor")
    for method, path, ints, query in _operations(client, h):
        for name in query:
            url = _fill(path, ints, "1") + f"?{name}={HUGE}"
            r = client.request(method.upper(), url, headers=h)
            assert r.status_code == 422, (method, url, r.status_code, r.text[:300])
            fields = {e["field"] for e in r.json()["errors"]}
            assert f"query.{name}" in fields, (url, fields)


def test_an_id_in_range_still_reaches_the_route(client, seeded):
    h = seeded.headers("supervisor")
    r = client.get(f"/entities/{INT_MAX}", headers=h)
    assert r.status_code == 404, r.text
    r = client.get("/entities/1", headers=h)
    assert r.status_code == 404, r.text


def test_digit_text_in_a_string_parameter_is_not_bounded(client, seeded):
    # A 20-digit phone or document number is a legitimate search, not an id.
    r = client.get(f"/search?q={HUGE}", headers=seeded.headers("supervisor"))
    assert r.status_code == 200, r.text


@pytest.mark.parametrize("ref", ["%C2%B2", HUGE, "-" + HUGE])
def test_a_case_reference_that_is_no_number_is_not_found(client, seeded, ref):
    # "²".isdigit() is True but int("²") fails; 20 digits overflow the id column.
    r = client.get(f"/cases/{ref}", headers=seeded.headers("supervisor"))
    assert r.status_code == 404, r.text
    assert r.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize("path", [
    "/w/cases/{ref}", "/w/cases/%C2%B2", "/w/tips/{id}", "/w/appeals/{id}", "/w/eaw/{id}",
    "/w/schengen/alerts/{id}", "/w/schengen/forms/{id}", "/w/interpol/notices/{id}",
    "/w/cases/REF/attachments/{id}",
])
def test_workbench_pages_refuse_out_of_range_ids(client, seeded, path):
    r = client.get(path.format(ref=HUGE, id=HUGE), headers=seeded.headers("supervisor"),
                   follow_redirects=False)
    assert 400 <= r.status_code < 500, (path, r.status_code, r.text[:300])
