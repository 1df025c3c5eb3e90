"""Clustering without chaining: a merge needs the whole cluster's agreement; vetoes hold."""

from __future__ import annotations

import csv
from pathlib import Path

from typer.testing import CliRunner

from ncb.cli import app
from ncb.matching.bulk import clusters, dedupe_clusters, dedupe_pairs
from ncb.matching.record import PersonRecord

runner = CliRunner()


def _chain() -> list[PersonRecord]:
    # Each neighbour agrees, the two ends do not: different document numbers, birth dates 30
    # years apart. Connected components put all three together.
    return [
        PersonRecord("a", full_name="John Smith", date_of_birth="1950-03-04", document_number="X1234567"),
        PersonRecord("b", full_name="John Smith"),
        PersonRecord("c", full_name="John Smith", date_of_birth="1980-07-08", document_number="Y7654321"),
    ]


def test_single_link_chains_but_clustering_does_not() -> None:
    recs = _chain()
    single = clusters((r.id for r in recs), dedupe_pairs(recs))
    assert len(set(single.values())) == 1
    res = dedupe_clusters(recs)
    assert res.assignment["a"] != res.assignment["c"]
    assert set(res.assignment) == {"a", "b", "c"}
    assert res.rejected >= 1


def test_true_duplicates_still_merge() -> None:
    recs = [
        PersonRecord("1", first_name="Robert", last_name="Allen", date_of_birth="1971-06-24"),
        PersonRecord("2", first_name="Rob", last_name="Allen", date_of_birth="1971-06-24"),
        PersonRecord("3", first_name="Robert", last_name="Alen", date_of_birth="1971-05-24"),
        PersonRecord("4", first_name="Grace", last_name="Kelly", date_of_birth="1991-04-26"),
    ]
    a = dedupe_clusters(recs).assignment
    assert a["1"] == a["2"] == a["3"] != a["4"]


def test_cli_explain_writes_each_merge(tmp_path: Path) -> None:
    inp = tmp_path / "in.csv"
    inp.write_text(
        "unique_id,first_name,surname,dob,city,email\n"
        "0,Robert,Allen,1971-06-24,London,robert@x.net\n"
        "1,Rob,Allen,1971-06-24,,robert@x.net\n"
        "2,,,1971-06-24,London,\n"
        "3,Grace,Kelly,1991-04-26,Hull,\n",
        encoding="utf-8",
    )
    out, why = tmp_path / "c.csv", tmp_path / "why.csv"
    res = runner.invoke(app, ["dedupe", "--input", str(inp), "--out", str(out), "--explain", str(why)])
    assert res.exit_code == 0, res.output
    with out.open(encoding="utf-8") as fh:
        cl = {r["id"]: r["cluster_id"] for r in csv.DictReader(fh)}
    assert set(cl) == {"0", "1", "2", "3"} and cl["0"] == cl["1"] != cl["3"] and cl["2"] == "2"
    with why.open(encoding="utf-8") as fh:
        merges = list(csv.DictReader(fh))
    assert [(m["left_id"], m["right_id"]) for m in merges] == [("0", "1")]
    assert "name" in merges[0]["explanation"] and float(merges[0]["cluster_agreement"]) >= 0.4
    assert "1 rows without a usable name" in res.output


def test_cli_dedupe_bad_input_exits_2(tmp_path: Path) -> None:
    inp = tmp_path / "in.csv"
    inp.write_text("colour\nred\n", encoding="utf-8")
    res = runner.invoke(app, ["dedupe", "--input", str(inp), "--out", str(tmp_path / "o.csv")])
    assert res.exit_code == 2 and "no name column" in res.output
