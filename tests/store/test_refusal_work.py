"""A hidden record and an absent one cost the same statements to refuse (issue 11).

Not a timing test: it records the SQL each refusal sends to the database and compares the
statements, by id and by reference. Before, a hidden case by reference cost four statements
and an absent one two, and a hidden case loaded its deadlines too; bench.access_timing
measures what that was worth (docs/benchmarks.md, "Hidden and missing").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine, event

from ncb.services import reading
from ncb.services.context import unit_of_work
from ncb.services.errors import NotFound
from ncb.services.inputs import CaseIn
from ncb.store.models import Case
from tests.conftest import Seeded


def _statements(engine: Engine, factory: Any, p: Any, ask: Callable[[Any], object]) -> list[str]:
    sent: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        sent.append(statement)

    with pytest.raises(NotFound), unit_of_work(factory, p) as s:
        s.connection()  # BEGIN before recording
        event.listen(engine, "before_cursor_execute", note)
        try:
            ask(s)
        finally:
            event.remove(engine, "before_cursor_execute", note)
    return sent


def test_hidden_and_absent_cases_send_the_same_statements(engine, factory, seeded: Seeded):
    from ncb.services import intake

    sup = seeded.principals["supervisor"]
    with unit_of_work(factory, sup) as s:
        case = intake.intake_case(s, sup, CaseIn(channel="bilateral", title="Bureau only", country="FR"))
        hidden_id, hidden_ref = case.id, case.reference
    fbi = seeded.principals["partner"]
    by_id = [
        _statements(engine, factory, fbi, lambda s, rid=rid: reading.load_visible(s, fbi, Case, rid, "case"))
        for rid in (hidden_id, hidden_id + 1000)
    ]
    by_ref = [
        _statements(engine, factory, fbi, lambda s, ref=ref: reading.case_by_ref(s, fbi, ref))
        for ref in (hidden_ref, "NCB-1999-0000001")
    ]
    assert by_id[0] == by_id[1] and len(by_id[0]) >= 2
    assert by_ref[0] == by_ref[1] and len(by_ref[0]) >= 3
