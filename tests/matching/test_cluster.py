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
    assert "4 rows, 3 clusters (largest 2 rows)" in res.output


def test_cli_dedupe_bad_input_exits_2(tmp_path: Path) -> None:
    inp = tmp_path / "in.csv"
    inp.write_text("colour\nred\n", encoding="utf-8")
    res = runner.invoke(app, ["dedupe", "--input", str(inp), "--out", str(tmp_path / "o.csv")])
    assert res.exit_code == 2 and "no name column" in res.output


def test_shared_document_number_overrides_the_birth_date_veto() -> None:
    # A birth date replaced by a wholly different one (a keying error) with the same document
    # number and name is one person; without the document the dates still veto.
    same = [
        PersonRecord(
            "1", first_name="Olivia", last_name="Hobson", date_of_birth="19760812", document_number="4535695"
        ),
        PersonRecord(
            "2", first_name="Olivia", last_name="Hobson", date_of_birth="19300123", document_number="4535695"
        ),
    ]
    a = dedupe_clusters(same).assignment
    assert a["1"] == a["2"]
    apart = [
        PersonRecord(r.id, first_name=r.first_name, last_name=r.last_name, date_of_birth=r.date_of_birth)
        for r in same
    ]
    b = dedupe_clusters(apart).assignment
    assert b["1"] != b["2"]


def test_mistyped_digit_and_shared_email_merge_a_surname_only_record() -> None:
    recs = [
        PersonRecord(
            "1",
            first_name="Joshua",
            last_name="Williams",
            date_of_birth="2002-08-08",
            extra={"email": "j.williams@levine.com", "suburb": "Portsmouth"},
        ),
        PersonRecord(
            "2", last_name="Wiliams", date_of_birth="2002-08-09", extra={"email": "j.williams@levine.com"}
        ),
        PersonRecord(
            "3",
            first_name="Joshua",
            last_name="Williams",
            date_of_birth="1961-03-30",
            extra={"suburb": "Leeds"},
        ),
    ]
    a = dedupe_clusters(recs).assignment
    assert a["1"] == a["2"] != a["3"]


def test_given_name_alone_against_family_name_alone_is_missing_not_disagreement() -> None:
    from ncb.matching.linkage import BulkLinkage

    exp = BulkLinkage().compare_records(
        PersonRecord("1", first_name="Poppy", date_of_birth="1973-01-16"),
        PersonRecord("2", last_name="Owen", date_of_birth="1973-01-16"),
    )
    name = next(f for f in exp.features if f.feature == "name")
    assert name.similarity is None and "given name vs family name" in name.detail


def test_blocking_finds_a_one_letter_typo_among_many_namesakes() -> None:
    from ncb.matching.index import CandidateIndex
    from ncb.matching.record import prepare

    ix = CandidateIndex()
    ix.build(
        prepare(PersonRecord(str(i), full_name=f"Oliver {s}"))
        for i, s in enumerate(["Atkinson", "Griffiths", "Brown", "Smith", "Taylor", "Jones"] * 10)
    )
    ix.add(prepare(PersonRecord("w", full_name="Oliver Watson")))
    got = [p.id for p in ix.candidates(prepare(PersonRecord("q", full_name="Olievr Waton")), 5)]
    assert got[0] == "w"


def test_cli_dedupe_messy_generated_records_every_row_out_no_giant_cluster(tmp_path: Path) -> None:
    from bench.matching import messy

    inp = messy.write(tmp_path / "messy.csv", 400, seed=3)
    with inp.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    out = tmp_path / "c.csv"
    res = runner.invoke(app, ["dedupe", "--input", str(inp), "--out", str(out)])
    assert res.exit_code == 0, res.output
    with out.open(encoding="utf-8") as fh:
        cl = {r["id"]: r["cluster_id"] for r in csv.DictReader(fh)}
    assert set(cl) == {r["unique_id"] for r in rows}
    truth_largest = max(sum(1 for r in rows if r["cluster"] == c) for c in {r["cluster"] for r in rows})
    largest = max(sum(1 for v in cl.values() if v == c) for c in set(cl.values()))
    assert largest <= truth_largest


def test_bulk_blocking_pairs_a_typo_with_its_original_among_namesakes() -> None:
    from ncb.matching.index import CandidateIndex
    from ncb.matching.record import prepare

    ix = CandidateIndex(block_on_dates=True)
    recs = [
        prepare(PersonRecord(str(i), full_name=f"Oliver {s}"))
        for i, s in enumerate(["Atkinson", "Griffiths", "Brown", "Smith", "Taylor", "Jones"] * 10)
    ]
    recs += [
        prepare(PersonRecord("w", full_name="Oliver Watson", date_of_birth="1931-02-03")),
        prepare(PersonRecord("q", full_name="Olievr Waton", date_of_birth="1931-02-03")),
    ]
    ix.build(recs)
    pairs, weights = ix.neighbours(3)
    found = {frozenset((ix.at(i).id, ix.at(j).id)) for i, j in pairs.tolist()}  # type: ignore[union-attr]
    assert frozenset(("w", "q")) in found
    assert len(pairs) == len(weights) and len(found) == len(pairs)


def test_bulk_score_is_the_explained_score() -> None:
    from ncb.matching.linkage import BulkLinkage
    from ncb.matching.record import prepare

    alg = BulkLinkage()
    a = prepare(PersonRecord("1", first_name="Robert", last_name="Allen", date_of_birth="1971-06-24"))
    b = prepare(PersonRecord("2", first_name="Rob", last_name="Alen", date_of_birth="1971-05-24"))
    c = prepare(PersonRecord("3", first_name="Grace", last_name="Kelly", date_of_birth="1991-04-26"))
    for x, y in ((a, b), (a, c), (b, c)):
        assert abs(alg.score(x, y) - alg.compare(x, y).score) < 1e-9
    # With a floor, a pair that cannot reach it is refused without comparing names.
    assert alg.score(a, c, floor=alg.threshold) < alg.threshold
