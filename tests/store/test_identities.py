"""ncb.store.identities: identity reads past the caller's rights, and only those."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from ncb.services.context import SYSTEM
from ncb.services.identities import resolve
from ncb.store import identities
from ncb.store.access import PRINCIPAL
from ncb.store.db import transaction
from ncb.store.models import Entity, IdentityKey, IdentityMember
from tests.conftest import Seeded
from tests.store.bypasses import unfiltered_functions


def test_the_named_reads_are_the_only_bypasses() -> None:
    assert unfiltered_functions(identities) == {
        "hidden_appearance_contacts", "entity_contacts", "entity_to_attach",
        "unresolved_entity_ids", "entity_columns", "identity_of", "identities_of",
        "identities_holding", "member_ids", "judged_appearances", "member_count"}


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


def _passport_holders(factory: sessionmaker[Session], seeded: Seeded) -> dict[str, int]:
    """Three appearances of one passport: open, SECRET, and the FBI's own (not shared)."""
    home, fbi = seeded.agencies["GB-NCA"], seeded.agencies["US-FBI"]
    with transaction(factory, **{PRINCIPAL: SYSTEM}) as s:
        ents = {name: Entity(kind="person", display_name=name, identifier="P1234567",
                             nationality="NG", classification=c, classification_rank=r,
                             owner_agency_id=owner, originator_agency_id=owner)
                for name, c, r, owner in (("open", "OFFICIAL", 1, home),
                                          ("secret", "SECRET", 3, home),
                                          ("fbi", "OFFICIAL", 1, fbi))}
        s.add_all(ents.values())
        s.flush()
        resolve.attach_many(s, list(ents.values()))
        return {name: e.id for name, e in ents.items()}


def test_identity_rows_go_with_their_appearance(factory: sessionmaker[Session],
                                                seeded: Seeded) -> None:
    """Membership and identifiers of an appearance are seen exactly when the entity is."""
    ids = _passport_holders(factory, seeded)
    want = {"desk": {"open"}, "supervisor": {"open", "secret"}, "partner": {"fbi"},
            "rcmp": set()}
    for user, names in want.items():
        with transaction(factory, **{PRINCIPAL: seeded.principals[user]}) as s:
            mine = set(ids.values())
            members = set(s.scalars(select(IdentityMember.entity_id))) & mine
            keys = set(s.scalars(select(IdentityKey.entity_id)
                                 .where(IdentityKey.key == "doc:P1234567:NG")))
            joined = set(s.scalars(select(IdentityKey.entity_id).join(
                IdentityMember, IdentityMember.entity_id == IdentityKey.entity_id)))
            assert members == keys == joined & mine == {ids[n] for n in names}, user
            assert s.scalars(select(IdentityKey.key).where(
                IdentityKey.entity_id == ids["secret"])).all() == ([] if "secret" not in names
                                                                   else ["doc:P1234567:NG"])
    with factory() as s:  # no caller: no row
        assert s.scalars(select(IdentityKey)).all() == []
        assert s.scalars(select(IdentityMember)).all() == []


def test_resolution_still_joins_hidden_appearances(factory: sessionmaker[Session],
                                                   seeded: Seeded) -> None:
    """The three share one identity, and a desk officer's new appearance of the passport joins
    it too, though the desk may see only one of them: the named reads see every appearance."""
    ids = _passport_holders(factory, seeded)
    desk = seeded.principals["desk"]
    with transaction(factory, **{PRINCIPAL: desk}) as s:
        ident = identities.identity_of(s, ids["open"])
        assert ident is not None
        assert identities.identities_of(s, ids.values()) == {i: ident for i in ids.values()}
        assert identities.member_ids(s, ident) == sorted(ids.values())
        assert identities.member_count(s, ident) == 3
        assert identities.identities_holding(s, ["doc:P1234567:NG"]) == {"doc:P1234567:NG": ident}
        assert s.scalars(select(IdentityMember.entity_id).where(
            IdentityMember.identity_id == ident)).all() == [ids["open"]]
        new = Entity(kind="person", display_name="walk-in", identifier="P1234567",
                     nationality="NG", owner_agency_id=seeded.agencies["GB-NCA"],
                     originator_agency_id=seeded.agencies["GB-NCA"])
        s.add(new)
        s.flush()
        assert resolve.attach(s, new).identity_id == ident
        new_id = new.id
    with transaction(factory, **{PRINCIPAL: desk}) as s:
        assert identities.identity_of(s, new_id) == ident
