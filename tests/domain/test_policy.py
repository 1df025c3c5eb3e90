"""Dissemination: may agency X pass this record to agency Y? Every refusal says why."""

from __future__ import annotations

import pytest

from ncb.domain.policy import Marking, Principal, Recipient, can_receive, can_see, needs_justification

HOME, FBI, RCMP, EUROPOL = 1, 2, 3, 4
FBI_R = Recipient(FBI, "US-FBI", max_classification_rank=3)
NCB_R = Recipient(5, "FR-NCB", max_classification_rank=2)


def mark(**kw: object) -> Marking:
    base: dict[str, object] = dict(classification="OFFICIAL", classification_rank=1,
                                   owner_agency_id=HOME, originator_agency_id=HOME,
                                   handling_code="P", tlp="TLP:GREEN")
    base.update(kw)
    return Marking(**base)  # type: ignore[arg-type]


# (marking, recipient, sharer, provider_permission, allowed, reason fragment)
CASES = [
    (mark(), FBI_R, HOME, False, True, "permit"),
    (mark(classification="SECRET", classification_rank=3), NCB_R, HOME, False, False,
     "not accredited"),
    (mark(classification="SECRET", classification_rank=3), FBI_R, HOME, False, True, "permit"),
    (mark(handling_code="C"), FBI_R, HOME, False, False, "conditions must be stated"),
    (mark(handling_code="C", handling_conditions="no court use"), FBI_R, HOME, False, True,
     "no court use"),
    (mark(handling_code="H2", originator_agency_id=EUROPOL), FBI_R, HOME, False, False, "H2"),
    (mark(handling_code="H2", originator_agency_id=EUROPOL), FBI_R, HOME, True, True, "permit"),
    (mark(handling_code="H2"), FBI_R, HOME, False, True, "permit"),  # the provider itself
    (mark(handling_code="4", originator_agency_id=RCMP), FBI_R, HOME, False, False,
     "originating agency only"),
    (mark(handling_code="5", originator_agency_id=RCMP), FBI_R, HOME, False, False,
     "refer to the originator"),
    (mark(tlp="TLP:RED", originator_agency_id=RCMP), FBI_R, HOME, False, False, "TLP:RED"),
    (mark(tlp="TLP:RED"), FBI_R, HOME, False, True, "permit"),  # originator names recipients
    (mark(tlp="TLP:AMBER+STRICT", originator_agency_id=RCMP), FBI_R, HOME, False, False,
     "AMBER+STRICT"),
    (mark(tlp="TLP:AMBER", originator_agency_id=RCMP), FBI_R, HOME, False, False, "TLP:AMBER"),
    (mark(tlp="TLP:CLEAR", originator_agency_id=RCMP), FBI_R, HOME, False, True, "permit"),
    (mark(originator_agency_id=FBI, tlp="TLP:RED"), FBI_R, HOME, False, True, "already holds"),
]


@pytest.mark.parametrize("m,recipient,sharer,permission,allowed,reason", CASES)
def test_can_receive(m, recipient, sharer, permission, allowed, reason):
    d = can_receive(recipient, m, sharer, permission)
    assert d.allowed is allowed
    assert any(reason in r for r in d.reasons), d.reasons


def test_refusal_explains_every_reason_at_once():
    m = mark(classification="SECRET", classification_rank=3, handling_code="H2",
             originator_agency_id=EUROPOL, tlp="TLP:AMBER")
    d = can_receive(NCB_R, m, HOME)
    assert not d.allowed and len(d.reasons) == 3


def test_can_see_and_justification():
    p = Principal(user_id=1, username="fbi", agency_id=FBI, agency_code="US-FBI",
                  clearance_rank=3)
    assert not can_see(p, mark())
    assert can_see(p, mark(shared_agency_ids=frozenset({FBI})))
    assert "not shared" in " ".join(can_see(p, mark()).reasons)
    assert not needs_justification(mark())
    assert needs_justification(mark(classification="OFFICIAL-SENSITIVE", classification_rank=2))
