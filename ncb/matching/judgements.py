"""Human judgements on pairs of records: a known pair is never asked twice."""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol


class Decision(StrEnum):
    MATCH = "match"
    NO_MATCH = "no_match"
    UNSURE = "unsure"


class JudgementStore(Protocol):
    """What the scorer needs from a judgement store (the case gateway persists them)."""

    def get(self, a_id: str, b_id: str) -> Decision | None: ...

    def set(self, a_id: str, b_id: str, decision: Decision | str) -> None: ...


class MemoryJudgements:
    """A pure in-memory judgement store; pairs are unordered."""

    def __init__(self) -> None:
        self._pairs: dict[tuple[str, str], Decision] = {}

    @staticmethod
    def _key(a_id: str, b_id: str) -> tuple[str, str]:
        a, b = str(a_id), str(b_id)
        return (a, b) if a <= b else (b, a)

    def get(self, a_id: str, b_id: str) -> Decision | None:
        return self._pairs.get(self._key(a_id, b_id))

    def set(self, a_id: str, b_id: str, decision: Decision | str) -> None:
        self._pairs[self._key(a_id, b_id)] = Decision(decision)

    def __len__(self) -> int:
        return len(self._pairs)
