"""Schengen payloads: an SIS alert, its erasure, a hit and a SIRENE form."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import AwareDatetime, Field, field_validator

from ncb.rules import load_rules
from ncb.services.channels.common import country as _country
from ncb.services.inputs import MarkingsIn, Strict, in_list

SCREENED_OBJECTS = ("vehicle", "travel_document", "firearm", "phone")
REVIEW_RULE = "sis_alert_review"
REVIEW_BASIS = ("Reg. (EU) 2018/1862 Art. 53: the issuing state reviews the need to keep an alert "
                "by its review date, or it is deleted")


class AlertIn(Strict):
    article: str
    issuing_country: str
    schengen_id: str | None = Field(default=None, max_length=60)
    data: dict[str, Any] = Field(default_factory=dict)
    review_date: AwareDatetime | None = None
    flagged: bool = False
    flag_reason: str | None = Field(default=None, max_length=2000)
    misused_identity: dict[str, Any] | None = None
    misused_identity_consent: bool = False
    case_ref: str | None = None
    markings: MarkingsIn | None = None

    _c = field_validator("issuing_country")(_country)

    @field_validator("article")
    @classmethod
    def _article(cls, v: str) -> str:
        return in_list(v, load_rules().sis_articles, "SIS alert article") or v


class EraseIn(Strict):
    justification: str = Field(min_length=5, max_length=2000,
                               description="Why the alert is erased (audited)")


class HitIn(Strict):
    hit_at: AwareDatetime
    place: str = Field(min_length=1, max_length=300)
    action_taken: str = Field(min_length=1, max_length=5000)
    urgent: bool = False
    urgent_reason: str | None = Field(default=None, max_length=2000)
    additional_information: str | None = Field(default=None, max_length=20000)
    case_ref: str | None = None


class FormIn(Strict):
    form_type: Literal["A", "G", "M", "I"]
    direction: Literal["in", "out"] = "out"
    recipient: str = Field(min_length=2, max_length=40)
    sender: str | None = Field(default=None, max_length=40)
    reference: str | None = Field(default=None, description="Incoming forms: the sender's")
    alert_id: int | None = None
    case_ref: str | None = None
    in_reply_to: int | None = None
    fields: dict[str, Any] = Field(default_factory=dict, description="By field number or name")


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


