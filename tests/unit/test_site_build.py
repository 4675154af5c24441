"""The portal site builds with ``mkdocs build --strict`` into complete pages and assets."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
CONFIG = REPO_ROOT / "portal_site" / "mkdocs.yml"
STRINGS_FILE = REPO_ROOT / "content" / "assets" / "strings.json"
SCRIPTS_DIR = REPO_ROOT / "portal_site" / "overrides" / "assets" / "portal"

PAGES = ["index.html", "calendar/index.html", "forum/index.html", "confirm/index.html",
         "registration/index.html", "privacy/index.html"]

# Selectors the end-to-end tests rely on, per page.
PAGE_ELEMENTS = {
    "calendar/index.html": [
        'id="calendar-filters"',
        'name="industry"',
        'name="product"',
        'name="region"',
        'name="language"',
        'name="format"',
        'name="month"',
        'id="forum-list"',
        'id="calendar-status"',
    ],
    "forum/index.html": [
        'id="forum-detail"',
        "data-seats-left",
        'id="registration-form"',
        'id="registration-result"',
        'name="website"',
    ],
    "confirm/index.html": ['id="confirm-registration"', 'id="confirmation-result"'],
    "registration/index.html": [
        "data-registration-status",
        "data-waitlist-position",
        'id="cancel-registration"',
        'id="confirm-cancel"',
        'id="keep-registration"',
        'id="registration-message"',
    ],
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    site_dir = tmp_path_factory.mktemp("site")
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


@pytest.mark.parametrize("page", PAGES)
def test_site_build_writes_page(site, page):
    assert (site / page).is_file()


@pytest.mark.parametrize("page", PAGES)
def test_site_build_page_has_no_unresolved_snippet(site, page):
    assert "--8<--" not in read(site, page)


@pytest.mark.parametrize("page", PAGES)
def test_site_build_page_loads_portal_script(site, page):
    tag = re.search(r'<script[^>]*src="[^"]*assets/portal/main\.js"[^>]*>', read(site, page))
    assert tag is not None
    assert 'type="module"' in tag.group(0)


@pytest.mark.parametrize("page", PAGES)
def test_site_build_page_loads_nothing_from_other_hosts(site, page):
    external = re.findall(r'<(?:script|link)[^>]+(?:src|href)="((?:https?:)?//[^"]+)"', read(site, page))
    assert external == []


@pytest.mark.parametrize(("page", "marker"), [(page, marker) for page, markers in PAGE_ELEMENTS.items() for marker in markers])
def test_site_build_page_has_stable_selector(site, page, marker):
    assert marker in read(site, page)


def test_site_build_forum_page_includes_generated_form(site):
    html = read(site, "forum/index.html")
    assert re.search(r'<form[^>]*id="registration-form"', html)
    assert 'name="consent"' in html


@pytest.mark.parametrize(
    "asset",
    ["assets/portal.css", "assets/strings.json", *[f"assets/portal/{path.name}" for path in sorted(SCRIPTS_DIR.glob("*.js"))]],
)
def test_site_build_copies_asset(site, asset):
    assert (site / asset).is_file()


def test_site_build_leaves_out_translation_notes(site):
    assert not (site / "TRANSLATING" / "index.html").exists()


def test_site_build_sets_page_language(site):
    assert '<html lang="en"' in read(site, "index.html")


def test_site_build_hides_link_only_pages_from_nav(site):
    navigation = read(site, "index.html")
    for page in ("forum/", "confirm/", "registration/"):
        assert f'href="{page}"' not in navigation, page


@pytest.mark.parametrize("script", sorted(SCRIPTS_DIR.glob("*.js")), ids=lambda path: path.name)
def test_portal_script_imports_existing_modules(script):
    imports = re.findall(r'from "\./([\w-]+\.js)"', script.read_text(encoding="utf-8"))
    missing = [name for name in imports if not (SCRIPTS_DIR / name).is_file()]
    assert missing == []


def string_keys_used(script: Path, top_level: set[str]) -> set[str]:
    """Return quoted dotted literals such as "forum.not_found" whose first part is a strings section."""
    literals = re.findall(r'"([a-z_]+(?:\.[a-z_]+)+)"', script.read_text(encoding="utf-8"))
    return {literal for literal in literals if literal.split(".")[0] in top_level}


def resolve(strings: dict, key: str):
    node = strings
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


@pytest.mark.parametrize("script", sorted(SCRIPTS_DIR.glob("*.js")), ids=lambda path: path.name)
def test_portal_script_string_keys_exist(script):
    strings = json.loads(STRINGS_FILE.read_text(encoding="utf-8"))
    keys = string_keys_used(script, set(strings))
    missing = sorted(key for key in keys if not isinstance(resolve(strings, key), (str, dict)))
    assert missing == []


def test_strings_plural_entries_have_other_form():
    strings = json.loads(STRINGS_FILE.read_text(encoding="utf-8"))
    plural_categories = {"zero", "one", "two", "few", "many", "other"}
    without_other = []

    def walk(node, path):
        if isinstance(node, dict) and node and set(node) <= plural_categories:
            if "other" not in node:
                without_other.append(path)
            return
        if isinstance(node, dict):
            for key, child in node.items():
                walk(child, f"{path}.{key}" if path else key)

    walk(strings, "")
    assert without_other == []
