"""The threat picture through the API and pages (SQLite and PostgreSQL): trends by crime area,
country and route per month, the year in numbers, CSV downloads; counts only what the reader
may see (partner and low-clearance users in the matrix)."""

from __future__ import annotations

import csv
import io
from typing import Any

from tests.services.data_protection_fixtures import low_reviewer_fixture  # noqa: F401


def case(client: Any, h: dict[str, str], crime: str, country: str, received: str,
         **over: Any) -> None:
    body = {"channel": "interpol", "title": f"{crime} in {country}", "country": country,
            "requesting_country": country, "crime_area": crime,
            "received_at": f"{received}T09:00:00+00:00"} | over
    r = client.post("/cases", json=body, headers=h)
    assert r.status_code == 201, r.text


def seed(client: Any, h: dict[str, str]) -> None:
    for _ in range(3):
        case(client, h, "drugs", "FR", "2025-03-10")
    case(client, h, "fraud", "RO", "2025-04-02")
    case(client, h, "fraud", "RO", "2025-04-20", channel="europol")
    case(client, h, "cybercrime", "US", "2025-04-21", markings={"classification": "SECRET"})


def get(client: Any, h: dict[str, str], path: str, **params: Any) -> Any:
    r = client.get(path, params=params, headers=h)
    assert r.status_code == 200, r.text
    return r


def test_trends_by_crime_area_country_and_route(client, seeded, low_reviewer):
    h = seeded.headers("supervisor")
    seed(client, h)
    span = {"from": "2025-02", "to": "2025-05"}
    t = get(client, h, "/threat/trends", by="crime_area", **span).json()
    assert t["months"] == ["2025-02", "2025-03", "2025-04", "2025-05"]
    assert t["series"]["drugs"] == [0, 3, 0, 0] and t["series"]["fraud"] == [0, 0, 2, 0]
    assert t["series"]["cybercrime"] == [0, 0, 1, 0]
    assert t["labels"]["drugs"].lower().startswith("drug")
    by_country = get(client, h, "/threat/trends", by="country", **span).json()
    assert by_country["totals"] == {"FR": 3, "RO": 2, "US": 1}
    assert by_country["labels"]["RO"] == "Romania"
    route = get(client, h, "/threat/trends", by="route", top=1, **span).json()
    assert route["series"] == {"FR→FR": [0, 3, 0, 0], "other": [0, 0, 3, 0]}
    # The low-clearance supervisor does not count the SECRET case; a partner may not ask.
    low = get(client, low_reviewer, "/threat/trends", by="crime_area", **span).json()
    assert "cybercrime" not in low["series"] and low["totals"]["fraud"] == 2
    r = client.get("/threat/trends", params={"by": "crime_area", **span},
                   headers=seeded.headers("partner"))
    assert r.status_code == 403
    r = client.get("/threat/trends", params={"by": "weather", **span}, headers=h)
    assert r.status_code == 422 and "by" in r.text
    r = client.get("/threat/trends", params={"from": "2025-13", "to": "2025-05"}, headers=h)
    assert r.status_code == 422 and "from" in r.text
    r = client.get("/threat/trends", params={"from": "2020-01", "to": "2026-01"}, headers=h)
    assert r.status_code == 422 and "to" in r.text  # more than 60 months
    rows = list(csv.reader(io.StringIO(get(client, h, "/threat/trends", by="crime_area",
                                           format="csv", **span).text)))
    assert rows[0][0] == "month" and rows[2][rows[0].index(t["labels"]["drugs"])] == "3"


def test_year_in_numbers_and_pages(client, seeded, low_reviewer):
    h = seeded.headers("supervisor")
    seed(client, h)
    y = get(client, h, "/threat/year/2025").json()
    assert y["total_cases"] == 6
    assert y["cases_by_channel"]["INTERPOL (I-24/7)"] == 5
    assert y["cases_by_month"]["2025-03"] == 3 and y["cases_by_month"]["2025-04"] == 3
    assert set(y["eaw"]) >= {"received", "arrests", "surrenders"}
    assert set(y["captura"]) == {"listed this year", "caught this year",
                                 "still listed at year end"}
    assert get(client, low_reviewer, "/threat/year/2025").json()["total_cases"] == 5
    r = client.get("/threat/year/1999", headers=h)
    assert r.status_code == 422 and "year" in r.text
    rows = list(csv.reader(io.StringIO(get(client, h, "/threat/year/2025",
                                           format="csv").text)))
    assert rows[0] == ["section", "item", "count"]
    assert ["cases_by_month", "2025-03", "3"] in rows
    from tests.services.retention.test_retention import _page

    with client:
        page = _page(client, seeded, "supervisor", "/w/threat?from=2025-01&to=2025-06")
        assert "<svg" in page and "polyline" in page and "format=csv" in page
        page = _page(client, seeded, "supervisor", "/w/threat/year?year=2025")
        assert "2025 in numbers" in page and "6 new cases" in page and "<svg" in page


def test_threat_cli(client, seeded, settings, monkeypatch, tmp_path):
    from typer.testing import CliRunner

    from ncb.cli import app
    from ncb.settings import get_settings

    seed(client, seeded.headers("supervisor"))
    monkeypatch.setenv("NCB_DATABASE_URL", settings.database_url)
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        r = runner.invoke(app, ["threat", "trends", "--from", "2025-03", "--to", "2025-04",
                                "--by", "country", "--as", "analyst"])
        assert r.exit_code == 0 and "2025-03\t3" in r.output, r.output
        target = tmp_path / "year.csv"
        r = runner.invoke(app, ["threat", "year", "2025", "--as", "analyst", "--csv",
                                str(target)])
        assert r.exit_code == 0 and "cases_by_month,2025-04,3" in target.read_text()
        r = runner.invoke(app, ["threat", "trends", "--from", "2025-3", "--to", "2025-04",
                                "--as", "analyst"])
        assert r.exit_code == 2 and "from" in r.output
        assert runner.invoke(app, ["threat", "year", "2025", "--as", "partner"]).exit_code == 2
    finally:
        get_settings.cache_clear()
