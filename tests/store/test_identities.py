"""ncb.store.identities: identity reads past the caller's rights, and only those."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.orm import Session, sessionmaker

from ncb.services.context import SYSTEM
from ncb.store import identities
from ncb.store.access import PRINCIPAL
from ncb.store.db import transaction
from ncb.store.models import Entity, IdentityMember
from tests.conftest import Seeded
from tests.store.bypasses import unfiltered_functions


def test_the_named_reads_are_the_only_bypasses() -> None:
    assert unfiltered_functions(identities) == {
        "hidden_appearance_contacts", "entity_contacts", "entity_to_attach",
        "unresolved_entity_ids", "entity_columns"}


def test_resolution_reads_see_every_entity(factory: sessionmaker[Session], seeded: Seeded) -> None:
    home, fbi = seeded.agencies["GB-NCA"], seeded.agencies["US-FBI"]
    with transaction(factory, **{PRINCIPAL: SYSTEM}) as s:
        ents = [Entity(kind="person", display_name=name, first_name=first, classification=c,
                       classification_rank=r, owner_agency_id=owner, originator_agency_id=owner)
                for name, first, c, r, owner in (
                    ("Ann Open", "Ann", "OFFICIAL", 1, home),
                    ("Bob Secret", "Bob", "SECRET", 3, home),
                    ("Cy Fbi", "Cy", "OFFICIAL", 1, fbi))]
        s.add_all(ents)
        s.flush()
        ids = [e.id for e in ents]
    with transaction(factory, **{PRINCIPAL: SYSTEM}) as s:
        # New entities join an identity as they are written: undo that, as after a bulk load.
        s.execute(delete(IdentityMember).where(IdentityMember.entity_id.in_(ids)))
    with transaction(factory, **{PRINCIPAL: seeded.principals["desk"]}) as s:
        assert s.get(Entity, ids[1]) is None and s.get(Entity, ids[2]) is None
        assert identities.unresolved_entity_ids(s) == ids
        rows = identities.entity_columns(s, (Entity.id, Entity.first_name), list(reversed(ids)))
        assert rows == [{"id": ids[0], "first_name": "Ann"}, {"id": ids[1], "first_name": "Bob"},
                        {"id": ids[2], "first_name": "Cy"}]
        hidden = identities.entity_to_attach(s, ids[2])
        assert hidden is not None and hidden.display_name == "Cy Fbi"
        assert identities.entity_to_attach(s, ids[2] + 1000) is None
        assert identities.entity_contacts(s, [ids[2]]) == {
            ids[2]: ("US-FBI", "Federal Bureau of Investigation")}
