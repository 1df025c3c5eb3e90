"""The public appeals site and anonymous tip form, under /public. No login, no cookies.

It reads only what has been approved for publication, through the dedicated public query
functions of ncb.services.appeals, and writes only tips and answers through ncb.services.tips.
It imports nothing of the auth layer or the workbench, and its pages link only to /public and
/static. Every response carries `Referrer-Policy: no-referrer`, a strict CSP without external
sources or scripts, and `Cache-Control: no-store` (so a withdrawn appeal leaves at once).

Nothing about the sender is read: not the address, not the user agent, not X-Forwarded-For,
and nothing is logged here.
"""

from __future__ import annotations

from ncb.web.public.routes import router

__all__ = ["router"]
