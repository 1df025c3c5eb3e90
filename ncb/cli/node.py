"""`ncb node ...`: this node's keys, its peers, sending, recalls, sync and USB bundles."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.orm import Session, sessionmaker

from ncb.cli.db import cli_engine, cli_settings, fail, out, principal_named
from ncb.cli.main import app
from ncb.federation import bundle
from ncb.federation.keys import display
from ncb.services.context import SYSTEM, unit_of_work
from ncb.services.errors import ServiceError
from ncb.services.federation import inbox, outbox, peers, recall, share, sync
from ncb.services.federation import node as node_svc
from ncb.services.federation.node import Node
from ncb.store.db import session_factory

node_app = typer.Typer(help="Federation: this node, its peers, sync and bundles.",
                       no_args_is_help=True)
peer_app = typer.Typer(help="Peer nodes, registered by key fingerprint.", no_args_is_help=True)
app.add_typer(node_app, name="node")
node_app.add_typer(peer_app, name="peer")


@contextmanager
def _ctx() -> Iterator[tuple[sessionmaker[Session], Node]]:
    settings = cli_settings()
    engine = cli_engine(settings)
    factory = session_factory(engine)
    try:
        with unit_of_work(factory, SYSTEM) as s:
            node = node_svc.from_settings(s, settings)
        yield factory, node
    except ServiceError as exc:
        fail(exc.detail, field=exc.field)
    finally:
        engine.dispose()


@node_app.command("init")
def init(agency: str = typer.Option(..., help="This node's agency code."),
         name: str = typer.Option("", help="Agency name (if not registered yet)."),
         country: str = typer.Option("GB", help="ISO country code of the agency."),
         rank: int = typer.Option(2, help="Highest classification rank the agency holds.")) -> None:
    """Generate this node's keys, seal them to NCB_NODE_KEY_FILE, print the fingerprint."""
    settings = cli_settings()
    engine = cli_engine(settings)
    try:
        with unit_of_work(session_factory(engine), SYSTEM) as s:
            keys = node_svc.init_node(s, agency, name or agency, country, rank,
                                      Path(settings.node_key_file), settings.node_passphrase,
                                      settings.node_scrypt_log_n)
    except ServiceError as exc:
        fail(exc.detail, field=exc.field)
    finally:
        engine.dispose()
    out.print(f"node {agency} fingerprint {display(keys.active.public.key_id)}", highlight=False)


@node_app.command("identity")
def identity() -> None:
    """Print this node's public identity (JSON) to hand to peers out of band."""
    with _ctx() as (_, node):
        print(json.dumps(node.keys.identity(), indent=2))


@node_app.command("rotate")
def rotate() -> None:
    """New keys; the new public key is announced to every peer signed with the old one."""
    from ncb.services.federation import rotation

    settings = cli_settings()
    with _ctx() as (factory, node), unit_of_work(factory, SYSTEM) as s:
        keys = node_svc.rotate(s, node, Path(settings.node_key_file), settings.node_passphrase,
                               settings.node_scrypt_log_n)
        sent = rotation.announce_rotation(s, node, keys)
    out.print(f"new fingerprint {display(keys.active.public.key_id)}; announced to "
              f"{', '.join(sent) or 'no peer'}", highlight=False)


@peer_app.command("add")
def peer_add(identity_file: Annotated[Path, typer.Argument(help="The peer's `ncb node identity` JSON.")],
             fingerprint: str = typer.Option(..., help="Fingerprint confirmed with the peer."),
             url: str = typer.Option("", help="The peer's base URL (empty: bundles only)."),
             rank: int = typer.Option(2, help="Highest classification rank it may receive.")) -> None:
    try:
        data = json.loads(identity_file.read_text())
    except (OSError, ValueError) as exc:
        fail(f"cannot read the identity file: {exc}", field="identity_file")
    with _ctx() as (factory, node), unit_of_work(factory, SYSTEM) as s:
        peer = peers.add_peer(s, node.principal(), data, fingerprint, url or None, rank=rank)
        out.print(f"peer {peer.agency_code} registered", highlight=False)


@peer_app.command("revoke")
def peer_revoke(agency: str, reason: str = typer.Option(..., help="Why (audited)."),
                key: str = typer.Option("", help="One key id; default: all its keys.")) -> None:
    with _ctx() as (factory, node), unit_of_work(factory, SYSTEM) as s:
        n = peers.revoke(s, node.principal(), agency, key or None, reason)
    out.print(f"{n} key(s) of {agency} revoked", highlight=False)


@node_app.command("share")
def share_case(ref: str, to: Annotated[list[str], typer.Option("--to", help="Peer agency codes.")],
               as_user: str = typer.Option(..., "--as", help="The officer sending it."),
               justification: str = typer.Option("", help="Why (audited).")) -> None:
    """Queue a case for peers: each gets only what the markings allow."""
    with _ctx() as (factory, node):
        p = principal_named(factory, as_user)
        with unit_of_work(factory, p) as s:
            sent = share.send_case(s, p, node, ref, to, justification or None)
        for r in sent:
            out.print(f"{r.agency}: {len(r.released)} object(s) queued, {len(r.withheld)} "
                      f"withheld, envelopes {', '.join(r.envelope_ids)}", highlight=False)


@node_app.command("recall")
def recall_case(ref: str, as_user: str = typer.Option(..., "--as"),
                reason: str = typer.Option(...), mode: str = typer.Option("erase")) -> None:
    with _ctx() as (factory, node):
        p = principal_named(factory, as_user)
        with unit_of_work(factory, p) as s:
            rec = recall.recall_case(s, p, node, ref, mode, reason)
        out.print(f"recall {rec.recall_id} queued", highlight=False)


@node_app.command("sync")
def sync_cmd(peer: Annotated[list[str] | None, typer.Option(help="Only these peers.")] = None) -> None:
    """Push the outbox to each peer and pull what waits there (retries back off)."""
    settings = cli_settings()
    with _ctx() as (factory, node):
        for r in sync.sync(factory, node, peer or None, settings.federation_batch,
                           settings.federation_retry_seconds,
                           max_bytes=settings.federation_max_request_bytes):
            out.print(f"{r.peer}: pushed {r.pushed}, pulled {r.pulled}"
                      + (f", errors: {'; '.join(r.errors)}" if r.errors else ""), highlight=False)


@node_app.command("export-bundle")
def export_bundle(peer: str, file: Path,
                  after: int = typer.Option(0, help="Peer's cursor (records)."),
                  after_blobs: int = typer.Option(0, help="Peer's cursor (attachments).")) -> None:
    """Write the envelopes queued for a peer to a file (a link that is a USB stick)."""
    with _ctx() as (factory, node), unit_of_work(factory, SYSTEM) as s:
        rows = (outbox.after(s, peer, after, 1_000_000)
                + outbox.after(s, peer, after_blobs, 1_000_000, "blob"))  # records first
        file.write_bytes(bundle.write(node.code, peer, [r.wire for r in rows]))
    out.print(f"{len(rows)} envelope(s) for {peer} written to {file}", highlight=False)


@node_app.command("import-bundle")
def import_bundle(file: Path) -> None:
    """Verify and apply every envelope in a bundle (already applied ones change nothing)."""
    try:
        got = bundle.read(file.read_bytes())
    except (OSError, bundle.BundleError) as exc:
        fail(str(exc), field="file")
    with _ctx() as (factory, node):
        receipts, applied = inbox.take(factory, node, got.envelopes)
        states: dict[str, int] = {}
        for r in receipts:
            states[r.state] = states.get(r.state, 0) + 1
    out.print(f"{states}; {applied} applied", highlight=False)


@node_app.command("status")
def status() -> None:
    with _ctx() as (factory, node), unit_of_work(factory, SYSTEM) as s:
        out.print(f"node {node.code} fingerprint {display(node.keys.active.public.key_id)}",
                  highlight=False)
        counts = outbox.counts(s)
        for p in peers.active_peers(s):
            q = counts.get((p.agency_code, "queued"), 0)
            out.print(f"  {p.agency_code}: {q} queued, applied up to "
                      f"{inbox.cursor_of(s, p.agency_code)} (attachments "
                      f"{inbox.cursor_of(s, p.agency_code, 'blob')})"
                      f"{', last error: ' + p.last_error if p.last_error else ''}", highlight=False)
