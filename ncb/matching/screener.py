"""Screening: an index of known records and the explainable scoring of the few candidates."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ncb.matching.algorithms import Algorithm, Explanation, PersonScreening
from ncb.matching.index import CandidateIndex
from ncb.matching.judgements import JudgementStore, MemoryJudgements
from ncb.matching.record import PersonRecord, Prepared, prepare

#: Candidates scoring below this are not returned at all.
SCORE_FLOOR = 0.5


@dataclass(frozen=True)
class Hit:
    candidate_id: str
    score: float
    match: bool
    explanation: Explanation

    @property
    def summary(self) -> str:
        return self.explanation.summary


class Screener:
    """Screen persons and objects against a list of known records.

    >>> s = Screener()
    >>> s.add(PersonRecord(id="1", full_name="Vladimir Putin", date_of_birth="1952-10-07"))
    >>> s.screen(PersonRecord(id="q", full_name="Владимир Путин"))[0].match
    True
    """

    def __init__(
        self,
        algorithm: Algorithm | None = None,
        judgements: JudgementStore | None = None,
        *,
        candidates: int = 40,
        floor: float = SCORE_FLOOR,
        block_on_dates: bool = False,
    ) -> None:
        self.algorithm = algorithm or PersonScreening()
        self.judgements: JudgementStore = judgements if judgements is not None else MemoryJudgements()
        self.index = CandidateIndex(block_on_dates=block_on_dates)
        self.candidates = candidates
        self.floor = floor

    def add(self, record: PersonRecord | Prepared) -> None:
        """Add or replace (same id) a record."""
        self.index.add(record if isinstance(record, Prepared) else prepare(record))

    update = add

    def remove(self, record_id: str) -> bool:
        return self.index.remove(str(record_id))

    def build(self, records: Iterable[PersonRecord | Prepared]) -> None:
        for r in records:
            self.add(r)

    def __len__(self) -> int:
        return len(self.index)

    def screen(self, query: PersonRecord | Prepared, top: int = 10) -> list[Hit]:
        q = query if isinstance(query, Prepared) else prepare(query)
        hits = []
        for cand in self.index.candidates(q, self.candidates):
            if cand.id == q.id and q.id:
                continue
            exp = self.algorithm.compare(q, cand, self.judgements, at_least=self.floor)
            if exp.score >= self.floor or exp.judgement:
                hits.append(Hit(cand.id, exp.score, exp.match, exp))
        # Known pairs judged a match must be found even if retrieval missed them.
        hits.sort(key=lambda h: (-h.score, h.candidate_id))
        return hits[:top]
