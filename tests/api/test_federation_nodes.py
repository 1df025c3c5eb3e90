"""Three nodes as separate `ncb serve` processes on loopback, each with its own SQLite file.

GB-NCA (this test process drives its sync, as `ncb node sync` would), US-FBI and CA-RCMP
(servers). A case travels with exactly what its markings allow; a replay changes nothing;
one flipped byte is refused and audited; onward sharing the originator forbids is refused;
a revoked key's envelopes are refused; a recall reaches both and both acknowledge.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from ncb.federation import canonical
from ncb.services.context import SYSTEM, unit_of_work
from ncb.services.errors import Forbidden
from ncb.services.federation import node as node_svc
from ncb.services.federation import peers, recall, share, sync
from ncb.services.federation.node import Node
from ncb.settings import Settings
from ncb.store.db import make_engine, session_factory
from ncb.store.models import Agency, AuditEntry, Case, FedOutbox, Note
from tests.conftest import _free_port, seed_bureau
from tests.services.federation.conftest import Fed, make_case

PASS = "node passphrase for tests"
CODES = ("GB-NCA", "US-FBI", "CA-RCMP")


@dataclass
class N:
    code: str
    url: str
    factory: sessionmaker[Session]
    node: Node
    key_file: Path
    db: str
    proc: subprocess.Popen[bytes] | None = None


def _start(n: N, tmp: Path) -> None:
    env = {**os.environ, "NCB_DATABASE_URL": n.db, "NCB_NODE_KEY_FILE": str(n.key_file),
           "NCB_NODE_PASSPHRASE": PASS, "NCB_HOME_AGENCY": n.code}
    port = n.url.rsplit(":", 1)[1]
    log = (tmp / f"{n.code}.log").open("wb")
    n.proc = subprocess.Popen([str(Path(sys.executable).parent / "ncb"), "serve", "--port", port],
                              env=env, stdout=log, stderr=subprocess.STDOUT)


def _wait(n: N) -> None:
    for _ in range(300):
        try:
            if httpx.get(f"{n.url}/federation/identity", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    pytest.fail(f"node {n.code} did not start", pytrace=False)


@pytest.fixture(scope="module")
def nodes(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[dict[str, N]]:
    tmp = tmp_path_factory.mktemp("nodes")
    out: dict[str, N] = {}
    for code in CODES:
        path = tmp / f"{code}.sqlite3"
        shutil.copyfile(sqlite_template, path)
        db = f"sqlite:///{path}"
        factory = session_factory(make_engine(db))
        seed_bureau(factory, Settings(database_url=db))
        key_file = tmp / f"{code}.key"
        with unit_of_work(factory, SYSTEM) as s:
            node_svc.init_node(s, code, code, code[:2], 4, key_file, PASS, 10)
            # Each link accredited to OFFICIAL-SENSITIVE: SECRET stays at home.
            s.execute(update(Agency).where(Agency.code != code).values(max_classification_rank=2))
        with unit_of_work(factory, SYSTEM) as s:
            node = node_svc.load(s, key_file, PASS)
        out[code] = N(code, f"http://127.0.0.1:{_free_port()}", factory, node, key_file, db)
    for a in out.values():
        for b in out.values():
            if a is not b:
                with unit_of_work(a.factory, SYSTEM) as s:
                    peers.add_peer(s, a.node.principal(), b.node.keys.identity(),
                                   b.node.keys.active.public.key_id, b.url)
    for code in CODES[1:]:
        _start(out[code], tmp)
    for code in CODES[1:]:
        _wait(out[code])
    yield out
    for n in out.values():
        if n.proc is not None:
            n.proc.terminate()
            n.proc.wait(10)


def _uk_case(uk: N) -> str:
    from tests.conftest import Seeded

    with unit_of_work(uk.factory, SYSTEM) as s:
        from ncb.services.context import principal_for
        from ncb.store.models import User
        user = s.scalars(select(User).where(User.username == "supervisor")).one()
        seeded = Seeded(principals={"supervisor": principal_for(s, user)})
    return make_case(Fed(uk.factory, uk.node, uk.node.keys, uk.key_file), seeded,
                     title="Synthetic opioids posted from Vancouver")


def _titles(n: N) -> list[str]:
    with unit_of_work(n.factory, SYSTEM) as s:
        return list(s.scalars(select(Case.title).where(Case.title.like("Synthetic%"))))


def _notes(n: N) -> list[str]:
    with unit_of_work(n.factory, SYSTEM) as s:
        return sorted(s.scalars(select(Note.body)))


def test_three_nodes_share_replay_tamper_onward_recall(nodes: dict[str, N]) -> None:
    uk, fbi, rcmp = (nodes[c] for c in CODES)
    ref = _uk_case(uk)
    p = SYSTEM
    with unit_of_work(uk.factory, SYSTEM) as s:
        from ncb.services.context import principal_for
        from ncb.store.models import User
        p = principal_for(s, s.scalars(select(User).where(User.username == "supervisor")).one())
    with unit_of_work(uk.factory, p) as s:
        share.send_case(s, p, uk.node, ref, ["US-FBI", "CA-RCMP"], "joint operation")
    results = sync.sync(uk.factory, uk.node)
    assert all(not r.errors for r in results), results
    # Arrived with exactly what the markings allow: the shared note, not SECRET or internal.
    assert _titles(fbi) == ["Synthetic opioids posted from Vancouver"]
    assert _notes(fbi) == ["Shared lead: warehouse in Newark."]
    assert _titles(rcmp) == ["Synthetic opioids posted from Vancouver"]
    assert _notes(rcmp) == []  # that note was shared with US-FBI only

    # Replay and one flipped byte, straight at the FBI node's inbox.
    with unit_of_work(uk.factory, SYSTEM) as s:
        wire = s.scalars(select(FedOutbox.wire).where(FedOutbox.recipient == "US-FBI")
                         .order_by(FedOutbox.seq)).first()
    assert wire is not None
    replay = httpx.post(f"{fbi.url}/federation/inbox", json={"envelopes": [wire.decode()]}).json()
    assert replay["receipts"][0]["state"] == "duplicate"
    bad = bytearray(wire)
    bad[len(bad) // 3] ^= 0x01
    refused = httpx.post(f"{fbi.url}/federation/inbox",
                         json={"envelopes": [bytes(bad).decode(errors="replace")]}).json()
    assert refused["receipts"][0]["state"] == "refused"
    assert _titles(fbi) == ["Synthetic opioids posted from Vancouver"]
    with unit_of_work(fbi.factory, SYSTEM) as s:
        details = [e.details for e in s.scalars(select(AuditEntry).where(
            AuditEntry.record_kind == "fed_envelope"))]
    assert any(d.get("outcome") == "refused" for d in details)
    assert any(d.get("outcome") == "applied" for d in details)  # receipt audited

    # Onward: TLP:AMBER from GB-NCA may not be passed on by US-FBI.
    with unit_of_work(fbi.factory, SYSTEM) as s:
        fbi_ref = s.scalars(select(Case.reference).where(Case.title.like("Synthetic%"))).one()
    fbi_user = _principal(fbi, "supervisor")  # may share onward; the marking still refuses
    with unit_of_work(fbi.factory, fbi_user) as s, pytest.raises(Forbidden) as exc:
        share.send_case(s, fbi_user, fbi.node, fbi_ref, ["CA-RCMP"])
    assert "TLP:AMBER" in str(exc.value.extra["decisions"])

    # Recall: both remove it and acknowledge; UK sees both acknowledgements.
    with unit_of_work(uk.factory, p) as s:
        rec = recall.recall_case(s, p, uk.node, ref, "erase", "source withdrew consent")
    pushed = sync.sync(uk.factory, uk.node)  # push the recalls
    assert all(not r.errors for r in pushed), pushed
    assert _titles(fbi) == [] and _titles(rcmp) == [] and _notes(fbi) == []
    sync.sync(uk.factory, uk.node)  # pull the acknowledgements
    with unit_of_work(uk.factory, SYSTEM) as s:
        [view] = [v for v in recall.recalls(s) if v.recall_id == rec.recall_id]
    assert view.acknowledged == ["CA-RCMP", "US-FBI"] and view.pending == []


def _principal(n: N, username: str):  # type: ignore[no-untyped-def]
    from ncb.services.context import principal_for
    from ncb.store.models import User

    with unit_of_work(n.factory, SYSTEM) as s:
        return principal_for(s, s.scalars(select(User).where(User.username == username)).one())


def test_revoked_key_envelopes_refused_at_the_server(nodes: dict[str, N]) -> None:
    uk, rcmp = nodes["GB-NCA"], nodes["CA-RCMP"]
    from ncb.federation import envelope
    from ncb.federation.keys import NodeKeys

    stranger = NodeKeys.generate("GB-NCA")  # claims to be GB-NCA with an unregistered key
    _, wire = envelope.seal(stranger, "CA-RCMP", rcmp.node.keys.active.public, 999, "case",
                            {"objects": []})
    got = httpx.post(f"{rcmp.url}/federation/inbox", json={"envelopes": [wire.decode()]}).json()
    assert got["receipts"][0]["rule"] == "unknown_key"
    doc = canonical.loads(wire)
    assert doc["header"]["from"] == "GB-NCA"
    assert uk.code == "GB-NCA"
