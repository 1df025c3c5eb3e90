"""Who may use the bureau: agencies, sharing groups, teams and users.

Roles and clearances are checked against the rules tables (`ncb.rules`); every refusal names
the field and the rule so the API and the CLI can point at it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncb.domain.policy import Principal
from ncb.rules import load_rules
from ncb.services.auth import hash_password
from ncb.services.context import SYSTEM, settings_of
from ncb.services.errors import Conflict, InvalidInput
from ncb.settings import Settings
from ncb.store import audit, directory
from ncb.store.access import PRINCIPAL
from ncb.store.models import Agency, SharingGroup, SharingGroupMember, Team, User

AGENCY_KINDS = ("ncb", "police", "europol", "interpol", "sirene", "prosecutor", "other")


def _actor(session: Session) -> Principal:
    principal: Principal | None = session.info.get(PRINCIPAL)
    return principal or SYSTEM


def agency_by_code(session: Session, code: str, field: str = "agency") -> Agency:
    agency = session.scalars(select(Agency).where(Agency.code == code)).one_or_none()
    if agency is None:
        raise InvalidInput(f"no agency with code {code!r}", field=field, rule="unknown_agency")
    return agency


def team_by_code(session: Session, code: str, field: str = "team") -> Team:
    team = session.scalars(select(Team).where(Team.code == code)).one_or_none()
    if team is None:
        raise InvalidInput(f"no team with code {code!r}", field=field, rule="unknown_team")
    return team


def add_agency(
    session: Session, code: str, name: str, country: str, kind: str = "police",
    channels: Sequence[str] = (), max_classification_rank: int = 2,
) -> Agency:
    rules = load_rules()
    country = country.upper()
    if country not in rules.countries:
        raise InvalidInput(f"unknown country {country!r}", field="country", rule="unknown_country")
    unknown = [c for c in channels if c not in rules.channels]
    if unknown:
        raise InvalidInput(f"unknown channel(s): {', '.join(unknown)}; known: "
                           f"{', '.join(rules.channels)}", field="channels", rule="unknown_channel")
    ranks = sorted(c.rank for c in rules.classifications.values())
    if max_classification_rank not in ranks:
        raise InvalidInput(f"max_classification_rank must be one of {ranks}",
                           field="max_classification_rank", rule="unknown_classification")
    if session.scalars(select(Agency.id).where(Agency.code == code)).first() is not None:
        raise Conflict(f"agency {code!r} exists already", field="code", rule="unique")
    agency = Agency(code=code, name=name, country=country, kind=kind, channels=list(channels),
                    max_classification_rank=max_classification_rank)
    session.add(agency)
    session.flush()
    return agency


def add_team(session: Session, code: str, name: str, agency_code: str) -> Team:
    agency = agency_by_code(session, agency_code)
    if session.scalars(select(Team.id).where(Team.code == code)).first() is not None:
        raise Conflict(f"team {code!r} exists already", field="code", rule="unique")
    team = Team(code=code, name=name, agency_id=agency.id)
    session.add(team)
    session.flush()
    return team


def add_group(session: Session, code: str, name: str, agency_codes: Iterable[str]) -> SharingGroup:
    if session.scalars(select(SharingGroup.id).where(SharingGroup.code == code)).first():
        raise Conflict(f"sharing group {code!r} exists already", field="code", rule="unique")
    members = [agency_by_code(session, c, field="agency_codes") for c in agency_codes]
    group = SharingGroup(code=code, name=name)
    session.add(group)
    session.flush()
    for agency in members:
        session.add(SharingGroupMember(group_id=group.id, agency_id=agency.id))
    session.flush()
    return group


def validate_roles(roles: Sequence[str]) -> list[str]:
    defined = load_rules().roles
    if not roles:
        raise InvalidInput("at least one role is required", field="roles", rule="missing")
    for role in roles:
        if role not in defined:
            raise InvalidInput(f"unknown role {role!r}; known: {', '.join(defined)}",
                               field="roles", rule="unknown_role")
    return list(dict.fromkeys(roles))


def validate_clearance(clearance: str) -> str:
    classes = load_rules().classifications
    if clearance not in classes:
        raise InvalidInput(f"unknown clearance {clearance!r}; known: {', '.join(classes)}",
                           field="clearance", rule="unknown_classification")
    return clearance


def add_user(
    session: Session, username: str, password: str, display_name: str, agency_code: str,
    roles: Sequence[str], clearance: str, team_code: str | None = None, post: str | None = None,
    post_countries: Sequence[str] = (), settings: Settings | None = None,
) -> User:
    username = username.strip()
    if not username or len(username) > 80 or any(ch.isspace() for ch in username):
        raise InvalidInput("username must be 1-80 characters without spaces", field="username",
                           rule="invalid_username")
    settings = settings or settings_of(session)
    if len(password) < settings.min_password_length:
        raise InvalidInput(f"password must have at least {settings.min_password_length} "
                           "characters (NCB_MIN_PASSWORD_LENGTH)", field="password",
                           rule="too_short")
    role_list = validate_roles(roles)
    validate_clearance(clearance)
    agency = agency_by_code(session, agency_code)
    team = team_by_code(session, team_code) if team_code else None
    if team is not None and team.agency_id != agency.id:
        raise InvalidInput(f"team {team_code!r} belongs to another agency", field="team",
                           rule="team_of_other_agency")
    countries = load_rules().countries
    bad = [c for c in post_countries if c.upper() not in countries]
    if bad:
        raise InvalidInput(f"unknown country code(s): {', '.join(bad)}", field="post_countries",
                           rule="unknown_country")
    if session.scalars(select(User.id).where(User.username == username)).first() is not None:
        raise Conflict(f"user {username!r} exists already", field="username", rule="unique")
    user = User(
        username=username, display_name=display_name or username, agency_id=agency.id,
        team_id=team.id if team else None, roles=role_list, clearance=clearance, post=post,
        post_countries=[c.upper() for c in post_countries],
        password_hash=hash_password(password, settings),
    )
    session.add(user)
    session.flush()
    audit.record(session, _actor(session), "collection", "user", user.id,
                 details={"username": username, "agency": agency.code, "roles": role_list,
                          "clearance": clearance})
    return user


def user_summary(user: User) -> dict[str, Any]:
    return {
        "id": user.id, "username": user.username, "display_name": user.display_name,
        "agency": user.agency.code if user.agency else None, "roles": list(user.roles),
        "clearance": user.clearance, "team_id": user.team_id, "post": user.post,
        "active": user.active,
    }


def list_users(session: Session, limit: int = 100, offset: int = 0) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username).limit(limit).offset(offset)))


@dataclass(frozen=True)
class Profile:
    """Who the caller is, as /auth/me answers it."""

    user_id: int | None
    username: str
    display_name: str
    agency: str
    agency_name: str | None
    team_id: int | None
    roles: list[str]
    clearance: str
    permissions: list[str]


def profile(session: Session, p: Principal) -> Profile:
    user = directory.user(session, p.user_id)
    agency = directory.agency(session, p.agency_id)
    return Profile(p.user_id, p.username, user.display_name if user else p.username,
                   p.agency_code, agency.name if agency else None, p.team_id, sorted(p.roles),
                   user.clearance if user else "", sorted(p.permissions))
