"""Input models shared by the API, the CLI, the pages and the importers: markings, entities and
cases (case work's own in casework_inputs, messages and sharing in exchange_inputs, each channel's
in channels/*_inputs); code lists come from ncb.rules.

Every rule failure carries its own error type (code_list, date_format, ...) so a caller sees the
field and the rule that failed.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from ncb.rules import load_rules

DOB = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
ENTITY_KINDS = Literal[
    "person", "organisation", "vehicle", "travel_document", "phone", "address", "bank_account",
    "firearm",
]


def in_list(value: str | None, allowed: Any, what: str) -> str | None:
    """`value` if it is one of the code list `allowed` (None passes), else a `code_list` error
    showing the first twelve allowed codes."""
    if value is None:
        return None
    if value not in allowed:
        sample = ", ".join(sorted(allowed)[:12])
        more = ", ..." if len(allowed) > 12 else ""
        raise PydanticCustomError(
            "code_list", "'{value}' is not a known {what} (allowed: {sample}{more})",
            {"value": value, "what": what, "sample": sample, "more": more},
        )
    return value


# Field checks shared by several models (CaseIn and TriageIn, EntityIn and EntityPatch): each
# model's validator calls them, so every model states its own checks in plain pydantic.
def date_of_birth(v: str | None) -> str | None:
    if v and not DOB.match(v):
        raise PydanticCustomError(
            "date_format", "date_of_birth must be YYYY, YYYY-MM or YYYY-MM-DD, not {v}", {"v": v}
        )
    return v or None


def country_code(v: str | None) -> str | None:
    return in_list(v.upper() if v else None, load_rules().countries, "ISO country code")


def crime_area(v: str | None) -> str | None:
    return in_list(v, load_rules().crime_areas, "crime area")


def priority(v: str | None) -> str | None:
    return in_list(v, load_rules().priorities, "priority")


def handling_codes() -> dict[str, Any]:
    codes: dict[str, Any] = {}
    for scheme in load_rules().handling_codes.values():
        codes.update(scheme.codes)
    return codes


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class MarkingsIn(Strict):
    classification: str = "OFFICIAL"
    handling_code: str | None = "P"
    handling_conditions: str | None = Field(default=None, max_length=2000)
    tlp: str | None = "TLP:AMBER"
    source_grade: str | None = Field(default=None, max_length=4)
    intel_grade: str | None = Field(default=None, max_length=4)
    originator: str | None = Field(default=None, description="Agency code; default: yours")
    sharing_scope: Literal["own", "agencies", "group", "team"] = "own"
    share_with: list[str] = Field(default_factory=list, description="Agency codes")
    sharing_group: str | None = None
    sharing_team: str | None = Field(default=None, max_length=40, description="Team code "
                                     "(scope 'team': only this team of the owner agency)")

    @field_validator("classification")
    @classmethod
    def _classification(cls, v: str) -> str:
        return in_list(v, load_rules().classifications, "classification") or v

    @field_validator("handling_code")
    @classmethod
    def _handling(cls, v: str | None) -> str | None:
        return in_list(v, handling_codes(), "handling code")

    @field_validator("tlp")
    @classmethod
    def _tlp(cls, v: str | None) -> str | None:
        return in_list(v, load_rules().tlp, "TLP label")

    @model_validator(mode="after")
    def _consistent(self) -> MarkingsIn:
        code = handling_codes().get(self.handling_code or "")
        needs_text = code is not None and (code.requires_conditions or code.requires_text)
        if needs_text and not (self.handling_conditions or "").strip():
            raise PydanticCustomError(
                "conditions_required",
                "handling code {code} requires handling_conditions to be stated",
                {"code": self.handling_code},
            )
        if self.sharing_scope == "agencies" and not self.share_with:
            raise PydanticCustomError(
                "share_with_required", "sharing_scope 'agencies' needs share_with agency codes"
            )
        if self.sharing_scope == "group" and not self.sharing_group:
            raise PydanticCustomError(
                "sharing_group_required", "sharing_scope 'group' needs a sharing_group code"
            )
        if self.sharing_scope == "team" and not self.sharing_team:
            raise PydanticCustomError(
                "sharing_team_required", "sharing_scope 'team' needs a sharing_team code"
            )
        return self


class EntityIn(Strict):
    kind: ENTITY_KINDS = "person"
    name: str | None = Field(default=None, max_length=300)
    first_name: str | None = Field(default=None, max_length=120)
    last_name: str | None = Field(default=None, max_length=120)
    aliases: list[str] = Field(default_factory=list, max_length=50)
    date_of_birth: str | None = None
    gender: Literal["M", "F", "U"] | None = None
    nationality: str | None = None
    place_of_birth: str | None = Field(default=None, max_length=120)
    identifier: str | None = Field(default=None, max_length=80)
    details: dict[str, Any] = Field(default_factory=dict)
    role: str = Field(default="subject", max_length=30)
    provenance: str = Field(default="", max_length=2000)
    markings: MarkingsIn | None = None

    @field_validator("date_of_birth")
    @classmethod
    def _dob(cls, v: str | None) -> str | None:
        return date_of_birth(v)

    @field_validator("nationality")
    @classmethod
    def _nat(cls, v: str | None) -> str | None:
        return country_code(v)

    @model_validator(mode="after")
    def _named(self) -> EntityIn:
        if not (self.name or self.first_name or self.last_name or self.identifier):
            raise PydanticCustomError(
                "name_required", "an entity needs a name, first_name/last_name or an identifier"
            )
        return self

    @property
    def display_name(self) -> str:
        if self.name:
            return self.name
        joined = " ".join(x for x in (self.first_name, self.last_name) if x)
        return joined or (self.identifier or "")


class CaseIn(Strict):
    channel: str
    direction: Literal["incoming", "outgoing"] = "incoming"
    request_type: str | None = None
    title: str = Field(min_length=3, max_length=300)
    summary: str = Field(default="", max_length=20000)
    external_ref: str | None = Field(default=None, max_length=80)
    requesting_agency: str | None = Field(default=None, description="Agency code")
    requesting_country: str | None = None
    country: str | None = Field(default=None, description="ISO code of the country concerned")
    crime_area: str | None = None
    priority: str = "normal"
    received_at: AwareDatetime | None = None
    markings: MarkingsIn = Field(default_factory=MarkingsIn)
    entities: list[EntityIn] = Field(default_factory=list, max_length=200)

    @field_validator("channel")
    @classmethod
    def _channel(cls, v: str) -> str:
        return in_list(v, load_rules().channels, "channel") or v

    @field_validator("request_type")
    @classmethod
    def _rtype(cls, v: str | None) -> str | None:
        return in_list(v, load_rules().request_types, "request type")

    @field_validator("crime_area")
    @classmethod
    def _crime(cls, v: str | None) -> str | None:
        return crime_area(v)

    @field_validator("priority")
    @classmethod
    def _prio(cls, v: str) -> str:
        return priority(v) or v

    @field_validator("country", "requesting_country")
    @classmethod
    def _country(cls, v: str | None) -> str | None:
        return country_code(v)

    @field_validator("received_at")
    @classmethod
    def _not_future(cls, v: datetime | None) -> datetime | None:
        if v is not None and v.astimezone(UTC) > datetime.now(UTC):
            raise PydanticCustomError("not_in_future", "received_at cannot be in the future")
        return v


class EntityPatch(Strict):
    """Corrections to an entity; only the fields sent change."""

    name: str | None = Field(default=None, max_length=300)
    first_name: str | None = Field(default=None, max_length=120)
    last_name: str | None = Field(default=None, max_length=120)
    aliases: list[str] | None = Field(default=None, max_length=50)
    date_of_birth: str | None = None
    gender: Literal["M", "F", "U"] | None = None
    nationality: str | None = None
    place_of_birth: str | None = Field(default=None, max_length=120)
    identifier: str | None = Field(default=None, max_length=80)

    @field_validator("date_of_birth")
    @classmethod
    def _dob(cls, v: str | None) -> str | None:
        return date_of_birth(v)

    @field_validator("nationality")
    @classmethod
    def _nat(cls, v: str | None) -> str | None:
        return country_code(v)
