"""Passwords, lockout and tokens.

Passwords are argon2id hashes (costs from settings). Tokens are random strings handed to the
client once; only HMAC-SHA256(secret_key, token) is stored, so a copy of the database does not
let anyone sign in. Auth events go to Python logging (logger `ncb.auth`) and never carry a
password, a token or a hash.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from ncb.services import login_guard
from ncb.services.context import SYSTEM, settings_of
from ncb.services.errors import ServiceError
from ncb.settings import Settings
from ncb.store.access import PRINCIPAL
from ncb.store.db import transaction
from ncb.store.models import ApiToken, User, utcnow

log = logging.getLogger("ncb.auth")

TOKEN_KINDS = ("session", "bearer")
SESSION_COOKIE = "ncb_session"


class NotAuthenticated(ServiceError):
    """No valid credentials: the API answers 401 with `WWW-Authenticate: Bearer`."""

    status = 401
    title = "Not authenticated"


class LoginFailed(NotAuthenticated):
    title = "Login failed"


def cookie_secure(settings: Settings, scheme: str) -> bool:
    """Mark cookies `Secure` when served over HTTPS: the request's own scheme (which
    `ncb serve` takes from X-Forwarded-Proto of NCB_TRUSTED_PROXIES only), or always with
    NCB_COOKIE_SECURE."""
    return settings.cookie_secure or scheme == "https"


def csrf_for_session(settings: Settings, session_token: str) -> str:
    """The CSRF token of a signed-in browser (the same as the workbench forms carry)."""
    key = settings.secret_key.encode()
    return hmac.new(key, f"csrf|{session_token}".encode(), hashlib.sha256).hexdigest()[:40]


@dataclass(frozen=True)
class IssuedToken:
    token: str
    kind: str
    expires_at: datetime


def hasher(settings: Settings) -> PasswordHasher:
    return PasswordHasher(time_cost=settings.argon2_time_cost,
                          memory_cost=settings.argon2_memory_kib, parallelism=1, type=Type.ID)


def hash_password(password: str, settings: Settings) -> str:
    return hasher(settings).hash(password)


_VERIFIER = PasswordHasher()  # verification takes its costs from the hash itself


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _VERIFIER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def token_digest(token: str, settings: Settings) -> str:
    key = settings.secret_key.encode()
    return hmac.new(key, token.encode(), hashlib.sha256).hexdigest()


REFUSAL = "wrong username or password"


def check_credentials(
    session: Session, username: str, password: str, settings: Settings | None = None,
    now: datetime | None = None, device: str | None = None, source: str | None = None,
) -> User:
    """The user if the password is right; else LoginFailed, one answer for every reason.

    An unknown user, a throttled attempt and a wrong password give the same refusal after the
    same work (one argon2 verification). Failures count against the browser's device cookie
    if the user signed in from it before, else against `source` (the client address) for this
    account (ncb.services.login_guard): a stranger's failures elsewhere never hold the owner
    back. Counters are written to `session` before raising: the caller must commit them (see
    `sign_in`, which does).
    """
    s = settings or settings_of(session)
    now = now or utcnow()
    user = session.scalars(select(User).where(User.username == username)).one_or_none()
    if user is None or not user.active:
        verify_password(login_guard.dummy_hash(hasher(s)), password)
        log.info("login refused: unknown or inactive account")
        raise LoginFailed(REFUSAL)
    key = login_guard.attempt_key(session, s, user.id, device, source)
    if login_guard.held(session, key, now):
        verify_password(login_guard.dummy_hash(hasher(s)), password)  # same work, no check
        log.info("login refused unchecked: %s from a source in back-off", user.username)
        raise LoginFailed(REFUSAL)
    if not verify_password(user.password_hash, password):
        _record_failure(session, user, s, key, now)
        raise LoginFailed(REFUSAL)
    login_guard.succeeded(session, key)
    if user.failed_logins or user.locked_until is not None:
        user.failed_logins = 0
        user.locked_until = None
    if hasher(s).check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password, s)
    log.info("login ok: %s", user.username)
    return user


def _record_failure(session: Session, user: User, s: Settings, key: str, now: datetime) -> None:
    # The account's own count is for the record (failures since its last sign-in); it
    # holds no one back: the back-off belongs to the key.
    session.execute(
        update(User).where(User.id == user.id).values(failed_logins=User.failed_logins + 1)
    )
    session.refresh(user, ["failed_logins"])
    wait = login_guard.failed(session, s, key, now)
    how = "a known browser" if key.startswith("d:") else "a source"
    if wait is not None:
        log.warning("login failed: %s from %s, now in back-off for %ds", user.username, how,
                    int(wait.total_seconds()))
    else:
        log.info("login failed: %s from %s (%d since the last sign-in)", user.username, how,
                 user.failed_logins)
    session.flush()


def issue_token(
    session: Session, user: User, kind: str = "session", settings: Settings | None = None,
    label: str | None = None,
) -> IssuedToken:
    if kind not in TOKEN_KINDS:
        raise ValueError(f"token kind must be one of {', '.join(TOKEN_KINDS)}, not {kind!r}")
    s = settings or settings_of(session)
    token = secrets.token_urlsafe(32)
    expires = utcnow() + timedelta(hours=s.session_hours)
    session.add(ApiToken(user_id=user.id, token_hash=token_digest(token, s), kind=kind,
                         label=label, expires_at=expires))
    session.flush()
    log.info("%s token issued for %s", kind, user.username)
    return IssuedToken(token, kind, expires)


def login(
    session: Session, username: str, password: str, kind: str = "session",
    settings: Settings | None = None,
) -> tuple[User, str]:
    """Check the password and issue a token. Raises LoginFailed."""
    user = check_credentials(session, username, password, settings)
    return user, issue_token(session, user, kind, settings).token


def sign_in(
    factory: sessionmaker[Session], username: str, password: str, kind: str = "session",
    settings: Settings | None = None, device: str | None = None, source: str | None = None,
) -> tuple[User, IssuedToken]:
    """`login` in its own transaction that keeps failure counters even when the login fails."""
    failure: LoginFailed | None = None
    with transaction(factory, **{PRINCIPAL: SYSTEM}) as session:
        try:
            user = check_credentials(session, username, password, settings, device=device,
                                     source=source)
            issued = issue_token(session, user, kind, settings)
        except LoginFailed as exc:
            failure = exc
    if failure is not None:
        raise failure
    return user, issued


def authenticate(
    session: Session, token: str | None, settings: Settings | None = None,
    kind: str | None = None,
) -> User | None:
    """The active user holding this unexpired, unrevoked token; None otherwise."""
    if not token:
        return None
    digest = token_digest(token, settings or settings_of(session))
    row = session.scalars(
        select(ApiToken).where(ApiToken.token_hash == digest)
    ).one_or_none()
    if row is None or row.revoked_at is not None or row.expires_at <= utcnow():
        log.info("token refused: unknown, expired or revoked")
        return None
    if kind is not None and row.kind != kind:
        log.info("token refused: a %s token used as %s", row.kind, kind)
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        log.info("token refused: account inactive")
        return None
    log.debug("token accepted for %s", user.username)
    return user


def logout(session: Session, token: str | None, settings: Settings | None = None) -> bool:
    """Revoke the token; True if it was live."""
    if not token:
        return False
    digest = token_digest(token, settings or settings_of(session))
    row = session.scalars(
        select(ApiToken).where(ApiToken.token_hash == digest)
    ).one_or_none()
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    session.flush()
    log.info("%s token revoked for user id %d", row.kind, row.user_id)
    return True


def set_password(session: Session, user: User, password: str,
                 settings: Settings | None = None) -> None:
    user.password_hash = hash_password(password, settings or settings_of(session))
    user.failed_logins = 0
    user.locked_until = None
    session.flush()
