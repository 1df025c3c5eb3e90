"""Entities (persons, objects) with provenance, their links to cases and their search keys."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ncb.store.models.base import Base, Marked, utcnow

ENTITY_KINDS = (
    "person", "organisation", "vehicle", "travel_document", "phone", "address",
    "bank_account", "firearm",
)


class Entity(Marked, Base):
    __tablename__ = "entities"
    __record_kind__ = "entity"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    display_name: Mapped[str] = mapped_column(String(300))
    first_name: Mapped[str | None] = mapped_column(String(120), default=None)
    last_name: Mapped[str | None] = mapped_column(String(120), default=None)
    aliases: Mapped[list[Any]] = mapped_column(JSON, default=list)
    date_of_birth: Mapped[str | None] = mapped_column(String(10), default=None)
    gender: Mapped[str | None] = mapped_column(String(1), default=None)
    nationality: Mapped[str | None] = mapped_column(String(2), default=None)
    place_of_birth: Mapped[str | None] = mapped_column(String(120), default=None)
    identifier: Mapped[str | None] = mapped_column(String(80), default=None, index=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Watch-list roles (wanted, alert, notice, intelligence, case) used by screening.
    watch_role: Mapped[str | None] = mapped_column(String(20), default=None, index=True)
    source_kind: Mapped[str] = mapped_column(String(30), default="case")
    source_ref: Mapped[str | None] = mapped_column(String(80), default=None)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class CaseEntity(Base):
    __tablename__ = "case_entities"
    __table_args__ = (UniqueConstraint("case_id", "entity_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(30), default="subject")
    provenance: Mapped[str] = mapped_column(Text, default="")
    added_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)


class SearchKey(Base):
    """Normalised tokens (any script transliterated) for search; one row per token."""

    __tablename__ = "search_keys"
    __table_args__ = (Index("ix_search_keys_key", "key", "record_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_kind: Mapped[str] = mapped_column(String(12))  # case | entity
    record_id: Mapped[int] = mapped_column(index=True)
    key: Mapped[str] = mapped_column(String(80))


class AuditEntry(Base):
    """Append-only, hash-chained log (DPA 2018 s.62 / Directive 2016/680 Art. 25)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(unique=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(16), index=True)
    record_kind: Mapped[str] = mapped_column(String(24))
    record_id: Mapped[str | None] = mapped_column(String(40), default=None)
    justification: Mapped[str | None] = mapped_column(Text, default=None)
    recipients: Mapped[list[Any]] = mapped_column(JSON, default=list)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


Index("ix_audit_record", AuditEntry.record_kind, AuditEntry.record_id)


class AuditHead(Base):
    """One row: the chain's last sequence and hash. Updating it first serialises writers."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(default=0)
    last_hash: Mapped[str] = mapped_column(String(64))
