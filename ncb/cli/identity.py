"""`ncb identity ...`: resolve appearances into identities, show one, merge, split, undo."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import typer
from sqlalchemy.orm import Session

from ncb.cli.db import cli_engine, cli_settings, fail, out, principal_named
from ncb.cli.main import app
from ncb.domain.policy import Principal

identity_app = typer.Typer(help="Identities: one real person or object, many appearances.",
                           no_args_is_help=True)
app.add_typer(identity_app, name="identity")

AsUser = Annotated[str, typer.Option("--as", help="Username the action is recorded under.")]
T = TypeVar("T")
Reason = Annotated[str, typer.Option("--reason", help="Why (recorded in the audit log).")]


def _run(as_user: str, action: Callable[[Session, Principal], T]) -> T:
    from ncb.services.context import unit_of_work
    from ncb.services.errors import ServiceError
    from ncb.store.db import session_factory

    engine = cli_engine(cli_settings())
    factory = session_factory(engine)
    try:
        principal = principal_named(factory, as_user)
        with unit_of_work(factory, principal) as session:
            return action(session, principal)
    except ServiceError as exc:
        fail(exc.detail, field=exc.field)
    finally:
        engine.dispose()


@identity_app.command("resolve")
def resolve(no_matcher: Annotated[bool, typer.Option(
        "--no-matcher", help="Identifiers only (no matcher-proposed joins).")] = False) -> None:
    """Give every entity without an identity one (identifiers, then the matcher)."""
    from ncb.services.context import SYSTEM
    from ncb.services.identities.bulk import resolve_all
    from ncb.store.access import PRINCIPAL
    from ncb.store.db import session_factory, transaction

    engine = cli_engine(cli_settings())
    try:
        with transaction(session_factory(engine), **{PRINCIPAL: SYSTEM}) as session:
            report = resolve_all(session, matcher=not no_matcher)
    finally:
        engine.dispose()
    out.print(f"{report.entities} entities resolved: {report.identities} identities, "
              f"{report.by_identifier} joined by identifier, {report.by_matcher} by the matcher "
              f"({report.seconds})", highlight=False)


@identity_app.command("show")
def show(identity_id: int, as_user: AsUser) -> None:
    """Print an identity as the user may see it (JSON; the consultation is logged)."""
    from ncb.services.identities import service

    def go(session: Session, p: Principal) -> dict[str, Any]:
        v = service.person(session, p, identity_id)
        return {"identity_id": v.identity_id, "kind": v.kind, "label": v.label,
                "appearances": [{k: str(x) for k, x in a.items()} for a in v.appearances],
                "cases": [c["reference"] for c in v.cases], "records": v.records,
                "linked": v.linked, "restricted": v.restricted}

    out.print_json(json.dumps(_run(as_user, go)))


@identity_app.command("merge")
def merge(identity_id: int, other_identity_id: int, as_user: AsUser, reason: Reason) -> None:
    """Merge OTHER_IDENTITY_ID into IDENTITY_ID (audited as combination; undoable)."""
    from ncb.services.identities import service

    change = _run(as_user, lambda s, p: service.merge(s, p, identity_id, other_identity_id,
                                                      reason).id)
    out.print(f"merged {other_identity_id} into {identity_id} (change {change})")


@identity_app.command("split")
def split(identity_id: int, entity_ids: Annotated[list[int], typer.Argument()], as_user: AsUser,
          reason: Reason) -> None:
    """Move ENTITY_IDS out of IDENTITY_ID into a new identity (audited; undoable)."""
    from ncb.services.identities import service

    new = _run(as_user, lambda s, p: service.split(s, p, identity_id, entity_ids,
                                                   reason).other_identity_id)
    out.print(f"split {len(entity_ids)} appearance(s) into identity {new}")


@identity_app.command("undo")
def undo(change_id: int, as_user: AsUser, reason: Reason) -> None:
    """Reverse a merge or split exactly (audited)."""
    from ncb.services.identities import service

    _run(as_user, lambda s, p: service.undo(s, p, change_id, reason))
    out.print(f"change {change_id} undone")
