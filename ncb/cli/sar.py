"""`ncb sar ...`: subject access requests: open, show, confirm identities, decide, extend,
export the pack, answer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.orm import Session

from ncb.cli.db import out
from ncb.cli.identity import AsUser, Reason, _run
from ncb.cli.main import app
from ncb.domain.policy import Principal

sar_app = typer.Typer(help="Subject access requests (DPA 2018 s.45).", no_args_is_help=True)
app.add_typer(sar_app, name="sar")
Ground = Annotated[str, typer.Option("--ground", help="Exemption code from the rules.")]


@sar_app.command("open")
def open_request(name: str, as_user: AsUser,
                 dob: Annotated[str | None, typer.Option("--dob")] = None,
                 nationality: Annotated[str | None, typer.Option("--nationality")] = None,
                 identifier: Annotated[str | None, typer.Option("--identifier")] = None) -> None:
    """Open a request as a case; its one-month clock is the case deadline."""
    from ncb.services.subject_access.requests import Particulars
    from ncb.services.subject_access.requests import open_request as open_sar

    case = _run(as_user, lambda s, p: open_sar(s, p, Particulars(
        name, date_of_birth=dob, nationality=nationality, identifier=identifier))[0])
    out.print(f"opened {case.reference}; reply due {case.next_due_at:%Y-%m-%d}",
              highlight=False)


@sar_app.command("show")
def show(ref: str, as_user: AsUser) -> None:
    """Print the request, the matcher's candidate identities and every item (JSON)."""
    from ncb.services.subject_access.pack import build

    def go(s: Session, p: Principal) -> str:
        v = build(s, p, ref)
        return json.dumps({"reference": v.reference, "status": v.status,
                           "due_at": str(v.due_at), "candidates": v.candidates,
                           "identity_ids": v.identity_ids,
                           "items": [{"item": i.key, "disclose": i.disclose,
                                      "ground": i.ground} for i in v.items],
                           "consult": v.consult}, default=str)

    out.print_json(_run(as_user, go))


@sar_app.command("confirm")
def confirm(ref: str, identity_ids: Annotated[list[int], typer.Argument()],
            as_user: AsUser) -> None:
    """Say which identities are the requester."""
    from ncb.services.subject_access.requests import confirm_identities

    _run(as_user, lambda s, p: confirm_identities(s, p, ref, identity_ids))
    out.print(f"{ref}: identities {', '.join(map(str, identity_ids))} confirmed")


@sar_app.command("withhold")
def withhold(ref: str, item: str, as_user: AsUser, ground: Ground) -> None:
    """Withhold ITEM (kind:reference) on a ground."""
    from ncb.services.subject_access.requests import decide

    _run(as_user, lambda s, p: decide(s, p, ref, item, False, ground))
    out.print(f"{item} withheld ({ground})")


@sar_app.command("disclose")
def disclose(ref: str, item: str, as_user: AsUser) -> None:
    """Disclose ITEM (kind:reference)."""
    from ncb.services.subject_access.requests import decide

    _run(as_user, lambda s, p: decide(s, p, ref, item, True, None))
    out.print(f"{item} disclosed")


@sar_app.command("extend")
def extend(ref: str, as_user: AsUser, reason: Reason) -> None:
    """Extend the clock once."""
    from ncb.services.subject_access.requests import extend as extend_sar

    case = _run(as_user, lambda s, p: extend_sar(s, p, ref, reason))
    out.print(f"{ref}: reply now due {case.next_due_at:%Y-%m-%d}", highlight=False)


@sar_app.command("pack")
def export(ref: str, target: Annotated[Path, typer.Argument(help="JSON file to write.")],
           as_user: AsUser) -> None:
    """Write the export pack (logged as a disclosure to the data subject)."""
    from ncb.services.subject_access.pack import export as export_pack

    body = _run(as_user, lambda s, p: export_pack(s, p, ref))
    target.write_text(json.dumps(body, indent=2, ensure_ascii=False), encoding="utf-8")
    out.print(f"wrote the pack of {ref} to {target} ({len(body['records'])} record(s), "
              f"{sum(w['items'] for w in body['withheld'])} withheld)", highlight=False)


@sar_app.command("answer")
def answer(ref: str, as_user: AsUser) -> None:
    """Record that the reply was sent (the clock is met)."""
    from ncb.services.subject_access.requests import answer as answer_sar

    _run(as_user, lambda s, p: answer_sar(s, p, ref))
    out.print(f"{ref} answered")


@sar_app.command("ask-proof")
def ask_proof(ref: str, as_user: AsUser, what: Annotated[str, typer.Option(
        "--what", help="The proof of identity asked for (s.52(4)).")]) -> None:
    """Ask the requester for proof of identity: no clock runs until it arrives."""
    from ncb.services.subject_access.identity_proof import ask_for_proof

    _run(as_user, lambda s, p: ask_for_proof(s, p, ref, what))
    out.print(f"{ref}: proof of identity asked for; the clock waits for it", highlight=False)


@sar_app.command("proof-received")
def proof_received(ref: str, as_user: AsUser) -> None:
    """Record that the proof arrived: the clock restarts, one month from now (s.54(3)(b))."""
    from ncb.services.subject_access.identity_proof import proof_received as received

    case = _run(as_user, lambda s, p: received(s, p, ref))
    out.print(f"{ref}: proof received; reply now due {case.next_due_at:%Y-%m-%d}",
              highlight=False)
