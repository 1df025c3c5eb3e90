"""Interpol payloads: a notice or diffusion draft, its Article 3 assessment, review, public
consent and cancellation; SLTD documents and checks."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import AwareDatetime, Field, field_validator

from ncb.rules import load_rules
from ncb.services.channels.common import country as _country
from ncb.services.inputs import MarkingsIn, Strict, in_list

STATUSES = ("draft", "review", "published", "sent", "refused", "cancelled")


class NoticeIn(Strict):
    notice_type: str
    requesting_country: str = "GB"
    subject: dict[str, Any] = Field(description="The person in the public notice layout")
    recipients: list[str] = Field(default_factory=list, description="Diffusions: NCB codes")
    case_ref: str | None = None
    markings: MarkingsIn | None = None

    _c = field_validator("requesting_country")(_country)

    @field_validator("notice_type")
    @classmethod
    def _type(cls, v: str) -> str:
        return in_list(v, load_rules().notice_types, "notice type") or v


class Article3In(Strict):
    concerns: list[str] = Field(default_factory=list)
    rationale: str = Field(min_length=1, max_length=20000)
    assessed_at: AwareDatetime | None = None


class ReviewIn(Strict):
    outcome: Literal["published", "refused"]
    note: str = Field(default="", max_length=20000)


class ConsentIn(Strict):
    consent: bool
    note: str = Field(default="", max_length=2000)


class CancelIn(Strict):
    reason: str = Field(min_length=3, max_length=5000)


class SltdIn(Strict):
    number: str = Field(min_length=3, max_length=40)
    issuing_country: str
    document_type: str = Field(default="passport", max_length=20)
    status: Literal["stolen", "lost", "revoked"] = "stolen"

    _c = field_validator("issuing_country")(_country)


class SltdCheckIn(Strict):
    number: str = Field(min_length=3, max_length=40)
    issuing_country: str | None = None
    justification: str = Field(default="", max_length=2000)

    _c = field_validator("issuing_country")(_country)


