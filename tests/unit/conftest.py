"""Fixtures shared by the unit tests of the site."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.site import build_site


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The site built once for every test module that reads its pages."""
    return build_site(tmp_path_factory.mktemp("site"))
