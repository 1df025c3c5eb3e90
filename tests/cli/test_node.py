"""`ncb node`: init, identity, peer add (fingerprint checked, exit 2 when wrong), status, bundles."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ncb.cli import app
from ncb.federation.keys import NodeKeys, display
from ncb.settings import get_settings

runner = CliRunner()


@pytest.fixture
def node_env(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("NCB_DATABASE_URL", db_url)
    monkeypatch.setenv("NCB_NODE_KEY_FILE", str(tmp_path / "node.key"))
    monkeypatch.setenv("NCB_NODE_PASSPHRASE", "a long test passphrase")
    monkeypatch.setenv("NCB_NODE_SCRYPT_LOG_N", "10")
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_init_peer_add_and_bundle(node_env: Path) -> None:
    r = runner.invoke(app, ["node", "init", "--agency", "GB-NCA", "--rank", "4"])
    assert r.exit_code == 0, r.output
    assert b"GB-NCA" not in (node_env / "node.key").read_bytes()  # sealed
    again = runner.invoke(app, ["node", "init", "--agency", "GB-NCA"])
    assert again.exit_code == 2
    peer = NodeKeys.generate("US-FBI")
    ident = node_env / "fbi.json"
    ident.write_text(json.dumps(peer.identity()))
    other = NodeKeys.generate("X").active.public.key_id
    bad = runner.invoke(app, ["node", "peer", "add", str(ident), "--fingerprint", other])
    assert bad.exit_code == 2 and "fingerprint" in bad.output
    ok = runner.invoke(app, ["node", "peer", "add", str(ident), "--fingerprint",
                             display(peer.active.public.key_id)])
    assert ok.exit_code == 0, ok.output
    status = runner.invoke(app, ["node", "status"])
    assert "US-FBI: 0 queued" in status.output
    out = node_env / "fbi.bundle"
    assert runner.invoke(app, ["node", "export-bundle", "US-FBI", str(out)]).exit_code == 0
    assert out.read_bytes().startswith(b'{"count":0')
    junk = node_env / "junk.bundle"
    junk.write_bytes(b"PK\x03\x04")
    assert runner.invoke(app, ["node", "import-bundle", str(junk)]).exit_code == 2
