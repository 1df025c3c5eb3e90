"""`ncb case import`: a good file lands whole; a bad line names line, field and rule, writes nothing."""

from __future__ import annotations

import json

from sqlalchemy import create_engine, func, select
from typer.testing import CliRunner

from ncb.cli import app
from ncb.store.models import Case

GOOD = {"channel": "europol", "title": "SIENA request 1", "country": "NL", "crime_area": "drugs"}


def _run(tmp_path, lines, monkeypatch, url):
    monkeypatch.setenv("NCB_DATABASE_URL", url)
    from ncb.settings import get_settings

    get_settings.cache_clear()
    f = tmp_path / "cases.jsonl"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        return CliRunner().invoke(app, ["case", "import", str(f), "--as", "desk"])
    finally:
        get_settings.cache_clear()


def _count(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as c:
        n = c.execute(select(func.count()).select_from(Case.__table__)).scalar_one()
    engine.dispose()
    return n


def test_import_good_file(tmp_path, monkeypatch, db_url, seeded):
    lines = [json.dumps(GOOD | {"title": f"SIENA request {i}"}) for i in range(5)]
    result = _run(tmp_path, lines, monkeypatch, db_url)
    assert result.exit_code == 0, result.output
    assert "imported 5 case(s)" in result.output
    assert _count(db_url) == 5


def test_import_bad_line_names_it_and_imports_nothing(tmp_path, monkeypatch, db_url, seeded):
    lines = [json.dumps(GOOD), json.dumps(GOOD | {"crime_area": "jaywalking"}), "{not json"]
    result = _run(tmp_path, lines, monkeypatch, db_url)
    assert result.exit_code == 2
    assert "line 2: crime_area" in result.output and "code_list" in result.output
    assert "line 3: not valid JSON" in result.output
    assert _count(db_url) == 0


def test_import_unknown_agency_rolls_back_everything(tmp_path, monkeypatch, db_url, seeded):
    lines = [json.dumps(GOOD), json.dumps(GOOD | {"requesting_agency": "NOPE"})]
    result = _run(tmp_path, lines, monkeypatch, db_url)
    assert result.exit_code == 2
    assert "line 2" in result.output and "requesting_agency" in result.output
    assert _count(db_url) == 0
