"""`ncb sis ...`: the Schengen desk from the command line (alerts, hits, SIRENE forms)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer

from ncb.cli.channels import AsUser, work_as
from ncb.cli.db import out
from ncb.cli.inputs import build, json_option
from ncb.cli.main import app

sis_app = typer.Typer(help="Schengen Information System alerts and SIRENE forms.",
                      no_args_is_help=True)
alert_app = typer.Typer(help="SIS alerts issued by us or by another state.", no_args_is_help=True)
form_app = typer.Typer(help="SIRENE forms (A, G, M, I), received or sent.", no_args_is_help=True)
sis_app.add_typer(alert_app, name="alert")
sis_app.add_typer(form_app, name="form")
app.add_typer(sis_app, name="sis")

Json = Annotated[str | None, typer.Option(help='JSON object, or @file.json')]


@alert_app.command("add")
def alert_add(
    as_user: AsUser,
    article: Annotated[str, typer.Option(help="Reg. (EU) 2018/1862 article: 26, 32, 34, 36, 38, 40")],
    country: Annotated[str, typer.Option(help="Issuing state (ISO 3166 alpha-2)")],
    data: Json = None,
    schengen_id: Annotated[str | None, typer.Option(help="The alert's Schengen id")] = None,
    case: Annotated[str | None, typer.Option(help="Case reference to attach it to")] = None,
    flag_reason: Annotated[str | None, typer.Option(help="Flag the alert (Art. 24/25) and why")]
    = None,
) -> None:
    """Record an alert; its required fields per article are checked (exit 2 names the missing)."""
    from ncb.services.channels import schengen

    body = build(schengen.AlertIn, article=article, issuing_country=country,
                 data=json_option(data, "--data"), schengen_id=schengen_id, case_ref=case,
                 flagged=flag_reason is not None, flag_reason=flag_reason)
    with work_as(as_user) as (session, p):
        alert = schengen.create_alert(session, p, body)
        line = f"alert {alert.id} recorded: Art. {alert.article} {alert.schengen_id or ''}".rstrip()
    out.print(line, highlight=False, markup=False)


@sis_app.command("hit")
def hit(
    alert_id: Annotated[int, typer.Argument(help="The alert that was hit")],
    as_user: AsUser,
    place: Annotated[str, typer.Option(help="Where the person or object was found")],
    action: Annotated[str, typer.Option(help="Action taken (goes into the G form)")],
    at: Annotated[datetime | None, typer.Option(help="When (ISO 8601, UTC if no zone); default now")]
    = None,
    urgent_reason: Annotated[str | None, typer.Option(help="Mark the G form urgent, and why")] = None,
    info: Annotated[str | None, typer.Option(help="Additional information")] = None,
    case: Annotated[str | None, typer.Option(help="Case reference, if the hit belongs to one")] = None,
) -> None:
    """A hit on another state's alert: a schengen case and a G form due within 12 hours."""
    from ncb.services.channels import schengen

    when = (at or datetime.now(UTC))
    when = when if when.tzinfo else when.replace(tzinfo=UTC)
    body = build(schengen.HitIn, hit_at=when, place=place, action_taken=action,
                 urgent=urgent_reason is not None, urgent_reason=urgent_reason,
                 additional_information=info, case_ref=case)
    with work_as(as_user) as (session, p):
        form = schengen.record_hit(session, p, alert_id, body)
        line = f"G form {form.reference} (id {form.id}) drafted"
    out.print(line + "; send it within 12 hours (`ncb sis form send`)", highlight=False,
              markup=False)


@form_app.command("add")
def form_add(
    as_user: AsUser,
    form_type: Annotated[str, typer.Option("--type", help="A, G, M or I")],
    recipient: Annotated[str, typer.Option(help="Receiving SIRENE bureau (country code)")],
    direction: Annotated[str, typer.Option(help="out (we send) or in (we received it)")] = "out",
    sender: Annotated[str | None, typer.Option(help="Sending bureau (incoming forms)")] = None,
    reference: Annotated[str | None, typer.Option(help="The sender's reference (incoming)")] = None,
    alert: Annotated[int | None, typer.Option(help="Alert id the form concerns")] = None,
    case: Annotated[str | None, typer.Option(help="Case reference")] = None,
    reply_to: Annotated[int | None, typer.Option(help="Form id this answers")] = None,
    fields: Json = None,
) -> None:
    """Record a SIRENE form, received or to send; its required fields are checked."""
    from ncb.services.channels import schengen

    body = build(schengen.FormIn, form_type=form_type, direction=direction, recipient=recipient,
                 sender=sender, reference=reference, alert_id=alert, case_ref=case,
                 in_reply_to=reply_to, fields=json_option(fields, "--fields"))
    with work_as(as_user) as (session, p):
        form = schengen.create_form(session, p, body)
        line = f"form {form.form_type} {form.reference} recorded ({form.direction}), id {form.id}"
    out.print(line, highlight=False, markup=False)


@form_app.command("send")
def form_send(form_id: Annotated[int, typer.Argument(help="Form id")], as_user: AsUser) -> None:
    """Send a drafted form: its deadline is met and the sending is audited as a disclosure."""
    from ncb.services.channels import schengen

    with work_as(as_user) as (session, p):
        form = schengen.send_form(session, p, form_id)
        line = f"form {form.reference} sent to {form.recipient}"
    out.print(line, highlight=False, markup=False)
