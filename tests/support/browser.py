"""Fixtures and helpers that drive the local portal in headless Chromium.

The site is built once per test session. Each test gets its own running portal: a werkzeug
server on a free 127.0.0.1 port, a fresh SQLite store with the demo calendar and roster, an
outbox folder and a fixed clock. So tests depend neither on today's date nor on each other.

Import the fixtures into a ``conftest.py`` to use them::

    from tests.support.browser import browser, built_site, browser_context_args, new_page, page, portal
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from email.message import EmailMessage
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from werkzeug.serving import make_server

from advocacy.adapters.outbox_mailer import OutboxMailer
from advocacy.adapters.sqlite_store import SQLiteStore
from advocacy.bootstrap import Dependencies
from advocacy.clock import FixedClock
from advocacy.handlers import jobs, public_api
from advocacy.settings import Settings
from localdev import demo
from localdev.cli import build_site
from localdev.server import create_app
from tests.support.api import outbox_messages

# The demo calendar's first forum is on 2027-01-20, so at this instant every demo forum is upcoming.
DEMO_NOW = datetime(2027, 1, 5, 9, 0, tzinfo=timezone.utc)

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Set this variable to a folder to keep the screenshots that tests take with save_screenshot.
SCREENSHOT_DIR_VARIABLE = "ADVOCACY_E2E_SCREENSHOT_DIR"


def chromium_executable() -> str:
    """Return the path of the system Chromium, or fail the test with what to install.

    Playwright's own browser download is not used: the tests run Debian's chromium package.
    A missing browser fails rather than skips, so CI cannot pass without running these tests.
    """
    candidate = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(candidate).is_file():
        pytest.fail(
            f"Chromium not found at {candidate!r}. Install Debian's chromium package "
            "(apt-get install chromium) or set CHROMIUM_PATH to a Chromium executable.",
            pytrace=False,
        )
    return candidate


class _DeferredApp:
    """A WSGI app that forwards to the Flask app, which is created after the server has its port.

    The portal's settings need the server's real address, so emailed links point at it, and that
    address exists only after ``make_server`` has bound port 0.
    """

    def __init__(self) -> None:
        self.app: Callable | None = None

    def __call__(self, environ, start_response):
        return self.app(environ, start_response)


@dataclass
class RunningPortal:
    """A local portal serving the built site and the API on 127.0.0.1 for one test."""

    base_url: str
    deps: Dependencies
    site_dir: Path

    @property
    def clock(self) -> FixedClock:
        return self.deps.clock

    @property
    def outbox_dir(self) -> Path:
        return self.deps.settings.outbox_dir

    def url(self, path: str) -> str:
        """Return the absolute URL of a site path such as ``/calendar/``."""
        return f"{self.base_url}/{path.lstrip('/')}"

    def forum_id(self, title: str) -> str:
        """Return the id of the upcoming forum with this title."""
        forums = self.deps.store.list_upcoming_forums(self.clock.now())
        matches = [forum.forum_id for forum in forums if forum.title == title]
        if len(matches) != 1:
            raise LookupError(f"Expected one upcoming forum titled {title!r}; found {len(matches)}.")
        return matches[0]

    def emails(self, kind: str | None = None, to: str | None = None) -> list[EmailMessage]:
        """Return the outbox messages, oldest first, of one kind (X-Portal-Kind) and recipient."""
        if not self.outbox_dir.exists():
            return []
        messages = outbox_messages(self.outbox_dir)
        if kind is not None:
            messages = [message for message in messages if message["X-Portal-Kind"] == kind]
        if to is not None:
            messages = [message for message in messages if _recipient(message) == to.lower()]
        return messages

    def newest_email(self, kind: str | None = None, to: str | None = None) -> EmailMessage:
        """Return the newest outbox message of that kind and recipient, or raise if there is none."""
        messages = self.emails(kind, to)
        if not messages:
            raise LookupError(f"No email of kind {kind!r} to {to!r} in {self.outbox_dir}.")
        return messages[-1]

    def api(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        """Send one JSON request to the portal's API and return the status and parsed body.

        Use it to set up data quickly, and the browser for the journey under test. The Origin
        and X-Portal-CSRF headers are those the portal's own pages send.
        """
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(
            self.url(f"/api/{path.lstrip('/')}"),
            data=data,
            method=method,
            headers={
                "Content-Type": "application/json",
                "Accept": "application/json",
                "Origin": self.base_url,
                "X-Portal-CSRF": "1",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                status, text = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read()
        return status, json.loads(text or b"{}")


def _recipient(message: EmailMessage) -> str:
    return message["To"].addresses[0].addr_spec.lower()


@contextmanager
def serve_portal(site_dir: Path, var_dir: Path, now: datetime = DEMO_NOW, load_demo: bool = True) -> Iterator[RunningPortal]:
    """Serve ``site_dir`` and the API on a free 127.0.0.1 port until the block ends.

    The public and jobs handlers hold their dependencies in module globals, so only one portal
    can run at a time in a test process.
    """
    deferred = _DeferredApp()
    server = make_server("127.0.0.1", 0, deferred, threaded=True)
    base_url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, name="portal-server", daemon=True)
    try:
        settings = Settings.from_environ({"ADVOCACY_VAR_DIR": str(var_dir), "ADVOCACY_PORTAL_URL": base_url})
        deps = Dependencies(
            settings=settings,
            store=SQLiteStore(settings.sqlite_path),
            mailer=OutboxMailer(settings.outbox_dir, settings.sender, echo=lambda line: None),
            clock=FixedClock(now),
            signing_key=b"e2e-signing-key-".ljust(32, b"k"),
        )
        if load_demo:
            demo.load(deps, echo=lambda line: None)
        deferred.app = create_app(deps, site_dir)

        thread.start()
        yield RunningPortal(base_url=base_url, deps=deps, site_dir=site_dir)
    finally:
        if thread.is_alive():
            server.shutdown()
            thread.join(timeout=10)
        server.server_close()
        public_api.dependencies.configure(None)
        jobs.dependencies.configure(None)


def save_screenshot(page: Page, name: str) -> Path | None:
    """Save a full-page screenshot as NAME.png when ADVOCACY_E2E_SCREENSHOT_DIR is set."""
    folder = os.environ.get(SCREENSHOT_DIR_VARIABLE)
    if not folder:
        return None
    path = Path(folder) / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path


def scroll_width(page: Page) -> int:
    """Return the document's scroll width in CSS pixels, which exceeds the viewport's when the page scrolls sideways."""
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """Build the static site once per session with the pre-build step and MkDocs."""
    site_dir = tmp_path_factory.mktemp("site")
    with pytest.MonkeyPatch.context() as patch:
        # MkDocs 1.6 prints a notice about MkDocs 2 on every build unless this is set.
        patch.setenv("NO_MKDOCS_2_WARNING", "1")
        build_site(site_dir)
    return site_dir


@pytest.fixture
def portal(built_site, tmp_path) -> Iterator[RunningPortal]:
    """A running portal with the demo data, its own store and outbox, and the clock at DEMO_NOW."""
    with serve_portal(built_site, tmp_path / "var") as running:
        yield running


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Chromium, launched once per session."""
    executable = chromium_executable()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def browser_context_args() -> dict:
    """Options of each test's browser context. Override this fixture to change them.

    A fixed zone and locale keep the shown times the same on every machine.
    """
    return {"timezone_id": "Europe/Berlin", "locale": "en-GB", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def new_page(browser, browser_context_args) -> Iterator[Callable[..., Page]]:
    """Open pages, each in a new browser context whose options override browser_context_args.

    Uncaught script errors on any of these pages fail the test at teardown.
    """
    contexts = []
    script_errors: list[str] = []

    def open_page(**options) -> Page:
        context = browser.new_context(**{**browser_context_args, **options})
        contexts.append(context)
        opened = context.new_page()
        opened.on("pageerror", lambda error: script_errors.append(f"{opened.url}: {error}"))
        return opened

    yield open_page

    for context in contexts:
        context.close()
    if script_errors:
        pytest.fail("Uncaught script errors in the portal's pages:\n" + "\n".join(script_errors), pytrace=False)


@pytest.fixture
def page(new_page) -> Page:
    """A page in a browser context with the default browser_context_args."""
    return new_page()
