"""Schema migrations (Alembic) driven from code, so `ncb db upgrade` needs no alembic.ini."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import Engine

from ncb.store.models import Base

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    """The engine travels in `attributes`, never as text in the config: Alembic's config is a
    ConfigParser, and a URL with %-escapes (a Unix-socket host `?host=%2Fvar%2Frun%2F...`, a
    password with special characters) is "invalid interpolation syntax" there."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    _ensure_audit_head(engine)


def schema_drift(engine: Engine) -> list[object]:
    """Differences between the migrated database and the models (empty when in step)."""
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": False})
        return list(compare_metadata(ctx, Base.metadata))


def _ensure_audit_head(engine: Engine) -> None:
    from sqlalchemy.orm import Session

    from ncb.store.audit import ensure_head

    with Session(engine) as session:
        ensure_head(session)
        session.commit()
