"""What the channel pages share: one change in its own transaction, refusals keyed by input,
and the channel page renderer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.orm import Session, sessionmaker

from ncb.domain.errors import DomainError
from ncb.domain.policy import Principal
from ncb.services.context import unit_of_work
from ncb.services.errors import Forbidden, NotFound, ServiceError
from ncb.web.forms.common import Errors
from ncb.web.templating import field_errors, render


def attempt(factory: sessionmaker[Session], p: Principal, fn: Callable[[Session], Any],
            prefix: str, known: set[str] | frozenset[str] = frozenset()
            ) -> tuple[Any, Errors]:
    """Run one change in its own transaction; refusals become `{prefix.field: message}`.

    A refusal of the role (no field) or of the record itself propagates to the 403/404 page.
    """
    def key(name: str | None) -> str:
        if name and name.split(".")[0] in known:
            return f"{prefix}.{name}"
        if name and name in known:
            return f"{prefix}.{name}"
        return prefix

    try:
        with unit_of_work(factory, p) as session:
            return fn(session), {}
    except ValidationError as exc:
        out: Errors = {}
        for name, msg in field_errors(exc).items():
            out.setdefault(key(name if name != "__all__" else None), msg)
        return None, out
    except DomainError as exc:
        return None, {key(exc.field): exc.message}
    except Forbidden as exc:
        if exc.field:
            return None, {key(exc.field): exc.detail}
        raise
    except NotFound:
        raise
    except ServiceError as exc:
        return None, {key(exc.field): exc.detail}


def channel_page(request: Request, p: Principal, template: str, ctx: dict[str, Any],
         status: int = 200) -> Response:
    ctx.setdefault("errors", {})
    ctx.setdefault("values", {})
    return render(request, f"channels/{template}", ctx, status=status, principal=p)
