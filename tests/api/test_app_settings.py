"""The knobs that were module globals come from the settings of the app a request runs in, down
to the services (issue 12): a second app, or a test, changes them without touching the process
environment, which still holds the defaults here."""

from __future__ import annotations

from typing import Any

import pytest

from ncb.settings import get_settings
from tests.api.test_cases import new_case
from tests.conftest import Seeded

PNG = b"\x89PNG\r\n\x1a\n"


def _problem(r: Any, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text
    body: dict[str, Any] = r.json()
    return body


def test_the_home_agency_is_the_apps_not_the_environments(
    client: Any, seeded: Seeded, app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert get_settings().home_agency == "GB-NCA"  # the environment's, registered
    monkeypatch.setattr(app.state.settings, "home_agency", "XX-NONE")
    r = client.post(
        "/cases", headers=seeded.headers("desk"), json={"channel": "interpol", "title": "Trace request"}
    )
    body = _problem(r, 422)
    assert "XX-NONE" in body["detail"] and body["errors"][0]["field"] == "NCB_HOME_AGENCY"


def test_shortest_password_follows_the_setting(
    client: Any, seeded: Seeded, app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app.state.settings, "min_password_length", 16)
    new = {
        "username": "newbie",
        "password": "fifteen-chars-x",
        "display_name": "New Bie",
        "agency": "GB-NCA",
        "roles": ["analyst"],
    }
    body = _problem(client.post("/admin/users", headers=seeded.headers("admin"), json=new), 422)
    assert {"field": "password", "rule": "too_short"} in [
        {k: e[k] for k in ("field", "rule")} for e in body["errors"]
    ]
    assert "16 characters" in body["detail"]
    new["password"] += "y"
    assert client.post("/admin/users", headers=seeded.headers("admin"), json=new).status_code == 201


def test_device_cookie_lives_the_configured_days(
    client: Any, seeded: Seeded, app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app.state.settings, "device_cookie_days", 2)
    r = client.post("/auth/login", json={"username": "desk", "password": seeded.password})
    assert r.status_code == 200
    device = next(h for h in r.headers.get_list("set-cookie") if h.startswith("ncb_device="))
    assert "Max-Age=172800" in device


def test_threat_picture_span_follows_the_setting(
    client: Any, seeded: Seeded, app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = seeded.headers("analyst")
    span = {"by": "country", "from": "2025-01", "to": "2025-04"}
    assert client.get("/threat/trends", headers=h, params=span).status_code == 200
    monkeypatch.setattr(app.state.settings, "threat_max_months", 3)
    body = _problem(client.get("/threat/trends", headers=h, params=span), 422)
    assert "at most 3 months" in body["detail"] and body["errors"][0]["field"] == "to"


def test_appeal_photo_limit_follows_the_setting(
    client: Any, seeded: Seeded, app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = seeded.headers("supervisor")
    ref = new_case(client, h, title="Fugitive: photo limit", crime_area="fugitives")["reference"]
    r = client.post(
        "/appeals", headers=h, json={"case": ref, "name": "Kevin MARSH", "wanted_for": "Armed robbery"}
    )
    assert r.status_code == 201, r.text
    photo = PNG + b"\x00" * (20 * 1024)
    put = {"headers": {**h, "Content-Type": "image/png"}, "content": photo}
    assert client.put(f"/appeals/{r.json()['id']}/photo", **put).status_code == 200
    monkeypatch.setattr(app.state.settings, "appeal_photo_kib", 16)
    body = _problem(client.put(f"/appeals/{r.json()['id']}/photo", **put), 413)
    assert "16 KiB" in body["detail"]
