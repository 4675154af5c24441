"""End-to-end fixtures: the built site, a running portal per test, and Chromium pages."""

from tests.support.browser import (  # noqa: F401 - pytest finds fixtures by their imported names
    browser,
    browser_context_args,
    built_site,
    new_page,
    page,
    portal,
)
