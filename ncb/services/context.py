"""Build the policy's Principal for a user, and open sessions that carry it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ncb.domain.policy import Principal
from ncb.rules import load_rules
from ncb.services.errors import AuditUnavailable
from ncb.settings import Settings, get_settings
from ncb.store.access import PRINCIPAL
from ncb.store.db import SETTINGS, transaction
from ncb.store.models import Agency, SharingGroupMember, User
from ncb.store.refusals import RefusalNotRecorded

SYSTEM = Principal(user_id=None, username="system", agency_id=0, agency_code="SYSTEM", system=True)


def settings_of(session: Session) -> Settings:
    """The Settings `session` was opened with (the app's, the CLI's: `session_factory(engine,
    settings)`). A session from a bare factory (a script, a bench) falls back to the process
    environment; this is the only place below the app and the CLI that reads it."""
    found: Settings | None = session.info.get(SETTINGS)
    return found if found is not None else get_settings()


def clearance_rank(name: str) -> int:
    classes = load_rules().classifications
    if name not in classes:
        raise ValueError(f"clearance must be one of {', '.join(classes)}, not {name!r}")
    return classes[name].rank


def permissions_for(roles: list[str]) -> frozenset[str]:
    defined = load_rules().roles
    perms: set[str] = set()
    for role in roles:
        if role in defined:
            perms.update(defined[role].permissions)
    return frozenset(perms)


def principal_for(session: Session, user: User) -> Principal:
    agency = session.get(Agency, user.agency_id)
    groups = session.scalars(
        select(SharingGroupMember.group_id).where(SharingGroupMember.agency_id == user.agency_id)
    ).all()
    return Principal(
        user_id=user.id,
        username=user.username,
        agency_id=user.agency_id,
        agency_code=agency.code if agency else "?",
        roles=frozenset(user.roles),
        permissions=permissions_for(list(user.roles)),
        clearance_rank=clearance_rank(user.clearance),
        group_ids=frozenset(groups),
        team_id=user.team_id,
        timezone=user.timezone or settings_of(session).bureau_timezone,  # no zone of their own
    )


def principal_named(session: Session, username: str) -> Principal | None:
    """The policy's view of the user `username` (a CLI's `--as`), or None if there is none."""
    user = session.scalar(select(User).where(User.username == username))
    return principal_for(session, user) if user is not None else None


@contextmanager
def unit_of_work(factory: sessionmaker[Session], principal: Principal) -> Iterator[Session]:
    """One use case: one transaction whose every query is filtered for `principal`.

    A refusal the audit log could not record fails closed, as a 503 problem that says so and
    reads the same for a hidden record and an absent one (ncb.store.refusals).
    """
    try:
        with transaction(factory, **{PRINCIPAL: principal}) as session:
            yield session
    except RefusalNotRecorded as exc:
        raise AuditUnavailable(
            "the request was refused, and the refusal could not be written to the audit log; "
            "nothing was shown or changed: try again later", rule="audit_unavailable",
        ) from exc
