"""`ncb siena ...`: Europol SIENA messages from the command line, each under its handling code."""

from __future__ import annotations

from typing import Annotated

import typer

from ncb.cli.channels import AsUser, work_as
from ncb.cli.db import fail, out
from ncb.cli.inputs import build
from ncb.cli.main import app

siena_app = typer.Typer(help="Europol SIENA exchanges: send, reply, forward, record permission.",
                        no_args_is_help=True)
app.add_typer(siena_app, name="siena")

CaseRef = Annotated[str, typer.Argument(help="Case reference")]
MessageId = Annotated[int, typer.Argument(help="Message id on that case")]
Handling = Annotated[str, typer.Option("--handling",
                                       help="H0 crime use only, H1 not in court without "
                                            "permission, H2 not passed on without permission, "
                                            "H3 other restriction (give --conditions)")]
To = Annotated[list[str], typer.Option("--to", help="Recipient (repeat for several)")]


def _send(ref: str, as_user: str, handling: str, subject: str, body: str, to: list[str],
          sender: str | None, direction: str, conditions: str | None, source: str | None,
          info: str | None, classification: str, reply_to: int | None) -> None:
    from ncb.services.channels import europol

    with work_as(as_user) as (session, p):
        data = build(europol.SienaMessageIn, direction=direction, sender=sender or p.agency_code,
                     recipients=to, subject=subject, body=body, handling_code=handling,
                     handling_conditions=conditions, source_reliability=source,
                     information_accuracy=info, classification=classification,
                     in_reply_to=reply_to)
        msg = europol.send(session, p, ref, data)
        line = f"message {msg.id} on {ref}: {msg.direction} under {msg.handling_code}"
    out.print(line, highlight=False, markup=False)


@siena_app.command("send")
def send(
    ref: CaseRef, as_user: AsUser, handling: Handling,
    subject: Annotated[str, typer.Option(help="Subject line")],
    body: Annotated[str, typer.Option(help="Message text")] = "",
    to: To = [],  # noqa: B006 - typer reads the default, it is never mutated
    sender: Annotated[str | None, typer.Option(help="Sender (default: your agency)")] = None,
    direction: Annotated[str, typer.Option(help="out (we send) or in (we received it)")] = "out",
    conditions: Annotated[str | None, typer.Option(help="H3: the provider's restriction")] = None,
    source: Annotated[str | None, typer.Option(help="4x4 source reliability: A, B, C, X")] = None,
    info: Annotated[str | None, typer.Option(help="4x4 information accuracy: 1-4")] = None,
    classification: Annotated[str, typer.Option(help="OFFICIAL, OFFICIAL-SENSITIVE, SECRET")]
    = "OFFICIAL",
) -> None:
    """Send (or record a received) SIENA message on a case; it is audited as a disclosure."""
    _send(ref, as_user, handling, subject, body, to, sender, direction, conditions, source, info,
          classification, None)


@siena_app.command("reply")
def reply(
    ref: CaseRef, message_id: MessageId, as_user: AsUser, handling: Handling,
    subject: Annotated[str, typer.Option(help="Subject line")],
    body: Annotated[str, typer.Option(help="Message text")] = "",
    to: To = [],  # noqa: B006
    conditions: Annotated[str | None, typer.Option(help="H3: the provider's restriction")] = None,
    classification: Annotated[str, typer.Option(help="OFFICIAL, OFFICIAL-SENSITIVE, SECRET")]
    = "OFFICIAL",
) -> None:
    """Reply to a message: the reply keeps the strictest handling code of what it answers."""
    _send(ref, as_user, handling, subject, body, to, None, "out", conditions, None, None,
          classification, message_id)


@siena_app.command("forward")
def forward(ref: CaseRef, message_id: MessageId, as_user: AsUser, to: To) -> None:
    """Pass a message on; H2 (and legacy 4/5) are refused without the provider's permission."""
    from ncb.services import exchange

    if not to:
        fail("give at least one recipient", field="--to")
    with work_as(as_user) as (session, p):
        msg = exchange.forward_message(session, p, ref, message_id, to)
        line = f"message {message_id} forwarded as message {msg.id} to {', '.join(to)}"
    out.print(line, highlight=False, markup=False)


@siena_app.command("permission")
def permission(ref: CaseRef, message_id: MessageId, as_user: AsUser,
               note: Annotated[str, typer.Option(help="How and when the provider agreed")]) -> None:
    """Record the provider's permission to pass an H2 message on (audited with the note)."""
    from ncb.services.channels import europol

    with work_as(as_user) as (session, p):
        europol.record_permission(session, p, ref, message_id,
                                  build(europol.PermissionIn, note=note))
    out.print(f"permission recorded for message {message_id} on {ref}", highlight=False)
