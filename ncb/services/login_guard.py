"""Password guessing slowed per browser and per source, so a stranger cannot lock anyone out.

A hard lock after five wrong passwords lets anyone who knows a username shut its owner out
(the fuzzer locked `supervisor`), and even a back-off per account let a stranger delay the
owner's first sign-in from a new browser by up to `lockout_minutes`. Instead failures are
counted per key (OWASP "slow down online guessing with device cookies"):

- A browser where the user signed in before carries a signed **device cookie**; its failures
  are counted against that cookie alone. Past `lockout_threshold` it loses the privilege and
  is treated like any other browser.
- Any other attempt counts against the **source** for that account: the client address (an
  IPv6 address by its /64, what one subscriber gets). After `lockout_threshold` consecutive
  failures the next attempt from that source is not even checked before a back-off of 1 s,
  doubling per further failure up to `lockout_minutes`: a few dozen tries an hour per source.
  The owner signing in from elsewhere is not held back.
- Keys are HMACs (settings.secret_key) of the cookie nonce or of account and source: the
  table holds no address and no cookie. The counts live in the database (ncb.store.throttle),
  so a restart does not reset them and every worker sees the same ones; keys untouched for
  a day are dropped.
- Every refusal (unknown user, throttled, wrong password) is the same 401 with the same text
  after the same work: exactly one argon2 verification.

What stays possible: a guesser with many addresses gets a few dozen tries an hour from each
(docs/security.md: argon2 and the password rules make that too slow to matter).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from sqlalchemy.orm import Session

from ncb.services.sources import source_network
from ncb.settings import Settings
from ncb.store import throttle

DEVICE_COOKIE = "ncb_device"  # lives NCB_DEVICE_COOKIE_DAYS

_dummy: dict[tuple[int, int], str] = {}
_lock = threading.Lock()


def dummy_hash(hasher: PasswordHasher) -> str:
    """A real argon2 hash with the same costs, verified when there is no account to check."""
    key = (hasher.time_cost, hasher.memory_cost)
    with _lock:
        if key not in _dummy:
            _dummy[key] = hasher.hash(secrets.token_urlsafe(16))
        return _dummy[key]


def backoff(settings: Settings, failures: int) -> timedelta | None:
    """How long an unknown browser must wait after `failures` consecutive wrong passwords."""
    over = failures - settings.lockout_threshold
    if over < 0:
        return None
    seconds = min(float(settings.lockout_minutes * 60), 2.0 ** min(over, 30))
    return timedelta(seconds=seconds)


def throttled(not_before: datetime | None, now: datetime) -> bool:
    return not_before is not None and not_before > now


def _device_mac(settings: Settings, user_id: int, nonce: str) -> str:
    key = settings.secret_key.encode()
    return hmac.new(key, f"device|{user_id}|{nonce}".encode(), hashlib.sha256).hexdigest()[:32]


def _mac(settings: Settings, purpose: str, message: str) -> str:
    key = settings.secret_key.encode()
    return hmac.new(key, f"{purpose}|{message}".encode(), hashlib.sha256).hexdigest()[:40]


def device_cookie(settings: Settings, user_id: int) -> str:
    """A value for the device cookie of a browser that has just signed in as `user_id`."""
    nonce = secrets.token_urlsafe(12)
    return f"{user_id}.{nonce}.{_device_mac(settings, user_id, nonce)}"


def device_key(settings: Settings, cookie: str) -> str:
    """The throttle key of a device cookie (its nonce, hashed: the cookie is not stored)."""
    return "d:" + _mac(settings, "device-failures", cookie.split(".")[1])


def source_key(settings: Settings, user_id: int, source: str | None) -> str:
    """The throttle key of attempts at one account from one source (address hashed)."""
    return "s:" + _mac(settings, "source", f"{user_id}|{source_network(source)}")


def trusted_device(session: Session, settings: Settings, user_id: int,
                   cookie: str | None) -> bool:
    """Whether `cookie` was issued to this user's browser and has not failed too often."""
    try:
        uid, nonce, mac = (cookie or "").split(".")
    except ValueError:
        return False
    if uid != str(user_id) or not hmac.compare_digest(mac, _device_mac(settings, user_id, nonce)):
        return False
    failures, _ = throttle.state(session, device_key(settings, cookie or ""))
    return failures < settings.lockout_threshold


def attempt_key(session: Session, settings: Settings, user_id: int, device: str | None,
                source: str | None) -> str:
    """The key this attempt is counted under: its device cookie if trusted, else its source."""
    if device and trusted_device(session, settings, user_id, device):
        return device_key(settings, device)
    return source_key(settings, user_id, source)


def held(session: Session, key: str, now: datetime) -> bool:
    """Whether attempts under `key` are in back-off (refused unchecked)."""
    _, not_before = throttle.state(session, key)
    return throttled(not_before, now)


def failed(session: Session, settings: Settings, key: str, now: datetime) -> timedelta | None:
    """Count a wrong password under `key`; the back-off it starts, if any."""
    throttle.prune(session, now - timedelta(days=1))
    failures = throttle.add_failure(session, key, now)
    wait = backoff(settings, failures) if key.startswith("s:") else None
    if wait is not None:
        throttle.hold(session, key, now + wait)
    return wait


def succeeded(session: Session, key: str) -> None:
    throttle.clear(session, key)
