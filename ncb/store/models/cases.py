"""Cases and what hangs off them: deadlines, tasks, notes, messages, attachments, events."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, LargeBinary, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ncb.store.models.base import Base, Marked, utcnow


class Case(Marked, Base):
    __tablename__ = "cases"
    __record_kind__ = "case"
    __table_args__ = (
        Index("ix_cases_queue_team", "team_id", "status", "next_due_at"),
        Index("ix_cases_queue_assignee", "assignee_id", "status", "next_due_at"),
        Index("ix_cases_status_due", "status", "next_due_at"),
        # Filtered desk queues (bench.gateway): without these SQLite scans every case of the
        # filter value (or the whole table for priority) to find the few open ones.
        Index("ix_cases_queue_crime_area", "crime_area", "status", "next_due_at"),
        Index("ix_cases_queue_country", "country", "status", "next_due_at"),
        Index("ix_cases_queue_channel", "channel", "status", "next_due_at"),
        Index("ix_cases_queue_priority", "priority", "status", "next_due_at"),
        # The whole open desk sorted by priority: a partial index holds only open cases.
        Index("ix_cases_open_priority", "priority_rank", "next_due_at",
              sqlite_where=text("closed_at IS NULL"), postgresql_where=text("closed_at IS NULL")),
        # The year in numbers and trends count a year of cases by channel under the access
        # filter: covering the filter's columns reads the index only, not ~15k wide case rows.
        Index("ix_cases_received_access", "received_at", "channel", "classification_rank",
              "owner_agency_id", "sharing_scope", "sharing_team_id", "originator_agency_id",
              "sharing_group_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    direction: Mapped[str] = mapped_column(String(10))  # incoming | outgoing
    channel: Mapped[str] = mapped_column(String(16), index=True)
    request_type: Mapped[str | None] = mapped_column(String(40), default=None)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    external_ref: Mapped[str | None] = mapped_column(String(80), default=None, index=True)
    requesting_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), default=None)
    requesting_country: Mapped[str | None] = mapped_column(String(2), default=None)
    country: Mapped[str | None] = mapped_column(String(2), default=None, index=True)
    crime_area: Mapped[str | None] = mapped_column(String(40), default=None, index=True)
    priority: Mapped[str] = mapped_column(String(10), default="normal")
    priority_rank: Mapped[int] = mapped_column(Integer, default=3)
    status: Mapped[str] = mapped_column(String(20), default="new")
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), default=None)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    next_due_at: Mapped[datetime | None] = mapped_column(default=None)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)

    deadlines: Mapped[list[Deadline]] = relationship(
        back_populates="case", order_by="Deadline.due_at", lazy="selectin"
    )


class Deadline(Base):
    __tablename__ = "deadlines"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    rule_id: Mapped[str] = mapped_column(String(60))
    label: Mapped[str] = mapped_column(String(200))
    basis: Mapped[str] = mapped_column(String(300))
    starts_at: Mapped[datetime] = mapped_column()
    due_at: Mapped[datetime] = mapped_column(index=True)
    met_at: Mapped[datetime | None] = mapped_column(default=None)

    case: Mapped[Case] = relationship(back_populates="deadlines")


class Task(Base):
    __tablename__ = "tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None, index=True)
    due_at: Mapped[datetime | None] = mapped_column(default=None)
    done_at: Mapped[datetime | None] = mapped_column(default=None)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CaseEvent(Base):
    """The case timeline: status changes, assignment, routing, triage."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Note(Marked, Base):
    __tablename__ = "notes"
    __record_kind__ = "note"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Message(Marked, Base):
    __tablename__ = "messages"
    __record_kind__ = "message"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    direction: Mapped[str] = mapped_column(String(10))  # in | out
    channel: Mapped[str] = mapped_column(String(16))
    sender: Mapped[str] = mapped_column(String(200))
    recipients: Mapped[list[Any]] = mapped_column(JSON, default=list)
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    in_reply_to: Mapped[int | None] = mapped_column(ForeignKey("messages.id"), default=None)
    provider_permission: Mapped[bool] = mapped_column(default=False)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)


class Attachment(Marked, Base):
    __tablename__ = "attachments"
    __record_kind__ = "attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
