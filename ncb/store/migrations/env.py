"""Alembic environment: runs against the URL handed in by ncb.store.migrate."""

from alembic import context
from sqlalchemy import pool

from ncb.store.db import make_engine
from ncb.store.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = config.attributes.get("engine")
    if engine is not None:
        with engine.connect() as conn:
            _run(conn)
        return
    # Plain `alembic` with an ini file (not how ncb runs it): the URL as written there.
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    engine.pool = pool.NullPool(engine.pool._creator)
    with engine.connect() as conn:
        _run(conn)


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
