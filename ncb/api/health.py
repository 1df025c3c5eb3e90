"""Liveness and database reachability; the only route open without credentials."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from ncb.adapters.deps import FactoryDep
from ncb.services.health import health as check

router = APIRouter(tags=["health"])

PUBLIC_PATHS = frozenset({"/health"})


@router.get("/health", summary="Is the service up and its database reachable?")
def health(factory: FactoryDep) -> JSONResponse:
    h = check(factory)
    return JSONResponse({"status": h.status, "database": h.database},
                        status_code=200 if h.ok else 503)
