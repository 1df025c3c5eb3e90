"""Where a request came from, for rate limits that must not identify anyone.

`source_network` groups an address the way one subscriber holds it (an IPv6 address by its
/64). `HourlySourceMeter` counts events per source for the current clock hour only, in
memory, under a random key made for that hour and never written anywhere: when the hour
turns, key and counts are dropped together, so nothing can later link a count to an address
or date it finer than the hour. Per process: with several workers each keeps its own count
(the limit is per worker), which is the price of keeping no address in the database.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import threading
import time

CAPACITY = 50_000  # sources tracked per hour; beyond that new sources go uncounted (fail open)


def source_network(source: str | None) -> str:
    """An IPv4 address as is, an IPv6 address by its /64; anything else by its text."""
    try:
        address = ipaddress.ip_address((source or "").strip())
    except ValueError:
        return (source or "unknown")[:64]
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


class HourlySourceMeter:
    """Events per source in the current hour; forgets everything at the turn of the hour."""

    def __init__(self, capacity: int = CAPACITY) -> None:
        self.capacity = capacity
        self._lock = threading.Lock()
        self._hour = -1
        self._key = b""
        self._counts: dict[str, int] = {}

    def _tag(self, source: str | None, now: float) -> str:
        hour = int(now // 3600)
        if hour != self._hour:  # a new hour: a new key, and the old counts are gone
            self._hour, self._key, self._counts = hour, secrets.token_bytes(32), {}
        net = source_network(source).encode()
        return hmac.new(self._key, net, hashlib.sha256).hexdigest()[:24]

    def count(self, source: str | None, now: float | None = None) -> int:
        with self._lock:
            return self._counts.get(self._tag(source, time.time() if now is None else now), 0)

    def add(self, source: str | None, now: float | None = None) -> int:
        """Count one event; the source's count this hour (0 if the meter is full)."""
        with self._lock:
            tag = self._tag(source, time.time() if now is None else now)
            if tag not in self._counts and len(self._counts) >= self.capacity:
                return 0
            self._counts[tag] = self._counts.get(tag, 0) + 1
            return self._counts[tag]

    def reset(self) -> None:
        with self._lock:
            self._hour, self._counts = -1, {}
