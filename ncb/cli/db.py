"""`ncb db ...`: schema migrations. Also the CLI's shared helpers (settings, engine, errors)."""

from __future__ import annotations

from typing import NoReturn

import typer
from rich.console import Console
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from ncb.cli.main import app
from ncb.domain.policy import Principal
from ncb.settings import Settings, get_settings
from ncb.store.db import make_engine

db_app = typer.Typer(help="Database schema: create and upgrade.", no_args_is_help=True)
app.add_typer(db_app, name="db")

out = Console()
err = Console(stderr=True)


def fail(message: str, field: str | None = None, code: int = 2) -> NoReturn:
    """Print `error: <field>: message` on stderr and exit (2: bad input)."""
    prefix = f"{field}: " if field else ""
    err.print(f"[red]error:[/red] {prefix}{message}", highlight=False, markup=True)
    raise typer.Exit(code=code)


def cli_settings() -> Settings:
    try:
        return get_settings()
    except Exception as exc:  # pydantic ValidationError names the NCB_* variable
        fail(str(exc), field="settings")


def principal_named(factory: sessionmaker[Session], username: str) -> Principal:
    """The policy's view of `--as USERNAME`, or exit 2 naming the option."""
    from ncb.services import context

    with factory() as s:
        found = context.principal_named(s, username)
    if found is None:
        fail(f"no user {username!r}", field="--as")
    return found


def cli_engine(settings: Settings | None = None) -> Engine:
    s = settings or cli_settings()
    return make_engine(s.database_url, echo=s.sql_echo)


@db_app.command("upgrade")
def upgrade(
    revision: str = typer.Argument("head", help="Alembic revision to upgrade to."),
) -> None:
    """Create or upgrade the schema of NCB_DATABASE_URL to the latest migration."""
    from ncb.store.migrate import schema_drift
    from ncb.store.migrate import upgrade as run_upgrade

    settings = cli_settings()
    engine = cli_engine(settings)
    try:
        run_upgrade(engine, revision)
        drift = schema_drift(engine) if revision == "head" else []
    finally:
        engine.dispose()
    safe_url = engine.url.render_as_string(hide_password=True)
    if drift:
        err.print(f"[yellow]warning:[/yellow] schema differs from the models: {drift}",
                  highlight=False)
    out.print(f"database at {safe_url} is at revision {revision}", highlight=False)
