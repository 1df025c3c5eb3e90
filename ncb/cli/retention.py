"""`ncb retention ...`: the review queue, keep with a reason, or erase."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer

from ncb.cli.db import fail, out
from ncb.cli.identity import AsUser, Reason, _run
from ncb.cli.main import app

retention_app = typer.Typer(help="Retention review of held records (DPA 2018 s.39).",
                            no_args_is_help=True)
app.add_typer(retention_app, name="retention")
KINDS = ("case", "notice", "alert", "tip", "appeal")


def _kind(kind: str) -> str:
    if kind not in KINDS:
        fail(f"must be one of {', '.join(KINDS)}", field="kind")
    return kind


@retention_app.command("queue")
def show_queue(as_user: AsUser, kind: Annotated[str | None, typer.Option(
        "--kind", help="case, notice, alert, tip or appeal")] = None,
        horizon: Annotated[int | None, typer.Option(
            "--horizon", help="Days ahead (default from the rules).")] = None) -> None:
    """List held records due for review that the user may see."""
    from ncb.services.retention.queue import review_queue

    q = _run(as_user, lambda s, p: review_queue(s, p, kind=_kind(kind) if kind else None,
                                                horizon_days=horizon))
    totals = ", ".join(f"{k}: {n}" for k, n in q.totals.items())
    out.print(f"due by {q.cutoff:%Y-%m-%d} ({totals})", highlight=False)
    for i in q.items:
        flag = "OVERDUE" if i.overdue else "due"
        out.print(f"{i.kind:6} {i.record_id:>7} {i.reference:24} {flag:7} {i.due_at:%Y-%m-%d} "
                  f"{i.category:12} {i.title[:50]}", highlight=False, markup=False)


@retention_app.command("keep")
def keep(kind: str, record_id: int, as_user: AsUser, reason: Reason,
         next_review: Annotated[datetime | None, typer.Option(
             "--next-review", help="Earlier next review date (UTC).")] = None) -> None:
    """Keep a record with a reason until its next review (audited)."""
    from datetime import UTC

    from ncb.services.retention.decide import keep as keep_record

    when = next_review.replace(tzinfo=UTC) if next_review and not next_review.tzinfo \
        else next_review
    r = _run(as_user, lambda s, p: keep_record(s, p, _kind(kind), record_id, reason, when))
    out.print(f"kept {kind} {record_id}; next review {r.next_review_at:%Y-%m-%d}")


@retention_app.command("erase")
def erase(kind: str, record_id: int, as_user: AsUser, reason: Reason) -> None:
    """Erase a record and what only it held (audited as erasure; identities updated)."""
    from ncb.services.retention.decide import erase as erase_record

    r = _run(as_user, lambda s, p: erase_record(s, p, _kind(kind), record_id, reason))
    out.print(f"erased: {'; '.join(r.erased)}", highlight=False, markup=False)
    for line in r.kept:
        out.print(f"kept: {line}", highlight=False, markup=False)
    for ident in r.identities:
        out.print(f"identity {ident['identity_id']}: {ident['appearances_left']} appearance(s) "
                  "left", highlight=False)
