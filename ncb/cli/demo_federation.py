"""`ncb demo --federation`: build the four nodes, start them, play the exchange, print how to look.

Runs until Ctrl-C (syncing every node every `--sync-every` seconds so what officers send from
one node reaches the others), or for `--stop-after` seconds.
"""

from __future__ import annotations

import time
from pathlib import Path

from rich.console import Console

from ncb.demo.federation import build, plan, start, stop
from ncb.demo.federation_story import play, sync_all
from ncb.demo.guide import DEMO_PASSWORD
from ncb.federation.keys import display


def run_federation(root: Path, base_port: int, stop_after: float | None, sync_every: float,
                   log_n: int, console: Console) -> None:
    root.mkdir(parents=True, exist_ok=True)
    nodes = plan(root.resolve(), base_port)
    by_code = {n.code: n for n in nodes}
    console.print(f"Building {len(nodes)} nodes in {root} (databases, users, sealed keys, "
                  "peers by fingerprint)...")
    build(nodes, log_n)
    try:
        start(nodes)
        story = play(by_code)
        console.print("\nExchange:", highlight=False)
        for line in story.lines:
            console.print(f"  {line}", highlight=False, markup=False)
        console.print(f"\nNodes (every login's password: {DEMO_PASSWORD}):", highlight=False)
        for n in nodes:
            fp = display(n.node().keys.active.public.key_id)
            who = ", ".join(f"{u} ({r})" for u, r, _ in n.spec.logins)
            console.print(f"  {n.code:<11} {n.url}/login  logins: {who}\n"
                          f"  {'':<11} fingerprint {fp}"
                          + (f"\n  {'':<11} liaison post (pulls from GB-NCA; key passphrase: "
                             f"{n.passphrase!r})" if n.spec.post else ""),
                          highlight=False, markup=False)
        console.print("Node pages: /w/federation (supervisor or admin). Logs: "
                      f"{root}/<node>.log. Ctrl-C stops every node.", highlight=False)
        deadline = None if stop_after is None else time.monotonic() + stop_after
        order = [n.code for n in nodes]
        while deadline is None or time.monotonic() < deadline:
            wait = sync_every if deadline is None else min(sync_every,
                                                           max(0.0, deadline - time.monotonic()))
            time.sleep(wait)
            if deadline is not None and time.monotonic() >= deadline:
                break
            for err in sync_all(by_code, order):
                console.print(f"  sync: {err}", highlight=False, markup=False)
    except KeyboardInterrupt:
        console.print("stopping the nodes")
    finally:
        stop(nodes)
