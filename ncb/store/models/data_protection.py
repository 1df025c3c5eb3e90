"""Data protection records: retention reviews of held records, subject access requests.

A review row carries a reviewer's reason, so it is content: it is reachable only through its
marked parent (every read joins the case, notice or alert it reviews, so the access filter
applies to it), and it goes with its parent when the parent is erased (the audit log keeps the
erasure and its justification).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ncb.store.models.base import Base, utcnow


class RetentionReview(Base):
    """A decision to keep a held record, with the reason and the date of the next review."""

    __tablename__ = "retention_reviews"
    __table_args__ = (Index("ix_retention_reviews_record", "record_kind", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_kind: Mapped[str] = mapped_column(String(12))  # case | notice | alert | tip | appeal
    record_id: Mapped[int] = mapped_column()
    decision: Mapped[str] = mapped_column(String(8))  # keep
    reason: Mapped[str] = mapped_column(Text)
    next_review_at: Mapped[datetime] = mapped_column()
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)


class SubjectAccessRequest(Base):
    """A data subject's request for access (DPA 2018 s.45), worked as a case.

    The subject's particulars and the handler's decisions are content: the row is reachable only
    through its case (a marked record): every read joins or loads the case first, and the row
    goes with the case (ON DELETE CASCADE).
    """

    __tablename__ = "subject_access_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    particulars: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Identities the handler confirmed are the requester; their appearances make the pack.
    identity_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # "kind:id" -> {"disclose": bool, "ground": code | None, "by": user id, "note": str}
    decisions: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(10), default="open")  # open | answered
    received_at: Mapped[datetime] = mapped_column()
    extended_at: Mapped[datetime | None] = mapped_column(default=None)
    extension_reason: Mapped[str | None] = mapped_column(Text, default=None)
    # The handler asked for proof of identity (s.52(4)): the clock waits; it runs again, one
    # month from the proof's arrival, when that comes (s.54(3)(b): the latest relevant time).
    identity_requested_at: Mapped[datetime | None] = mapped_column(default=None)
    identity_request: Mapped[str | None] = mapped_column(Text, default=None)
    identity_received_at: Mapped[datetime | None] = mapped_column(default=None)
    answered_at: Mapped[datetime | None] = mapped_column(default=None)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
