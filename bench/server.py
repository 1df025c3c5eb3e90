"""`ncb serve` as a separate process on loopback, for the load bench and the crash tests:
what runs there is exactly what an operator starts, not an in-process test client."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

NCB = str(Path(sys.executable).with_name("ncb"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(env: dict[str, str], port: int, wait_seconds: float = 60) -> subprocess.Popen[bytes]:
    """Start the server and return once /health answers; RuntimeError if it never does."""
    proc = subprocess.Popen([NCB, "serve", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the server did not start")
