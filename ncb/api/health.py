"""Liveness and database reachability; the only route open without credentials."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from ncb.adapters.deps import FactoryDep

router = APIRouter(tags=["health"])

PUBLIC_PATHS = frozenset({"/health"})


@router.get("/health", summary="Is the service up and its database reachable?")
def health(factory: FactoryDep) -> JSONResponse:
    body: dict[str, Any] = {"status": "ok", "database": "ok"}
    try:
        with factory() as session:
            session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - report, do not leak the error text
        body = {"status": "degraded", "database": "unreachable"}
        return JSONResponse(body, status_code=503)
    return JSONResponse(body)
