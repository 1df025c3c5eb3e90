"""ncb.store.cases: a case reference becomes an id whoever asks (only the id comes back)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ncb.services.context import SYSTEM
from ncb.store import cases
from ncb.store.access import PRINCIPAL
from ncb.store.db import transaction
from ncb.store.models import Case
from tests.conftest import Seeded
from tests.store.bypasses import unfiltered_functions


def test_the_named_read_is_the_only_bypass() -> None:
    assert unfiltered_functions(cases) == {"id_of_reference"}


def test_id_of_a_hidden_case_and_none_for_an_absent_one(factory: sessionmaker[Session],
                                                        seeded: Seeded) -> None:
    home = seeded.agencies["GB-NCA"]
    with transaction(factory, **{PRINCIPAL: SYSTEM}) as s:
        case = Case(reference="T-SECRET-1", direction="incoming", channel="bilateral",
                    title="secret", classification="SECRET", classification_rank=3,
                    owner_agency_id=home, originator_agency_id=home)
        s.add(case)
        s.flush()
        case_id = case.id
    with transaction(factory, **{PRINCIPAL: seeded.principals["partner"]}) as s:
        assert s.scalar(select(Case.id).where(Case.reference == "T-SECRET-1")) is None
        assert cases.id_of_reference(s, "T-SECRET-1") == case_id
        assert cases.id_of_reference(s, "T-NONE-1") is None
