"""`ncb backup FILE` / `ncb restore FILE`: a consistent copy of the database, and back.

SQLite: the online backup API (a consistent snapshot while the server keeps writing).
PostgreSQL: pg_dump / pg_restore (custom format) from Debian's binaries. After a restore the
audit chain is verified with this bureau's key (`ncb audit verify`): a backup restored
elsewhere, or tampered with, fails there. The audit key is never in the backup.
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.engine import URL, make_url

from ncb.cli.db import cli_settings, err, fail, out
from ncb.cli.main import app


def pg_tool(name: str) -> str:
    """The newest Debian PostgreSQL client binary (pg_dump must not be older than the server)."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    path = found[-1] if found else shutil.which(name)
    if not path:
        fail(f"{name} not found: install Debian's postgresql-client", field=name)
    return path


def pg_args(url: URL) -> tuple[list[str], dict[str, str]]:
    """libpq options and environment for a SQLAlchemy PostgreSQL URL (password via PGPASSWORD,
    never on the command line; a Unix-socket host from `?host=`)."""
    args = ["--dbname", url.database or "postgres"]
    host = url.query.get("host") or url.host
    if isinstance(host, tuple):
        host = host[0]
    if host:
        args += ["--host", host]
    if url.port:
        args += ["--port", str(url.port)]
    if url.username:
        args += ["--username", url.username]
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return args, env


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        fail("an in-memory SQLite database cannot be backed up", field="NCB_DATABASE_URL")
    return Path(url.database)


def _copy_sqlite(source: Path, target: Path) -> None:
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)  # page by page, consistent even while others write


def _run(cmd: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        err.print(f"[red]{Path(cmd[0]).name} failed[/red]: {done.stderr.strip()}", highlight=False)
        raise typer.Exit(code=1)


@app.command("backup")
def backup(
    target: Annotated[Path, typer.Argument(help="File to write (refused if it exists)")],
) -> None:
    """Write a consistent copy of the database (the server may keep running)."""
    url = make_url(cli_settings().database_url)
    if target.exists():
        fail(f"{target} exists; choose a new file", field="FILE")
    if url.get_backend_name() == "sqlite":
        _copy_sqlite(_sqlite_path(url), target)
    else:
        args, env = pg_args(url)
        _run([pg_tool("pg_dump"), "--format=custom", "--file", str(target), *args], env)
    out.print(f"backup written: {target} ({target.stat().st_size:,} bytes)", highlight=False)


@app.command("restore")
def restore(
    source: Annotated[Path, typer.Argument(help="A file written by `ncb backup`")],
    checkpoint: Annotated[Path | None, typer.Option(
        help="Signed checkpoints (`ncb audit checkpoint`) to verify the restored chain against")
    ] = None,
) -> None:
    """Replace the database with a backup (stop the server first), then verify the audit chain."""
    from ncb.cli.audit import verify

    url = make_url(cli_settings().database_url)
    if not source.is_file():
        fail(f"no such file: {source}", field="FILE")
    if url.get_backend_name() == "sqlite":
        with open(source, "rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                fail(f"{source} is not a SQLite backup", field="FILE")
        path = _sqlite_path(url)
        for stale in (Path(f"{path}-wal"), Path(f"{path}-shm")):
            stale.unlink(missing_ok=True)
        _copy_sqlite(source, path)
    else:
        args, env = pg_args(url)
        _run([pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner",
              "--single-transaction", "--exit-on-error", *args, str(source)], env)
    out.print(f"restored from {source}; verifying the audit chain", highlight=False)
    verify(checkpoint=checkpoint)
