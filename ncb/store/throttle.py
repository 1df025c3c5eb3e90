"""Failed sign-in counters (ncb.services.login_guard), one row per opaque key.

An atomic upsert, so two workers counting a failure of the same key at once both count
(neither insert fails on the primary key). Rows untouched for a while are pruned.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ncb.store.models import LoginThrottle


def state(session: Session, key: str) -> tuple[int, datetime | None]:
    """(failures, end of the back-off) of `key`; (0, None) if it never failed."""
    row = session.execute(
        select(LoginThrottle.failures, LoginThrottle.not_before).where(LoginThrottle.key == key)
    ).first()
    return (0, None) if row is None else (int(row.failures), row.not_before)


def add_failure(session: Session, key: str, now: datetime) -> int:
    """Count one more failure of `key`; the new count."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    new = insert(LoginThrottle).values(key=key, failures=1, updated_at=now)
    stmt = new.on_conflict_do_update(
        index_elements=[LoginThrottle.key],
        set_={"failures": LoginThrottle.failures + 1, "updated_at": now},
    ).returning(LoginThrottle.failures)
    return int(session.execute(stmt).scalar_one())


def hold(session: Session, key: str, until: datetime) -> None:
    """No attempt under `key` is checked before `until`."""
    session.execute(update(LoginThrottle).where(LoginThrottle.key == key).values(not_before=until))


def clear(session: Session, key: str) -> None:
    session.execute(delete(LoginThrottle).where(LoginThrottle.key == key))


def prune(session: Session, before: datetime) -> int:
    """Forget keys whose last failure is older than `before`; how many were dropped."""
    done = session.execute(delete(LoginThrottle).where(LoginThrottle.updated_at < before))
    return int(getattr(done, "rowcount", 0) or 0)
