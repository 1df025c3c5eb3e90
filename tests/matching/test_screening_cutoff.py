"""Screening stops aligning a candidate once it cannot reach the floor: the hits, their scores
and explanations are those of the full comparison; only pairs below the floor may score lower."""

from __future__ import annotations

from itertools import permutations

from ncb.matching import NameOnly, PersonRecord, PersonScreening, Screener
from ncb.matching.judgements import Decision, MemoryJudgements
from ncb.matching.record import prepare
from ncb.matching.xscript.compare import _sim, compare_to_tokens
from ncb.matching.xscript.costs import distance, distance_and_worst, learned
from ncb.matching.xscript.readings import read_name

LISTED = [
    PersonRecord("1", full_name="Vladimir Putin", date_of_birth="1952-10-07"),
    PersonRecord("2", full_name="Kim Jong Un", date_of_birth="1984-01-08"),
    PersonRecord("3", full_name="Benjamin Netanyahu", gender="male"),
    PersonRecord("4", full_name="Donald Trump", aliases=["ドナルド・トランプ"]),
    PersonRecord("5", full_name="Mohammed Al Rasheed", nationality="IQ"),
    PersonRecord("6", full_name="Kim Jong Il"),
    PersonRecord("7", full_name="Xi Jinping", aliases=["习近平"]),
]
QUERIES = [
    PersonRecord("", full_name="Владимир Путин"),
    PersonRecord("", full_name="김정은", date_of_birth="1984-01-08"),
    PersonRecord("", full_name="בנימין נתניהו"),
    PersonRecord("", full_name="Donald Trump"),
    PersonRecord("", full_name="Мухаммад Аль-Рашид", nationality="IQ"),
    PersonRecord("", full_name="习近平"),
    PersonRecord("", full_name="Иван Петров"),
    PersonRecord("", full_name="山田太郎"),
]


def test_cut_comparison_agrees_with_the_full_one_at_and_above_the_floor() -> None:
    alg = PersonScreening()
    for q in map(prepare, QUERIES):
        for c in map(prepare, LISTED):
            full = alg.compare(q, c)
            cut = alg.compare(q, c, at_least=0.5)
            if full.score >= 0.5:
                assert cut == full
            else:
                assert cut.score <= full.score
                assert cut.score < 0.5


def test_screening_hits_are_those_of_the_full_comparison() -> None:
    s = Screener()
    s.build(LISTED)
    alg = PersonScreening()
    for q in map(prepare, QUERIES):
        full = [(c.id, alg.compare(q, c).score) for c in s.index.candidates(q, s.candidates)]
        want = sorted(((i, x) for i, x in full if x >= 0.5), key=lambda x: (-x[1], x[0]))
        assert [(h.candidate_id, h.score) for h in s.screen(q)] == want
    assert s.screen(PersonRecord("", full_name="Владимир Путин"))[0].candidate_id == "1"
    assert s.screen(PersonRecord("", full_name="ドナルド・トランプ"))[0].candidate_id == "4"


def test_a_judged_pair_is_scored_in_full() -> None:
    j = MemoryJudgements()
    j.set("q", "6", Decision.UNSURE)
    q, c = prepare(PersonRecord("q", full_name="김정은")), prepare(LISTED[5])
    got = PersonScreening().compare(q, c, j, at_least=0.5)
    assert got.score == PersonScreening().compare(q, c).score


def test_alignment_gives_up_only_beyond_its_cost_bound() -> None:
    costs = learned()["cyrillic"]
    for src, lat in [("vladimir", "vladimir"), ("putin", "poutine"), ("ivan", "benjamin")]:
        d = distance(src, lat, costs)
        assert distance_and_worst(src, lat, costs)[0] == d  # type: ignore[index]
        assert distance_and_worst(src, lat, costs, d + 1e-6) is not None
    # "ivan" against "benjamin" costs more than 0.1 after its first letter already.
    assert distance_and_worst("ivan", "benjamin", costs, 0.1) is None


def test_word_similarity_is_exact_above_its_cut() -> None:
    word = read_name("Владимир", "cyrillic")[0]
    exact = _sim(word.units, "vladimir", "cyrillic")
    assert _sim(word.units, "vladimir", "cyrillic", 0.9) == exact
    assert _sim(word.units, "donald", "cyrillic", 0.5)[0] <= 0.5


def test_assignment_is_the_best_over_all_orders() -> None:
    """The pruned search finds what trying every assignment finds (family name first)."""
    words = read_name("Путин Владимир Владимирович", "cyrillic")
    tokens = ("vladimir", "vladimirovich", "putin")
    got = compare_to_tokens("Путин Владимир Владимирович", "cyrillic", tokens)
    assert got is not None
    sims = [[_sim(w.units, t, "cyrillic")[0] for t in tokens] for w in words]
    brute = max(min(sims[i][j] for i, j in enumerate(p)) for p in permutations(range(3)))
    assert got.score == brute
    assert [p.latin for p in got.pairings] == ["putin", "vladimir", "vladimirovich"]
    assert (
        NameOnly()
        .compare_records(
            PersonRecord("a", full_name="Путин Владимир Владимирович"),
            PersonRecord("b", full_name="Vladimir Putin"),
        )
        .match
    )
