"""The release panel above every queue and on the dashboard names the persons the release list
names, with the same expired limits, and a queue or dashboard view writes nothing: no audit
entry, no clock refresh (demo bureau with its bulk-loaded warrants, SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from ncb.demo import seed
from ncb.services.channels.eaw_limits import releases
from ncb.services.context import principal_named, unit_of_work
from ncb.services.dashboard import dashboard
from ncb.services.queue_views import queue_view
from ncb.services.queues import QueueFilter
from ncb.settings import Settings
from ncb.store.access import PRINCIPAL
from ncb.store.db import make_engine, session_factory
from ncb.store.models import AuditEntry, Case, Deadline, Warrant


def _people(items: list[Any]) -> list[tuple[int, str, list[datetime], list[str]]]:
    return [
        (r.warrant.id, r.case.reference, [e.due_at for e in r.expired], [e.source for e in r.expired])
        for r in items
    ]


def _stored(factory: sessionmaker[Session]) -> tuple[Any, ...]:
    """What a write would change: audit rows, deadlines, mirrored cases, release flags."""
    with factory() as s:
        s.info[PRINCIPAL] = principal_named(s, "supervisor")
        return (
            s.scalar(select(func.count()).select_from(AuditEntry)),
            s.scalar(select(func.count(Deadline.id))),
            s.scalar(select(func.count(Case.id)).where(Case.next_due_at.is_not(None))),
            s.scalar(select(func.count(Warrant.id)).where(Warrant.release_required)),
        )


def test_panel_names_the_release_list_people_and_views_write_nothing(empty_db_url: str) -> None:
    engine = make_engine(empty_db_url)
    try:
        seed(engine, cases=300, seed=5, now=datetime(2026, 11, 1, 12, tzinfo=UTC))
        factory = session_factory(engine)
        settings = Settings(database_url=empty_db_url)
        with factory() as s:
            p = principal_named(s, "supervisor")
        assert p is not None
        before = _stored(factory)
        # The demo's warrants are bulk-loaded: no clock mirrored yet, the panel replays them.
        with unit_of_work(factory, p) as s:
            queue = _people(queue_view(s, p, "desk", QueueFilter()).release)
            dash = _people(dashboard(s, p, settings).release)
        assert _stored(factory) == before, "a queue or dashboard view wrote to the database"
        assert queue and queue == dash
        # The release list (page, API, CLI) mirrors the clocks and logs its consultation.
        with unit_of_work(factory, p) as s:
            listed = _people(releases(s, p, recheck=True))
        after_list = _stored(factory)
        assert after_list[0] == before[0] + 1
        assert listed == queue
        with unit_of_work(factory, p) as s:  # now from the mirrored deadlines: the same people
            again = _people(queue_view(s, p, "overdue", QueueFilter()).release)
        assert again == listed
        assert _stored(factory) == after_list
    finally:
        engine.dispose()
