"""Interpol notices in the public notice JSON layout: parse (all-or-nothing), export, Article 3.

Why: notices arrive in bulk (~70,000 valid Red Notices) and feed screening; a half-imported batch
is worse than none, so `parse_notices` validates every record and, if any is bad, raises one error
listing each bad record's position, field and problem. Unknown heights and weights are 0 in the
public layout and None here; dates of birth may be year-only. Article 3 of the Interpol
Constitution forbids activity of a predominantly political, military, religious or racial
character; `article3_check` records that assessment with its rationale.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from ncb.domain.deadlines import as_utc
from ncb.domain.errors import DomainError, UnknownCode
from ncb.rules import load_rules

__all__ = [
    "ArrestWarrant",
    "Article3Assessment",
    "NoticeImportError",
    "NoticeRecord",
    "article3_check",
    "export_notice",
    "parse_notices",
]

_DOB = re.compile(r"^(\d{4})(?:/(\d{2})(?:/(\d{2}))?)?$")


def _country(value: str) -> str:
    code = value.strip().upper()
    if code not in load_rules().countries:
        raise ValueError(f"unknown ISO 3166-1 alpha-2 country code {value!r}")
    return code


CountryCode = Annotated[str, AfterValidator(_country)]


class ArrestWarrant(BaseModel):
    """One charge of a Red Notice and the country that issued the warrant."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    charge: str = Field(min_length=1)
    issuing_country_id: CountryCode
    charge_translation: str | None = None


class NoticeRecord(BaseModel):
    """A notice as published; `notice_type` is not in the public layout and is set on import."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    entity_id: str = Field(pattern=r"^\d{4}[/-]\d{1,6}$")
    notice_type: str = "red"
    name: str = Field(min_length=1)
    forename: str | None = None
    date_of_birth: str | None = None
    place_of_birth: str | None = None
    country_of_birth_id: CountryCode | None = None
    nationalities: list[CountryCode] = []
    sex_id: Literal["M", "F", "U"] | None = None
    height: float | None = None
    weight: float | None = None
    eyes_colors_id: list[str] = []
    hairs_id: list[str] = []
    distinguishing_marks: str | None = None
    languages_spoken_ids: list[str] = []
    arrest_warrants: list[ArrestWarrant] = []

    @model_validator(mode="before")
    @classmethod
    def _public_layout(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            raise ValueError("a notice must be a JSON object")
        out = {k: v for k, v in data.items() if not str(k).startswith("_")}  # _links, _embedded
        for key in (
            "nationalities",
            "eyes_colors_id",
            "hairs_id",
            "languages_spoken_ids",
            "arrest_warrants",
        ):
            if out.get(key) is None:
                out.pop(key, None)
        if out.get("country_of_birth_id") == "":
            out["country_of_birth_id"] = None
        for key in ("height", "weight"):
            if out.get(key) in (0, 0.0):
                out[key] = None  # 0 means unknown in the public layout
        return out

    @field_validator("date_of_birth")
    @classmethod
    def _dob(cls, value: str | None) -> str | None:
        if value is None:
            return None
        m = _DOB.match(value)
        if not m:
            raise ValueError("date_of_birth must be YYYY, YYYY/MM or YYYY/MM/DD")
        year, month, day = (int(g) if g else None for g in m.groups())
        assert year is not None
        date(year, month or 1, day or 1)  # raises ValueError on 1975/02/30
        return value

    @field_validator("notice_type")
    @classmethod
    def _notice_type(cls, value: str) -> str:
        if value not in load_rules().notice_types:
            raise ValueError(f"unknown notice type {value!r}")
        return value

    @field_validator("height", "weight")
    @classmethod
    def _positive(cls, value: float | None) -> float | None:
        if value is not None and value < 0:
            raise ValueError("must be positive (0 means unknown)")
        return value

    @property
    def birth_year(self) -> int | None:
        """Year of birth, when known."""
        return int(self.date_of_birth[:4]) if self.date_of_birth else None

    @property
    def birth_date(self) -> date | None:
        """Full date of birth, only when day and month are known."""
        if self.date_of_birth and len(self.date_of_birth) == 10:
            return date(*(int(p) for p in self.date_of_birth.split("/")))
        return None


class NoticeImportError(DomainError):
    """Bad records in a batch; nothing imported. `errors` = [(position, field, message)]."""

    def __init__(self, errors: list[tuple[int, str, str]]) -> None:
        self.errors = errors
        # People count records from 1; `position` in bad_records stays the 0-based JSON index.
        lines = "; ".join(f"record {pos + 1} {field}: {msg}" for pos, field, msg in errors[:20])
        more = f" (and {len(errors) - 20} more)" if len(errors) > 20 else ""
        super().__init__(
            "items",
            "interpol.notice_json",
            f"{len(errors)} error(s) in notice batch (records counted from 1), nothing imported: "
            f"{lines}{more}",
        )


def parse_notices(items: Iterable[Any], notice_type: str = "red") -> list[NoticeRecord]:
    """Validate every item; return all records, or raise NoticeImportError listing every bad one."""
    records: list[NoticeRecord] = []
    errors: list[tuple[int, str, str]] = []
    for pos, item in enumerate(items):
        try:
            data = {**item, "notice_type": notice_type} if isinstance(item, dict) else item
            records.append(NoticeRecord.model_validate(data))
        except ValidationError as exc:
            for err in exc.errors():
                field = ".".join(str(p) for p in err["loc"]) or "-"
                errors.append((pos, field, err["msg"]))
    if errors:
        raise NoticeImportError(errors)
    return records


def export_notice(record: NoticeRecord) -> dict[str, Any]:
    """The record in the public notice JSON layout (unknown height/weight written as 0)."""
    out = record.model_dump(exclude={"notice_type"})
    out["height"] = record.height if record.height is not None else 0
    out["weight"] = record.weight if record.weight is not None else 0
    out["arrest_warrants"] = [w.model_dump() for w in record.arrest_warrants]
    return out


class Article3Assessment(BaseModel):
    """The recorded Article 3 assessment of a notice or diffusion request."""

    model_config = ConfigDict(frozen=True)

    entity_id: str
    concerns: list[str]
    compliant: bool
    recommendation: str
    rationale: str
    assessed_by: str
    assessed_at: datetime
    source: str


def article3_check(
    entity_id: str, concerns: Iterable[str], rationale: str, assessed_by: str, assessed_at: datetime
) -> Article3Assessment:
    """Record whether a request is predominantly political, military, religious or racial."""
    characters = load_rules().article3_characters
    found = sorted(set(concerns))
    for c in found:
        if c not in characters:
            raise UnknownCode("concerns", c, "article3_characters", list(characters))
    if not rationale.strip():
        raise DomainError(
            "rationale", "interpol.article3", "an Article 3 assessment needs a rationale"
        )
    if not assessed_by.strip():
        raise DomainError("assessed_by", "interpol.article3", "record who made the assessment")
    compliant = not found
    recommendation = (
        "proceed"
        if compliant
        else "do not send; refer to the General Secretariat for Article 3 review"
    )
    return Article3Assessment(
        entity_id=entity_id,
        concerns=found,
        compliant=compliant,
        recommendation=recommendation,
        rationale=rationale.strip(),
        assessed_by=assessed_by,
        assessed_at=as_utc(assessed_at, "assessed_at"),
        source=next(iter(characters.values())).source,
    )
