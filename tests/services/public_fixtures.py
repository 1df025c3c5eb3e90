"""Fixtures for the appeals and tips tests: a SQLite file built from the models (create_all,
so the tables exist before the lead regenerates the migration), the seeded bureau, a fugitive case.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from ncb.settings import Settings
from ncb.store.access import PRINCIPAL
from ncb.store.db import make_engine, session_factory, transaction
from ncb.store.models import Base
from tests.conftest import Seeded, seed_bureau


@dataclass
class Bureau:
    engine: Engine
    factory: sessionmaker[Session]
    settings: Settings
    seeded: Seeded
    case_ref: str

    def p(self, username: str) -> Any:
        return self.seeded.principals[username]

    def session(self, username: str | None) -> Any:
        from ncb.services.context import SYSTEM

        principal = SYSTEM if username == "system" else (
            self.seeded.principals[username] if username else None)
        return transaction(self.factory, **{PRINCIPAL: principal})


def make_bureau(path: Path) -> Bureau:
    from ncb.services.inputs import CaseIn, EntityIn
    from ncb.services.intake import intake_case
    from ncb.services.tips import PIN_CHECKS, SUBMISSIONS

    SUBMISSIONS.reset()
    PIN_CHECKS.reset()
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    settings = Settings(database_url=url)
    factory = session_factory(engine)
    seeded = seed_bureau(factory, settings)
    with transaction(factory, **{PRINCIPAL: seeded.principals["supervisor"]}) as s:
        case = intake_case(s, seeded.principals["supervisor"], CaseIn(
            channel="eaw", country="ES", crime_area="fugitives", priority="high",
            title="Fugitive: Kevin Marsh, EAW for armed robbery", summary="Believed in Spain.",
            entities=[EntityIn(first_name="Kevin", last_name="Marsh", date_of_birth="1981-05-02",
                               nationality="GB")],
        ))
        ref = case.reference
    return Bureau(engine, factory, settings, seeded, ref)


@pytest.fixture(name="bureau")
def bureau_fixture(tmp_path: Path) -> Iterator[Bureau]:
    b = make_bureau(tmp_path / "public.sqlite3")
    try:
        yield b
    finally:
        b.engine.dispose()
