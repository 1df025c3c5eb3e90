"""Identities: the appearances (entity rows) of one real person or object, grouped.

An identity holds no content of its own (names, dates and numbers stay on the appearances, each
with its markings), so what a user learns from an identity is only what its visible appearances
say. Joins carry their method, reason and author; merges and splits are kept as changes so they
can be undone.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ncb.store.models.base import Base, utcnow
from ncb.store.models.channels import Alert, Notice
from ncb.store.models.public import Appeal

JOIN_METHODS = ("new", "identifier", "matcher", "reviewer", "split", "undo")


class Identity(Base):
    __tablename__ = "identities"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    # Set when merged into another identity (kept so the merge can be undone).
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("identities.id", ondelete="SET NULL"), default=None, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class IdentityMember(Base):
    """One appearance in one identity: how, why and by whom it was joined."""

    __tablename__ = "identity_members"

    entity_id: Mapped[int] = mapped_column(
        ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True, autoincrement=False)
    identity_id: Mapped[int] = mapped_column(
        ForeignKey("identities.id", ondelete="CASCADE"), index=True)
    method: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str] = mapped_column(Text, default="")
    score: Mapped[float | None] = mapped_column(Float, default=None)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)


class IdentityKey(Base):
    """A deterministic identifier of an appearance (doc:NUMBER:CC, phone:+44..., iban:...)."""

    __tablename__ = "identity_keys"
    __table_args__ = (Index("ix_identity_keys_key", "key"),)

    entity_id: Mapped[int] = mapped_column(
        ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True, autoincrement=False)
    key: Mapped[str] = mapped_column(String(160), primary_key=True)


class IdentityJudgement(Base):
    """A reviewer's decision between two identities (lower id first): holds for every appearance."""

    __tablename__ = "identity_judgements"
    __table_args__ = (UniqueConstraint("a_identity_id", "b_identity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    a_identity_id: Mapped[int] = mapped_column(ForeignKey("identities.id", ondelete="CASCADE"))
    b_identity_id: Mapped[int] = mapped_column(
        ForeignKey("identities.id", ondelete="CASCADE"), index=True)
    decision: Mapped[str] = mapped_column(String(10))
    # The two appearances the reviewer looked at.
    a_entity_id: Mapped[int | None] = mapped_column(default=None)
    b_entity_id: Mapped[int | None] = mapped_column(default=None)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)


class IdentityChange(Base):
    """A merge or split (a "combination", DPA 2018 s.62), kept so it can be undone."""

    __tablename__ = "identity_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    action: Mapped[str] = mapped_column(String(8))  # merge | split
    identity_id: Mapped[int] = mapped_column(ForeignKey("identities.id"), index=True)
    other_identity_id: Mapped[int] = mapped_column(ForeignKey("identities.id"), index=True)
    entity_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # What the change did besides moving appearances (judgements re-pointed or added).
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reason: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    undone_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    undone_at: Mapped[datetime | None] = mapped_column(default=None)
    undo_reason: Mapped[str | None] = mapped_column(Text, default=None)


# The person page finds an identity's notices, alerts and appeals by entity.
Index("ix_notices_entity_id", Notice.entity_id)
Index("ix_alerts_entity_id", Alert.entity_id)
Index("ix_appeals_entity_id", Appeal.entity_id)
