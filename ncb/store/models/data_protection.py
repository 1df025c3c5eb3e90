"""Data protection records: retention reviews of held records.

A review row carries a reviewer's reason, so it is content: it is reachable only through its
marked parent (every read joins the case, notice or alert it reviews, so the access filter
applies to it), and it goes with its parent when the parent is erased (the audit log keeps the
erasure and its justification).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ncb.store.models.base import Base, utcnow


class RetentionReview(Base):
    """A decision to keep a held record, with the reason and the date of the next review."""

    __tablename__ = "retention_reviews"
    __table_args__ = (Index("ix_retention_reviews_record", "record_kind", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_kind: Mapped[str] = mapped_column(String(12))  # case | notice | alert
    record_id: Mapped[int] = mapped_column()
    decision: Mapped[str] = mapped_column(String(8))  # keep
    reason: Mapped[str] = mapped_column(Text)
    next_review_at: Mapped[datetime] = mapped_column()
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)
