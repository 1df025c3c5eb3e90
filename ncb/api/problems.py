"""RFC 9457 problem details: every error leaves the API as `application/problem+json`.

Shape: `type`, `title`, `status`, `detail`, `instance`, plus `errors: [{field, rule, message}]`
when input was refused, and any extra members a service error carries (e.g. `reasons`).
Validation problems never echo the submitted values; 500s are logged without request bodies.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from sqlalchemy.exc import DataError, IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException

from ncb.domain.errors import DomainError
from ncb.services.errors import ServiceError

log = logging.getLogger("ncb.api")

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "urn:ncb:problem:"


class ProblemResponse(JSONResponse):
    media_type = MEDIA_TYPE


def _slug(title: str) -> str:
    return "-".join(title.lower().replace("/", " ").split())


def problem(
    request: Request, status: int, title: str | None = None, detail: str | None = None, *,
    type_: str | None = None, errors: list[dict[str, Any]] | None = None,
    headers: Mapping[str, str] | None = None, **extra: Any,
) -> ProblemResponse:
    title = title or HTTPStatus(status).phrase
    body: dict[str, Any] = {
        "type": type_ or TYPE_BASE + _slug(title),
        "title": title,
        "status": status,
        "detail": detail or title,
        "instance": request.url.path,
    }
    if errors:
        body["errors"] = errors
    for key, value in extra.items():
        body.setdefault(key, value)
    hdrs = dict(headers or {})
    if status == 401:
        hdrs.setdefault("WWW-Authenticate", "Bearer")
    return ProblemResponse(body, status_code=status, headers=hdrs)


def _field(loc: Iterable[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] == "body":
        parts = parts[1:]
    return ".".join(parts) or "body"


def _line_column(doc: Any, pos: int) -> tuple[int, int]:
    """1-based line and column of character offset `pos` in the submitted document."""
    text = doc.decode("utf-8", "replace") if isinstance(doc, bytes) else str(doc or "")
    before = text[:pos]
    line = before.count("\n") + 1
    return line, pos - (before.rfind("\n") + 1) + 1


def _json_syntax(request: Request, exc: RequestValidationError) -> ProblemResponse | None:
    # A body that is not JSON at all: say where it breaks, not "1 field(s) refused: 1".
    for e in exc.errors():
        loc = e.get("loc", ())
        if e.get("type") == "json_invalid" and len(loc) == 2 and isinstance(loc[1], int):
            line, column = _line_column(exc.body, loc[1])
            reason = (e.get("ctx") or {}).get("error", "invalid JSON")
            message = f"malformed JSON at line {line}, column {column}: {reason}"
            return problem(request, 422, "Malformed JSON", message, type_=TYPE_BASE + "json-syntax",
                           errors=[{"field": "body", "rule": "json_syntax", "message": message,
                                    "line": line, "column": column}])
    return None


async def _validation(request: Request, exc: Exception) -> ProblemResponse:
    assert isinstance(exc, RequestValidationError)
    syntax = _json_syntax(request, exc)
    if syntax is not None:
        return syntax
    errors = [
        {"field": _field(e.get("loc", ())), "rule": e.get("type", "invalid"),
         "message": e.get("msg", "invalid")}
        for e in exc.errors()
    ]
    return problem(request, 422, "Invalid input",
                   f"{len(errors)} field(s) refused: " + ", ".join(e["field"] for e in errors),
                   type_=TYPE_BASE + "validation", errors=errors)


async def _domain(request: Request, exc: Exception) -> ProblemResponse:
    assert isinstance(exc, DomainError)
    return problem(request, 422, "Invalid input", exc.message, type_=TYPE_BASE + "validation",
                   errors=[{"field": exc.field, "rule": exc.rule, "message": exc.message}])


async def _service(request: Request, exc: Exception) -> ProblemResponse:
    assert isinstance(exc, ServiceError)
    errors = None
    if exc.field or exc.rule:
        errors = [{"field": exc.field, "rule": exc.rule, "message": exc.detail}]
    return problem(request, exc.status, exc.title, exc.detail, errors=errors, **exc.extra)


async def _http(request: Request, exc: Exception) -> ProblemResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else None
    return problem(request, exc.status_code, None, detail, headers=exc.headers)


async def _model(request: Request, exc: Exception) -> ProblemResponse:
    # A model built inside an endpoint (a form field, a multipart part) refused its input.
    assert isinstance(exc, ValidationError)
    errors = [{"field": ".".join(str(p) for p in e.get("loc", ())) or "body",
               "rule": e.get("type", "invalid"), "message": e.get("msg", "invalid")}
              for e in exc.errors()]
    return problem(request, 422, "Invalid input",
                   f"{len(errors)} field(s) refused: " + ", ".join(e["field"] for e in errors),
                   type_=TYPE_BASE + "validation", errors=errors)


async def _out_of_range(request: Request, exc: Exception) -> ProblemResponse:
    # The bounds guard stops these at the door; this is the net behind it (nothing was written:
    # the request's transaction rolled back).
    log.warning("%s reached the database on %s %s", type(exc).__name__, request.method,
                request.url.path)
    return problem(request, 422, "Invalid input", "a value does not fit the database's columns",
                   type_=TYPE_BASE + "validation",
                   errors=[{"field": "body", "rule": "db_value", "message": "out of range"}])


async def _integrity(request: Request, exc: Exception) -> ProblemResponse:
    # A constraint the service did not check first: a conflict with stored records, not a crash.
    log.warning("integrity error on %s %s", request.method, request.url.path)
    return problem(request, 409, "Conflict",
                   "the change conflicts with records that refer to it or that it refers to")


async def _unexpected(request: Request, exc: Exception) -> ProblemResponse:
    # Method and path only: bodies may hold personal data or secrets.
    log.error("unhandled %s on %s %s", type(exc).__name__, request.method, request.url.path,
              exc_info=(type(exc), exc, exc.__traceback__))
    return problem(request, 500, "Internal server error",
                   "an unexpected error occurred; it has been logged")


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(ServiceError, _service)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(Exception, _unexpected)
    app.add_exception_handler(DomainError, _domain)
    app.add_exception_handler(ValidationError, _model)
    app.add_exception_handler(OverflowError, _out_of_range)
    app.add_exception_handler(DataError, _out_of_range)
    app.add_exception_handler(IntegrityError, _integrity)


# Documented in OpenAPI for every route that can refuse.
PROBLEM_SCHEMA: dict[str, Any] = {
    "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
}


def problem_component() -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["type", "title", "status"],
        "properties": {
            "type": {"type": "string"}, "title": {"type": "string"},
            "status": {"type": "integer"}, "detail": {"type": "string"},
            "instance": {"type": "string"},
            "errors": {"type": "array", "items": {
                "type": "object",
                "properties": {"field": {"type": ["string", "null"], "description":
                                         "null when the whole request is refused (a permission)"},
                               "rule": {"type": ["string", "null"]},
                               "message": {"type": "string"}},
            }},
        },
    }


def document_refusals(schema: dict[str, Any]) -> None:
    """Declare in OpenAPI what every operation really answers when it refuses: a problem
    document (RFC 9457) for any 4xx, 422 included (FastAPI's default 422 schema is not ours)."""
    ref = {"description": "Refused: a problem document naming the field and rule",
           **PROBLEM_SCHEMA}
    for ops in schema.get("paths", {}).values():
        for op in ops.values():
            if not isinstance(op, dict) or "responses" not in op:
                continue
            responses = op["responses"]
            responses["422"] = ref | {"description": "Invalid input: each field and rule named"}
            responses.setdefault("4XX", ref)
    components = schema.get("components", {}).get("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)
