"""Password guessing slowed per account without letting a stranger lock anyone out.

A hard lock after five wrong passwords lets anyone who knows a username shut its owner out
(the fuzzer locked `supervisor`), and answering "account locked" only for real usernames
tells who has an account. Instead:

- After `lockout_threshold` consecutive failures an account is throttled: the next attempt
  from an unknown browser is not even checked before a back-off of 1 s, doubling per further
  failure up to `lockout_minutes`; a guesser gets a few dozen tries an hour, not thousands.
- A browser where the user signed in before carries a signed **device cookie**; its attempts
  skip the account's back-off (a stranger's failures cannot keep the owner out). Its own
  failures are counted in memory and, past the threshold, it loses that privilege.
- Every refusal (unknown user, throttled account, wrong password) is the same 401 with the
  same text after the same work: exactly one argon2 verification.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from datetime import datetime, timedelta

from argon2 import PasswordHasher

from ncb.settings import Settings

DEVICE_COOKIE = "ncb_device"
DEVICE_DAYS = 365

_dummy: dict[tuple[int, int], str] = {}
_device_failures: dict[str, int] = {}
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


def device_cookie(settings: Settings, user_id: int) -> str:
    """A value for the device cookie of a browser that has just signed in as `user_id`."""
    nonce = secrets.token_urlsafe(12)
    return f"{user_id}.{nonce}.{_device_mac(settings, user_id, nonce)}"


def trusted_device(settings: Settings, user_id: int, cookie: str | None) -> bool:
    """Whether `cookie` was issued to this user's browser and has not failed too often."""
    try:
        uid, nonce, mac = (cookie or "").split(".")
    except ValueError:
        return False
    if uid != str(user_id) or not hmac.compare_digest(mac, _device_mac(settings, user_id, nonce)):
        return False
    with _lock:
        return _device_failures.get(nonce, 0) < settings.lockout_threshold


def device_failed(cookie: str) -> None:
    nonce = cookie.split(".")[1]
    with _lock:
        _device_failures[nonce] = _device_failures.get(nonce, 0) + 1


def device_succeeded(cookie: str | None) -> None:
    if cookie and cookie.count(".") == 2:
        with _lock:
            _device_failures.pop(cookie.split(".")[1], None)
