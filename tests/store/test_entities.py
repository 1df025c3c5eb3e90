"""ncb.store.entities: the entity read a use case makes past the caller's rights."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from ncb.services.context import SYSTEM
from ncb.store import entities
from ncb.store.access import PRINCIPAL
from ncb.store.db import transaction
from ncb.store.models import Case, CaseEntity, Entity
from tests.conftest import Seeded
from tests.store.bypasses import unfiltered_functions


def _secret_case(factory: sessionmaker[Session], seeded: Seeded) -> list[int]:
    """A case with an OFFICIAL and a SECRET entity (the desk officer clears OFFICIAL-SENSITIVE)."""
    home = seeded.agencies["GB-NCA"]
    marks = {"owner_agency_id": home, "originator_agency_id": home}
    with transaction(factory, **{PRINCIPAL: SYSTEM}) as s:
        case = Case(reference="T-ENT-1", direction="incoming", channel="bilateral",
                    title="two entities", **marks)
        s.add(case)
        s.flush()
        ids = []
        for name, classification, rank in (("Open Person", "OFFICIAL", 1),
                                           ("Secret Person", "SECRET", 3)):
            ent = Entity(kind="person", display_name=name, classification=classification,
                         classification_rank=rank, **marks)
            s.add(ent)
            s.flush()
            s.add(CaseEntity(case_id=case.id, entity_id=ent.id, role="subject"))
            ids.append(ent.id)
        return ids


def test_the_named_read_is_the_only_bypass() -> None:
    assert unfiltered_functions(entities) == {"inserted"}


def test_it_returns_what_the_filter_hides(factory: sessionmaker[Session],
                                         seeded: Seeded) -> None:
    open_id, secret_id = _secret_case(factory, seeded)
    with transaction(factory, **{PRINCIPAL: seeded.principals["desk"]}) as s:
        assert s.get(Entity, secret_id) is None  # the desk officer's own reads hide it
        assert entities.inserted(s, secret_id).display_name == "Secret Person"
        assert entities.inserted(s, open_id).display_name == "Open Person"
        with pytest.raises(LookupError):
            entities.inserted(s, secret_id + 1000)
