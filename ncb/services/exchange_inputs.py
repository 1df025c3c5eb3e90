"""What the exchange takes: a message in or out, a disclosure to agencies (ncb.services.exchange)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ncb.services.inputs import MarkingsIn, Strict


class MessageIn(Strict):
    direction: Literal["in", "out"]
    sender: str = Field(min_length=1, max_length=200)
    recipients: list[str] = Field(default_factory=list, max_length=100)
    subject: str = Field(min_length=1, max_length=300)
    body: str = Field(default="", max_length=100000)
    in_reply_to: int | None = None
    provider_permission: bool = False
    markings: MarkingsIn | None = None


class ShareIn(Strict):
    agencies: list[str] = Field(min_length=1, description="Agency codes to disclose to")
    justification: str = Field(min_length=5, max_length=2000)
    provider_permission: bool = False
