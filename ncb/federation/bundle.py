"""Bundles: envelopes written to a file for a link that is only a USB stick.

Line 1 is a header (format, sender, recipient, count); every further line is one envelope's
wire bytes (canonical JSON never holds a raw newline). Each envelope is verified on its own
on import, so a bundle cut short still yields every complete envelope before the cut.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from ncb.federation import canonical

FORMAT = "ncb-bundle-v1"


class BundleError(ValueError):
    pass


@dataclass(frozen=True)
class Bundle:
    sender: str
    recipient: str
    envelopes: list[bytes]


def write(sender: str, recipient: str, envelopes: Iterable[bytes]) -> bytes:
    items = list(envelopes)
    for wire in items:
        if b"\n" in wire:
            raise BundleError("an envelope holds a newline; not canonical wire bytes")
    header = canonical.dumps({"format": FORMAT, "from": sender, "to": recipient,
                              "count": len(items),
                              "created_at": datetime.now(UTC).isoformat(timespec="seconds")})
    return b"\n".join([header, *items]) + b"\n"


def read(data: bytes) -> Bundle:
    lines = [line for line in data.split(b"\n") if line.strip()]
    if not lines:
        raise BundleError("the bundle file is empty")
    try:
        header = canonical.loads(lines[0])
    except (ValueError, UnicodeDecodeError):
        raise BundleError("the bundle's first line is not its header") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BundleError(f"not an NCB bundle (format must be {FORMAT})")
    return Bundle(str(header.get("from")), str(header.get("to")), lines[1:])
