"""`ncb user ...`: add users. The password comes from stdin or a hidden prompt, never argv."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from sqlalchemy.exc import SQLAlchemyError

from ncb.cli.db import cli_engine, cli_settings, fail, out
from ncb.cli.main import app

user_app = typer.Typer(help="Users: add bureau and partner accounts.", no_args_is_help=True)
app.add_typer(user_app, name="user")


def _password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    if not password:
        fail("empty password", field="password")
    return password


@user_app.command("add")
def add(
    username: Annotated[str, typer.Argument(help="Login name (no spaces).")],
    agency: Annotated[str, typer.Option("--agency", help="Agency code, e.g. GB-NCA.")],
    role: Annotated[list[str], typer.Option("--role", help="Role (repeatable).")],
    clearance: Annotated[str, typer.Option(help="OFFICIAL, OFFICIAL-SENSITIVE, SECRET...")] = (
        "OFFICIAL"),
    display_name: Annotated[str | None, typer.Option(help="Full name shown in the UI.")] = None,
    team: Annotated[str | None, typer.Option(help="Team code.")] = None,
    password_stdin: Annotated[bool, typer.Option(
        "--password-stdin", help="Read the password from the first line of stdin.")] = False,
) -> None:
    """Add a user. Prompts for the password (hidden) unless --password-stdin is given."""
    from ncb.services.context import SYSTEM
    from ncb.services.errors import ServiceError
    from ncb.services.users import add_user
    from ncb.store.access import PRINCIPAL
    from ncb.store.db import session_factory, transaction

    password = _password(password_stdin)
    settings = cli_settings()
    engine = cli_engine(settings)
    try:
        with transaction(session_factory(engine), **{PRINCIPAL: SYSTEM}) as session:
            user = add_user(session, username, password, display_name or username, agency,
                            role, clearance, team_code=team, settings=settings)
            uid = user.id
    except ServiceError as exc:
        fail(exc.detail, field=exc.field, code=2)
    except SQLAlchemyError as exc:
        fail(f"database not ready ({type(exc).__name__}); run `ncb db upgrade` first",
             field="NCB_DATABASE_URL")
    finally:
        engine.dispose()
    out.print(f"user {username} added (id {uid}, {agency}, roles {', '.join(role)})",
              highlight=False)
