"""`ncb sis ...` and `ncb siena ...`: the Schengen and Europol desks from the command line, on both
databases; bad input exits 2 naming the field, and nothing is written."""

from __future__ import annotations

import json
import re
from typing import Any

from sqlalchemy import func, select
from typer.testing import CliRunner

from ncb.cli import app
from ncb.services.context import SYSTEM
from ncb.store.access import PRINCIPAL
from ncb.store.db import transaction
from ncb.store.models import Alert, Message, SireneForm

WANTED = {"surname": "GARCIA LOPEZ", "forenames": "Ana", "date_of_birth": "1979-04-02",
          "warrant_reference": "EAW-2026-77", "issuing_authority": "Audiencia Nacional",
          "offence": "drug trafficking"}


def run(monkeypatch: Any, url: str, *args: str) -> Any:
    from ncb.settings import get_settings

    monkeypatch.setenv("NCB_DATABASE_URL", url)
    get_settings.cache_clear()
    try:
        return CliRunner().invoke(app, list(args))
    finally:
        get_settings.cache_clear()


def count(factory: Any, cls: Any) -> int:
    with transaction(factory, **{PRINCIPAL: SYSTEM}) as s:
        return int(s.scalar(select(func.count()).select_from(cls)) or 0)


def test_alert_hit_and_g_form_from_the_command_line(monkeypatch, db_url, seeded, factory) -> None:  # type: ignore[no-untyped-def]
    added = run(monkeypatch, db_url, "sis", "alert", "add", "--as", "desk", "--article", "26",
                "--country", "ES", "--schengen-id", "ES-26-000123", "--data", json.dumps(WANTED))
    assert added.exit_code == 0, added.output
    alert_id = re.search(r"alert (\d+) recorded: Art\. 26 ES-26-000123", added.output).group(1)  # type: ignore[union-attr]
    hit = run(monkeypatch, db_url, "sis", "hit", alert_id, "--as", "desk", "--place",
              "Dover, eastern docks", "--action", "arrested on the EAW", "--at", "2026-12-01T02:10:00")
    assert hit.exit_code == 0, hit.output
    assert "send it within 12 hours" in hit.output
    form_id = re.search(r"\(id (\d+)\) drafted", hit.output).group(1)  # type: ignore[union-attr]
    sent = run(monkeypatch, db_url, "sis", "form", "send", form_id, "--as", "desk")
    assert sent.exit_code == 0, sent.output
    assert "sent to ES" in sent.output
    with transaction(factory, **{PRINCIPAL: SYSTEM}) as s:
        form = s.get(SireneForm, int(form_id))
        assert form is not None and form.form_type == "G" and form.sent_at is not None
        assert form.fields["hit_place"] == "Dover, eastern docks"


def test_bad_sis_input_exits_2_naming_the_field(monkeypatch, db_url, seeded, factory) -> None:  # type: ignore[no-untyped-def]
    missing = run(monkeypatch, db_url, "sis", "alert", "add", "--as", "desk", "--article", "26",
                  "--country", "ES", "--data", json.dumps({"surname": "X"}))
    assert missing.exit_code == 2 and "forenames" in missing.output
    broken = run(monkeypatch, db_url, "sis", "alert", "add", "--as", "desk", "--article", "26",
                 "--country", "ES", "--data", '{"surname": ')
    assert broken.exit_code == 2 and "--data" in broken.output and "line 1 column" in broken.output
    article = run(monkeypatch, db_url, "sis", "alert", "add", "--as", "desk", "--article", "99",
                  "--country", "ES")
    assert article.exit_code == 2 and "article" in article.output
    form = run(monkeypatch, db_url, "sis", "form", "add", "--as", "desk", "--type", "Z",
               "--recipient", "ES")
    assert form.exit_code == 2 and "form_type" in form.output
    assert count(factory, Alert) == 0 and count(factory, SireneForm) == 0


def test_siena_send_reply_and_forward_under_handling_codes(monkeypatch, db_url, seeded, client,
                                                           factory) -> None:  # type: ignore[no-untyped-def]
    case = client.post("/cases", json={"channel": "europol", "title": "Cocaine route Rotterdam",
                                       "country": "NL"}, headers=seeded.headers("desk")).json()
    ref = case["reference"]
    sent = run(monkeypatch, db_url, "siena", "send", ref, "--as", "desk", "--handling", "H2",
               "--subject", "Container 4471", "--body", "Seized at Felixstowe", "--to", "EUROPOL",
               "--source", "B", "--info", "2")
    assert sent.exit_code == 0, sent.output
    first = int(re.search(r"message (\d+) on", sent.output).group(1))  # type: ignore[union-attr]
    reply = run(monkeypatch, db_url, "siena", "reply", ref, str(first), "--as", "desk",
                "--handling", "H0", "--subject", "Re: Container 4471", "--to", "EUROPOL")
    assert reply.exit_code == 0 and "under H2" in reply.output  # the strictest code is kept
    refused = run(monkeypatch, db_url, "siena", "forward", ref, str(first), "--as", "desk",
                  "--to", "INTERPOL-FR")
    assert refused.exit_code == 2 and "permission" in refused.output.lower()
    before = count(factory, Message)
    ok = run(monkeypatch, db_url, "siena", "permission", ref, str(first), "--as", "desk",
             "--note", "Provider agreed by phone 02:30 UTC")
    assert ok.exit_code == 0, ok.output
    fwd = run(monkeypatch, db_url, "siena", "forward", ref, str(first), "--as", "desk",
              "--to", "INTERPOL-FR")
    assert fwd.exit_code == 0 and "forwarded" in fwd.output
    assert count(factory, Message) == before + 1
    h3 = run(monkeypatch, db_url, "siena", "send", ref, "--as", "desk", "--handling", "H3",
             "--subject", "Restricted")
    assert h3.exit_code == 2 and "handling_conditions" in h3.output


def test_help_for_the_channel_commands() -> None:
    for args in (["sis", "--help"], ["sis", "alert", "add", "--help"], ["sis", "hit", "--help"],
                 ["sis", "form", "add", "--help"], ["sis", "form", "send", "--help"],
                 ["siena", "send", "--help"], ["siena", "reply", "--help"],
                 ["siena", "forward", "--help"], ["siena", "permission", "--help"]):
        r = CliRunner().invoke(app, args)
        assert r.exit_code == 0, (args, r.output)
