"""Apply attachment contents: a `blob` envelope fills the attachment record its case brought.

Blobs travel in their own lane (their own sequence), so they are applied in their order but
only once the case envelope that carried the attachment's record has been applied: the
payload's `after` names that envelope's main-lane sequence (apply.py waits for it). Version 2
carries the contents as raw bytes after the JSON; version 1 as base64 inside it.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncb.federation import canonical
from ncb.services.federation.node import Node
from ncb.store.models import Attachment, FedObject


def apply_blob(
    session: Session, node: Node, header: dict[str, Any], payload: dict[str, Any]
) -> dict[str, Any]:
    known = session.scalar(select(FedObject).where(FedObject.origin_id == str(payload.get("object"))))
    if known is None or known.local_kind != "attachment" or known.withdrawn_at is not None:
        return {"refused": "no accepted attachment for this content"}
    att = session.get(Attachment, known.local_id)
    raw = payload.get("data", "")  # version 2: raw bytes; version 1: base64 in the JSON
    data = raw if isinstance(raw, bytes) else canonical.unb64(str(raw))
    if att is None or hashlib.sha256(data).hexdigest() != att.sha256:
        return {"refused": "attachment content does not match its hash"}
    att.data, att.size = data, len(data)
    return {"applied": [known.origin_id]}
