"""Who: agencies, sharing groups, teams, users and their tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ncb.store.models.base import Base, utcnow


class Agency(Base):
    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    channels: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # Highest classification rank this agency is accredited to receive.
    max_classification_rank: Mapped[int] = mapped_column(Integer, default=2)


class SharingGroup(Base):
    __tablename__ = "sharing_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))


class SharingGroupMember(Base):
    __tablename__ = "sharing_group_members"
    __table_args__ = (UniqueConstraint("group_id", "agency_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("sharing_groups.id"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)


class Team(Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), default=None, index=True)
    roles: Mapped[list[Any]] = mapped_column(JSON, default=list)
    clearance: Mapped[str] = mapped_column(String(24), default="OFFICIAL")
    post: Mapped[str | None] = mapped_column(String(80), default=None)
    post_countries: Mapped[list[Any]] = mapped_column(JSON, default=list)
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/London")
    password_hash: Mapped[str] = mapped_column(String(200))
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(default=None)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    agency: Mapped[Agency] = relationship(lazy="joined")


class ApiToken(Base):
    """Session cookies and bearer tokens; only a keyed hash of the token is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(12))  # session | bearer
    label: Mapped[str | None] = mapped_column(String(120), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


class Share(Base):
    """Named-agency sharing of one marked record (the 'agencies' scope)."""

    __tablename__ = "shares"
    __table_args__ = (UniqueConstraint("record_kind", "record_id", "agency_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_kind: Mapped[str] = mapped_column(String(24))
    record_id: Mapped[int] = mapped_column(Integer)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    shared_at: Mapped[datetime] = mapped_column(default=utcnow)
    shared_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    conditions: Mapped[str | None] = mapped_column(String(500), default=None)


class LoginThrottle(Base):
    """Failed sign-ins of one browser (device cookie) or of one source for one account.

    The key is a keyed hash (ncb.services.login_guard): neither the device cookie nor the
    client address is stored. In the database, not in memory, so a restart does not forget
    the failures and every worker sees the same counts.
    """

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(48), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    not_before: Mapped[datetime | None] = mapped_column(default=None)  # end of the back-off
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
