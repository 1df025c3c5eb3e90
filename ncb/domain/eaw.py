"""European Arrest Warrant: structured form sections, certification check, and the EAW clocks.

Why: the designated authority must certify a warrant before it can be executed (Extradition Act
2003 s.2), and that check is mechanical enough to be explained line by line: thresholds, list
offences, refusal grounds, completeness of sections (a)-(i). All thresholds and codes come from
`ncb/rules/eaw.yaml`; the time limits are in `ncb.domain.eaw_clocks` (re-exported here).
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ncb.domain.eaw_clocks import Clock, EawEvent, eaw_clocks, release_required
from ncb.domain.errors import DomainError, UnknownCode
from ncb.rules import load_rules

__all__ = [
    "CertificationResult",
    "Clock",
    "EawEvent",
    "Warrant",
    "certification_check",
    "eaw_clocks",
    "missing_sections",
    "release_required",
]


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Identity(_Section):
    """(a) identity of the requested person."""

    name: str = Field(min_length=1)
    forenames: str = Field(min_length=1)
    date_of_birth: date | None = None
    place_of_birth: str = ""
    nationality: list[str] = []
    sex: Literal["M", "F", "U"] = "U"
    aliases: list[str] = []
    residence: str = ""
    description: str = ""


class Decision(_Section):
    """(b) the arrest warrant or enforceable judgment the EAW is based on."""

    kind: Literal["arrest_warrant", "enforceable_judgment"]
    reference: str = Field(min_length=1)
    issued_on: date | None = None


class Sentence(_Section):
    """(c) maximum penalty for the offence and/or sentence passed (months; None = life)."""

    max_penalty_months: int | None = Field(default=None, ge=0)
    sentence_months: int | None = Field(default=None, ge=0)
    remaining_months: int | None = Field(default=None, ge=0)
    life: bool = False


class Trial(_Section):
    """(d) appearance in person at the trial (Art. 4a)."""

    appeared_in_person: bool
    guarantee: str = ""


class Offences(_Section):
    """(e) the offences: list tick-boxes (codes) and a description."""

    count: int = Field(ge=1)
    description: str = Field(min_length=1)
    legal_classification: str = ""
    list_offences: list[str] = []


class IssuingAuthority(_Section):
    """(i) the issuing judicial authority and its signature."""

    name: str = Field(min_length=1)
    country: str = Field(min_length=2, max_length=2)
    signed_by: str = Field(min_length=1)
    signed_on: date | None = None


class Warrant(BaseModel):
    """A structured EAW; sections (f), (g), (h) are free text."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    identity: Identity | None = None  # (a)
    decision: Decision | None = None  # (b)
    sentence: Sentence | None = None  # (c)
    trial: Trial | None = None  # (d)
    offences: Offences | None = None  # (e)
    other_circumstances: str = ""  # (f)
    property_seizure: str = ""  # (g)
    life_sentence_review: str = ""  # (h)
    issuing_authority: IssuingAuthority | None = None  # (i)
    translated: bool = False


SECTION_FIELDS: dict[str, str] = {
    "a": "identity",
    "b": "decision",
    "c": "sentence",
    "d": "trial",
    "e": "offences",
    "f": "other_circumstances",
    "g": "property_seizure",
    "h": "life_sentence_review",
    "i": "issuing_authority",
}


def missing_sections(warrant: Warrant) -> list[str]:
    """Letters of the required sections that are absent or empty; (h) is needed for life terms."""
    sections = load_rules().eaw_sections
    missing = [
        letter
        for letter, attr in SECTION_FIELDS.items()
        if sections[letter].required and not getattr(warrant, attr)
    ]
    if warrant.sentence is not None and warrant.sentence.life and not warrant.life_sentence_review:
        missing.append("h")
    if warrant.offences is not None:
        unknown = [
            c for c in warrant.offences.list_offences if c not in load_rules().eaw_list_offences
        ]
        if unknown:
            raise UnknownCode("offences.list_offences", unknown[0], "eaw_list_offences")
    return sorted(missing)


class CertificationResult(BaseModel):
    """Outcome of the certification check, with every reason spelled out."""

    model_config = ConfigDict(frozen=True)

    certifiable: bool
    threshold: Literal["list_offence", "offence", "sentence"] | None
    dual_criminality_required: bool
    reasons: list[str]
    notes: list[str]


def certification_check(
    offence_max_months: int | None,
    sentence_months: int | None,
    list_offence_code: str | None,
    dual_criminality: bool | None,
    refusal_grounds: list[str],
) -> CertificationResult:
    """Check an EAW against the thresholds, list offences and refusal grounds.

    Conviction warrants (a sentence was passed) use the sentence threshold; accusation warrants the
    offence threshold. A list offence punishable by at least the list threshold needs no dual
    criminality. Mandatory refusal grounds block; optional ones are noted for the judge.
    """
    rules = load_rules()
    th = rules.eaw_thresholds
    if offence_max_months is None and sentence_months is None:
        raise DomainError(
            "offence_max_months",
            "eaw.thresholds",
            "give the maximum penalty (accusation) or the sentence passed (conviction)",
        )
    for name, value in (
        ("offence_max_months", offence_max_months),
        ("sentence_months", sentence_months),
    ):
        if value is not None and value < 0:
            raise DomainError(name, "eaw.thresholds", f"{name} must not be negative")
    if list_offence_code is not None and list_offence_code not in rules.eaw_list_offences:
        raise UnknownCode("list_offence_code", list_offence_code, "eaw_list_offences")
    for ground in refusal_grounds:
        if ground not in rules.eaw_refusal_grounds:
            raise UnknownCode(
                "refusal_grounds", ground, "eaw_refusal_grounds", list(rules.eaw_refusal_grounds)
            )
    reasons: list[str] = []
    notes: list[str] = []
    threshold: Literal["list_offence", "offence", "sentence"] | None
    if sentence_months is not None:
        threshold = "sentence"
        if sentence_months < th.sentence_min_months:
            reasons.append(
                f"sentence of {sentence_months} months is below the "
                f"{th.sentence_min_months}-month minimum ({th.source})"
            )
    else:
        threshold = "offence"
        assert offence_max_months is not None
        if offence_max_months < th.offence_min_months:
            reasons.append(
                f"offence punishable by {offence_max_months} months is below the "
                f"{th.offence_min_months}-month minimum ({th.source})"
            )
    listed = (
        list_offence_code is not None
        and offence_max_months is not None
        and offence_max_months >= th.list_offence_min_months
    )
    if listed:
        threshold = "list_offence" if not reasons else threshold
        notes.append(
            f"list offence {list_offence_code!r} punishable by at least "
            f"{th.list_offence_min_months} months: no dual criminality check"
        )
    elif list_offence_code is not None:
        notes.append(
            f"list offence {list_offence_code!r} below {th.list_offence_min_months} "
            "months: dual criminality applies"
        )
    dual_required = not listed
    if dual_required and dual_criminality is False:
        reasons.append(
            "conduct is not an offence in the UK (no dual criminality; "
            "FD 2002/584/JHA Art. 4(1), EA 2003 s.10, s.64-65)"
        )
    elif dual_required and dual_criminality is None:
        reasons.append("dual criminality has not been assessed")
    for ground in refusal_grounds:
        g = rules.eaw_refusal_grounds[ground]
        text = f"{g.kind} refusal ground {ground!r}: {g.label} ({g.source})"
        (reasons if g.kind == "mandatory" else notes).append(text)
    return CertificationResult(
        certifiable=not reasons,
        threshold=threshold,
        dual_criminality_required=dual_required,
        reasons=reasons,
        notes=notes,
    )
