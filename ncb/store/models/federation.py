"""Federation: keys, peers, cursors, outbox/inbox, provenance of received objects, recalls, conflicts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ncb.store.models.base import Base, utcnow


class FedKey(Base):
    """One generation of public keys: this node's own (`own`) or a peer's. Private keys live
    only in the sealed key file."""

    __tablename__ = "fed_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_code: Mapped[str] = mapped_column(String(40), index=True)
    key_id: Mapped[str] = mapped_column(String(64), unique=True)
    sign_pub: Mapped[str] = mapped_column(String(64))
    enc_pub: Mapped[str] = mapped_column(String(64))
    own: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(10), default="active")  # active|retired|revoked
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    revoke_reason: Mapped[str | None] = mapped_column(String(300), default=None)


class FedPeer(Base):
    __tablename__ = "fed_peers"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_code: Mapped[str] = mapped_column(String(40), unique=True)
    url: Mapped[str | None] = mapped_column(String(300), default=None)
    status: Mapped[str] = mapped_column(String(10), default="active")
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_sync_at: Mapped[datetime | None] = mapped_column(default=None)
    last_error: Mapped[str | None] = mapped_column(String(300), default=None)


class FedCursor(Base):
    """Per peer: the last sequence number given to an envelope for it, and the last applied
    from it; `blob_*` the same for the attachment lane (its own sequence)."""

    __tablename__ = "fed_cursors"

    peer_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    out_seq: Mapped[int] = mapped_column(Integer, default=0)
    in_seq: Mapped[int] = mapped_column(Integer, default=0)
    blob_out_seq: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    blob_in_seq: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class FedOutbox(Base):
    __tablename__ = "fed_outbox"
    __table_args__ = (UniqueConstraint("recipient", "lane", "seq"),
                      Index("ix_fed_outbox_due", "state", "recipient", "lane", "seq"))

    id: Mapped[int] = mapped_column(primary_key=True)
    envelope_id: Mapped[str] = mapped_column(String(32), unique=True)
    recipient: Mapped[str] = mapped_column(String(40))
    lane: Mapped[str] = mapped_column(String(8), default="main", server_default="main")
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    wire: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    size: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(10), default="queued")  # queued|delivered
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(String(300), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(default=None)


class FedInbox(Base):
    __tablename__ = "fed_inbox"
    __table_args__ = (UniqueConstraint("sender", "lane", "seq"),
                      Index("ix_fed_inbox_waiting", "state", "sender", "lane", "seq"))

    id: Mapped[int] = mapped_column(primary_key=True)
    envelope_id: Mapped[str] = mapped_column(String(32), unique=True)
    sender: Mapped[str] = mapped_column(String(40))
    lane: Mapped[str] = mapped_column(String(8), default="main", server_default="main")
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    wire: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    state: Mapped[str] = mapped_column(String(10), default="waiting")  # waiting|applied|refused
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    applied_at: Mapped[datetime | None] = mapped_column(default=None)
    outcome: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class FedObject(Base):
    """A record received from another node: where it came from and the version last applied."""

    __tablename__ = "fed_objects"

    id: Mapped[int] = mapped_column(primary_key=True)
    origin_id: Mapped[str] = mapped_column(String(120), unique=True)
    origin_agency: Mapped[str] = mapped_column(String(40))
    local_kind: Mapped[str] = mapped_column(String(24))
    local_id: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)
    base: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    received_from: Mapped[str] = mapped_column(String(40))
    envelope_id: Mapped[str] = mapped_column(String(32))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(default=None)
    # The originator's signature over this version's markings (passed on unchanged by a relay).
    markings_sig: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)


class FedDisclosure(Base):
    """What this node sent to whom, object by object (for recalls and for the audit)."""

    __tablename__ = "fed_disclosures"
    __table_args__ = (Index("ix_fed_disclosures_origin", "origin_id", "recipient"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    origin_id: Mapped[str] = mapped_column(String(120))
    recipient: Mapped[str] = mapped_column(String(40))
    envelope_id: Mapped[str] = mapped_column(String(32))
    version: Mapped[int] = mapped_column(Integer, default=1)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)


class FedRecall(Base):
    __tablename__ = "fed_recalls"

    id: Mapped[int] = mapped_column(primary_key=True)
    recall_id: Mapped[str] = mapped_column(String(32), unique=True)
    issuer: Mapped[str] = mapped_column(String(40))
    root_origin_id: Mapped[str] = mapped_column(String(120))
    objects: Mapped[list[Any]] = mapped_column(JSON, default=list)
    mode: Mapped[str] = mapped_column(String(10))  # erase | withdraw
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class FedRecallAck(Base):
    __tablename__ = "fed_recall_acks"
    __table_args__ = (UniqueConstraint("recall_id", "agency_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recall_id: Mapped[str] = mapped_column(String(32), index=True)
    agency_code: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(14), default="pending")  # pending|acknowledged
    acked_at: Mapped[datetime | None] = mapped_column(default=None)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class FedConflict(Base):
    """A legal field edited here and at the originator to different values: for a person."""

    __tablename__ = "fed_conflicts"

    id: Mapped[int] = mapped_column(primary_key=True)
    origin_id: Mapped[str] = mapped_column(String(120), index=True)
    local_kind: Mapped[str] = mapped_column(String(24))
    local_id: Mapped[int] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(40))
    base_value: Mapped[Any] = mapped_column(JSON, default=None)
    local_value: Mapped[Any] = mapped_column(JSON, default=None)
    remote_value: Mapped[Any] = mapped_column(JSON, default=None)
    remote_agency: Mapped[str] = mapped_column(String(40))
    envelope_id: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(default=None)
    resolution: Mapped[str | None] = mapped_column(String(10), default=None)  # local|remote


class FedGroup(Base):
    """A sharing group as a signed, versioned object owned by one node."""

    __tablename__ = "fed_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    owner: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer, default=1)
    members: Mapped[list[Any]] = mapped_column(JSON, default=list)
    envelope_id: Mapped[str | None] = mapped_column(String(32), default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
