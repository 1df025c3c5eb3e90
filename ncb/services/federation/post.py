"""Liaison post mode: the laptop's SQLite database is sealed at rest with the officer's passphrase.

`lock` folds the write-ahead log into the database, seals the file (scrypt + AES-256-GCM,
ncb/federation/sealed.py) to `<db>.sealed` atomically with mode 0600, then overwrites and
removes the plaintext database and its -wal/-shm/-journal files. `unlock` opens the sealed file
with the passphrase and writes the database back. While locked nothing on disk names a person;
while unlocked the database is plaintext (put it on tmpfs if the laptop has one).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from sqlalchemy.engine import make_url

from ncb.federation import sealed
from ncb.services.errors import Conflict, InvalidInput

SIDE_FILES = ("-wal", "-shm", "-journal")
SUFFIX = ".sealed"


@dataclass(frozen=True)
class PostState:
    database: Path
    sealed: Path
    locked: bool  # only the sealed file is on disk
    unlocked: bool  # the plaintext database is on disk


def paths(database_url: str) -> tuple[Path, Path]:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise InvalidInput("a liaison post runs on an SQLite file: NCB_DATABASE_URL must be "
                           "sqlite:///PATH", field="NCB_DATABASE_URL", rule="sqlite_file")
    db = Path(url.database)
    return db, db.with_name(db.name + SUFFIX)


def state(database_url: str) -> PostState:
    db, sealed_path = paths(database_url)
    return PostState(db, sealed_path, sealed_path.is_file() and not db.exists(), db.exists())


def _passphrase(passphrase: str) -> str:
    if not passphrase:
        raise InvalidInput("the officer's passphrase is needed (NCB_NODE_PASSPHRASE or the "
                           "prompt)", field="passphrase", rule="required")
    return passphrase


def _shred(path: Path) -> None:
    """Overwrite before unlinking: best effort (an SSD or a journaling file system may keep
    old blocks; full-disk encryption covers those)."""
    if not path.exists():
        return
    size = path.stat().st_size
    with path.open("r+b") as fh:
        left = size
        while left > 0:
            n = min(left, sealed.CHUNK)
            fh.write(b"\0" * n)
            left -= n
        fh.flush()
        os.fsync(fh.fileno())
    path.unlink()


def _write_atomic(target: Path, write: Callable[[BinaryIO], None]) -> None:
    tmp = target.with_name(target.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, target)


def lock(database_url: str, passphrase: str, log_n: int) -> PostState:
    db, target = paths(database_url)
    pw = _passphrase(passphrase)
    if not db.exists():
        if target.exists():
            raise Conflict("the post database is locked already", field="database",
                           rule="unlocked")
        raise InvalidInput(f"no database at {db}", field="NCB_DATABASE_URL", rule="exists")
    with closing(sqlite3.connect(db, timeout=0.5)) as conn:
        try:  # nobody may be writing: a server still running would lose what it writes next
            conn.execute("BEGIN EXCLUSIVE")
            conn.rollback()
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.OperationalError:
            raise Conflict("the database is in use: stop `ncb serve` first", field="database",
                           rule="not_in_use") from None
    with db.open("rb") as src:
        _write_atomic(target, lambda out: sealed.seal_file(src, out, pw, log_n))
    for path in (db, *(db.with_name(db.name + s) for s in SIDE_FILES)):
        _shred(path)
    return state(database_url)


def unlock(database_url: str, passphrase: str) -> PostState:
    db, source = paths(database_url)
    pw = _passphrase(passphrase)
    if db.exists():
        raise Conflict("the post database is unlocked already", field="database", rule="locked")
    if not source.is_file():
        raise InvalidInput(f"no sealed database at {source}", field="NCB_DATABASE_URL",
                           rule="exists")
    try:
        with source.open("rb") as src:
            size = source.stat().st_size
            _write_atomic(db, lambda out: sealed.unseal_file(src, size, out, pw))
    except sealed.SealError as exc:
        raise InvalidInput(str(exc), field="passphrase", rule="passphrase") from None
    source.unlink()  # the next lock seals afresh (new salt, new nonces)
    return state(database_url)
