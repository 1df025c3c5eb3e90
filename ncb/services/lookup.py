"""Resolve codes named in input (agencies, teams, users, groups) or fail naming the field."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncb.services.context import settings_of
from ncb.services.errors import InvalidInput
from ncb.store.models import Agency, SharingGroup, Team, User


def agency(session: Session, code: str, field: str) -> Agency:
    found = session.scalar(select(Agency).where(Agency.code == code))
    if found is None:
        raise InvalidInput(f"{field}: no agency with code {code!r}", field=field, rule="known_agency")
    return found


def home_agency(session: Session) -> Agency:
    """The agency running this bureau: NCB_HOME_AGENCY of the app that opened `session`."""
    code = settings_of(session).home_agency
    found = session.scalar(select(Agency).where(Agency.code == code))
    if found is None:
        raise InvalidInput(
            f"the home agency {code!r} (NCB_HOME_AGENCY) is not registered; run `ncb demo` or add it",
            field="NCB_HOME_AGENCY", rule="known_agency",
        )
    return found


def team(session: Session, code: str, field: str = "team") -> Team:
    found = session.scalar(select(Team).where(Team.code == code))
    if found is None:
        raise InvalidInput(f"{field}: no team with code {code!r}", field=field, rule="known_team")
    return found


def user(session: Session, username: str, field: str = "username") -> User:
    found = session.scalar(select(User).where(User.username == username))
    if found is None:
        raise InvalidInput(f"{field}: no user {username!r}", field=field, rule="known_user")
    return found


def group(session: Session, code: str, field: str = "markings.sharing_group") -> SharingGroup:
    found = session.scalar(select(SharingGroup).where(SharingGroup.code == code))
    if found is None:
        raise InvalidInput(f"{field}: no sharing group {code!r}", field=field, rule="known_group")
    return found
