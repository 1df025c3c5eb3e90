"""ncb.store.directory: display names read without the access filter, for unmarked tables only."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from ncb.store import directory
from ncb.store.access import PRINCIPAL
from ncb.store.models import Agency, Marked, Team, User
from tests.conftest import Seeded


def test_it_reads_only_tables_without_markings() -> None:
    # The bypass is harmless only while no row of these tables can be hidden.
    for cls in (Team, User, Agency):
        assert not issubclass(cls, Marked), f"{cls.__name__} is marked: read it through the filter"


def test_names_are_the_seeded_ones_for_any_caller(factory: sessionmaker[Session],
                                                  seeded: Seeded) -> None:
    with factory() as session:
        session.info[PRINCIPAL] = seeded.principals["partner"]  # a partner sees the same names
        teams = directory.team_names(session)
        assert set(teams) == set(seeded.teams.values())
        users = directory.usernames(session, [seeded.users["desk"], seeded.users["rcmp"], None])
        assert users == {seeded.users["desk"]: "desk", seeded.users["rcmp"]: "rcmp"}
        codes = directory.agency_codes(session, [seeded.agencies["US-FBI"]])
        assert codes == {seeded.agencies["US-FBI"]: "US-FBI"}
        assert directory.usernames(session, []) == {}
        desk = directory.user(session, seeded.users["desk"])
        assert desk is not None and desk.username == "desk"
        assert directory.user(session, None) is None
        team = directory.team(session, seeded.teams["general_desk"])
        assert team is not None and team.name == teams[seeded.teams["general_desk"]]
        fbi = directory.agency(session, seeded.agencies["US-FBI"])
        assert fbi is not None and fbi.code == "US-FBI"
