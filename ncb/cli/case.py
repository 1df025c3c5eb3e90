"""`ncb case import`: JSON lines of cases, validated whole before one all-or-nothing transaction."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.progress import Progress

from ncb.cli.db import cli_engine, cli_settings, err, fail, out, principal_named
from ncb.cli.main import app
from ncb.services.inputs import CaseIn

case_app = typer.Typer(help="Cases: import from JSON lines.", no_args_is_help=True)
app.add_typer(case_app, name="case")


def _field(loc: tuple[object, ...]) -> str:
    return ".".join(str(x) for x in loc) or "(line)"


@case_app.command("import")
def import_cases(
    path: Annotated[Path, typer.Argument(help="A .jsonl file: one case (as POST /cases) a line.")],
    as_user: Annotated[str, typer.Option("--as", help="Username recorded as the importer.")],
) -> None:
    """Import cases. Every line is checked first; one bad line means nothing is imported."""

    if not path.is_file():
        fail(f"no such file: {path}", field="path")
    cases = []
    problems = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                cases.append((lineno, CaseIn.model_validate(json.loads(line))))
            except json.JSONDecodeError as exc:
                problems.append(f"line {lineno}: not valid JSON ({exc.msg})")
            except ValidationError as exc:
                for e in exc.errors():
                    problems.append(f"line {lineno}: {_field(e['loc'])}: {e['msg']} [{e['type']}]")
    if problems:
        for p in problems:
            err.print(p, highlight=False, markup=False)
        fail(f"{len(problems)} problem(s) in {path}; nothing imported", field="path")
    if not cases:
        fail(f"{path} holds no cases", field="path")
    _write(cases, as_user, path)


def _write(cases: list[tuple[int, CaseIn]], as_user: str, path: Path) -> None:

    from ncb.services.context import unit_of_work
    from ncb.services.errors import ServiceError
    from ncb.services.intake import intake_case
    from ncb.store.db import session_factory

    engine = cli_engine(cli_settings())
    factory = session_factory(engine)
    refs: list[str] = []
    lineno = 0
    try:
        principal = principal_named(factory, as_user)
        with unit_of_work(factory, principal) as session, Progress(transient=True) as bar:
            task = bar.add_task("importing cases", total=len(cases))
            for n, data in cases:
                lineno = n  # named in the error if this case fails
                refs.append(intake_case(session, principal, data).reference)
                bar.advance(task)
    except ServiceError as exc:
        fail(f"line {lineno}: {exc.detail}; nothing imported", field=exc.field)
    finally:
        engine.dispose()
    out.print(f"imported {len(refs)} case(s) from {path}: {refs[0]} .. {refs[-1]}", highlight=False)
