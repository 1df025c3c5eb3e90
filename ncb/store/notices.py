"""Notice reads that must see past the caller's rights, kept here and named.

A notice number is unique in the bureau, so drawing the next one must count the numbers of
notices the drafter may not read. Only the number comes back.
"""

from __future__ import annotations

from sqlalchemy import Integer, cast, func, select
from sqlalchemy.orm import Session

from ncb.store.models import Notice


def highest_number(session: Session, year: int) -> int:
    """The highest sequence number of `year` in use, imported or drafted, of any notice type
    and any marking (compared as numbers: imported refs such as 2026-7 are not zero-padded)."""
    seq = cast(func.substr(Notice.notice_ref, 6), Integer)
    return session.scalar(select(func.max(seq)).where(Notice.notice_ref.like(f"{year}-%"))
                          .execution_options(skip_access=True)) or 0
