"""`ncb audit ...`: verify the hash-chained audit log."""

from __future__ import annotations

import typer

from ncb.cli.db import cli_engine, err, out
from ncb.cli.main import app

audit_app = typer.Typer(help="The audit log: verify its hash chain.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")


@audit_app.command("verify")
def verify() -> None:
    """Walk the chain. Exit 0 if intact; exit 1 naming the first broken entry."""
    from ncb.services.context import SYSTEM
    from ncb.store import audit
    from ncb.store.access import PRINCIPAL
    from ncb.store.db import session_factory, transaction

    engine = cli_engine()
    try:
        with transaction(session_factory(engine), **{PRINCIPAL: SYSTEM}) as session:
            report = audit.verify(session)
    finally:
        engine.dispose()
    if report.ok:
        out.print(f"chain intact: {report.checked} entries", highlight=False)
        return
    err.print(f"[red]chain broken[/red] at entry {report.first_broken_seq}: {report.reason} "
              f"({report.checked} entries intact before it)", highlight=False)
    raise typer.Exit(code=1)
