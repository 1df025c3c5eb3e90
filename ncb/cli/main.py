"""The root Typer app; command modules attach themselves to it on import."""

import typer

app = typer.Typer(
    name="ncb",
    help="NCB Gateway: cases, screening, audit and the demo bureau.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
