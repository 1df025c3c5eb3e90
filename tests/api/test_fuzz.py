"""Schemathesis over the whole OpenAPI document, in process, signed in as a seeded supervisor:
no server error and every answer as documented (status, content type, headers, body schema).

Bounded so it runs in about half a minute per database: FUZZ_EXAMPLES (default 5) examples per
operation, derandomised so CI sees the same cases every run. Raise it for a deeper run:
    FUZZ_EXAMPLES=200 .venv/bin/python -m pytest -n 0 tests/api/test_fuzz.py
"""

from __future__ import annotations

import os
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "5"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]
SKIP = {("POST", "/auth/logout")}  # it would revoke the token the rest of the run signs in with


def _first_lines(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return " | ".join(lines[:12])[:900]


def _fuzz(operation: Any, headers: dict[str, str]) -> list[str]:
    found: list[str] = []

    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
    def run(case: Any) -> None:
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except (Exception, BaseExceptionGroup) as exc:  # a FailureGroup: record, go on
            found.append(_first_lines(exc))

    run()
    return found


def test_openapi_fuzz_finds_no_server_error_and_no_undocumented_answer(app, seeded):
    headers = seeded.headers("supervisor")
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, headers=headers)
    failures: dict[str, list[str]] = {}
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        key = (operation.method.upper(), operation.path)
        if key in SKIP:
            continue
        operations += 1
        found = _fuzz(operation, headers)
        if found:
            failures[" ".join(key)] = sorted(set(found))[:2]
    assert operations >= 80  # the whole document, not a corner of it
    assert not failures, "\n".join(f"{op}:\n  " + "\n  ".join(msgs)
                                   for op, msgs in failures.items())
