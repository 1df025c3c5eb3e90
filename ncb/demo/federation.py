"""`ncb demo --federation`: three agency nodes and one liaison post on loopback, each its own
`ncb serve` process with its own SQLite file and sealed key file, peers registered by
fingerprint, and a realistic exchange between them (ncb/demo/federation_story.py).

Each node listens on its own loopback address (127.0.0.1 .. 127.0.0.4) so a browser keeps a
separate session cookie per node. This process drives the sync, as `ncb node sync` would.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from ncb.demo.guide import DEMO_PASSWORD
from ncb.domain.policy import Principal
from ncb.rules import load_rules
from ncb.services import users
from ncb.services.context import SYSTEM, principal_for, unit_of_work
from ncb.services.federation import node as node_svc
from ncb.services.federation import peers
from ncb.services.federation.node import Node
from ncb.settings import get_settings
from ncb.store.db import make_engine, session_factory
from ncb.store.migrate import upgrade
from ncb.store.models import User


@dataclass(frozen=True)
class NodeSpec:
    code: str
    name: str
    country: str
    rank: int  # the highest classification the node's own agency holds
    logins: tuple[tuple[str, str, str], ...]  # username, role, clearance
    post: bool = False  # a liaison laptop: behind NAT, it pulls; nobody pushes to it


SPECS = (
    NodeSpec("GB-NCA", "National Crime Agency (UK bureau)", "GB", 4,
             (("supervisor", "supervisor", "SECRET"), ("desk", "desk_officer", "OFFICIAL-SENSITIVE"),
              ("admin", "administrator", "SECRET"))),
    NodeSpec("US-FBI", "Federal Bureau of Investigation", "US", 4,
             (("supervisor", "supervisor", "SECRET"), ("desk", "desk_officer", "OFFICIAL-SENSITIVE"))),
    NodeSpec("AU-AFP", "Australian Federal Police", "AU", 4,
             (("supervisor", "supervisor", "SECRET"), ("desk", "desk_officer", "OFFICIAL-SENSITIVE"))),
    NodeSpec("GB-NCA-LOS", "NCA liaison post, Lagos", "GB", 3,
             (("liaison", "liaison_officer", "SECRET"), ("admin", "administrator", "SECRET")),
             post=True),
)
PARTNER_RANK = 2  # bilateral links are accredited to OFFICIAL-SENSITIVE: SECRET stays home
POST_RANK = 3  # the bureau's own post may hold SECRET


@dataclass
class DemoNode:
    spec: NodeSpec
    host: str
    port: int
    root: Path
    passphrase: str
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    engine: Engine | None = None
    proc: subprocess.Popen[bytes] | None = None

    @property
    def code(self) -> str:
        return self.spec.code

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.root / (self.code + '.sqlite3')}"

    @property
    def key_file(self) -> Path:
        return self.root / f"{self.code}.key"

    @property
    def env(self) -> dict[str, str]:
        return {"NCB_DATABASE_URL": self.db_url, "NCB_NODE_KEY_FILE": str(self.key_file),
                "NCB_NODE_PASSPHRASE": self.passphrase, "NCB_HOME_AGENCY": self.code,
                "NCB_SECRET_KEY": self.secret_key, "NCB_DEMO_MODE": "false"}

    def eng(self) -> Engine:
        if self.engine is None:
            self.engine = make_engine(self.db_url)
        return self.engine

    @property
    def factory(self) -> sessionmaker[Session]:
        return session_factory(self.eng())

    def node(self) -> Node:
        with unit_of_work(self.factory, SYSTEM) as s:
            return node_svc.load(s, self.key_file, self.passphrase)

    def principal(self, username: str) -> Principal:
        with unit_of_work(self.factory, SYSTEM) as s:
            return principal_for(s, s.scalars(select(User).where(User.username == username)).one())


@contextmanager
def as_node(n: DemoNode) -> Iterator[None]:
    """Services read the home agency from the settings: point them at this node meanwhile."""
    saved = {k: os.environ.get(k) for k in n.env}
    os.environ.update(n.env)
    get_settings.cache_clear()
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        get_settings.cache_clear()


def plan(root: Path, base_port: int) -> list[DemoNode]:
    return [DemoNode(spec, f"127.0.0.{i + 1}", base_port + i, root,
                     f"demo passphrase of {spec.code.lower()}") for i, spec in enumerate(SPECS)]


def build(nodes: list[DemoNode], log_n: int) -> None:
    """A fresh database, users and keys per node; then every link registered by fingerprint."""
    settings = get_settings()
    for n in nodes:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{n.db_url.removeprefix('sqlite:///')}{suffix}").unlink(missing_ok=True)
        n.key_file.unlink(missing_ok=True)
        upgrade(n.eng())
        with as_node(n), unit_of_work(n.factory, SYSTEM) as s:
            node_svc.init_node(s, n.code, n.spec.name, n.spec.country, n.spec.rank, n.key_file,
                               n.passphrase, log_n)
            for code, team in load_rules().teams.items():
                users.add_team(s, code, team.name, n.code)
            for username, role, clearance in n.spec.logins:
                users.add_user(s, username, DEMO_PASSWORD, f"{username.title()} ({n.code})",
                               n.code, [role], clearance, team_code="general_desk",
                               post="Lagos" if n.spec.post else None,
                               post_countries=["NG"] if n.spec.post else (), settings=settings)
    keys = {n.code: n.node().keys for n in nodes}
    for a in nodes:
        for b in nodes:
            if a is b or (a.spec.post and b.code != "GB-NCA") or (
                    b.spec.post and a.code != "GB-NCA"):
                continue  # the post talks to its home bureau only
            own = (b.code == "GB-NCA" and a.spec.post) or (a.code == "GB-NCA" and b.spec.post)
            with as_node(a), unit_of_work(a.factory, SYSTEM) as s:
                # The fingerprint is what the two officers read to each other on the phone.
                peers.add_peer(s, a.node().principal(), keys[b.code].identity(),
                               keys[b.code].active.public.key_id,
                               None if b.spec.post else b.url, name=b.spec.name,
                               country=b.spec.country, rank=POST_RANK if own else PARTNER_RANK)


def start(nodes: list[DemoNode]) -> None:
    exe = shutil.which("ncb") or str(Path(sys.executable).parent / "ncb")
    for n in nodes:
        log = (n.root / f"{n.code}.log").open("wb")
        n.proc = subprocess.Popen([exe, "serve", "--host", n.host, "--port", str(n.port)],
                                  env={**os.environ, **n.env}, stdout=log,
                                  stderr=subprocess.STDOUT)
    for n in nodes:
        # Generous: four interpreters import the whole app at once on a busy two-core machine.
        deadline = time.monotonic() + 240
        while True:
            try:
                if httpx.get(f"{n.url}/federation/identity", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            exited = n.proc is not None and n.proc.poll() is not None
            if exited or time.monotonic() > deadline:
                tail = (n.root / f"{n.code}.log").read_text(errors="replace")[-2000:]
                why = f"exited with {n.proc.returncode}" if exited and n.proc else "timed out"
                raise RuntimeError(f"node {n.code} did not start ({why}); its log ends:\n{tail}")
            time.sleep(0.2)


def stop(nodes: list[DemoNode]) -> None:
    for n in nodes:
        if n.proc is not None and n.proc.poll() is None:
            n.proc.terminate()
    for n in nodes:
        if n.proc is not None:
            try:
                n.proc.wait(15)
            except subprocess.TimeoutExpired:
                n.proc.kill()
        if n.engine is not None:
            n.engine.dispose()
