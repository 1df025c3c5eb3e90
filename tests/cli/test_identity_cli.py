"""`ncb identity resolve | show | merge | undo` on rows written in bulk (as the demo does)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import insert, select
from typer.testing import CliRunner

from ncb.cli import app
from ncb.services.context import SYSTEM
from ncb.settings import get_settings
from ncb.store.access import PRINCIPAL
from ncb.store.models import Entity, IdentityMember

runner = CliRunner()


@pytest.fixture
def cli_db(settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("NCB_DATABASE_URL", settings.database_url)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _bulk_entities(factory, agency: int) -> list[int]:
    base = {"classification": "OFFICIAL", "classification_rank": 1, "owner_agency_id": agency,
            "originator_agency_id": agency, "sharing_scope": "own", "aliases": [],
            "details": {}, "source_kind": "case"}
    rows = [
        base | {"kind": "phone", "display_name": "+44 20 7946 0000", "identifier": "+442079460000"},
        base | {"kind": "phone", "display_name": "020 7946 0000", "identifier": "020 7946 0000",
                "details": {"country": "GB"}},
        base | {"kind": "person", "display_name": "Marta Kowalska", "first_name": "Marta",
                "last_name": "Kowalska", "date_of_birth": "1984-05-06", "nationality": "PL"},
        base | {"kind": "person", "display_name": "Marta Kowalska", "first_name": "Marta",
                "last_name": "Kowalska", "date_of_birth": "1984-05-06", "nationality": "PL"},
        base | {"kind": "person", "display_name": "Marta Kowalska", "first_name": "Marta",
                "last_name": "Kowalska", "date_of_birth": "1990-11-30", "nationality": "PL"},
    ]
    with factory() as s:
        ids = list(s.execute(insert(Entity).returning(Entity.id), rows).scalars())
        s.commit()
    return ids


def test_resolve_joins_bulk_rows_and_merge_undo_round_trip(factory, seeded, cli_db) -> None:
    ids = _bulk_entities(factory, seeded.agencies["GB-NCA"])
    r = runner.invoke(app, ["identity", "resolve"])
    assert r.exit_code == 0, r.output
    assert "5 entities resolved" in r.output and "1 joined by identifier" in r.output
    assert "1 by the matcher" in r.output
    with factory() as s:  # identity members go with their entity: read as the system
        s.info[PRINCIPAL] = SYSTEM
        owner = dict(s.execute(select(IdentityMember.entity_id, IdentityMember.identity_id)).all())
    phone_a, phone_b, marta, marta_again, other_marta = ids
    assert owner[phone_a] == owner[phone_b]
    assert owner[marta] == owner[marta_again] != owner[other_marta]  # another date of birth
    r = runner.invoke(app, ["identity", "show", str(owner[marta]), "--as", "desk"])
    assert r.exit_code == 0, r.output
    assert len(json.loads(r.output)["appearances"]) == 2
    r = runner.invoke(app, ["identity", "merge", str(owner[marta]), str(owner[other_marta]),
                            "--as", "desk", "--reason", "same person, DOB typo"])
    assert r.exit_code == 0, r.output
    change = r.output.split("change ")[1].split(")")[0]
    assert runner.invoke(app, ["identity", "undo", change, "--as", "desk",
                               "--reason", "not a typo"]).exit_code == 0
    r = runner.invoke(app, ["identity", "undo", change, "--as", "desk", "--reason", "again"])
    assert r.exit_code == 2 and "already undone" in r.output
    r = runner.invoke(app, ["identity", "merge", "1", "2", "--as", "desk", "--reason", "x"])
    assert r.exit_code == 2 and "reason" in r.output
    assert runner.invoke(app, ["identity", "resolve"]).output.startswith("0 entities")
