"""Shared fixtures: a migrated database on SQLite AND a real PostgreSQL, a seeded bureau, a client.

    def test_x(client, seeded, auth_headers):          # runs twice: sqlite, postgresql
        r = client.get("/auth/me", headers=auth_headers("desk"))

- `engine`: migrated, empty database (params `sqlite`, `postgresql`; the latter is marked
  `postgres`, select with `-m postgres` / `-m "not postgres"`). Fresh per test, copied from a
  template built once per session by `ncb.store.migrate.upgrade`.
- `settings`: Settings pointing at that database (cheap argon2, fixed secret key).
- `factory`: sessionmaker on it.  `system_session`: a session with the SYSTEM principal.
- `seeded`: a small bureau (see `Seeded`); `client`: TestClient over `create_app`;
  `auth_headers(username)`: bearer headers of a seeded user.
- PostgreSQL: one throwaway server per xdist worker from Debian's binaries, run as the
  `postgres` OS user (the server refuses root), stopped at the end of the session.
"""

from __future__ import annotations

import os

# Before anything imports ncb.settings: cheap argon2 and a fixed key, tests only.
os.environ["NCB_ARGON2_TIME_COST"] = "1"
os.environ["NCB_ARGON2_MEMORY_KIB"] = "8"
os.environ["NCB_SECRET_KEY"] = "test-secret-key-not-for-production"

import glob  # noqa: E402
import shutil  # noqa: E402
import socket  # noqa: E402
import sqlite3  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402
from contextlib import closing  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import pytest  # noqa: E402
from sqlalchemy import Engine, text  # noqa: E402
from sqlalchemy.orm import Session, sessionmaker  # noqa: E402

from ncb.domain.policy import Principal  # noqa: E402
from ncb.settings import Settings, get_settings  # noqa: E402
from ncb.store.db import make_engine, session_factory  # noqa: E402

get_settings.cache_clear()

SEED_PASSWORD = "correct horse battery staple"
TEMPLATE_DB = "ncb_template"


# ---------------------------------------------------------------- PostgreSQL server


def _pg_bindir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        pytest.fail(
            "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin. "
            "Run `make test`, which installs them (Debian package `postgresql`).",
            pytrace=False,
        )
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_postgres(*cmd: str) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else list(cmd)


@dataclass
class PgServer:
    port: int
    root: Path
    bindir: Path

    def url(self, db: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{db}"

    def admin(self) -> Engine:
        return make_engine(self.url()).execution_options(isolation_level="AUTOCOMMIT")


def _start_pg() -> PgServer:
    bindir = _pg_bindir()
    root = Path(tempfile.mkdtemp(prefix="ncb-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    data, logfile, port = root / "data", root / "server.log", _free_port()

    def run(*cmd: str) -> None:
        done = subprocess.run(_as_postgres(*cmd), capture_output=True, text=True, cwd=root)
        if done.returncode != 0:
            log = logfile.read_text() if logfile.exists() else ""
            pytest.fail(f"{cmd[0]} failed: {done.stderr or done.stdout}\n{log}", pytrace=False)

    run(str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
        "--locale=C", "--no-sync")
    opts = (f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=100")
    run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(logfile), "-o", opts, "-w", "start")
    return PgServer(port, root, bindir)


def _stop_pg(server: PgServer) -> None:
    subprocess.run(_as_postgres(str(server.bindir / "pg_ctl"), "-D", str(server.root / "data"),
                                "-m", "immediate", "-w", "stop"),
                   capture_output=True, cwd=server.root)
    shutil.rmtree(server.root, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    server = _start_pg()
    try:
        yield server
    finally:
        _stop_pg(server)


@pytest.fixture(scope="session")
def pg_template(pg_server: PgServer) -> str:
    """A database migrated once; each test clones it (CREATE DATABASE ... TEMPLATE)."""
    from ncb.store.migrate import upgrade

    admin = pg_server.admin()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{TEMPLATE_DB}"'))
    engine = make_engine(pg_server.url(TEMPLATE_DB))
    upgrade(engine)
    engine.dispose()
    admin.dispose()
    return TEMPLATE_DB


def new_pg_database(server: PgServer, template: str | None) -> tuple[str, Callable[[], None]]:
    name = f"t_{uuid.uuid4().hex[:16]}"
    admin = server.admin()
    clause = f' TEMPLATE "{template}"' if template else ""
    with admin.connect() as conn:
        for attempt in range(20):  # the template may be briefly busy
            try:
                conn.execute(text(f'CREATE DATABASE "{name}"{clause}'))
                break
            except Exception:
                if attempt == 19:
                    raise
                time.sleep(0.05)

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return server.url(name), drop


# ---------------------------------------------------------------- SQLite template


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from ncb.store.migrate import upgrade

    path = tmp_path_factory.mktemp("sqlite-template") / "template.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    with closing(sqlite3.connect(path)) as conn:  # fold the WAL in, so one file is the db
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


# ---------------------------------------------------------------- per-test database


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of a fresh, migrated database of the parametrised kind."""
    if request.param == "sqlite":
        target = tmp_path / "ncb.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), target)
        yield f"sqlite:///{target}"
        return
    server = request.getfixturevalue("pg_server")
    url, drop = new_pg_database(server, request.getfixturevalue("pg_template"))
    try:
        yield url
    finally:
        drop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of an empty database (no schema), for migration and `ncb db upgrade` tests."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    url, drop = new_pg_database(request.getfixturevalue("pg_server"), None)
    try:
        yield url
    finally:
        drop()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    try:
        yield eng
    finally:
        eng.dispose()


@pytest.fixture
def settings(engine: Engine) -> Settings:
    return Settings(database_url=engine.url.render_as_string(hide_password=False))


@pytest.fixture
def factory(engine: Engine, settings: Settings) -> sessionmaker[Session]:
    return session_factory(engine, settings)  # the same settings as the `app` fixture's


@pytest.fixture
def system_session(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session in the SYSTEM context (sees everything); commit yourself."""
    from ncb.services.context import SYSTEM
    from ncb.store.access import PRINCIPAL

    session = factory()
    session.info[PRINCIPAL] = SYSTEM
    try:
        yield session
    finally:
        session.rollback()
        session.close()


# ---------------------------------------------------------------- the seeded bureau

AGENCIES = [  # code, name, country, kind, channels, max classification rank
    ("GB-NCA", "National Crime Agency (UK NCB)", "GB", "ncb",
     ["interpol", "europol", "schengen", "eaw", "bilateral", "liaison"], 4),
    ("US-FBI", "Federal Bureau of Investigation", "US", "police", ["bilateral", "interpol"], 3),
    ("CA-RCMP", "Royal Canadian Mounted Police", "CA", "police", ["bilateral", "interpol"], 3),
    ("FR-NCB", "Interpol NCB Paris", "FR", "interpol", ["interpol", "schengen", "europol"], 2),
    ("EUROPOL", "Europol", "NL", "europol", ["europol"], 2),
]
GROUPS = [  # code, name, members
    ("five_eyes", "Five Eyes law enforcement group", ["GB-NCA", "US-FBI", "CA-RCMP"]),
    ("interpol_ncbs", "Interpol NCBs", ["GB-NCA", "FR-NCB"]),
    ("europol", "Europol and its liaison bureaux", ["GB-NCA", "EUROPOL"]),
]
USERS = [  # username, agency, roles, clearance, team
    ("desk", "GB-NCA", ["desk_officer"], "OFFICIAL-SENSITIVE", "general_desk"),
    ("supervisor", "GB-NCA", ["supervisor"], "SECRET", "general_desk"),
    ("analyst", "GB-NCA", ["analyst"], "SECRET", "intel_analysis"),
    ("liaison", "GB-NCA", ["liaison_officer"], "SECRET", "liaison_coordination"),
    ("extradition", "GB-NCA", ["extradition_officer"], "OFFICIAL-SENSITIVE", "eaw_extradition"),
    ("tips", "GB-NCA", ["tip_handler"], "OFFICIAL", "fugitives"),
    ("admin", "GB-NCA", ["administrator"], "SECRET", None),
    ("partner", "US-FBI", ["partner_user"], "SECRET", None),
    ("rcmp", "CA-RCMP", ["partner_user"], "OFFICIAL-SENSITIVE", None),
    ("ncbfr", "FR-NCB", ["partner_user"], "OFFICIAL-SENSITIVE", None),
    ("europol", "EUROPOL", ["partner_user"], "OFFICIAL-SENSITIVE", None),
]


@dataclass
class Seeded:
    """Ids, principals and bearer tokens of the seeded bureau, keyed by code / username."""

    agencies: dict[str, int] = field(default_factory=dict)
    groups: dict[str, int] = field(default_factory=dict)
    teams: dict[str, int] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)
    principals: dict[str, Principal] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    password: str = SEED_PASSWORD

    def headers(self, username: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[username]}"}


def seed_bureau(factory: sessionmaker[Session], settings: Settings) -> Seeded:
    from ncb.rules import load_rules
    from ncb.services import users as svc
    from ncb.services.auth import issue_token
    from ncb.services.context import SYSTEM, principal_for
    from ncb.store.access import PRINCIPAL
    from ncb.store.db import transaction

    out = Seeded()
    with transaction(factory, **{PRINCIPAL: SYSTEM}) as s:
        for code, name, country, kind, channels, rank in AGENCIES:
            out.agencies[code] = svc.add_agency(s, code, name, country, kind, channels, rank).id
        for code, name, members in GROUPS:
            out.groups[code] = svc.add_group(s, code, name, members).id
        for code, rule_team in load_rules().teams.items():
            out.teams[code] = svc.add_team(s, code, rule_team.name, "GB-NCA").id
        for username, agency, roles, clearance, team in USERS:
            user = svc.add_user(s, username, SEED_PASSWORD, username.title(), agency, roles,
                                clearance, team_code=team,
                                post="Washington" if username == "liaison" else None,
                                post_countries=["US"] if username == "liaison" else (),
                                settings=settings)
            out.users[username] = user.id
            out.principals[username] = principal_for(s, user)
            out.tokens[username] = issue_token(s, user, "bearer", settings).token
    return out


@pytest.fixture
def seeded(factory: sessionmaker[Session], settings: Settings) -> Seeded:
    return seed_bureau(factory, settings)


@pytest.fixture
def app(engine: Engine, settings: Settings) -> Any:
    from ncb.app import create_app

    return create_app(settings, engine)


@pytest.fixture
def client(app: Any) -> Iterator[Any]:
    from fastapi.testclient import TestClient

    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def auth_headers(seeded: Seeded) -> Callable[[str], dict[str, str]]:
    return seeded.headers


@pytest.fixture(autouse=True)
def _fresh_public_limits() -> Iterator[None]:
    """The public tip line's flood meters live in process memory (ncb.services.tip_forms): a
    test that floods the line must not leave the next test in the same worker flooded."""
    from ncb.services.tip_forms import PIN_FAILURES, SLOW_LANE, SUBMISSIONS

    for meter in (SUBMISSIONS, PIN_FAILURES, SLOW_LANE):
        meter.reset()
    yield
