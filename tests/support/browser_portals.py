"""Portals for end-to-end tests that need other data than the demo calendar.

Import the fixtures into a test module or a ``conftest.py``::

    from tests.support.browser_portals import portal_without_demo_forums
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from advocacy.services.roster_import import import_roster
from localdev import demo
from tests.support.browser import RunningPortal, serve_portal


@pytest.fixture
def portal_without_demo_forums(built_site, tmp_path) -> Iterator[RunningPortal]:
    """A running portal with the demo roster but no forums, and the clock at DEMO_NOW.

    Tests that import the demo calendar themselves start from here, so that every forum they
    see comes from their own import.
    """
    with serve_portal(built_site, tmp_path / "var", load_demo=False) as running:
        report = import_roster(running.deps.store, demo.ROSTER.read_bytes())
        if not report.ok:
            raise RuntimeError(f"The demo roster failed to import: {report.problems[0]}")
        yield running
