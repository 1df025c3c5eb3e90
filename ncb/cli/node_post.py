"""`ncb node lock|unlock|serve-post`: a liaison post laptop's database sealed at rest.

The passphrase is the officer's (NCB_NODE_PASSPHRASE, or asked for without echo). `serve-post`
unlocks, serves, and locks again when the server stops (Ctrl-C or SIGTERM).
"""

from __future__ import annotations

import signal
from typing import Annotated

import typer

from ncb.cli.db import cli_settings, fail, out
from ncb.cli.node import node_app
from ncb.services.errors import ServiceError
from ncb.services.federation import post


def _passphrase() -> str:
    given = cli_settings().node_passphrase
    return given or str(typer.prompt("Officer's passphrase", hide_input=True))


@node_app.command("lock")
def lock() -> None:
    """Seal the post database with the passphrase and remove the plaintext file."""
    settings = cli_settings()
    try:
        post.paths(settings.database_url)  # a refusal before asking for the passphrase
        st = post.lock(settings.database_url, _passphrase(), settings.node_scrypt_log_n)
    except ServiceError as exc:
        fail(exc.detail, field=exc.field)
    out.print(f"locked: {st.sealed} (no plaintext database left at {st.database})",
              highlight=False)


@node_app.command("unlock")
def unlock() -> None:
    """Open the sealed post database with the passphrase."""
    settings = cli_settings()
    try:
        post.paths(settings.database_url)
        st = post.unlock(settings.database_url, _passphrase())
    except ServiceError as exc:
        fail(exc.detail, field=exc.field)
    out.print(f"unlocked: {st.database}; run `ncb node lock` when done", highlight=False)


@node_app.command("serve-post")
def serve_post(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.", min=1, max=65535)] = 8000,
) -> None:
    """Unlock, serve the workbench and the node endpoints, lock again on stop."""
    from ncb.cli.serve import serve

    settings = cli_settings()
    try:
        post.paths(settings.database_url)
        passphrase = _passphrase()
        if not post.state(settings.database_url).unlocked:
            post.unlock(settings.database_url, passphrase)
    except ServiceError as exc:
        fail(exc.detail, field=exc.field)
    def stopped(signum: int, frame: object) -> None:
        raise KeyboardInterrupt  # uvicorn re-raises the signal after its shutdown: lock then

    signal.signal(signal.SIGTERM, stopped)
    try:
        serve(host=host, port=port)
    except KeyboardInterrupt:
        pass
    finally:
        try:
            st = post.lock(settings.database_url, passphrase, settings.node_scrypt_log_n)
            out.print(f"locked: {st.sealed}", highlight=False)
        except ServiceError as exc:
            fail(f"NOT LOCKED: {exc.detail}", field=exc.field)
