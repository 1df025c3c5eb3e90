"""One guard for every route: integers beyond the database's INTEGER range are refused as input.

Python ints are unbounded, so `/entities/99999999999999999999` passed validation and failed
in the driver (OverflowError on SQLite, "integer out of range" on PostgreSQL): a 500. Installed
as an app-wide dependency, this checks, before any endpoint runs,
- path, query and form parameters the route declares as integers, and
- every integer in a JSON body,
and answers 422 naming each field with rule `db_integer_range`. Text that happens to be digits
(a case reference, a search for a document number) is not an integer parameter and passes.
"""

from __future__ import annotations

import json
import types
from collections.abc import Iterator
from typing import Any, Union, get_args, get_origin

from fastapi import Request
from fastapi.exceptions import RequestValidationError

from ncb.store.ids import INT_MAX, INT_MIN

RULE = "db_integer_range"
MESSAGE = f"must be a whole number from {INT_MIN} to {INT_MAX}"

_cache: dict[int, tuple[list[tuple[str, str]], list[str]]] = {}


def _is_int(annotation: Any) -> bool:
    if annotation is int:
        return True
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType, list, set, tuple):
        return any(_is_int(a) for a in get_args(annotation))
    return False


def _walk(dependant: Any, out: list[tuple[str, str]], form: list[str]) -> None:
    for where, fields in (("path", dependant.path_params), ("query", dependant.query_params)):
        out.extend((where, f.alias) for f in fields if _is_int(f.field_info.annotation))
    form.extend(f.alias for f in dependant.body_params if _is_int(f.field_info.annotation))
    for sub in dependant.dependencies:
        _walk(sub, out, form)


def _integer_params(route: Any) -> tuple[list[tuple[str, str]], list[str]]:
    key = id(route)
    if key not in _cache:
        params: list[tuple[str, str]] = []
        form: list[str] = []
        dependant = getattr(route, "dependant", None)
        if dependant is not None:
            _walk(dependant, params, form)
        _cache[key] = (params, form)
    return _cache[key]


def _out_of_range(raw: str) -> bool:
    text = raw.strip()
    digits = text[1:] if text[:1] in "+-" else text
    return digits.isascii() and digits.isdigit() and not INT_MIN <= int(text) <= INT_MAX


def _json_ints(value: Any, loc: tuple[str | int, ...]) -> Iterator[tuple[str | int, ...]]:
    if isinstance(value, bool):
        return
    if isinstance(value, int):
        if not INT_MIN <= value <= INT_MAX:
            yield loc
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _json_ints(v, (*loc, str(k)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _json_ints(v, (*loc, i))


async def integers_in_range(request: Request) -> None:
    """App-wide dependency: refuse out-of-range integers before any query is built."""
    params, form_fields = _integer_params(request.scope.get("route"))
    bad: list[tuple[str | int, ...]] = []
    for where, name in params:
        source = request.path_params if where == "path" else None
        values = [source[name]] if source is not None and name in source else (
            request.query_params.getlist(name) if where == "query" else [])
        if any(_out_of_range(str(v)) for v in values):
            bad.append((where, name))
    ctype = request.headers.get("content-type", "")
    if form_fields and ctype.startswith(("multipart/form-data", "application/x-www-form")):
        form = await request.form()  # Starlette caches it: the endpoint reads the same one
        bad.extend(("body", n) for n in form_fields
                   if any(isinstance(v, str) and _out_of_range(v) for v in form.getlist(n)))
    if ctype.startswith("application/json"):
        body = await request.body()  # cached too
        try:
            data = json.loads(body) if body else None
        except ValueError:  # malformed JSON is the body validator's to name
            data = None
        bad.extend(_json_ints(data, ("body",)))
    if bad:
        raise RequestValidationError([
            {"type": RULE, "loc": loc, "msg": MESSAGE, "input": None} for loc in bad])
