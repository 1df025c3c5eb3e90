"""Engine and session factory; SQLite gets WAL, a busy timeout and foreign keys on every connection."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from ncb.settings import Settings
from ncb.store import refusals

log = logging.getLogger(__name__)

READ_ONLY = "ncb_read_only"
SETTINGS = "ncb_settings"  # session.info: the Settings of the app or command that opened it


def make_engine(url: str, echo: bool = False, busy_timeout_ms: int = 30000) -> Engine:
    """`busy_timeout_ms`: how long an SQLite writer waits for the write lock before failing."""
    # hide_parameters: with NCB_SQL_ECHO on, statements are logged but never their values.
    kwargs: dict[str, Any] = {"echo": echo, "future": True, "hide_parameters": True}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": busy_timeout_ms / 1000}
    else:
        kwargs["pool_pre_ping"] = True
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine, busy_timeout_ms)
    return engine


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy emit BEGIN itself so a write transaction is one unit.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # IMMEDIATE takes the write lock up front: no deadlock between two upgrading readers.
        # Read-only connections (READ_ONLY option) begin deferred and never wait for writers.
        if conn.get_execution_options().get(READ_ONLY):
            conn.exec_driver_sql("BEGIN")
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE")


def session_factory(engine: Engine, settings: Settings | None = None) -> sessionmaker[Session]:
    """Sessions on `engine`; with `settings`, each session carries them (session.info[SETTINGS])
    so services deep down read the app's settings rather than the process environment."""
    info: dict[str, Any] = {SETTINGS: settings} if settings is not None else {}
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True, info=info)


@contextmanager
def transaction(factory: sessionmaker[Session], **info: Any) -> Iterator[Session]:
    """One use case, one transaction: commit on success, roll everything back on any error."""
    session = factory()
    session.info.update(info)
    try:
        yield session
        refusals.write_pending(session)
        session.commit()
        refusals.written(session)
    except BaseException:
        session.rollback()
        _keep_refusals(session)
        raise
    finally:
        session.close()


REFUSAL_ATTEMPTS = 2  # a second try outlasts a passing lock or serialisation failure


def _keep_refusals(session: Session) -> None:
    """Refused consultations outlive the rollback of the use case that refused them.

    Fail closed: if they cannot be written, `RefusalNotRecorded` replaces the use case's own
    error (chained to it), so no request that refused someone ends as if it had been logged.
    """
    for attempt in range(1, REFUSAL_ATTEMPTS + 1):
        try:
            if refusals.write_pending(session):
                session.commit()
            refusals.written(session)
            return
        except SQLAlchemyError as exc:
            session.rollback()
            failure = exc
            log.warning("writing a refused consultation failed (attempt %d of %d): %s",
                        attempt, REFUSAL_ATTEMPTS, type(exc).__name__)
    entries = refusals.noted(session)
    principal = session.info.get(refusals.PRINCIPAL)
    # The one record of the attempt left: who, what and why, in the error log.
    log.error("refused consultation NOT in the audit log: %s", "; ".join(
        f"actor={getattr(principal, 'username', '?')} kind={e.record_kind} "
        f"asked={e.record_id} reasons={(e.details or {}).get('reasons')}" for e in entries))
    refusals.written(session)
    raise refusals.RefusalNotRecorded(entries) from failure


def ping(factory: sessionmaker[Session]) -> bool:
    """Whether the database answers a trivial query (for the health check)."""
    try:
        with factory() as session:
            session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any failure means unreachable; the caller says so
        return False
    return True
