"""Officers type times in their own zone (their settings) and see which zone; every time is
stored in UTC. Times kept in a record's data (the Article 3 assessment) show like any other."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import update

from ncb.services.errors import InvalidInput
from ncb.store.models import User
from ncb.web.forms.common import as_utc, local_input
from tests.services.retention.test_retention import _page


@pytest.mark.parametrize(
    "typed,tz,utc",
    [
        ("2026-07-01T14:00", "Europe/London", "2026-07-01 13:00"),  # BST
        ("2026-01-05T09:30", "Europe/London", "2026-01-05 09:30"),  # GMT
        ("2026-07-01T20:00", "Asia/Singapore", "2026-07-01 12:00"),
        ("2026-07-01T12:00", "UTC", "2026-07-01 12:00"),
        ("2026-07-01T12:00+02:00", "Asia/Singapore", "2026-07-01 10:00"),  # its own offset wins
        ("2026-10-25T01:30", "Europe/London", "2026-10-25 00:30"),  # twice that night: the first
    ],
)
def test_typed_times_are_read_in_the_officers_zone(typed, tz, utc):
    at = as_utc(typed, "at", tz)
    assert at is not None and at.tzinfo is not None
    assert at.astimezone(UTC).strftime("%Y-%m-%d %H:%M") == utc


def test_a_bad_time_names_the_field_and_the_zone_and_input_values_are_local():
    with pytest.raises(InvalidInput) as exc:
        as_utc("tomorrow", "hit_at", "Asia/Singapore")
    assert "hit_at" in exc.value.detail and "Asia/Singapore" in exc.value.detail
    noon = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    assert local_input(noon, "Asia/Singapore") == "2026-07-01T20:00"
    assert as_utc(local_input(noon, "Europe/London"), "at", "Europe/London") == noon


def _zone(factory: Any, username: str, tz: str) -> None:
    with factory() as s:
        s.execute(update(User).where(User.username == username).values(timezone=tz))
        s.commit()


def test_hit_form_in_singapore_time_is_stored_in_utc_and_article3_reads_well(client, seeded, factory):
    h = seeded.headers("desk")
    r = client.post(
        "/interpol/notices",
        headers=h,
        json={
            "notice_type": "red",
            "subject": {
                "name": "SMITH",
                "forename": "JOHN",
                "date_of_birth": "1980/03/04",
                "arrest_warrants": [{"charge": "Fraud", "issuing_country_id": "GB"}],
            },
        },
    )
    assert r.status_code == 201, r.text
    nid = r.json()["id"]
    r = client.post(
        f"/interpol/notices/{nid}/article3", headers=h, json={"concerns": [], "rationale": "ordinary fraud"}
    )
    assessed = datetime.fromisoformat(r.json()["article3"]["assessed_at"])
    r = client.post(
        "/schengen/alerts",
        headers=h,
        json={
            "article": "26",
            "issuing_country": "FR",
            "data": {
                "surname": "Moreau",
                "forenames": "Luc",
                "date_of_birth": "1975-02-11",
                "warrant_reference": "FR-EAW-55",
                "issuing_authority": "TJ Lyon",
                "offence": "armed robbery",
            },
        },
    )
    assert r.status_code == 201, r.text
    alert_id = r.json()["id"]
    _zone(factory, "desk", "Asia/Singapore")
    with client:
        page = _page(client, seeded, "desk", f"/w/interpol/notices/{nid}")
        shown = assessed.astimezone(UTC) + timedelta(hours=8)
        assert f"{shown:%Y-%m-%d %H:%M} +08 ({assessed.astimezone(UTC):%H:%M} UTC)" in page
        assessment = page.split("Article 3 assessment")[1].split("</p>")[0]
        assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}", assessment)  # no raw ISO time
        page = client.get(f"/w/schengen/alerts/{alert_id}").text
        assert "Time of the hit (Asia/Singapore time)" in page and "stored in UTC" in page
        prefilled = re.search(r'name="hit.hit_at" type="datetime-local" value="([^"]+)"', page)
        assert prefilled is not None  # the form starts at the officer's local now
        local_now = datetime.now(UTC) + timedelta(hours=8)
        assert abs(datetime.fromisoformat(prefilled.group(1)) - local_now.replace(tzinfo=None)) < timedelta(
            minutes=5
        )
        csrf = re.search(r'name="csrf" value="([^"]+)"', page)
        assert csrf is not None
        typed = (datetime.now(UTC) - timedelta(hours=1)).astimezone(UTC) + timedelta(hours=8)
        r = client.post(
            f"/w/schengen/alerts/{alert_id}/hit",
            data={
                "csrf": csrf.group(1),
                "hit.hit_at": f"{typed:%Y-%m-%dT%H:%M}",
                "hit.place": "Dover",
                "hit.action_taken": "Arrested; EAW requested",
            },
            follow_redirects=False,
        )
        assert r.status_code == 303, r.text
    g = client.get(f"/schengen/alerts/{alert_id}", headers=h).json()
    hit_at = datetime.fromisoformat(g["forms"][0]["fields"]["hit_time_utc"])
    expected = (typed - timedelta(hours=8)).replace(second=0, microsecond=0)
    assert hit_at.astimezone(UTC).replace(second=0, microsecond=0) == expected
