"""`ncb serve`: run the API and web pages with uvicorn, without client addresses in any log."""

from __future__ import annotations

import ipaddress
import logging
import re
from typing import Annotated, Any

import typer

from ncb.cli.main import app

LOOPBACK = ("127.0.0.1", "localhost", "::1")
_CANDIDATE = re.compile(r"[0-9A-Fa-f:.]*[:.][0-9A-Fa-f:.]*")


def _scrub(match: re.Match[str]) -> str:
    raw = match.group(0)
    tries = [raw, raw.rstrip(".:")]
    if raw.count(":") == 1:  # IPv4 with a port
        tries.append(raw.split(":")[0])
    for token in tries:
        try:
            ipaddress.ip_address(token)
        except ValueError:
            continue
        return raw.replace(token, "[address removed]", 1)
    return raw


class NoAddressFilter(logging.Filter):
    """Removes anything that looks like an IP address from a record before it is written.

    The access log is off; this also covers uvicorn.error lines such as WebSocket handshakes,
    which name the client.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = _CANDIDATE.sub(_scrub, message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


def log_config(level: str) -> dict[str, Any]:
    """uvicorn logging without the access log: no client address or X-Forwarded-For is kept."""
    fmt = "%(asctime)s %(levelname)s %(name)s: %(message)s"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"plain": {"format": fmt}},
        "filters": {"no_address": {"()": NoAddressFilter}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain",
                                "stream": "ext://sys.stderr", "filters": ["no_address"]}},
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": level, "propagate": False},
            "uvicorn.error": {"level": level},
            "uvicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
            "ncb": {"handlers": ["stderr"], "level": level, "propagate": False},
        },
    }


def proxy_options(trusted: str) -> dict[str, Any]:
    """Believe X-Forwarded-Proto (so HTTPS sets Secure cookies) from these proxies only."""
    addresses = [a.strip() for a in trusted.split(",") if a.strip()]
    if not addresses:
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": ",".join(addresses)}


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.", min=1, max=65535)] = 8000,
) -> None:
    """Serve the API and the workbench (access log off: no client addresses are logged)."""
    import uvicorn

    from ncb.app import create_app
    from ncb.cli.db import cli_settings, fail
    from ncb.settings import Settings

    settings = cli_settings()
    level = settings.log_level.upper()
    if level not in logging.getLevelNamesMapping():
        fail(f"unknown log level {settings.log_level!r}", field="NCB_LOG_LEVEL")
    default_key = Settings.model_fields["secret_key"].default
    if settings.secret_key == default_key and host not in LOOPBACK:
        fail("the development secret key is refused on a non-loopback interface; set a long "
             "random NCB_SECRET_KEY", field="NCB_SECRET_KEY")
    if settings.demo_mode and host not in LOOPBACK:
        fail("demo mode shows the demo logins on the sign-in page; it is refused on a "
             "non-loopback interface", field="NCB_DEMO_MODE")
    uvicorn.run(
        create_app(settings), host=host, port=port, access_log=False, log_config=log_config(level),
        server_header=False, date_header=True, **proxy_options(settings.trusted_proxies),
    )
