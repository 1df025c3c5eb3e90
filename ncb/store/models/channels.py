"""Channel records attached to cases: EAW warrants and their events, SIS alerts and SIRENE forms,
Interpol notices and diffusions, and the stolen and lost travel documents (SLTD) list."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ncb.store.models.base import Base, Marked, utcnow


class Warrant(Marked, Base):
    """A European Arrest Warrant: incoming (UK executes) or outgoing (UK issues)."""

    __tablename__ = "warrants"
    __record_kind__ = "warrant"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    direction: Mapped[str] = mapped_column(String(10))  # incoming | outgoing
    reference: Mapped[str] = mapped_column(String(80), index=True)
    issuing_country: Mapped[str] = mapped_column(String(2))
    executing_country: Mapped[str] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(24), index=True)
    sections: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    translation: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    certification: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    proportionality_notes: Mapped[str] = mapped_column(Text, default="")
    consent: Mapped[bool | None] = mapped_column(Boolean, default=None)
    outcome: Mapped[str | None] = mapped_column(String(20), default=None)
    refusal_ground: Mapped[str | None] = mapped_column(String(40), default=None)
    release_required: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    release_reasons: Mapped[list[Any]] = mapped_column(JSON, default=list)
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    certified_at: Mapped[datetime | None] = mapped_column(default=None)
    transmitted_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class WarrantEvent(Base):
    """A life-cycle event of a warrant, in UTC; the clocks are replayed from these."""

    __tablename__ = "warrant_events"
    __table_args__ = (Index("ix_warrant_events_kind_at", "kind", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    warrant_id: Mapped[int] = mapped_column(
        ForeignKey("warrants.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime] = mapped_column()
    reason: Mapped[str] = mapped_column(Text, default="")
    new_date: Mapped[datetime | None] = mapped_column(default=None)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class Alert(Marked, Base):
    """A SIS alert (Reg. 2018/1862 Art. 26-40), ours or another state's."""

    __tablename__ = "alerts"
    __record_kind__ = "alert"

    id: Mapped[int] = mapped_column(primary_key=True)
    schengen_id: Mapped[str] = mapped_column(String(60), unique=True)
    article: Mapped[str] = mapped_column(String(4), index=True)
    issuing_country: Mapped[str] = mapped_column(String(2))
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="SET NULL"), default=None, index=True
    )
    entity_id: Mapped[int | None] = mapped_column(
        ForeignKey("entities.id", ondelete="SET NULL"), default=None
    )
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    warrant_reference: Mapped[str | None] = mapped_column(String(80), default=None)
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    flag_reason: Mapped[str | None] = mapped_column(Text, default=None)
    review_date: Mapped[datetime | None] = mapped_column(default=None)
    misused_identity: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    misused_identity_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(12), default="active")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class SireneForm(Marked, Base):
    """A SIRENE form (A, G, M, I) in or out, with its numbered fields, threaded to alert and case."""

    __tablename__ = "sirene_forms"
    __record_kind__ = "sirene_form"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(60), unique=True)
    form_type: Mapped[str] = mapped_column(String(1))
    direction: Mapped[str] = mapped_column(String(4))  # in | out
    alert_id: Mapped[int | None] = mapped_column(
        ForeignKey("alerts.id", ondelete="SET NULL"), default=None, index=True
    )
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), default=None, index=True
    )
    deadline_id: Mapped[int | None] = mapped_column(
        ForeignKey("deadlines.id", ondelete="SET NULL"), default=None
    )
    in_reply_to: Mapped[int | None] = mapped_column(ForeignKey("sirene_forms.id"), default=None)
    sender: Mapped[str] = mapped_column(String(40))
    recipient: Mapped[str] = mapped_column(String(40))
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    urgent_reason: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)


class Notice(Marked, Base):
    """An Interpol notice or diffusion: drafted here, or imported from the public layout."""

    __tablename__ = "notices"
    __record_kind__ = "notice"
    __table_args__ = (UniqueConstraint("notice_type", "notice_ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_ref: Mapped[str] = mapped_column(String(20), index=True)  # YEAR-SEQUENCE
    notice_type: Mapped[str] = mapped_column(String(16), index=True)
    direction: Mapped[str] = mapped_column(String(10))  # incoming | outgoing
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    requesting_country: Mapped[str | None] = mapped_column(String(2), default=None)
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="SET NULL"), default=None, index=True
    )
    entity_id: Mapped[int | None] = mapped_column(
        ForeignKey("entities.id", ondelete="SET NULL"), default=None
    )
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    recipients: Mapped[list[Any]] = mapped_column(JSON, default=list)
    article3: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    public_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    public_extract: Mapped[bool] = mapped_column(Boolean, default=False)
    review_note: Mapped[str | None] = mapped_column(Text, default=None)
    cancel_reason: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class NoticeSequence(Base):
    """The last notice number drawn per year (drafts are numbered YEAR-SEQ from it)."""

    __tablename__ = "notice_sequences"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(default=0)


class SltdDocument(Base):
    """A stolen, lost or revoked travel document (only its issuing country may add it)."""

    __tablename__ = "sltd_documents"
    __table_args__ = (UniqueConstraint("number", "issuing_country"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), index=True)  # normalised
    issuing_country: Mapped[str] = mapped_column(String(2))
    document_type: Mapped[str] = mapped_column(String(20), default="passport")
    status: Mapped[str] = mapped_column(String(10), default="stolen")
    reported_at: Mapped[datetime] = mapped_column(default=utcnow)
    added_by_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), default=None)
