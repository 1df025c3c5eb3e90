"""Names for display: teams, users and agencies, read without the access filter.

These tables carry no markings, so the filter has no row of them to hide; skipping it saves
building the criteria of every marked class for each lookup. This is the one named place
where pages and services get such names (a bypass is a store function, never a flag passed
from a page); tests/store/test_directory.py keeps it to unmarked tables.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncb.store.models import Agency, Team, User

# Only for the unmarked tables above: never pass this for a Marked class.
_UNFILTERED = {"skip_access": True}


def team_names(session: Session) -> dict[int, str]:
    """Every team's name by id (a bureau has a dozen teams)."""
    rows = session.execute(select(Team.id, Team.name).execution_options(**_UNFILTERED)).all()
    return {tid: name for tid, name in rows}


def team(session: Session, team_id: int | None) -> Team | None:
    if team_id is None:
        return None
    return session.get(Team, team_id, execution_options=_UNFILTERED)


def user(session: Session, user_id: int | None) -> User | None:
    if user_id is None:
        return None
    return session.get(User, user_id, execution_options=_UNFILTERED)


def agency(session: Session, agency_id: int | None) -> Agency | None:
    if agency_id is None:
        return None
    return session.get(Agency, agency_id, execution_options=_UNFILTERED)


def usernames(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    """Usernames of the given user ids (absent ids are left out)."""
    wanted = sorted({i for i in ids if i})
    if not wanted:
        return {}
    rows = session.execute(select(User.id, User.username).where(User.id.in_(wanted))
                           .execution_options(**_UNFILTERED)).all()
    return {uid: name for uid, name in rows}


def agency_codes(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    """Agency codes of the given agency ids (absent ids are left out)."""
    wanted = sorted({i for i in ids if i})
    if not wanted:
        return {}
    rows = session.execute(select(Agency.id, Agency.code).where(Agency.id.in_(wanted))
                           .execution_options(**_UNFILTERED)).all()
    return {aid: code for aid, code in rows}
