"""`ncb notice import`, `ncb eaw release-required`, `ncb sltd check` on both databases."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select
from typer.testing import CliRunner

from ncb.cli import app
from ncb.store.models import Entity, Notice

RED = {"entity_id": "2019/12345", "name": "KOVACS", "forename": "ISTVAN",
       "date_of_birth": "1970/01/31", "nationalities": ["HU"], "sex_id": "M"}


def run(monkeypatch: Any, url: str, *args: str) -> Any:
    monkeypatch.setenv("NCB_DATABASE_URL", url)
    from ncb.settings import get_settings

    get_settings.cache_clear()
    try:
        return CliRunner().invoke(app, list(args))
    finally:
        get_settings.cache_clear()


def count(url: str, cls: Any) -> int:
    engine = create_engine(url)
    with engine.connect() as c:
        n = c.execute(select(func.count()).select_from(cls.__table__)).scalar_one()
    engine.dispose()
    return int(n)


@pytest.mark.parametrize("payload,code,imported,needle", [
    ({"_embedded": {"notices": [RED, dict(RED, entity_id="2020/1")]}}, 0, 2, "imported 2"),
    ([RED, {"name": "X"}, dict(RED, entity_id="2019/2", sex_id="Q")], 2, 0, "record 2 entity_id"),
    ("{not json", 2, 0, "not valid JSON"),
])
def test_notice_import(tmp_path, monkeypatch, db_url, seeded, payload, code, imported, needle):
    f = tmp_path / "notices.json"
    f.write_text(payload if isinstance(payload, str) else json.dumps(payload), encoding="utf-8")
    result = run(monkeypatch, db_url, "notice", "import", str(f), "--as", "desk")
    assert result.exit_code == code, result.output
    assert needle in result.output
    if code:
        assert "record 3 sex_id" in result.output or "JSON" in result.output
    assert count(db_url, Notice) == imported
    assert count(db_url, Entity) == imported


def test_release_required_and_sltd(monkeypatch, db_url, seeded, client):
    from datetime import UTC, datetime, timedelta

    from tests.api.test_channels_eaw import CERTIFY, body

    h = seeded.headers("extradition")
    w = client.post("/eaw/warrants", json=body("FR-EAW-CLI"), headers=h).json()
    client.post(f"/eaw/warrants/{w['id']}/certify", json=CERTIFY, headers=h)
    arrest = datetime.now(UTC) - timedelta(days=70)
    r = client.post(f"/eaw/warrants/{w['id']}/events",
                    json={"kind": "arrest", "at": arrest.isoformat()}, headers=h)
    assert r.status_code == 200
    result = run(monkeypatch, db_url, "eaw", "release-required", "--as", "extradition")
    assert result.exit_code == 0 and "RELEASE REQUIRED FR-EAW-CLI" in result.output
    result = run(monkeypatch, db_url, "sltd", "check", "X123456", "--as", "desk")
    assert result.exit_code == 0 and result.output.strip() == "no hit"
    result = run(monkeypatch, db_url, "eaw", "stats", "--year", str(arrest.year), "--as", "desk")
    assert result.exit_code == 0 and '"requests_received"' in result.output
