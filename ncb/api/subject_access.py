"""Subject access API: open a request (its clock is a case deadline), find what is held,
decide per item, extend the clock, export the pack, answer."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from ncb.adapters.deps import PrincipalDep, SessionDep
from ncb.services.subject_access import identity_proof, pack, requests

router = APIRouter(tags=["subject access"])


class SarIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=2, max_length=300)
    first_name: str | None = Field(default=None, max_length=120)
    last_name: str | None = Field(default=None, max_length=120)
    date_of_birth: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    nationality: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    identifier: str | None = Field(default=None, max_length=80)
    aliases: list[str] = Field(default_factory=list, max_length=20)
    received_at: AwareDatetime | None = None
    note: str = Field(default="", max_length=5000)


class ReasonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=5, max_length=2000)


class IdentitiesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    identity_ids: list[int] = Field(max_length=50)


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    item: str = Field(min_length=3, max_length=120, description="kind:reference, from the pack")
    disclose: bool
    ground: str | None = Field(default=None, description="exemption code when withheld")
    note: str = Field(default="", max_length=2000)


class ProofAskIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    what: str = Field(min_length=5, max_length=2000, description="the proof asked for")


class ProofIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    received_at: AwareDatetime | None = Field(default=None, description="default: now")


class SarOut(BaseModel):
    reference: str
    particulars: dict[str, Any]
    status: str
    received_at: datetime
    due_at: datetime | None = Field(description="none while proof of identity is awaited")
    extended: bool
    identity_requested_at: datetime | None
    identity_request: str | None
    identity_received_at: datetime | None
    clock_basis: str | None = Field(description="the legal basis of the running clock")
    identity_ids: list[int]
    candidates: list[dict[str, Any]]
    items: list[dict[str, Any]]
    facts: list[dict[str, Any]]
    consult: list[str] = Field(description="records you may not see: whom to contact")
    grounds: dict[str, dict[str, Any]]


def _out(v: pack.PackView) -> SarOut:
    return SarOut(**{**v.__dict__, "items": [i.__dict__ for i in v.items]})


@router.post("/sar", response_model=SarOut, status_code=201)
def open_request(body: SarIn, session: SessionDep, p: PrincipalDep) -> SarOut:
    """Open a subject access request as a case; the one-month clock is its deadline."""
    who = requests.Particulars(body.name, body.first_name, body.last_name, body.date_of_birth,
                               body.nationality, body.identifier, tuple(body.aliases))
    case, _ = requests.open_request(session, p, who, body.received_at, body.note)
    return _out(pack.build(session, p, case.reference))


@router.get("/sar/{ref}", response_model=SarOut)
def get_request(ref: str, session: SessionDep, p: PrincipalDep) -> SarOut:
    """The request, the identities the matcher proposes, and every item with its decision."""
    return _out(pack.build(session, p, ref))


@router.put("/sar/{ref}/identities", response_model=SarOut)
def confirm(ref: str, body: IdentitiesIn, session: SessionDep, p: PrincipalDep) -> SarOut:
    """Say which identities are the requester."""
    requests.confirm_identities(session, p, ref, body.identity_ids)
    return _out(pack.build(session, p, ref, find=False))


@router.post("/sar/{ref}/decisions", response_model=SarOut)
def decide(ref: str, body: DecisionIn, session: SessionDep, p: PrincipalDep) -> SarOut:
    """Disclose an item or withhold it on a ground (DPA 2018 s.45(4))."""
    requests.decide(session, p, ref, body.item, body.disclose, body.ground, body.note)
    return _out(pack.build(session, p, ref, find=False))


@router.post("/sar/{ref}/extend", response_model=SarOut)
def extend(ref: str, body: ReasonIn, session: SessionDep, p: PrincipalDep) -> SarOut:
    """Extend the clock once (the new date is the case deadline)."""
    requests.extend(session, p, ref, body.reason)
    return _out(pack.build(session, p, ref, find=False))


@router.get("/sar/{ref}/pack")
def export(ref: str, session: SessionDep, p: PrincipalDep) -> dict[str, Any]:
    """The export pack for the requester (logged as a disclosure to the data subject)."""
    return pack.export(session, p, ref)


@router.post("/sar/{ref}/answer", response_model=SarOut)
def answer(ref: str, session: SessionDep, p: PrincipalDep) -> SarOut:
    """Record that the reply was sent: the clock is met."""
    requests.answer(session, p, ref)
    return _out(pack.build(session, p, ref, find=False))


@router.post("/sar/{ref}/identity-proof/request", response_model=SarOut)
def ask_proof(ref: str, body: ProofAskIn, session: SessionDep, p: PrincipalDep) -> SarOut:
    """Ask the requester for proof of identity (s.52(4)): no clock runs until it arrives."""
    identity_proof.ask_for_proof(session, p, ref, body.what)
    return _out(pack.build(session, p, ref, find=False))


@router.post("/sar/{ref}/identity-proof/received", response_model=SarOut)
def proof_received(ref: str, body: ProofIn, session: SessionDep, p: PrincipalDep) -> SarOut:
    """The proof arrived: the clock restarts, one month from its arrival (s.54(3)(b))."""
    identity_proof.proof_received(session, p, ref, body.received_at)
    return _out(pack.build(session, p, ref, find=False))
