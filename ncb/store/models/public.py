"""Public appeals for fugitives and the anonymous tips the public sends (Operation Captura model).

An Appeal holds only the fields approved for publication; the public site reads nothing else.
A Tip holds nothing about its sender: no address, no user agent, no exact arrival time (the hour
only), and a keyed hash of its PIN, never the PIN.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ncb.store.models.base import Base, Marked, utcnow

APPEAL_STATUSES = ("wanted", "caught")
TIP_STATUSES = ("received", "sanitised", "dispatched", "closed")


def new_tip_id() -> str:
    """A tip's public id: 12 URL-safe characters, 72 random bits."""
    return secrets.token_urlsafe(9)


class Appeal(Base):
    """A public wanted appeal. Not Marked: every column here is meant for the public once published.

    Drafts are reachable only through the workbench (appeal.draft); the public site sees a row
    only between `published_at` and `withdrawn_at`.
    """

    __tablename__ = "appeals"
    __table_args__ = (Index("ix_appeals_public", "published_at", "withdrawn_at", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Random public handle used in public URLs, so internal ids are never shown.
    public_id: Mapped[str] = mapped_column(String(16), unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    entity_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id"), default=None)
    name: Mapped[str] = mapped_column(String(200))
    aliases: Mapped[list[Any]] = mapped_column(JSON, default=list)
    photo: Mapped[bytes | None] = mapped_column(LargeBinary, default=None, deferred=True)
    photo_type: Mapped[str | None] = mapped_column(String(40), default=None)
    age: Mapped[int | None] = mapped_column(Integer, default=None)
    year_of_birth: Mapped[int | None] = mapped_column(Integer, default=None)
    height_cm: Mapped[int | None] = mapped_column(Integer, default=None)
    distinguishing_marks: Mapped[str] = mapped_column(Text, default="")
    wanted_for: Mapped[str] = mapped_column(Text)
    believed_country: Mapped[str | None] = mapped_column(String(2), default=None)
    # wanted (a fugitive) | missing (a missing person) | unidentified (a body to identify) |
    # witness (a witness sought); status "caught" then reads as found, identified, traced.
    kind: Mapped[str] = mapped_column(String(12), default="wanted", server_default="wanted")
    status: Mapped[str] = mapped_column(String(10), default="wanted")
    caught_at: Mapped[datetime | None] = mapped_column(default=None)
    drafted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(default=None)
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    withdrawn_at: Mapped[datetime | None] = mapped_column(default=None)
    withdrawn_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)


class Tip(Marked, Base):
    """An anonymous tip. Nothing here identifies the sender (see ncb.services.tips)."""

    __tablename__ = "tips"
    __record_kind__ = "tip"

    id: Mapped[int] = mapped_column(primary_key=True)  # internal only: numbered in arrival order
    # What the workbench, the API and their URLs name a tip by: random, so it tells neither how
    # many tips came nor in which order, and cannot be walked. Not the sender's reference code
    # (half of their credential), which stays out of URLs and logs.
    public_id: Mapped[str] = mapped_column(String(16), unique=True, default=new_tip_id)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    pin_hash: Mapped[str] = mapped_column(String(64))
    appeal_id: Mapped[int | None] = mapped_column(ForeignKey("appeals.id"), default=None, index=True)
    body: Mapped[str] = mapped_column(Text)
    sanitised_body: Mapped[str | None] = mapped_column(Text, default=None)
    status: Mapped[str] = mapped_column(String(12), default="received", index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), default=None, index=True)
    # The hour of arrival only: an exact time could be matched against network logs.
    received_hour: Mapped[datetime] = mapped_column()
    failed_pins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(default=None)
    sanitised_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    sanitised_at: Mapped[datetime | None] = mapped_column(default=None)
    dispatched_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    dispatched_at: Mapped[datetime | None] = mapped_column(default=None)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)


class TipMessage(Base):
    """Follow-up through the reference code: questions from the bureau, answers from the sender."""

    __tablename__ = "tip_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    tip_id: Mapped[int] = mapped_column(ForeignKey("tips.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # question | answer
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    # Answers from the public carry the hour only, like the tip itself.
    at: Mapped[datetime] = mapped_column(default=utcnow)
