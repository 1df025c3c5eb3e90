"""Command-line input shared by the channel commands: JSON options and model validation that exit
2 naming the field, like the API's 422."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ncb.cli.db import fail

M = TypeVar("M", bound=BaseModel)


def json_option(value: str | None, option: str) -> dict[str, Any]:
    """`--data '{"a": 1}'` or `--data @file.json`: an object, or exit 2 saying where it breaks."""
    if not value:
        return {}
    text = value
    if value.startswith("@"):
        path = Path(value[1:])
        if not path.is_file():
            fail(f"no such file: {path}", field=option)
        text = path.read_text(encoding="utf-8")
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as exc:
        fail(f"not valid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}", field=option)
    if not isinstance(parsed, dict):
        fail("must be a JSON object", field=option)
    return parsed


def build(model: type[M], **values: Any) -> M:
    """The service's input model, or exit 2 naming the first refused field and its rule."""
    try:
        return model.model_validate({k: v for k, v in values.items() if v is not None})
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "input"
        fail(f"{first['msg']} ({first['type']})", field=field)
