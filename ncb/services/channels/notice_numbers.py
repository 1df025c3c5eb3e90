"""Notice numbers (YEAR-SEQUENCE) drawn without clashes, imported numbers included."""

from __future__ import annotations

from contextlib import suppress

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ncb.services.channels.common import now_utc
from ncb.store import notices
from ncb.store.models.channels import NoticeSequence

REF_ATTEMPTS = 5


def _next_ref(session: Session) -> str:
    """Draw the next YEAR-SEQ inside the caller's transaction.

    The per-year row of `notice_sequences` is locked (FOR UPDATE on PostgreSQL; SQLite has one
    writer) so concurrent drafts draw different numbers, and the draw never falls below a number
    already in use (imports included). The unique (type, ref) constraint backs this up: a clash
    is retried by `draft`.
    """
    year = now_utc().year
    row = session.scalar(select(NoticeSequence).where(NoticeSequence.year == year)
                         .with_for_update())
    if row is None:
        # Another transaction may create the year's row first: then theirs is used.
        with suppress(IntegrityError), session.begin_nested():
            session.execute(insert(NoticeSequence).values(year=year, last=0))
        row = session.scalar(select(NoticeSequence).where(NoticeSequence.year == year)
                             .with_for_update())
        assert row is not None
    row.last = max(row.last, notices.highest_number(session, year)) + 1
    session.flush()
    return f"{year}-{row.last:05d}"


