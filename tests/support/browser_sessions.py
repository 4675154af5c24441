"""Signing in through the portal's own pages, for end-to-end tests of pages behind a session.

The sign-in link is read from the outbox, as a person would open it from their mail.
"""

from __future__ import annotations

from urllib.parse import quote

from playwright.sync_api import Page, expect

from tests.support.api import links_in
from tests.support.browser import RunningPortal

ADMIN = "lead@advocacy.example"


def sign_in_in_browser(page: Page, portal: RunningPortal, email: str, next_path: str = "") -> None:
    """Ask for a sign-in link on the sign-in page, open it and press the sign-in button.

    Returns once the browser is on ``next_path`` (or the account page without one).
    """
    query = f"?next={quote(next_path, safe='/')}" if next_path else ""
    # The buttons show before their scripts attach, so wait until the page's requests are done.
    page.goto(portal.url(f"/sign-in/{query}"), wait_until="networkidle")
    field = page.locator("form#sign-in-form [name=email]")
    field.click()
    field.press_sequentially(email)
    page.locator("button#sign-in-submit").click()
    expect(page.locator("#sign-in-result")).to_have_attribute("data-outcome", "sent")

    page.goto(links_in(portal.newest_email("sign-in-link", to=email))[0], wait_until="networkidle")
    page.locator("button#confirm-sign-in").click()
    page.wait_for_url(portal.url(next_path or "/account/"))


def sign_in_as_admin(page: Page, portal: RunningPortal, next_path: str, email: str = ADMIN) -> None:
    """Make ``email`` an admin if it is not one yet, and sign in with it through the pages."""
    if not portal.deps.store.is_admin(email):
        portal.deps.store.add_admin(email, "test", portal.clock.now())
    sign_in_in_browser(page, portal, email, next_path)

