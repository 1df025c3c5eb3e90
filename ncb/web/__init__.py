"""The workbench: server-rendered pages (Jinja2 + vendored htmx) over the services.

`router` assembles the page routers and serves the vendored static files under /static.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, Response

from ncb.services.errors import NotFound
from ncb.web.pages import (
    audit,
    auth,
    case_actions,
    cases,
    desk,
    eaw,
    europol,
    federation,
    interpol,
    network,
    queues,
    schengen,
)

STATIC = (Path(__file__).parent / "static").resolve()
TYPES = {".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml",
         ".png": "image/png", ".ico": "image/x-icon", ".woff2": "font/woff2", ".map":
         "application/json"}

router = APIRouter(include_in_schema=False)


@router.get("/static/{path:path}")
def static(path: str) -> Response:
    target = (STATIC / path).resolve()
    if not target.is_file() or STATIC not in target.parents or target.suffix not in TYPES:
        raise NotFound(f"no static file {path}")
    return FileResponse(target, media_type=TYPES[target.suffix],
                        headers={"Cache-Control": "public, max-age=3600"})


@router.get("/favicon.ico")
def favicon() -> Response:
    # Browsers ask for it on every site; served from the package, never from the internet.
    return FileResponse(STATIC / "favicon.ico", media_type="image/x-icon",
                        headers={"Cache-Control": "public, max-age=86400"})


# The channel pages first, as when they were one module mounted before the rest.
for _module in (eaw, schengen, interpol, europol, auth, queues, cases, case_actions, desk, audit,
                federation, network):
    router.include_router(_module.router)
