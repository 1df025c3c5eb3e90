"""The app factory: settings, database, problem handlers, routers. No business rules here."""

from __future__ import annotations

import gc
import importlib
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, Depends, FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse
from sqlalchemy import Engine

from ncb.adapters.deps import PrincipalDep
from ncb.api import bounds, problems
from ncb.services.watchlist import warm
from ncb.settings import Settings, get_settings
from ncb.store.db import make_engine, session_factory
from ncb.web.head import HeadAsGet
from ncb.web.public.language import PublicLanguage

log = logging.getLogger("ncb.app")

# Every module here exposes `router`; start-up fails if one is missing.
ROUTER_MODULES = (
    "ncb.api.health",
    "ncb.api.auth",
    "ncb.api.admin",
    "ncb.api.audit",
    "ncb.api.cases",
    "ncb.api.entities",
    "ncb.api.search",
    "ncb.api.screen",
    "ncb.api.eaw",
    "ncb.api.schengen",
    "ncb.api.interpol",
    "ncb.api.europol",
    "ncb.api.appeals",
    "ncb.api.federation",
    "ncb.api.identities",
    "ncb.api.graph",
    "ncb.api.retention",
    "ncb.web.retention",
    "ncb.api.subject_access",
    "ncb.web.subject_access",
    "ncb.api.threat",
    "ncb.web.threat",
    "ncb.web.identities",
    "ncb.web",
    "ncb.web.public",
    "ncb.web.tips",
)

# Paths reachable without credentials (everything else answers 401). `/public` is the
# appeals site and tip form.
PUBLIC_PATHS = frozenset({"/health", "/auth/login", "/auth/token", "/login", "/favicon.ico",
                          "/federation/identity", "/federation/inbox", "/federation/outbox"})
PUBLIC_PREFIXES = ("/public", "/static")

SWAGGER_JS = "/static/vendor/swagger-ui/swagger-ui-bundle.js"
SWAGGER_CSS = "/static/vendor/swagger-ui/swagger-ui.css"


def is_public(path: str) -> bool:
    return path in PUBLIC_PATHS or any(
        path == p or path.startswith(p + "/") for p in PUBLIC_PREFIXES
    )


def _routers() -> list[APIRouter]:
    """Every listed module's router; a missing module or `router` stops start-up, naming it
    (a renamed module must not remove an API surface without a word)."""
    found = []
    for name in ROUTER_MODULES:
        module = importlib.import_module(name)
        router = getattr(module, "router", None)
        if not isinstance(router, APIRouter):
            raise RuntimeError(f"router module {name} has no `router` (an APIRouter)")
        found.append(router)
    return found


def _openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(title=app.title, version=app.version, description=app.description,
                         routes=app.routes)
    components = schema.setdefault("components", {})
    components.setdefault("schemas", {})["Problem"] = problems.problem_component()
    problems.document_refusals(schema)
    schemes = components.setdefault("securitySchemes", {})
    schemes["bearer"] = {"type": "http", "scheme": "bearer",
                         "description": "A token from POST /auth/token"}
    # Every operation needs bearer or the session cookie, except the public ones.
    schema["security"] = [{"bearer": []}, {"session": []}]
    for path, ops in schema.get("paths", {}).items():
        if is_public(path):
            for op in ops.values():
                op["security"] = []
    app.openapi_schema = schema
    return schema


def _docs_router(app: FastAPI) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/openapi.json")
    def openapi_json(_p: PrincipalDep) -> JSONResponse:
        return JSONResponse(app.openapi())

    @router.get("/docs")
    def docs(_p: PrincipalDep) -> HTMLResponse:
        # Swagger UI from vendored static files (no CDN at run time).
        return get_swagger_ui_html(openapi_url="/openapi.json", title=f"{app.title} API",
                                   swagger_js_url=SWAGGER_JS, swagger_css_url=SWAGGER_CSS,
                                   swagger_favicon_url="/favicon.ico")

    return router


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    # Rebuild the screening index from the database on start, off the request path.
    app.state.warmed = threading.Event()  # set once the index is built and the heap frozen
    threading.Thread(target=_warm_index, args=(app.state.engine, app.state.warmed),
                     name="warm-index", daemon=True).start()
    yield


def _warm_index(engine: Engine, done: threading.Event) -> None:
    try:
        warm(engine)
        # Long-lived start-up objects (rules, index, templates) leave the collector's view,
        # so full collections do not stall requests for hundreds of milliseconds.
        gc.collect()
        gc.freeze()
    except Exception:  # a failed build (not a missing module: that fails at import) is retried
        # by the first screening
        log.warning("screening index warm-up failed; it will be built on first use")
    finally:
        done.set()


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    settings = settings or get_settings()
    if engine is None:
        engine = make_engine(settings.database_url, echo=settings.sql_echo)
    app = FastAPI(
        lifespan=_lifespan,
        title="NCB Gateway", version="0.1.0",
        description="Case hub of a national central bureau for international police cooperation.",
        docs_url=None, redoc_url=None, openapi_url=None,
        dependencies=[Depends(bounds.integers_in_range)],
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.factory = session_factory(engine, settings)
    problems.install(app)
    app.add_middleware(PublicLanguage)
    app.add_middleware(HeadAsGet)
    for router in _routers():
        app.include_router(router)
    app.include_router(_docs_router(app))
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app
