"""Shared by the retention and subject access tests: a supervisor cleared only to
OFFICIAL-SENSITIVE (the low-clearance reviewer of the access matrix)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(name="low_reviewer")
def low_reviewer_fixture(factory: Any, seeded: Any, settings: Any) -> dict[str, str]:
    """Bearer headers of a supervisor cleared to OFFICIAL-SENSITIVE only."""
    from ncb.services import users as svc
    from ncb.services.auth import issue_token
    from ncb.services.context import SYSTEM
    from ncb.store.access import PRINCIPAL
    from ncb.store.db import transaction

    with transaction(factory, **{PRINCIPAL: SYSTEM}) as s:
        user = svc.add_user(s, "lowsup", seeded.password, "Low Sup", "GB-NCA", ["supervisor"],
                            "OFFICIAL-SENSITIVE", team_code="general_desk", settings=settings)
        token = issue_token(s, user, "bearer", settings).token
    return {"Authorization": f"Bearer {token}"}
