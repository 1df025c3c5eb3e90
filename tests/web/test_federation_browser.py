"""The federation node page in Debian chromium: a supervisor reads the peers' fingerprints, the
outbox and inbox, a conflict with both values and a recall's acknowledgements, then revokes a
key. The screenshot (test-output/screenshots/federation_node.png) is the one in docs/screenshots/."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from ncb.federation.keys import NodeKeys, display
from ncb.services.context import SYSTEM, unit_of_work
from ncb.services.federation import node as node_svc
from ncb.services.federation import peers
from ncb.settings import Settings
from ncb.store.db import make_engine, session_factory
from ncb.store.models import Agency
from tests.conftest import SEED_PASSWORD, _free_port, seed_bureau
from tests.services.federation.conftest import PASS, Fed
from tests.services.federation.scenes import busy_node
from tests.web.conftest import login, shot

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def node_server(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path
                ) -> Iterator[tuple[str, Fed]]:
    import uvicorn

    from ncb.app import create_app

    tmp = tmp_path_factory.mktemp("fed-web")
    shutil.copyfile(sqlite_template, tmp / "uk.sqlite3")
    url = f"sqlite:///{tmp / 'uk.sqlite3'}"
    settings = Settings(database_url=url, argon2_time_cost=1, argon2_memory_kib=8)
    engine = make_engine(url)
    factory = session_factory(engine)
    seeded = seed_bureau(factory, settings)
    fbi = NodeKeys.generate("US-FBI")
    with unit_of_work(factory, SYSTEM) as s:
        node_svc.init_node(s, "GB-NCA", "NCA", "GB", 4, tmp / "uk.key", PASS, 10)
    with unit_of_work(factory, SYSTEM) as s:
        s.execute(update(Agency).where(Agency.code == "US-FBI").values(max_classification_rank=2))
        node = node_svc.load(s, tmp / "uk.key", PASS)
        peers.add_peer(s, node.principal(), fbi.identity(), fbi.active.public.key_id,
                       "https://fbi.node.example:8443/")
    fed = Fed(factory, node, fbi, tmp / "uk.key")
    busy_node(fed, seeded)
    app = create_app(settings, engine)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=_free_port(),
                                           log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{server.config.port}", fed
    server.should_exit = True
    thread.join(timeout=10)
    engine.dispose()


def test_supervisor_reads_the_node_and_revokes_a_key(browser: Any, node_server: tuple[str, Fed]
                                                    ) -> None:
    base, fed = node_server
    context = browser.new_context(base_url=base, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        login(page, "supervisor", SEED_PASSWORD)
        page.get_by_role("link", name="Node").click()
        page.wait_for_url("**/w/federation")
        assert page.get_by_role("heading", name="Federation node GB-NCA").is_visible()
        peer_row = page.locator("tr[data-peer='US-FBI']")
        assert display(fed.fbi.active.public.key_id) in peer_row.inner_text()
        conflict = page.locator("table.fed-conflicts tbody tr").first
        assert conflict.locator("td.local").inner_text() == "triaged"
        assert conflict.locator("td.remote").inner_text().startswith("closed")
        assert page.locator("table.fed-recalls td.pending strong").inner_text() == "US-FBI"
        shot(page, "federation_node")
        peer_row.get_by_label("Reason").fill("laptop stolen in transit")
        peer_row.get_by_role("button", name="Revoke").click()
        page.wait_for_url("**/w/federation?revoked=US-FBI*")
        assert "Revoked 1 key(s) of US-FBI" in page.get_by_role("status").inner_text()
        assert "laptop stolen in transit" in page.locator("tr[data-peer='US-FBI']").inner_text()
    finally:
        context.close()
