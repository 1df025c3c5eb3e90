"""Public appeals: drafting, the audited publication decision, withdrawal, the public query."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ncb.demo.appeals import seed_demo_appeals
from ncb.services import appeals
from ncb.services.appeals import AppealIn
from ncb.services.errors import Conflict, Forbidden, InvalidInput
from ncb.store.models import Appeal, AuditEntry
from tests.services.public_fixtures import Bureau, bureau_fixture  # noqa: F401

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _draft(b: Bureau, who: str = "tips", **kw: object) -> int:
    data = dict(case=b.case_ref, name="Kevin MARSH", aliases=["Kev", "Kévin Marš"], age=44,
                height_cm=180, distinguishing_marks="Tattoo of a swallow on the left hand",
                wanted_for="Armed robbery", believed_country="es")
    data.update(kw)
    with b.session(who) as s:
        return appeals.draft_appeal(s, b.p(who), AppealIn(**data), photo=PNG).id


def _publish(b: Bureau, aid: int) -> None:
    with b.session("supervisor") as s:
        appeals.publish_appeal(s, b.p("supervisor"), aid, "Approved for the Captura launch")


def _public(b: Bureau, **kw: object) -> list[appeals.PublicAppeal]:
    with b.session(None) as s:  # the public side: no principal at all
        return appeals.published_appeals(s, **kw)  # type: ignore[arg-type]


def test_draft_is_not_public(bureau: Bureau) -> None:
    aid = _draft(bureau)
    assert _public(bureau) == []
    with bureau.session("tips") as s:
        a = s.get(Appeal, aid)
        assert a.believed_country == "ES" and a.photo_type == "image/png"
        assert a.published_at is None


def test_publish_needs_appeal_publish_and_is_audited(bureau: Bureau) -> None:
    aid = _draft(bureau)
    for who in ("tips", "desk"):
        with pytest.raises(Forbidden), bureau.session(who) as s:
            appeals.publish_appeal(s, bureau.p(who), aid, "because")
    with pytest.raises(InvalidInput), bureau.session("supervisor") as s:
        appeals.publish_appeal(s, bureau.p("supervisor"), aid, "  ")
    _publish(bureau, aid)
    with bureau.session("system") as s:
        a = s.get(Appeal, aid)
        assert a.approved_by == bureau.seeded.users["supervisor"] and a.published_at
        entry = s.scalars(select(AuditEntry).where(AuditEntry.record_kind == "appeal",
                                                   AuditEntry.action == "disclosure")).one()
        assert entry.actor == "supervisor" and entry.recipients == ["public"]
        assert entry.justification == "Approved for the Captura launch"
        assert entry.record_id == str(aid)
    with pytest.raises(Conflict), bureau.session("supervisor") as s:
        appeals.publish_appeal(s, bureau.p("supervisor"), aid, "again")
    listed = _public(bureau)
    assert [a.name for a in listed] == ["Kevin MARSH"]
    assert listed[0].has_photo and listed[0].believed_country == "ES"


def test_withdrawn_appeal_disappears_at_once(bureau: Bureau) -> None:
    aid = _draft(bureau)
    _publish(bureau, aid)
    public_id = _public(bureau)[0].public_id
    with bureau.session("supervisor") as s:
        appeals.withdraw_appeal(s, bureau.p("supervisor"), aid, "Arrested in Malaga")
    assert _public(bureau) == []
    with bureau.session(None) as s:
        assert appeals.published_appeal(s, public_id) is None
        assert appeals.published_photo(s, public_id) is None
        assert appeals.public_counts(s).listed == 0
    with pytest.raises(Forbidden), bureau.session("tips") as s:
        appeals.withdraw_appeal(s, bureau.p("tips"), aid, "no")


def test_search_filters_and_counts(bureau: Bureau) -> None:
    a1 = _draft(bureau)
    a2 = _draft(bureau, name="Lee Sutton", aliases=["The Fox"], believed_country="CY",
                wanted_for="Drug trafficking")
    a3 = _draft(bureau, name="Draft Only", believed_country="FR")
    for aid in (a1, a2):
        _publish(bureau, aid)
    with bureau.session("supervisor") as s:
        appeals.set_status(s, bureau.p("supervisor"), a2, "caught")
    assert {a.name for a in _public(bureau)} == {"Kevin MARSH", "Lee Sutton"}
    assert [a.name for a in _public(bureau, q="kevin mars")] == ["Kevin MARSH"]
    assert [a.name for a in _public(bureau, q="fox")] == ["Lee Sutton"]
    assert [a.name for a in _public(bureau, q="MARS")] == ["Kevin MARSH"]   # alias Marš folded
    assert [a.name for a in _public(bureau, country="cy")] == ["Lee Sutton"]
    assert [a.name for a in _public(bureau, status="caught")] == ["Lee Sutton"]
    assert [a.name for a in _public(bureau, status="wanted")] == ["Kevin MARSH"]
    with bureau.session(None) as s:
        counts = appeals.public_counts(s)
        assert (counts.listed, counts.caught) == (2, 1)
        assert appeals.public_countries(s) == ["CY", "ES"]
        assert [n for _, n in appeals.live_choices(s)] == ["Kevin MARSH"]
    assert a3 not in [a.public_id for a in _public(bureau)]


def test_public_query_selects_only_public_columns(bureau: Bureau) -> None:
    stmt = appeals._published_select()
    names = {c.name for c in stmt.selected_columns}
    assert names.isdisjoint({"case_id", "entity_id", "drafted_by", "approved_by", "photo", "id"})
    assert {t.name for t in stmt.get_final_froms()} == {"appeals"}


def test_editing_a_live_appeal_needs_a_supervisor(bureau: Bureau) -> None:
    aid = _draft(bureau)
    _publish(bureau, aid)
    data = AppealIn(case=bureau.case_ref, name="Kevin Marsh", wanted_for="Armed robbery")
    with pytest.raises(Forbidden), bureau.session("tips") as s:
        appeals.update_appeal(s, bureau.p("tips"), aid, data)
    with bureau.session("supervisor") as s:
        appeals.update_appeal(s, bureau.p("supervisor"), aid, data, remove_photo=True)
    assert not _public(bureau)[0].has_photo


def test_photo_must_be_an_image(bureau: Bureau) -> None:
    with pytest.raises(InvalidInput), bureau.session("tips") as s:
        appeals.draft_appeal(s, bureau.p("tips"), AppealIn(
            case=bureau.case_ref, name="X Y", wanted_for="Fraud"), photo=b"<svg onload=x>")


def test_seed_demo_appeals(bureau: Bureau) -> None:
    with bureau.session("system") as s:
        made = seed_demo_appeals(s, drafts=1)
        assert made
    listed = _public(bureau)
    assert [a.name for a in listed] == ["Kevin MARSH"] and listed[0].status == "caught"
