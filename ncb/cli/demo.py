"""`ncb demo`: seed the synthetic bureau into the database from NCB_DATABASE_URL."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from sqlalchemy.engine import make_url

from ncb.cli.main import app
from ncb.demo import DemoError, reset, seed
from ncb.demo.guide import DEMO_LOGINS
from ncb.settings import get_settings
from ncb.store.db import make_engine

console = Console()


def _sqlite_file(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


@app.command("demo")
def demo(
    small: bool = typer.Option(False, "--small", help="A fast subset: ~300 cases, all agencies and users."),
    cases: int | None = typer.Option(None, "--cases", min=0, help="Number of cases (overrides --small)."),
    reset_db: bool = typer.Option(False, "--reset", help="Delete the SQLite file / drop all tables first."),
    seed_: int = typer.Option(2026, "--seed", help="Random seed (same seed, same bureau)."),
    federation: bool = typer.Option(False, "--federation", help="Instead: three agency nodes "
                                    "and a liaison post on loopback, with an exchange."),
    fed_dir: Annotated[Path, typer.Option("--dir", help="--federation: where the nodes' "
                                          "databases, key files and logs go (rebuilt).")
                       ] = Path("federation-demo"),
    base_port: int = typer.Option(8701, "--base-port", min=1024, max=65000,
                                  help="--federation: first node's port (then +1, +2, +3)."),
    stop_after: float | None = typer.Option(None, "--stop-after", min=0,
                                            help="--federation: stop after N seconds."),
) -> None:
    """Seed a synthetic but realistic bureau: agencies, users for every role, a year of cases."""
    if federation:
        from ncb.cli.demo_federation import run_federation

        settings = get_settings()
        run_federation(fed_dir, base_port, stop_after, settings.federation_retry_seconds * 2,
                       settings.node_scrypt_log_n, console)
        return
    url = get_settings().database_url
    path = _sqlite_file(url)
    if reset_db and path is not None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    engine = make_engine(url)
    if reset_db and path is None:
        reset(engine)
    columns = (TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    tasks: dict[str, TaskID] = {}
    try:
        with Progress(*columns, console=console, transient=False) as bar:
            def progress(stage: str, done: int, total: int) -> None:
                if stage not in tasks:
                    tasks[stage] = bar.add_task(stage, total=total)
                bar.update(tasks[stage], completed=done, total=total)

            report = seed(engine, small=small, cases=cases, seed=seed_, progress=progress)
    except DemoError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from None
    finally:
        engine.dispose()
    summary = ", ".join(f"{v:,} {k}" for k, v in report.counts.items())
    console.print(f"Seeded in {report.seconds:.1f} s: {summary}")
    # Plain lines, not a table: a narrow terminal wraps them but never cuts a username short.
    console.print(f"Demo logins, the same password for all: {report.password}", highlight=False)
    tips = {g.username: g.try_this for g in DEMO_LOGINS}
    for username, role, agency in report.logins:
        console.print(f"  {username} ({role}, {agency}): {tips.get(username, '')}", highlight=False,
                      markup=False)
    if report.tips:
        ref, pin = report.tips[0]
        console.print(f"An anonymous tip to follow up on the public site ({report.url}/public): "
                      f"reference {ref}, PIN {pin}")
    console.print(f"Open {report.url} (start it with `ncb serve`).")
