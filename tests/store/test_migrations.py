"""Migrations: an empty database upgraded to head matches the models exactly (both databases)."""

from __future__ import annotations

from sqlalchemy import inspect, text

from ncb.store.db import make_engine
from ncb.store.migrate import schema_drift, upgrade


def test_upgrade_empty_database_has_no_drift(empty_db_url: str) -> None:
    engine = make_engine(empty_db_url)
    try:
        assert "cases" not in inspect(engine).get_table_names()
        upgrade(engine)
        assert schema_drift(engine) == []
        tables = set(inspect(engine).get_table_names())
        assert {"cases", "users", "api_tokens", "audit_log", "audit_head"} <= tables
        upgrade(engine)  # a second run is a no-op
        assert schema_drift(engine) == []
        with engine.connect() as conn:
            head = conn.execute(text("SELECT seq FROM audit_head WHERE id = 1")).scalar_one()
        assert head == 0
    finally:
        engine.dispose()


def test_fixture_database_is_migrated(engine) -> None:
    assert schema_drift(engine) == []
