"""Abuse limits of the public tip line that identify no one: signed single-use form tokens,
and a proof of work whose difficulty rises only while the line is flooded.

A global ceiling that refuses everyone once N tips arrived lets an anonymous flood close the
line (126 requests in 7 s did, for 10 minutes). Instead the line never closes: while recent
traffic is normal a form needs no work at all (it works without JavaScript); while it is
flooded each form must carry a hashcash stamp (SHA-256 of token and stamp with `bits` leading
zero bits), which the page's small script finds in a second or two in a browser, but which
costs a flooder that much CPU per tip.

A browser without JavaScript cannot stamp. Its form is accepted in the **slow lane** instead:
once the form is `slow_wait(bits)` old (1 minute at the first step of work, doubling per two
bits, 4 minutes at most) and while its source has sent fewer than SLOW_PER_SOURCE_PER_HOUR
unstamped forms this hour. A flooder gains nothing from it (a few tips an hour per address);
the honest sender writes, waits and presses send again. Nothing about the sender is kept: the
meter counts attempts in 10-second buckets, the used-nonce set holds random nonces until they
expire, the slow lane's count per source lives in memory under a key of the hour
(ncb.services.sources).
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import threading
import time

from ncb.services.errors import InvalidInput, ServiceError
from ncb.services.sources import HourlySourceMeter
from ncb.settings import Settings

# How fast and how old a form may be: NCB_TIP_FORM_MIN_SECONDS / NCB_TIP_FORM_MAX_SECONDS.
FREE_PER_WINDOW = 30        # attempts per window needing no work (an appeal on TV: ~20/10 min)
BASE_BITS = 16              # first step of work: ~65k hashes, about a second in a browser
MAX_BITS = 20               # ~1M hashes: still reachable by a patient honest sender
MAX_STAMP_CHARS = 16
SLOW_BASE_SECONDS = 60      # the no-JavaScript wait at BASE_BITS; doubles per 2 bits
SLOW_PER_SOURCE_PER_HOUR = 3


class TooMany(ServiceError):
    status = 429
    title = "Too many requests"


class LoadMeter:
    """Submission attempts in the last `window` seconds, in 10-second buckets (O(1) memory)."""

    def __init__(self, window_seconds: float = 600, bucket_seconds: float = 10) -> None:
        self.window, self.bucket = window_seconds, bucket_seconds
        self._counts: dict[int, int] = {}
        self._lock = threading.Lock()

    def _trim(self, now: float) -> int:
        current = int(now // self.bucket)
        oldest = current - int(self.window // self.bucket) + 1
        for key in [k for k in self._counts if k < oldest]:
            del self._counts[key]
        return current

    def add(self, now: float | None = None) -> None:
        with self._lock:
            current = self._trim(time.monotonic() if now is None else now)
            self._counts[current] = self._counts.get(current, 0) + 1

    def count(self, now: float | None = None) -> int:
        with self._lock:
            self._trim(time.monotonic() if now is None else now)
            return sum(self._counts.values())

    def reset(self) -> None:
        with self._lock:
            self._counts.clear()


SUBMISSIONS = LoadMeter()           # tip attempts with a good token
SLOW_LANE = HourlySourceMeter()     # unstamped tips accepted while flooded, per source
PIN_FAILURES = HourlySourceMeter()  # wrong reference or PIN, per source (ncb.services.tips)

_used_nonces: dict[str, float] = {}
_nonce_lock = threading.Lock()


def required_bits(attempts: int) -> int:
    """No work under FREE_PER_WINDOW attempts; then BASE_BITS, +2 bits per doubling, capped."""
    if attempts < FREE_PER_WINDOW:
        return 0
    return min(MAX_BITS, BASE_BITS + 2 * int(math.log2(attempts / FREE_PER_WINDOW)))


def current_bits() -> int:
    return required_bits(SUBMISSIONS.count())


def slow_wait(bits: int) -> int:
    """Seconds a form must be open before it is accepted without a stamp (0: not flooded)."""
    if bits <= 0:
        return 0
    return min(4 * SLOW_BASE_SECONDS, int(SLOW_BASE_SECONDS * 2 ** ((bits - BASE_BITS) / 2)))


def _mac(settings: Settings, purpose: str, message: str) -> str:
    key = settings.secret_key.encode()
    return hmac.new(key, f"{purpose}:{message}".encode(), hashlib.sha256).hexdigest()


def issue_form_token(settings: Settings, now: float | None = None) -> str:
    """A token for one form: issue time and a random nonce, signed. Holds nothing about anyone."""
    ts = int(time.time() if now is None else now)
    nonce = secrets.token_urlsafe(12)
    return f"{ts}.{nonce}.{_mac(settings, 'tip-form', f'{ts}.{nonce}')}"


def leading_zero_bits(digest: bytes) -> int:
    bits = 0
    for byte in digest:
        if byte:
            return bits + 8 - byte.bit_length()
        bits += 8
    return bits


def stamp_ok(token: str, stamp: str | None, bits: int) -> bool:
    """True if SHA-256(token ":" stamp) starts with `bits` zero bits (always for bits 0)."""
    if bits <= 0:
        return True
    if not stamp or len(stamp) > MAX_STAMP_CHARS or not stamp.isascii():
        return False
    return leading_zero_bits(hashlib.sha256(f"{token}:{stamp}".encode()).digest()) >= bits


def solve(token: str, bits: int) -> str:
    """Find a stamp (what the page's script does; used by tests and the load script)."""
    i = 0
    while not stamp_ok(token, str(i), bits):
        i += 1
    return str(i)


def _expired() -> InvalidInput:
    return InvalidInput("the form has expired; reload the page and send again",
                        field="form_token", rule="form_token")


def check_form_token(settings: Settings, token: str | None, now: float | None = None,
                     stamp: str | None = None, work: bool = False,
                     source: str | None = None) -> None:
    """Refuse forged, stale, too-fast or reused tokens; with `work`, while flooded, a form
    with neither a stamp nor the slow lane's wait behind it.

    A refusal for missing work leaves the token unused, so the page can send it again
    (stamped, or later). `source` (the client address) only counts the slow lane's use.
    """
    now = time.time() if now is None else now
    try:
        ts_s, nonce, mac = (token or "").split(".")
        ts = int(ts_s)
    except ValueError:
        raise _expired() from None
    if not hmac.compare_digest(mac, _mac(settings, "tip-form", f"{ts}.{nonce}")):
        raise _expired()
    age = now - ts
    if age > settings.tip_form_max_seconds:
        raise InvalidInput("the form has expired; reload the page and send again",
                           field="form_token", rule="form_token_expired")
    if age < settings.tip_form_min_seconds:  # faster than a person: a script
        raise TooMany("please take a moment to check what you wrote, then send again",
                      rule="form_too_fast")
    slow = False
    if work:
        bits = current_bits()  # the attempts before this one decide its work
        SUBMISSIONS.add()
        if not stamp_ok(token or "", stamp, bits):
            if stamp:
                raise TooMany("many messages are arriving just now; your browser needs a "
                              "moment to send yours: press send again", rule="proof_of_work")
            _slow_lane(source, age, bits, now)
            slow = True
    with _nonce_lock:
        for n, exp in list(_used_nonces.items()):
            if exp < now:
                del _used_nonces[n]
        if nonce in _used_nonces:
            raise InvalidInput("this form was already sent; reload the page to send another",
                               field="form_token", rule="form_token_used")
        _used_nonces[nonce] = ts + settings.tip_form_max_seconds
    if slow:
        SLOW_LANE.add(source, now)


def _slow_lane(source: str | None, age: float, bits: int, now: float) -> None:
    """Refuse an unstamped form while flooded unless it waited and its source has quota."""
    if SLOW_LANE.count(source, now) >= SLOW_PER_SOURCE_PER_HOUR:
        raise TooMany("many messages are arriving just now and several came from your "
                      "connection; please send again in the next hour", rule="slow_lane_used")
    if age < slow_wait(bits):
        raise TooMany("many messages are arriving just now: please wait a few minutes with "
                      "this page open, then press send again", rule="form_wait")
