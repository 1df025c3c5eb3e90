"""Browser-test fixtures: a live server on a seeded SQLite file, Debian chromium, helpers.

- `live_server` (session): base URL of uvicorn running `ncb.app.create_app()` in a thread,
  on a temp SQLite file seeded with the small demo bureau (or a minimal bureau until
  `ncb.demo.seed` exists). `live_server_db` gives that database URL for checks.
- `browser` (session): Playwright chromium at /usr/bin/chromium.
- `page`: a fresh browser context and page per test.
- `login(page, username)`: sign in through the form (password `demo-password-2026`).
- `shot(page, name)`: save a full-page PNG under test-output/screenshots/.

Mark browser tests with `@pytest.mark.browser`.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ncb.settings import Settings
from tests.web.seeding import PASSWORD, seed_database

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-output" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
CHEAP_ARGON2 = {"NCB_ARGON2_TIME_COST": "1", "NCB_ARGON2_MEMORY_KIB": "8"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def live_server_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of the seeded SQLite file behind `live_server`."""
    from ncb.settings import Settings, get_settings

    path = tmp_path_factory.mktemp("web") / "bureau.sqlite3"
    url = f"sqlite:///{path}"
    saved = {k: os.environ.get(k) for k in ("NCB_DATABASE_URL", *CHEAP_ARGON2)}
    os.environ.update(CHEAP_ARGON2)
    os.environ["NCB_DATABASE_URL"] = url
    get_settings.cache_clear()
    seed_database(url, Settings())
    yield url
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def live_settings(live_server_db: str) -> Settings:
    """The settings object the live server's app holds (a test may change one for itself)."""
    return Settings(database_url=live_server_db)


@pytest.fixture(scope="session")
def live_server(live_settings: Settings) -> Iterator[str]:
    import uvicorn

    from ncb.app import create_app

    app = create_app(live_settings)
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                            access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="live-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the live server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    app.state.engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is not installed: run `make test`, which installs it "
                    "(or `make chromium-bin`)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, live_server: str) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    pg = context.new_page()
    yield pg
    context.close()


def login(page: Any, username: str, password: str = PASSWORD) -> None:
    """Sign in through the sign-in form and wait for the workbench."""
    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("domcontentloaded")


def shot(page: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture(name="login")
def login_fixture() -> Any:
    return login


@pytest.fixture(name="shot")
def shot_fixture() -> Any:
    return shot


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # A real browser on a loaded 2-core machine can miss a timing window; a browser test gets
    # two more tries, and a rerun is reported as such. Non-browser tests never rerun.
    for item in items:
        if item.get_closest_marker("browser") is not None:
            item.add_marker(pytest.mark.flaky(reruns=2, reruns_delay=1))
