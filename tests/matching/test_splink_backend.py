"""The optional Splink engine: lazy import with a clear error, and a small dedupe/link run."""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ncb.cli import app
from ncb.matching.record import PersonRecord

runner = CliRunner()

_SYL = ["ka", "ri", "mo", "len", "dar", "so", "bel", "tin", "va", "gor", "mi", "nus", "pe", "lor"]


def _name(rnd: random.Random, n: int) -> str:
    return "".join(rnd.choice(_SYL) for _ in range(n))


def _typo(s: str, rnd: random.Random) -> str:
    i = rnd.randrange(len(s))
    return s[:i] + s[i + 1 :]


def _dataset(n: int = 400, dups: int = 150) -> tuple[list[PersonRecord], set[tuple[str, str]]]:
    rnd = random.Random(7)
    recs = []
    for i in range(n):
        recs.append(
            PersonRecord(
                f"rec-{i}-org",
                first_name=_name(rnd, 2),
                last_name=_name(rnd, 3),
                date_of_birth=(
                    f"19{rnd.randrange(50, 54)}{rnd.randrange(1, 13):02d}{rnd.randrange(1, 29):02d}"
                ),
                document_number=str(rnd.randrange(10**6, 10**7)),
                extra={"postcode": str(rnd.randrange(2000, 7000)), "suburb": _name(rnd, 2)},
            )
        )
    truth = set()
    for i in range(dups):
        o = recs[i]
        field = i % 3
        recs.append(
            PersonRecord(
                f"rec-{i}-dup-0",
                first_name=_typo(o.first_name, rnd) if field == 0 else o.first_name,
                last_name=_typo(o.last_name, rnd) if field == 1 else o.last_name,
                date_of_birth=o.date_of_birth,
                document_number=o.document_number if field != 2 else "",
                extra=dict(o.extra),
            )
        )
        truth.add(tuple(sorted((o.id, f"rec-{i}-dup-0"))))  # type: ignore[arg-type]
    return recs, truth  # type: ignore[return-value]


def test_missing_splink_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    from ncb.matching import splink_backend

    monkeypatch.setitem(sys.modules, "splink", None)
    with pytest.raises(splink_backend.SplinkUnavailable, match=r"ncb-gateway\[splink\]"):
        splink_backend.dedupe_pairs([PersonRecord("a", full_name="x y")])
    assert not splink_backend.available()


def test_cli_reports_missing_splink(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "splink", None)
    inp = tmp_path / "in.csv"
    inp.write_text("full_name\nJohn Smith\n", encoding="utf-8")
    res = runner.invoke(
        app, ["dedupe", "--input", str(inp), "--out", str(tmp_path / "o.csv"), "--engine", "splink"]
    )
    assert res.exit_code == 2
    assert "ncb-gateway[splink]" in res.output


def test_splink_dedupe_and_link() -> None:
    from ncb.matching import splink_backend

    recs, truth = _dataset()
    pairs = splink_backend.dedupe_pairs(recs)
    found = {(p.left_id, p.right_id) for p in pairs}
    tp = len(found & truth)
    assert tp / max(len(found), 1) >= 0.95 and tp / len(truth) >= 0.9
    assert all(p.left_id < p.right_id and p.explanation.algorithm == "splink" for p in pairs)
    left = [r for r in recs if r.id.endswith("-org")]
    right = [r for r in recs if "-dup-" in r.id]
    links = splink_backend.link(left, right)
    got = {(lk.left_id, lk.right_id) for lk in links}
    assert all(a.endswith("-org") for a, _ in got)
    want = {(f"rec-{i}-org", f"rec-{i}-dup-0") for i in range(150)}
    assert len(got & want) >= 0.9 * len(want) and len(got - want) <= 0.05 * len(got)


def test_cli_engine_splink(tmp_path: Path) -> None:
    recs, _ = _dataset()
    inp = tmp_path / "in.csv"
    with inp.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "first_name", "last_name", "date_of_birth", "postcode"])
        for r in recs:
            w.writerow([r.id, r.first_name, r.last_name, r.date_of_birth, r.extra["postcode"]])
    out = tmp_path / "c.csv"
    res = runner.invoke(app, ["dedupe", "--input", str(inp), "--out", str(out), "--engine", "splink"])
    assert res.exit_code == 0, res.output
    with out.open(encoding="utf-8") as fh:
        cl = {r["id"]: r["cluster_id"] for r in csv.DictReader(fh)}
    assert len(cl) == len(recs)
    assert sum(cl[f"rec-{i}-org"] == cl[f"rec-{i}-dup-0"] for i in range(150)) >= 130
