"""Case reads that must see past the caller's rights, kept here and named.

A case is asked for by its reference; the caller must then get the same answer whether the case
is hidden from them or absent (ncb.services.reading: both a 404, both logged as refusals), so the
reference is turned into an id whoever asks. Only the id comes back, never the case.
tests/store/test_cases.py shows what it returns and that it is the module's only bypass.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncb.store.models import Case


def id_of_reference(session: Session, reference: str) -> int | None:
    """The id of the case with this reference, seen by the caller or not; None if there is none."""
    return session.scalar(select(Case.id).where(Case.reference == reference)
                          .execution_options(skip_access=True))
