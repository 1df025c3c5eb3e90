"""Entity reads that must see past the caller's rights, kept here and named.

Each is a system step inside a use case that has already checked the caller: the row goes on to
that step, never to the caller's page (screening's reads of a case's entities are in
ncb.store.hidden). tests/store/test_entities.py shows what each returns and that it is the
module's only unfiltered read.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from ncb.store.models import Entity

_UNFILTERED = {"skip_access": True}


def inserted(session: Session, entity_id: int) -> Entity:
    """The entity this transaction has just inserted (Core insert), as an ORM row: the caller
    may have marked it beyond what they may read back (another agency's originator, say)."""
    found = session.get(Entity, entity_id, execution_options=_UNFILTERED)
    if found is None:
        raise LookupError(f"entity {entity_id} was not inserted in this transaction")
    return found

