"""`ncb serve`: run the API and web pages with uvicorn, without client addresses in any log."""

from __future__ import annotations

import logging
from typing import Annotated, Any

import typer

from ncb.cli.main import app


def log_config(level: str) -> dict[str, Any]:
    """uvicorn logging without the access log: no client address or X-Forwarded-For is kept."""
    fmt = "%(asctime)s %(levelname)s %(name)s: %(message)s"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"plain": {"format": fmt}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain",
                                "stream": "ext://sys.stderr"}},
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": level, "propagate": False},
            "uvicorn.error": {"level": level},
            "uvicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
            "ncb": {"handlers": ["stderr"], "level": level, "propagate": False},
        },
    }


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.", min=1, max=65535)] = 8000,
) -> None:
    """Serve the API and the workbench (access log off: no client addresses are logged)."""
    import uvicorn

    from ncb.app import create_app
    from ncb.cli.db import cli_settings

    settings = cli_settings()
    level = settings.log_level.upper()
    if level not in logging.getLevelNamesMapping():
        from ncb.cli.db import fail

        fail(f"unknown log level {settings.log_level!r}", field="NCB_LOG_LEVEL")
    uvicorn.run(
        create_app(settings), host=host, port=port, access_log=False, log_config=log_config(level),
        proxy_headers=False, server_header=False, date_header=True,
    )
