"""Signed checkpoints of the audit chain's head, kept outside the database.

A MAC on every entry stops forged or rewritten entries, but someone who can write the database
can still delete the newest entries and wind the head back. A checkpoint (sequence, head MAC,
time, and a MAC over those with the audit key) written to a file, a peer or write-once storage
proves how long the chain was: `verify` against it reports a cut tail.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncb.store.audit import ChainReport, audit_key, ensure_head, verify
from ncb.store.models import AuditEntry, AuditHead, utcnow


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: datetime

    def _mac(self, key: bytes) -> str:
        body = f"ncb-audit-checkpoint:{self.seq}:{self.hash}:{self.at.isoformat()}"
        return hmac.new(key, body.encode(), hashlib.sha256).hexdigest()

    def line(self) -> str:
        return json.dumps({"seq": self.seq, "hash": self.hash, "at": self.at.isoformat(),
                           "mac": self._mac(audit_key())}, sort_keys=True)


class CheckpointError(ValueError):
    """A checkpoint line that is not one this bureau's key signed."""


def take(session: Session) -> Checkpoint:
    """The chain's head now (read under the head row, like a writer)."""
    ensure_head(session)
    head = session.get(AuditHead, 1)
    assert head is not None
    return Checkpoint(head.seq, head.last_hash, utcnow())


def parse(text: str) -> list[Checkpoint]:
    """Checkpoints from a file's lines; a forged or damaged line is refused, naming it."""
    key, found = audit_key(), []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
            cp = Checkpoint(int(data["seq"]), str(data["hash"]), datetime.fromisoformat(data["at"]))
            mac = str(data["mac"])
        except (ValueError, KeyError, TypeError) as exc:
            raise CheckpointError(f"line {number}: not a checkpoint ({exc})") from None
        if not hmac.compare_digest(mac, cp._mac(key)):
            raise CheckpointError(f"line {number}: its signature does not match this bureau's "
                                  "audit key")
        found.append(cp)
    return found


def verify_with(session: Session, checkpoints: list[Checkpoint]) -> ChainReport:
    """The chain walk, then every checkpoint: its entry still there, with the same MAC."""
    report = verify(session)
    if not report.ok:
        return report
    for cp in checkpoints:
        if cp.seq == 0:
            continue
        if cp.seq > report.checked:
            return ChainReport(False, report.checked, report.checked + 1,
                               f"checkpoint of {cp.at.isoformat()} saw {cp.seq} entries; only "
                               f"{report.checked} remain: the tail was removed")
        stored = session.scalar(select(AuditEntry.hash).where(AuditEntry.seq == cp.seq))
        if stored is None or not hmac.compare_digest(stored, cp.hash):
            return ChainReport(False, report.checked, cp.seq,
                               f"entry {cp.seq} differs from the checkpoint of {cp.at.isoformat()}")
    return report
