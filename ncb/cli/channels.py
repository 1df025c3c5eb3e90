"""`ncb notice ...`, `ncb eaw ...`, `ncb sltd ...`: channel work from the command line."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy.orm import Session

from ncb.cli.db import cli_engine, cli_settings, err, fail, out, principal_named
from ncb.cli.main import app
from ncb.domain.policy import Principal

notice_app = typer.Typer(help="Interpol notices: import from the public notice JSON layout.",
                         no_args_is_help=True)
eaw_app = typer.Typer(help="European Arrest Warrants: release list and statistics.",
                      no_args_is_help=True)
sltd_app = typer.Typer(help="Stolen and lost travel documents (SLTD).", no_args_is_help=True)
app.add_typer(notice_app, name="notice")
app.add_typer(eaw_app, name="eaw")
app.add_typer(sltd_app, name="sltd")

AsUser = Annotated[str, typer.Option("--as", help="Username recorded as the actor.")]


@contextmanager
def work_as(as_user: str) -> Iterator[tuple[Session, Principal]]:
    """One transaction as `as_user`; a service refusal exits 2 naming its field."""

    from ncb.services.context import unit_of_work
    from ncb.services.errors import ServiceError
    from ncb.store.db import session_factory

    engine = cli_engine(cli_settings())
    factory = session_factory(engine)
    try:
        principal = principal_named(factory, as_user)
        with unit_of_work(factory, principal) as session:
            yield session, principal
    except ServiceError as exc:
        for bad in exc.extra.get("bad_records", [])[:50]:
            err.print(f"record {bad['position'] + 1} {bad['field']}: {bad['message']}",
                      highlight=False, markup=False)
        fail(exc.detail, field=exc.field)
    except ValueError as exc:  # DomainError
        fail(str(exc), field=getattr(exc, "field", None))
    finally:
        engine.dispose()


@notice_app.command("import")
def import_notices(
    path: Annotated[Path, typer.Argument(help="JSON: a list of notices or the public API page.")],
    as_user: AsUser,
    notice_type: Annotated[str, typer.Option("--type", help="Notice type (red, yellow, ...)")]
    = "red",
) -> None:
    """Import notices; every record is checked first, one bad record means nothing is imported."""
    from ncb.services.channels import interpol

    if not path.is_file():
        fail(f"no such file: {path}", field="path")
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        fail(f"not valid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}; "
             "nothing imported", field="path")
    with work_as(as_user) as (session, p):
        rows = interpol.import_notices(session, p, interpol.unwrap(payload), notice_type)
        refs = [n.notice_ref for n in rows]
    out.print(f"imported {len(refs)} {notice_type} notice(s) from {path}", highlight=False)


def _print_rows(rows: list[dict[str, Any]], fmt: Callable[[dict[str, Any]], str]) -> None:
    for r in rows:
        out.print(fmt(r), highlight=False, markup=False)


@eaw_app.command("release-required")
def release_required(as_user: AsUser,
                     as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Warrants whose custody limits expired: the person must be released at once."""
    from ncb.services.channels import eaw

    with work_as(as_user) as (session, p):
        rows = [{"reference": w.reference, "status": w.status, "reasons": w.release_reasons}
                for w in eaw.release_required(session, p)]
    if as_json:
        out.print_json(json.dumps(rows))
        return
    if not rows:
        out.print("no release required")
        return
    _print_rows(rows, lambda r: f"RELEASE REQUIRED {r['reference']} ({r['status']}): "
                + "; ".join(r["reasons"]))


@eaw_app.command("stats")
def stats(year: Annotated[int, typer.Option("--year")], as_user: AsUser) -> None:
    """The central authority's yearly figures, as JSON."""
    from ncb.services.channels.stats import eaw_stats

    with work_as(as_user) as (session, p):
        figures = eaw_stats(session, p, year)
    out.print_json(json.dumps(figures))


@sltd_app.command("check")
def sltd_check(number: str, as_user: AsUser,
               country: Annotated[str | None, typer.Option("--country")] = None) -> None:
    """Check a travel document: exit 0 with `hit` or `no hit` (logged as a consultation)."""
    from ncb.services.channels import interpol

    with work_as(as_user) as (session, p):
        result = interpol.sltd_check(session, p, interpol.SltdCheckIn(
            number=number, issuing_country=country, justification="CLI check"))
    out.print("hit" if result["hit"] else "no hit", highlight=False)
    for d in result["documents"]:
        out.print(f"  {d['number']} {d['issuing_country']} {d['document_type']} {d['status']}",
                  highlight=False, markup=False)
