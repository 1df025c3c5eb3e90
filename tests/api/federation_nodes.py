"""Three nodes as separate `ncb serve` processes on loopback, each with its own SQLite file:
GB-NCA (driven from the test process, as `ncb node sync` would), US-FBI and CA-RCMP (servers)."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from random import Random
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from ncb.federation import canonical
from ncb.services.context import SYSTEM, principal_for, unit_of_work
from ncb.services.federation import node as node_svc
from ncb.services.federation import peers
from ncb.services.federation.node import Node
from ncb.settings import Settings
from ncb.store.db import make_engine, session_factory
from ncb.store.models import Agency, Case, Note, User
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


def start(n: N, tmp: Path) -> None:
    """Start on a free port; another process may take the port between the probe and the bind,
    so a server that exits is started again on another."""
    env = {**os.environ, "NCB_DATABASE_URL": n.db, "NCB_NODE_KEY_FILE": str(n.key_file),
           "NCB_NODE_PASSPHRASE": PASS, "NCB_HOME_AGENCY": n.code}
    for _ in range(5):
        port = _free_port()
        n.url = f"http://127.0.0.1:{port}"
        log = (tmp / f"{n.code}.log").open("ab")
        n.proc = subprocess.Popen([str(Path(sys.executable).parent / "ncb"), "serve", "--port",
                                   str(port)], env=env, stdout=log, stderr=subprocess.STDOUT)
        if wait(n):
            return
    pytest.fail(f"node {n.code} did not start; see {tmp / n.code}.log", pytrace=False)


def wait(n: N) -> bool:
    assert n.proc is not None
    for _ in range(600):
        if n.proc.poll() is not None:
            return False  # exited: most likely the port was taken
        with contextlib.suppress(httpx.HTTPError):  # not listening yet
            if httpx.get(f"{n.url}/federation/identity", timeout=1).status_code == 200:
                return True
        time.sleep(0.1)
    n.proc.kill()
    return False


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
        out[code] = N(code, "http://127.0.0.1:9", factory, node, key_file, db)
    for code in CODES[1:]:  # servers read their peers per request: register them afterwards
        start(out[code], tmp)
    for a in out.values():
        for b in out.values():
            if a is not b:
                with unit_of_work(a.factory, SYSTEM) as s:
                    peers.add_peer(s, a.node.principal(), b.node.keys.identity(),
                                   b.node.keys.active.public.key_id, b.url)
    yield out
    for n in out.values():
        if n.proc is not None:
            n.proc.terminate()
            n.proc.wait(10)


def uk_case(uk: N, title: str = "Synthetic opioids posted from Vancouver", **markings: object) -> str:
    from tests.conftest import Seeded

    with unit_of_work(uk.factory, SYSTEM) as s:
        user = s.scalars(select(User).where(User.username == "supervisor")).one()
        seeded = Seeded(principals={"supervisor": principal_for(s, user)})
    return make_case(Fed(uk.factory, uk.node, uk.node.keys, uk.key_file), seeded,
                     title=title, **markings)


def titles(n: N) -> list[str]:
    with unit_of_work(n.factory, SYSTEM) as s:
        return list(s.scalars(select(Case.title).where(Case.title.like("Synthetic%"))))


def notes(n: N) -> list[str]:
    with unit_of_work(n.factory, SYSTEM) as s:
        return sorted(s.scalars(select(Note.body)))


def principal(n: N, username: str) -> Any:
    with unit_of_work(n.factory, SYSTEM) as s:
        return principal_for(s, s.scalars(select(User).where(User.username == username)).one())


def case_id(n: N, ref: str) -> int:
    with unit_of_work(n.factory, SYSTEM) as s:
        return int(s.scalars(select(Case.id).where(Case.reference == ref)).one())


class Link(httpx.BaseTransport):
    """Real HTTP that records the envelope ids of every push and drops after `cut` pushes."""

    def __init__(self, cut: int | None = None) -> None:
        self.inner, self.cut, self.pushed = httpx.HTTPTransport(), cut, list[str]()
        self.requests = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/federation/inbox":
            if self.cut is not None and self.requests >= self.cut:
                raise httpx.ConnectError("the satellite link dropped", request=request)
            self.requests += 1
            body = canonical.loads(request.content)
            self.pushed += [canonical.loads(w.encode())["header"]["id"] for w in body["envelopes"]]
        return self.inner.handle_request(request)


class Flaky(Link):
    """A link that comes and goes over a week: each push arrives shuffled, some envelopes twice,
    some held back and delivered with a later push (a delayed relay, a late USB stick)."""

    def __init__(self, rng: Random) -> None:
        super().__init__()
        self.rng, self.held, self.duplicated, self.delayed = rng, list[str](), 0, 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path != "/federation/inbox":
            return self.inner.handle_request(request)
        sent, self.held = canonical.loads(request.content)["envelopes"] + self.held, []
        out: list[str] = []
        for wire in sent:
            roll = self.rng.random()
            if roll < 0.25:
                self.held.append(wire)  # delayed to a later push
                self.delayed += 1
                continue
            out += [wire, wire] if roll > 0.8 else [wire]
            self.duplicated += roll > 0.8
        self.rng.shuffle(out)
        return super().handle_request(httpx.Request("POST", request.url,
                                                    json={"envelopes": out}))
