"""Browser tests: the real app served by uvicorn in a subprocess against the test database (with
the demo catalogue), driven by Debian's Chromium through Playwright's async API on the session loop.

Skipped, with the reason, when Chromium or Playwright is missing (``.ci/run`` installs Chromium;
``playwright install`` is never needed: the system browser is used).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio

from tests.conftest import REPO
from tests.reference_fixtures import empty_database, load_demo

CHROMIUM = Path(os.environ.get("EFA_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
ARTIFACTS = REPO / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"

# The app as ``efa-registry serve`` builds it, on its own pool in its own process. The fallback
# wiring lasts only until api/app.py registers the pages itself.
SERVER = """
import sys, uvicorn
from api.app import create_app
from efa_registry.settings import Settings
dsn, port = sys.argv[1], int(sys.argv[2])
settings = Settings.from_env({}, database_url=dsn, log_level="warning", pool_min_size=1, pool_max_size=4,
                             webhook_worker=False)
app = create_app(settings, dsn=dsn)
if app.template_engine is None:
    from api.web import WEB_CONTROLLERS, template_config
    app.template_engine = template_config().engine_instance
    for controller in WEB_CONTROLLERS:
        app.register(controller)
uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
"""


def pytest_collection_modifyitems(config, items):
    reason = None
    if not CHROMIUM.exists():
        reason = f"no Chromium at {CHROMIUM} (install Debian's chromium package; .ci/run does)"
    else:
        try:
            import playwright.async_api  # noqa: F401
        except ImportError:
            reason = "Playwright for Python is not installed (pip install playwright; no browser download needed)"
    if reason:
        for item in items:
            if "tests/browser/" in item.path.as_posix():
                item.add_marker(pytest.mark.skip(reason=reason))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest_asyncio.fixture(scope="package", loop_scope="session")
async def demo_data(database: str) -> dict[str, str]:
    """An empty database with the demo catalogue and a token per role (provider: demo Saarland).
    Once for all browser modules (a seed and a server start cost half a minute) and gone when
    they are done: their tests change only what they check themselves, relative to what they
    read before."""
    await empty_database()
    return await load_demo()


@pytest.fixture(scope="package")
def server(database_dsn: str, demo_data: dict[str, str]) -> Iterator[str]:
    """Base URL of the app on a free loopback port; its log goes to test-artifacts/browser-server.log."""
    ARTIFACTS.mkdir(exist_ok=True)
    port = _free_port()
    log = (ARTIFACTS / "browser-server.log").open("w")
    process = subprocess.Popen([sys.executable, "-c", SERVER, database_dsn, str(port)], cwd=REPO,
                               stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the app did not start; see {ARTIFACTS / 'browser-server.log'}")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="package")
def screenshots_dir() -> Path:
    """Emptied once per run of the browser tests: every module adds its screenshots to it."""
    if SCREENSHOTS.exists():
        shutil.rmtree(SCREENSHOTS)
    SCREENSHOTS.mkdir(parents=True)
    return SCREENSHOTS


@pytest_asyncio.fixture(scope="package", loop_scope="session")
async def browser(server: str, screenshots_dir: Path) -> AsyncIterator[object]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        chromium = await p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        await chromium.close()


@pytest_asyncio.fixture(loop_scope="session")
async def page(browser, server: str) -> AsyncIterator[object]:
    """A fresh browser context (no cookies) per test, desktop width."""
    context = await browser.new_context(base_url=server, viewport={"width": 1280, "height": 900}, locale="de-DE")
    page = await context.new_page()
    yield page
    await context.close()


async def screenshot(page, name: str) -> None:
    await page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    # Headless Chromium can leave the page's scroll state stale after a full-page capture, and a
    # following click on an element below the fold then silently misses; scrolling resets it.
    await page.evaluate("window.scrollTo(0, 0)")
