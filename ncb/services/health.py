"""Liveness: is the service up and its database reachable."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from ncb.store.db import ping


@dataclass(frozen=True)
class Health:
    status: str  # "ok" or "degraded"
    database: str  # "ok" or "unreachable"

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def health(factory: sessionmaker[Session]) -> Health:
    # No error text: the health route is open without credentials.
    return Health("ok", "ok") if ping(factory) else Health("degraded", "unreachable")
