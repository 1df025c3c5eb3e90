"""`ncb audit ...`: verify the hash-chained audit log."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ncb.cli.db import cli_engine, err, fail, out
from ncb.cli.main import app

audit_app = typer.Typer(help="The audit log: verify its MAC chain, export signed checkpoints.",
                        no_args_is_help=True)
app.add_typer(audit_app, name="audit")


@audit_app.command("verify")
def verify(
    checkpoint: Annotated[Path | None, typer.Option(
        help="File of signed checkpoints (`ncb audit checkpoint`): also detects a cut tail")] = None,
) -> None:
    """Walk the chain. Exit 0 if intact; exit 1 naming the first broken entry."""
    from ncb.services.context import SYSTEM
    from ncb.store import audit_checkpoints
    from ncb.store.access import PRINCIPAL
    from ncb.store.db import session_factory, transaction

    checkpoints = []
    if checkpoint is not None:
        if not checkpoint.is_file():
            fail(f"no such file: {checkpoint}", field="--checkpoint")
        try:
            checkpoints = audit_checkpoints.parse(checkpoint.read_text(encoding="utf-8"))
        except audit_checkpoints.CheckpointError as exc:
            err.print(f"[red]checkpoint file refused[/red]: {exc}", highlight=False)
            raise typer.Exit(code=1) from None
    engine = cli_engine()
    try:
        with transaction(session_factory(engine), **{PRINCIPAL: SYSTEM}) as session:
            report = audit_checkpoints.verify_with(session, checkpoints)
    finally:
        engine.dispose()
    if report.ok:
        against = f", consistent with {len(checkpoints)} checkpoint(s)" if checkpoints else ""
        out.print(f"chain intact: {report.checked} entries{against}", highlight=False)
        return
    err.print(f"[red]chain broken[/red] at entry {report.first_broken_seq}: {report.reason} "
              f"({report.checked} entries intact before it)", highlight=False)
    raise typer.Exit(code=1)


@audit_app.command("checkpoint")
def checkpoint(
    out_file: Annotated[Path, typer.Option("--out", help="File to append the signed line to "
                                           "(keep it off this database's host)")],
) -> None:
    """Append a signed checkpoint of the chain's head (sequence, MAC, time) to a file."""
    from ncb.services.context import SYSTEM
    from ncb.store import audit_checkpoints
    from ncb.store.access import PRINCIPAL
    from ncb.store.db import session_factory, transaction

    engine = cli_engine()
    try:
        with transaction(session_factory(engine), **{PRINCIPAL: SYSTEM}) as session:
            cp = audit_checkpoints.take(session)
    finally:
        engine.dispose()
    with out_file.open("a", encoding="utf-8") as fh:
        fh.write(cp.line() + "\n")
    out.print(f"checkpoint: entry {cp.seq} at {cp.at.isoformat()} appended to {out_file}",
              highlight=False)
