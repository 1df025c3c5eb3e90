"""/public/<language>/... is /public/... in that language: one set of routes for every language.

The segment is taken off before routing and kept in the request scope, so the routes, their
forms and their redirects stay language-free and a new catalogue needs no new route.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from ncb.web.public.i18n import DEFAULT, strip_language

SCOPE_KEY = "ncb.language"


class PublicLanguage:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/public/"):
            code, path = strip_language(scope["path"])
            if code != DEFAULT:
                scope = dict(scope, path=path, raw_path=path.encode(), **{SCOPE_KEY: code})
        await self.app(scope, receive, send)
