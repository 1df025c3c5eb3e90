"""Catch-up: N envelopes queued at GB-NCA for US-FBI while the link was down, then one sync.

US-FBI is a real `ncb serve` process on loopback with its own SQLite file; this process is
GB-NCA and pushes as `ncb node sync` would (real HTTP). Timed until every envelope is
verified, decrypted, applied and the receiver's cursor stands at N. Beside it, in the same
run: queueing only (seal + store at the sender) and the same request bodies posted to a
do-nothing inbox on the same HTTP stack (bench/federation_sink.py).

    .venv/bin/python -m bench.federation_catchup [--n 10000] [--batch 500]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from sqlalchemy import func, select

from bench.federation import typical_case
from ncb.demo import federation as demo
from ncb.services.context import SYSTEM, unit_of_work
from ncb.services.federation import outbox, sync
from ncb.store.access import PRINCIPAL
from ncb.store.db import transaction
from ncb.store.models import Case, FedCursor, FedInbox, FedOutbox


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc): the part of a run load cannot inflate."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def started(launch: Callable[[int], None], tries: int = 5) -> int:
    """Start a server on a free port; another process may take the port first, so retry."""
    for _ in range(tries):
        port = free_port()
        try:
            launch(port)
            return port
        except RuntimeError:
            continue
    raise RuntimeError("no free port after retries")


def wait_up(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            httpx.get(f"{url}/federation/identity", timeout=2)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("server did not start")


def queue(uk: demo.DemoNode, n: int) -> float:
    node = uk.node()
    t = time.perf_counter()
    with demo.as_node(uk):
        for start in range(0, n, 500):
            with transaction(uk.factory, **{PRINCIPAL: node.principal()}) as s:
                for i in range(start, min(n, start + 500)):
                    outbox.enqueue(s, node, "US-FBI", "case", typical_case(i + 1))
    return time.perf_counter() - t


def baseline(uk: demo.DemoNode, root: Path, batch: int) -> tuple[float, float, int]:
    """The same request bodies to a do-nothing inbox: HTTP + JSON + request parsing only."""
    with unit_of_work(uk.factory, SYSTEM) as s:
        wires = [w.decode() for w in s.scalars(select(FedOutbox.wire).order_by(FedOutbox.seq))]
    procs: list[subprocess.Popen[bytes]] = []

    def launch(port: int) -> None:
        log = (root / "sink.log").open("wb")
        procs.append(subprocess.Popen([sys.executable, "-m", "bench.federation_sink", "--port",
                                       str(port)], stdout=log, stderr=subprocess.STDOUT))
        wait_up(f"http://127.0.0.1:{port}", procs[-1])

    port = started(launch)
    sent = 0
    try:
        with httpx.Client(timeout=120) as client:
            t, cpu = time.perf_counter(), cpu_seconds(procs[-1].pid)
            for i in range(0, len(wires), batch):
                body = {"envelopes": wires[i:i + batch]}
                resp = client.post(f"http://127.0.0.1:{port}/federation/inbox", json=body)
                resp.raise_for_status()
                sent += len(resp.request.content)
            took, cpu = time.perf_counter() - t, cpu_seconds(procs[-1].pid) - cpu
    finally:
        procs[-1].terminate()
        procs[-1].wait(10)
    return took, cpu, sent


def catch_up(uk: demo.DemoNode, fbi: demo.DemoNode, batch: int) -> tuple[float, float, float]:
    """Wall seconds, receiver CPU seconds, sender CPU seconds."""
    def launch(port: int) -> None:
        fbi.port = port
        demo.start([fbi])

    started(launch)
    node = uk.node()
    try:
        with demo.as_node(uk), httpx.Client(timeout=600) as client:
            assert fbi.proc is not None
            t, cpu, own = time.perf_counter(), cpu_seconds(fbi.proc.pid), time.process_time()
            sync.push(uk.factory, node, "US-FBI", fbi.url, client, batch, 5.0)
            return (time.perf_counter() - t, cpu_seconds(fbi.proc.pid) - cpu,
                    time.process_time() - own)
    finally:
        demo.stop([fbi])


def check(fbi: demo.DemoNode, n: int) -> str:
    with unit_of_work(fbi.factory, SYSTEM) as s:
        applied = s.scalar(select(func.count()).select_from(FedInbox)
                           .where(FedInbox.state == "applied"))
        cursor = s.get(FedCursor, "GB-NCA")
        cases = s.scalar(select(func.count()).select_from(Case).where(Case.direction == "incoming"))
    if applied != n or cursor is None or cursor.in_seq != n or cases != n:
        raise SystemExit(f"catch-up incomplete: applied {applied}, cursor "
                         f"{cursor and cursor.in_seq}, cases {cases} of {n}")
    return f"receiver: {applied:,} applied, cursor {cursor.in_seq:,}, {cases:,} cases"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--batch", type=int, default=500, help="envelopes per request")
    ap.add_argument("--dir", type=Path, default=None)
    args = ap.parse_args()
    root = args.dir or Path(tempfile.mkdtemp(prefix="ncb-catchup-"))
    root.mkdir(parents=True, exist_ok=True)
    uk, fbi = (demo.DemoNode(spec, "127.0.0.1", 0, root, f"bench passphrase {spec.code}")
               for spec in demo.SPECS[:2])
    demo.build([uk, fbi], log_n=10)
    n = args.n
    t, cpu = time.perf_counter(), time.process_time()
    queue(uk, n)
    q, qc = time.perf_counter() - t, time.process_time() - cpu
    print(f"{n:,} envelopes of a typical case, {args.batch} per request; wall s, CPU s, envelopes/s")
    print(f"queue at the sender (seal + store):   {q:7.1f} {qc:7.1f} {n / q:8,.0f}")
    b, bc, sent = baseline(uk, root, args.batch)
    print(f"baseline: to a do-nothing inbox:      {b:7.1f} {bc:7.1f} {n / b:8,.0f}"
          f"   ({sent / n:,.0f} B/envelope on the wire)")
    c, cc, sc = catch_up(uk, fbi, args.batch)
    print(f"catch-up: push, verify, decrypt, apply, cursor: {c:7.1f} {n / c:8,.0f}/s;"
          f" CPU receiver {cc:.1f} s ({n / cc:,.0f}/CPU-s), sender {sc:.1f} s")
    print(check(fbi, n))
    print(f"databases and logs in {root}")


if __name__ == "__main__":
    main()
