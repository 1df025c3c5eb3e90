"""Auth events are logged, but never a password, a token or a hash."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ncb.services import auth
from ncb.services.context import SYSTEM
from ncb.store.access import PRINCIPAL
from ncb.store.db import transaction
from ncb.store.models import ApiToken, User
from tests.conftest import SEED_PASSWORD, Seeded


def test_no_secret_in_auth_logs(factory: sessionmaker[Session], seeded: Seeded, settings,
                                caplog: pytest.LogCaptureFixture) -> None:
    wrong = "Wr0ng-Secret-Typed-By-Mistake"
    secrets: list[str] = [SEED_PASSWORD, wrong]
    with caplog.at_level(logging.DEBUG):
        user, issued = auth.sign_in(factory, "desk", SEED_PASSWORD, "bearer", settings)
        secrets.append(issued.token)
        for _ in range(settings.lockout_threshold + 8):  # failures into a long back-off
            with pytest.raises(auth.LoginFailed):
                auth.sign_in(factory, "desk", wrong, "session", settings)
        with pytest.raises(auth.LoginFailed):  # in back-off: refused unchecked
            auth.sign_in(factory, "desk", SEED_PASSWORD, "session", settings)
        with pytest.raises(auth.LoginFailed):  # a password typed into the username field
            auth.sign_in(factory, wrong, SEED_PASSWORD, "session", settings)
        with transaction(factory, **{PRINCIPAL: SYSTEM}) as s:
            assert auth.authenticate(s, issued.token, settings) is not None
            assert auth.authenticate(s, issued.token + "x", settings) is None
            _u, session_token = auth.login(s, "analyst", SEED_PASSWORD, "session", settings)
            secrets.append(session_token)
            assert auth.logout(s, issued.token, settings)
            assert auth.authenticate(s, issued.token, settings) is None
    with factory() as s:
        secrets += list(s.scalars(select(User.password_hash)))
        secrets += list(s.scalars(select(ApiToken.token_hash)))
    text = caplog.text + " ".join(str(r.args) for r in caplog.records)
    assert "login ok: desk" in text and "in back-off" in text  # the events are there
    for secret in secrets:
        assert secret not in text


def test_password_hash_is_argon2id_with_settings_costs(factory: sessionmaker[Session],
                                                       seeded: Seeded) -> None:
    with factory() as s:
        h = s.scalars(select(User.password_hash).where(User.username == "desk")).one()
    assert h.startswith("$argon2id$") and "m=8,t=1,p=1" in h
    assert auth.verify_password(h, SEED_PASSWORD) and not auth.verify_password(h, "nope")
