"""Declarative base, UTC datetimes and the markings every information-bearing record carries."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, MetaData, String, Text, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC, returns aware UTC; refuses naive datetimes so no local time slips in."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: times are stored in UTC with their zone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON, list[Any]: JSON}


class Marked:
    """Markings: classification, handling, grading, originator and sharing scope.

    Every ORM query on a Marked class is filtered by the caller's rights (ncb.store.access).
    """

    __record_kind__: str = "record"

    classification: Mapped[str] = mapped_column(String(24), default="OFFICIAL")
    classification_rank: Mapped[int] = mapped_column(Integer, default=1)
    handling_code: Mapped[str | None] = mapped_column(String(16), default="P")
    handling_conditions: Mapped[str | None] = mapped_column(Text, default=None)
    tlp: Mapped[str | None] = mapped_column(String(20), default="TLP:AMBER")
    source_grade: Mapped[str | None] = mapped_column(String(4), default=None)
    intel_grade: Mapped[str | None] = mapped_column(String(4), default=None)
    sharing_scope: Mapped[str] = mapped_column(String(12), default="own")
    # Scope "team": only this team of the owner agency (other agencies by their own scope
    # rules never see it, the originator, if another agency, still does). No foreign key: teams
    # are never deleted, and the value is checked against the teams at write (marking.apply).
    sharing_team_id: Mapped[int | None] = mapped_column(Integer, default=None)

    @declared_attr
    def owner_agency_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("agencies.id"), index=True)

    @declared_attr
    def originator_agency_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("agencies.id"), index=True)

    @declared_attr
    def sharing_group_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("sharing_groups.id"), default=None)
