"""A demo bureau seeded into a temporary SQLite file, for the benches that measure on one.

    with seeded_sqlite("ncb-bench-x-", cases=2_700) as db:
        measure(db.url, runs)

The file and its directory go when the block ends. `point_env` also sets NCB_DATABASE_URL
(and clears the settings cache) for benches that start an app or a CLI from the environment.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from ncb.demo import seed
from ncb.settings import get_settings
from ncb.store.db import make_engine, session_factory


@dataclass(frozen=True)
class SeededDb:
    url: str
    engine: Engine
    factory: sessionmaker[Session]
    report: Any  # the seeder's report: counts and phase times
    seconds: float  # time the seeding took


@contextmanager
def seeded_sqlite(
    prefix: str, cases: int, *, lean: int = 0, point_env: bool = False, seed_no: int = 2026
) -> Iterator[SeededDb]:
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        url = f"sqlite:///{os.path.join(tmp, 'bench.sqlite3')}"
        if point_env:
            os.environ["NCB_DATABASE_URL"] = url
            get_settings.cache_clear()
        engine = make_engine(url)
        t = time.perf_counter()
        report = seed(engine, cases=cases, extra_lean_cases=lean, seed=seed_no)
        try:
            yield SeededDb(url, engine, session_factory(engine), report, time.perf_counter() - t)
        finally:
            engine.dispose()
