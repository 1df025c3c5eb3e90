"""Pydantic models for identity resolution rules (ncb/rules/identities.yaml).

Why: the matcher's join threshold and the identifiers that join appearances are policy, not
code; each carries its source and is validated at load like every other rule.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class MatcherJoin(_Frozen):
    join_threshold: float = Field(gt=0.5, le=1.0)
    agreement: float = Field(gt=0.0, le=1.0)
    compare_at_most: int = Field(ge=1, le=100)
    require_agreeing: list[str] = Field(default_factory=list)
    bulk_candidates: int = Field(ge=1, le=100)
    source: str = Field(min_length=3)


class KeyRule(_Frozen):
    rule: str = Field(min_length=3)
    source: str = Field(min_length=3)


class HitRole(_Frozen):
    label: str = Field(min_length=1)
    order: int = Field(ge=0)
    context: bool = False
    source: str = Field(min_length=3)


class CallingCodes(_Frozen):
    source: str = Field(min_length=3)
    codes: dict[str, str]


class IdentityRules(_Frozen):
    source: str = Field(min_length=3)
    matcher: MatcherJoin
    hit_roles: dict[str, HitRole]
    keys: dict[str, KeyRule]
    calling_codes: CallingCodes
