"""The old-vs-new screening checker counts every query whose hits moved, and says whether the
listed person was flagged less often."""

from __future__ import annotations

from bench.matching.screening_check import diff


def _dump(score: float, match: bool) -> dict:
    return {"un": {"want": ["L1", ""], "hits": [[["L1", score, match]], []]}}


def test_same_outputs_count_zero(capsys) -> None:  # type: ignore[no-untyped-def]
    assert diff(_dump(0.91, True), _dump(0.91, True)) == 0
    assert "flagged 1 before, 1 after" in capsys.readouterr().out


def test_a_moved_score_or_flag_is_counted(capsys) -> None:  # type: ignore[no-untyped-def]
    assert diff(_dump(0.91, True), _dump(0.9100001, True)) == 1
    assert diff(_dump(0.91, True), _dump(0.79, False)) == 1
    assert "flagged 1 before, 0 after" in capsys.readouterr().out
