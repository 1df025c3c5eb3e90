"""Explainable person and object matching (pure: no database imports).

Public API: :class:`PersonRecord`, :class:`Screener` and :class:`Hit`, the algorithms
(:class:`NameOnly`, :class:`PersonScreening`, :class:`RecordLinkage`), judgements
(:class:`MemoryJudgements`, :class:`JudgementStore`, :class:`Decision`) and bulk
:func:`link` / :func:`dedupe`.
"""

from ncb.matching.algorithms import (
    ALGORITHMS,
    Algorithm,
    Explanation,
    FeatureResult,
    NameOnly,
    PersonScreening,
    RecordLinkage,
    get_algorithm,
)
from ncb.matching.bulk import Link, dedupe, link
from ncb.matching.judgements import Decision, JudgementStore, MemoryJudgements
from ncb.matching.record import PersonRecord, Prepared, prepare
from ncb.matching.screener import Hit, Screener

__all__ = [
    "ALGORITHMS",
    "Algorithm",
    "Decision",
    "Explanation",
    "FeatureResult",
    "Hit",
    "JudgementStore",
    "Link",
    "MemoryJudgements",
    "NameOnly",
    "PersonRecord",
    "PersonScreening",
    "Prepared",
    "RecordLinkage",
    "Screener",
    "dedupe",
    "get_algorithm",
    "link",
    "prepare",
]
