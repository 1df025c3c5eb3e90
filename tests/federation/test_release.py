"""Release per object and per embedded reference, decided by the same policy as local sharing."""

from __future__ import annotations

from ncb.domain.policy import Marking, Recipient
from ncb.federation.release import Item, decide, kept_refs

UK, FBI, EUROPOL = 1, 2, 3
FBI_R = Recipient(FBI, "US-FBI", 3, frozenset({10}))


def m(rank: int = 1, shared: frozenset[int] = frozenset(), originator: int = UK,
      handling: str | None = "P", tlp: str | None = "TLP:AMBER", group: int | None = None,
      scope: str = "own") -> Marking:
    return Marking("X", rank, UK, originator, scope, group, shared, handling, None, tlp)


def test_case_goes_but_secret_note_and_unshared_attachment_stay() -> None:
    items = [
        Item("case", m(2)),
        Item("note-ok", m(2, frozenset({FBI})), parent="case"),
        Item("note-secret", m(4, frozenset({FBI})), parent="case"),
        Item("att-unshared", m(1), parent="case"),
        Item("att-group", m(1, group=10, scope="group"), parent="case"),
        Item("under-secret", m(1, frozenset({FBI})), parent="note-secret"),
    ]
    d = decide(items, FBI_R, UK, root="case")
    allowed = {k for k, v in d.items() if v.allowed}
    assert allowed == {"case", "note-ok", "att-group"}
    assert "not accredited" in " ".join(d["note-secret"].reasons)
    assert d["under-secret"].reasons == ("its parent record is withheld",)
    assert kept_refs(["note-ok", "att-unshared", "note-secret"], allowed) == ["note-ok"]


def test_onward_sharing_narrows_to_what_the_originator_allowed() -> None:
    from_europol_h2 = m(1, originator=EUROPOL, handling="H2", tlp=None)
    d = decide([Item("case", from_europol_h2)], FBI_R, UK, root="case")
    assert not d["case"].allowed and "H2" in d["case"].reasons[0]
    with_permission = Item("case", from_europol_h2, provider_permission=True)
    assert decide([with_permission], FBI_R, UK, root="case")["case"].allowed
    red = m(1, originator=EUROPOL, tlp="TLP:RED")
    assert not decide([Item("case", red)], FBI_R, UK, root="case")["case"].allowed
    assert decide([Item("case", m(1, tlp="TLP:RED"))], FBI_R, UK, root="case")["case"].allowed


def test_orphan_child_is_withheld() -> None:
    d = decide([Item("note", m(1, frozenset({FBI})), parent="missing")], FBI_R, UK, root="case")
    assert not d["note"].allowed
