"""Concurrent drafting: two transactions never draw the same notice number (PostgreSQL locks)."""

from __future__ import annotations

import threading

import pytest

from ncb.services.channels.notice_numbers import _next_ref


# PostgreSQL only: SQLite has a single writer, so there is no row lock to wait on.
@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_concurrent_draws_wait_and_differ(factory, engine):
    got: dict[str, str] = {}

    def other() -> None:
        with factory() as s2:
            got["b"] = _next_ref(s2)
            s2.commit()

    with factory() as s1:
        got["a"] = _next_ref(s1)  # holds the year's row (or its uncommitted insert)
        t = threading.Thread(target=other)
        t.start()
        t.join(0.5)
        assert t.is_alive(), "the second draw must wait for the first transaction"
        s1.commit()
    t.join(10)
    assert not t.is_alive()
    assert got["a"] != got["b"] and got["b"] > got["a"]
