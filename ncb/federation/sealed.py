"""Passphrase sealing: scrypt derives a key, AES-256-GCM seals the bytes in 1 MiB chunks.

Used for a node's private keys and for a liaison post's database file at rest. Each chunk's
nonce is a random prefix plus its index, and the associated data names its index and whether
it is the last one, so chunks cannot be reordered, dropped or the file truncated unnoticed.
"""

from __future__ import annotations

import os
import struct
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"NCBSEAL1"
CHUNK = 1 << 20
DEFAULT_LOG_N = 15  # scrypt N = 32768, r = 8: ~32 MiB and ~0.1 s per derivation
TAG = 16


class SealError(ValueError):
    """Wrong passphrase, or the sealed bytes were altered or cut short."""


def derive(passphrase: str, salt: bytes, log_n: int) -> bytes:
    if not passphrase:
        raise SealError("an empty passphrase is refused")
    return Scrypt(salt=salt, length=32, n=1 << log_n, r=8, p=1).derive(passphrase.encode())


def _aad(index: int, last: bool) -> bytes:
    return MAGIC + struct.pack(">QB", index, 1 if last else 0)


def seal(data: bytes, passphrase: str, log_n: int = DEFAULT_LOG_N) -> bytes:
    salt, prefix = os.urandom(16), os.urandom(4)
    aead = AESGCM(derive(passphrase, salt, log_n))
    out = [MAGIC, bytes([log_n]), salt, prefix]
    chunks = [data[i:i + CHUNK] for i in range(0, len(data), CHUNK)] or [b""]
    for i, chunk in enumerate(chunks):
        nonce = prefix + struct.pack(">Q", i)
        out.append(aead.encrypt(nonce, chunk, _aad(i, i == len(chunks) - 1)))
    return b"".join(out)


def unseal(blob: bytes, passphrase: str) -> bytes:
    head = len(MAGIC) + 1 + 16 + 4
    if len(blob) < head + TAG or not blob.startswith(MAGIC):
        raise SealError("not a sealed NCB file")
    log_n = blob[len(MAGIC)]
    if not 10 <= log_n <= 22:
        raise SealError("sealed file names an implausible scrypt cost")
    salt = blob[len(MAGIC) + 1:len(MAGIC) + 17]
    prefix = blob[len(MAGIC) + 17:head]
    aead = AESGCM(derive(passphrase, salt, log_n))
    body, out, i, pos = blob[head:], [], 0, 0
    while pos < len(body):
        piece = body[pos:pos + CHUNK + TAG]
        pos += len(piece)
        try:
            out.append(aead.decrypt(prefix + struct.pack(">Q", i), piece,
                                    _aad(i, pos >= len(body))))
        except InvalidTag:
            raise SealError("wrong passphrase, or the sealed data was altered or truncated") from None
        i += 1
    return b"".join(out)


def seal_file(src: BinaryIO, dst: BinaryIO, passphrase: str, log_n: int = DEFAULT_LOG_N) -> None:
    """`seal` as a stream (same format): a post's database never has to fit in memory."""
    salt, prefix = os.urandom(16), os.urandom(4)
    aead = AESGCM(derive(passphrase, salt, log_n))
    dst.write(MAGIC + bytes([log_n]) + salt + prefix)
    chunk, i = src.read(CHUNK), 0
    while True:
        ahead = src.read(CHUNK) if chunk else b""
        last = not ahead
        dst.write(aead.encrypt(prefix + struct.pack(">Q", i), chunk, _aad(i, last)))
        if last:
            return
        chunk, i = ahead, i + 1


def unseal_file(src: BinaryIO, size: int, dst: BinaryIO, passphrase: str) -> None:
    """`unseal` as a stream; `size` is the sealed file's length (to know the last chunk)."""
    head = src.read(len(MAGIC) + 1 + 16 + 4)
    if len(head) < len(MAGIC) + 21 or size < len(head) + TAG or not head.startswith(MAGIC):
        raise SealError("not a sealed NCB file")
    log_n = head[len(MAGIC)]
    if not 10 <= log_n <= 22:
        raise SealError("sealed file names an implausible scrypt cost")
    salt, prefix = head[len(MAGIC) + 1:len(MAGIC) + 17], head[len(MAGIC) + 17:]
    aead = AESGCM(derive(passphrase, salt, log_n))
    pos, i = len(head), 0
    while pos < size:
        piece = src.read(CHUNK + TAG)
        if not piece:
            raise SealError("the sealed file is shorter than it was")
        pos += len(piece)
        try:
            dst.write(aead.decrypt(prefix + struct.pack(">Q", i), piece, _aad(i, pos >= size)))
        except InvalidTag:
            raise SealError("wrong passphrase, or the sealed data was altered or truncated") from None
        i += 1
