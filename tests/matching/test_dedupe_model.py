"""De-duplication with the model fitted on the file itself (5,000 records and more)."""

from __future__ import annotations

import csv
from collections import Counter
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from bench.matching import messy
from ncb.cli import app
from ncb.matching import block_rules
from ncb.matching.bulk import MIN_FIT_RECORDS, dedupe_clusters
from ncb.matching.io import read_persons
from ncb.matching.judgements import Decision, MemoryJudgements
from ncb.matching.record import PersonRecord, prepare

runner = CliRunner()


@pytest.fixture(scope="module")
def messy_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return messy.write(tmp_path_factory.mktemp("messy") / "messy.csv", MIN_FIT_RECORDS + 500, seed=5)


def _pairs(assignment: dict[str, str]) -> set[frozenset[str]]:
    groups: dict[str, list[str]] = {}
    for rid, cid in assignment.items():
        groups.setdefault(cid, []).append(rid)
    return {frozenset(p) for g in groups.values() for p in combinations(g, 2)}


def test_fitted_model_finds_the_people_without_giant_clusters(messy_file: Path) -> None:
    with messy_file.open(encoding="utf-8") as fh:
        truth_of = {r["unique_id"]: r["cluster"] for r in csv.DictReader(fh)}
    res = read_persons(messy_file)
    got = dedupe_clusters(res.records, explain=False)
    assert set(got.assignment) | set(res.skipped_ids) == set(truth_of)
    assert set(got.stages) == {"blocking", "fitting (u, EM)", "scoring", "clustering"}
    found = _pairs(got.assignment)
    truth = _pairs({k: v for k, v in truth_of.items() if k in got.assignment})
    precision = len(found & truth) / len(found)
    recall = len(found & truth) / len(truth)
    assert precision >= 0.97 and recall >= 0.88
    largest_true = max(Counter(truth_of.values()).values())
    assert max(Counter(got.assignment.values()).values()) <= largest_true


def test_each_merge_is_explained_field_by_field_and_a_no_match_judgement_holds(messy_file: Path) -> None:
    res = read_persons(messy_file)
    got = dedupe_clusters(res.records)
    merge = got.merges[0]
    assert merge.explanation is not None
    summary = merge.explanation.summary
    assert summary.startswith("match") and "name" in summary and "date_of_birth" in summary
    assert merge.explanation.score >= merge.explanation.threshold
    # A pair merged on its own (a two-record cluster): a human says no, the pair stays apart.
    sizes = Counter(got.assignment.values())
    pair = next(m for m in got.merges if sizes[got.assignment[m.left_id]] == 2)
    judged = MemoryJudgements()
    judged.set(pair.left_id, pair.right_id, Decision.NO_MATCH)
    again = dedupe_clusters(res.records, judgements=judged, explain=False)
    assert again.assignment[pair.left_id] != again.assignment[pair.right_id]


def test_blocking_pairs_nickname_and_typo_among_namesakes_without_all_pairs() -> None:
    recs = [
        prepare(
            PersonRecord(str(i), full_name=f"Robert {s}", date_of_birth=f"19{50 + i % 40}-01-0{1 + i % 9}")
        )
        for i, s in enumerate(["Atkinson", "Griffiths", "Brown", "Smith", "Taylor", "Jones"] * 20)
    ]
    recs += [
        prepare(
            PersonRecord("a", full_name="Robert Allenby", date_of_birth="1931-02-03", place_of_birth="Leeds")
        ),
        prepare(PersonRecord("b", full_name="Bob Allenby", date_of_birth="1931-02-03")),
        prepare(PersonRecord("c", full_name="Robret Alenby", date_of_birth="1931-02-03")),
    ]
    pairs = block_rules.candidate_pairs(recs)
    found = {frozenset((recs[i].id, recs[j].id)) for i, j in pairs.tolist()}
    assert {frozenset("ab"), frozenset("ac"), frozenset("bc")} <= found
    assert len(pairs) < len(recs) * (len(recs) - 1) // 2 // 4  # namesakes pair up, not all
    assert bool(np.all(pairs[:, 0] < pairs[:, 1]))


def test_cli_dedupe_explains_fitted_merges(messy_file: Path, tmp_path: Path) -> None:
    out, why = tmp_path / "c.csv", tmp_path / "why.csv"
    res = runner.invoke(app, ["dedupe", "--input", str(messy_file), "--out", str(out), "--explain", str(why)])
    assert res.exit_code == 0, res.output
    with why.open(encoding="utf-8") as fh:
        merges = list(csv.DictReader(fh))
    assert merges and all("date_of_birth" in m["explanation"] or "name" in m["explanation"] for m in merges)
    with out.open(encoding="utf-8") as fh:
        assert sum(1 for _ in csv.DictReader(fh)) == MIN_FIT_RECORDS + 500
