"""ncb.store.notices: the next notice number counts notices the drafter may not read."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ncb.services.context import SYSTEM
from ncb.store import notices
from ncb.store.access import PRINCIPAL
from ncb.store.db import transaction
from ncb.store.models import Notice
from tests.conftest import Seeded
from tests.store.bypasses import unfiltered_functions


def test_the_named_read_is_the_only_bypass() -> None:
    assert unfiltered_functions(notices) == {"highest_number"}


def test_highest_number_counts_hidden_and_unpadded_numbers(factory: sessionmaker[Session],
                                                          seeded: Seeded) -> None:
    home = seeded.agencies["GB-NCA"]
    with transaction(factory, **{PRINCIPAL: SYSTEM}) as s:
        for ref, classification, rank in (("2031-00007", "OFFICIAL", 1),
                                          ("2031-42", "SECRET", 3),  # imported, not padded
                                          ("2030-00900", "OFFICIAL", 1)):
            s.add(Notice(notice_ref=ref, notice_type="red", direction="incoming",
                         classification=classification, classification_rank=rank,
                         owner_agency_id=home, originator_agency_id=home))
    with transaction(factory, **{PRINCIPAL: seeded.principals["desk"]}) as s:
        visible = s.scalars(select(Notice.notice_ref).where(Notice.notice_ref.like("2031-%")))
        assert list(visible) == ["2031-00007"]  # the desk officer cannot read the SECRET one
        assert notices.highest_number(s, 2031) == 42
        assert notices.highest_number(s, 2030) == 900
        assert notices.highest_number(s, 2029) == 0
