"""`ncb threat trends | year`: the threat picture as the user may see it, printed or as CSV."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Annotated, Any

import typer

from ncb.cli.db import out
from ncb.cli.identity import AsUser, _run
from ncb.cli.main import app

threat_app = typer.Typer(help="Threat picture: trends and the year in numbers.",
                         no_args_is_help=True)
app.add_typer(threat_app, name="threat")
CsvOut = Annotated[Path | None, typer.Option("--csv", help="Write CSV to this file.")]


def _emit(rows: list[list[Any]], target: Path | None) -> None:
    if target is not None:
        with target.open("w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows(rows)
        out.print(f"wrote {len(rows) - 1} row(s) to {target}", highlight=False)
        return
    for row in rows:
        typer.echo("\t".join(str(c) for c in row))  # plain tabs: rich would expand them


@threat_app.command("trends")
def show_trends(as_user: AsUser,
                start: Annotated[str, typer.Option("--from", help="YYYY-MM")],
                end: Annotated[str, typer.Option("--to", help="YYYY-MM")],
                by: Annotated[str, typer.Option("--by", help="crime_area, country or route")]
                = "crime_area", target: CsvOut = None) -> None:
    """New cases per month for the top values (the rest as 'other')."""
    from ncb.services.threat.trends import trends

    _emit(_run(as_user, lambda s, p: trends(s, p, by, start, end).rows()), target)


@threat_app.command("year")
def show_year(year: int, as_user: AsUser, target: CsvOut = None) -> None:
    """The year in numbers: cases by channel and month, EAW, Captura, SIS hits, notices."""
    from ncb.services.threat.year import year_in_numbers

    _emit(_run(as_user, lambda s, p: year_in_numbers(s, p, year).rows()), target)
