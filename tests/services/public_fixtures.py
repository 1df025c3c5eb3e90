"""Fixtures for the appeals and tips tests: the migrated database of tests/conftest.py (SQLite
and PostgreSQL), its seeded bureau, and a fugitive case to hang appeals and tips on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from ncb.settings import Settings
from ncb.store.access import PRINCIPAL
from ncb.store.db import transaction
from tests.conftest import Seeded


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


@pytest.fixture(name="bureau")
def bureau_fixture(engine: Engine, factory: sessionmaker[Session], settings: Settings,
                   seeded: Seeded) -> Bureau:
    from ncb.services.inputs import CaseIn, EntityIn
    from ncb.services.intake import intake_case
    with transaction(factory, **{PRINCIPAL: seeded.principals["supervisor"]}) as s:
        case = intake_case(s, seeded.principals["supervisor"], CaseIn(
            channel="eaw", country="ES", crime_area="fugitives", priority="high",
            title="Fugitive: Kevin Marsh, EAW for armed robbery", summary="Believed in Spain.",
            entities=[EntityIn(first_name="Kevin", last_name="Marsh", date_of_birth="1981-05-02",
                               nationality="GB")],
        ))
        ref = case.reference
    return Bureau(engine, factory, settings, seeded, ref)
