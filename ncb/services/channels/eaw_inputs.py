"""EAW payloads and the status vocabulary: what a warrant, a certification, an event, a
translation or a transmission must carry before any use case runs."""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, Field, field_validator

from ncb.domain import eaw as domain
from ncb.services.channels.common import country as _country
from ncb.services.inputs import MarkingsIn, Strict

# Events that only move the status (the clock events come from the rules' eaw_clocks).
# Events that only move the status (the clock events come from the rules' eaw_clocks).
STATUS_EVENTS = {"circulated", "discharge", "withdrawn"}
EVENT_STATUS = {
    "circulated": "circulated", "provisional_arrest": "arrested", "arrest": "arrested",
    "initial_hearing": "initial_hearing", "extradition_hearing": "extradition_hearing",
    "decision": "decided", "final_decision": "decided", "appeal_lodged": "appeal",
    "surrender": "surrendered", "discharge": "discharged", "withdrawn": "withdrawn",
}
# Outgoing warrants (the UK asks another state) follow the bureau's own steps.
OUTGOING_STEPS = ("drafted", "translated", "transmitted")
CUSTODY = ("arrested", "initial_hearing", "extradition_hearing", "decided", "appeal")
TERMINAL = ("surrendered", "discharged", "withdrawn", "not_certified")


class WarrantIn(Strict):
    reference: str = Field(min_length=1, max_length=80)
    issuing_country: str
    executing_country: str = "GB"
    received_at: AwareDatetime | None = None
    warrant: domain.Warrant
    proportionality_notes: str = Field(default="", max_length=20000)
    markings: MarkingsIn = Field(default_factory=MarkingsIn)

    _c = field_validator("issuing_country", "executing_country")(_country)


class CertifyIn(Strict):
    decision: Literal["certify", "refuse"]
    reasons: str = Field(min_length=3, max_length=20000)
    offence_max_months: int | None = None
    sentence_months: int | None = None
    list_offence_code: str | None = None
    dual_criminality: bool | None = None
    refusal_grounds: list[str] = Field(default_factory=list)
    proportionality_notes: str = Field(default="", max_length=20000)


class EventIn(Strict):
    kind: str
    at: AwareDatetime
    reason: str = Field(default="", max_length=20000)
    new_date: AwareDatetime | None = None
    outcome: Literal["ordered", "refused"] | None = None
    refusal_ground: str | None = None


class TranslationIn(Strict):
    language: str = Field(min_length=2, max_length=10)
    status: Literal["requested", "received"]
    at: AwareDatetime


class TransmitIn(Strict):
    recipients: list[str] = Field(min_length=1, max_length=20)
    at: AwareDatetime
    justification: str = Field(default="", max_length=2000)


