"""`ncb graph export`: the link graph a user may see, as GraphML, GEXF or FtM JSON lines."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ncb.cli.db import cli_engine, cli_settings, fail, out, principal_named
from ncb.cli.main import app

graph_app = typer.Typer(help="Link analysis: export the graph of identities and cases.",
                        no_args_is_help=True)
app.add_typer(graph_app, name="graph")


@graph_app.command("export")
def export(
    target: Annotated[Path, typer.Argument(help="File to write.")],
    as_user: Annotated[str, typer.Option("--as", help="Whose view of the graph (logged).")],
    fmt: Annotated[str, typer.Option("--format", help="graphml, gexf or ftm.")] = "graphml",
) -> None:
    """Write the graph the user may see; the disclosure is recorded in the audit log."""
    from ncb.services.context import unit_of_work
    from ncb.services.errors import ServiceError
    from ncb.services.graph import analysis
    from ncb.store.db import session_factory

    engine = cli_engine(cli_settings())
    factory = session_factory(engine)
    try:
        principal = principal_named(factory, as_user)
        with unit_of_work(factory, principal) as session:
            body, _ = analysis.export(session, principal, fmt)
    except ServiceError as exc:
        fail(exc.detail, field=exc.field)
    finally:
        engine.dispose()
    target.write_bytes(body)
    out.print(f"wrote {len(body):,} bytes of {fmt} to {target}", highlight=False)
