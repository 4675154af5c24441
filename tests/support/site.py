"""The static site built once per test session, for the tests that read its pages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
CONFIG = REPO_ROOT / "portal_site" / "mkdocs.yml"


def build_site(site_dir: Path) -> Path:
    """Run the pre-build step, then a strict MkDocs build into ``site_dir``; fail on any warning."""
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run(
        [sys.executable, "-m", "portal_site.prebuild"],
        cwd=REPO_ROOT, env=environment, check=True, capture_output=True, text=True, timeout=120,
    )
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(CONFIG), "-d", str(site_dir)],
        cwd=REPO_ROOT, env=environment, capture_output=True, text=True, timeout=300,
    )
    assert build.returncode == 0, build.stderr
    return site_dir


def read(site: Path, page: str) -> str:
    return (site / page).read_text(encoding="utf-8")
