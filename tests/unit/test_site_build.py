"""The portal site builds with ``mkdocs build --strict`` into complete pages and assets."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.support.site import read

REPO_ROOT = Path(__file__).resolve().parents[2]
CONFIG = REPO_ROOT / "portal_site" / "mkdocs.yml"
STRINGS_FILE = REPO_ROOT / "content" / "assets" / "strings.json"
SCRIPTS_DIR = REPO_ROOT / "portal_site" / "overrides" / "assets" / "portal"

PAGES = ["index.html", "calendar/index.html", "forum/index.html", "confirm/index.html",
         "registration/index.html", "privacy/index.html", "sign-in/index.html",
         "sign-in/confirm/index.html", "account/index.html", "admin/index.html",
         "admin/forums/index.html", "admin/forum/index.html", "feedback/index.html"]

# Pages reached from the session menu or an email, never from the navigation tabs.
SIGN_IN_PAGES = ["sign-in/", "sign-in/confirm/", "account/", "admin/"]
LINK_ONLY_PAGES = ["admin/forums/", "admin/forum/", "feedback/"]

# Fields of ForumForm that the forum admin page leaves out, with the reason.
FORUM_FIELDS_NOT_ON_PAGE: set[str] = set()

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
    "sign-in/index.html": [
        'id="sign-in-panel"',
        'id="sign-in-form"',
        'name="email"',
        'name="next"',
        'id="sign-in-submit"',
        'id="sign-in-result"',
    ],
    "sign-in/confirm/index.html": [
        'id="sign-in-confirm-panel"',
        'id="confirm-sign-in"',
        'id="sign-in-confirm-result"',
    ],
    "account/index.html": [
        'id="account-panel"',
        'id="account-message"',
        'data-account-field="name"',
        'data-account-field="email"',
        'data-account-field="roles"',
        'id="advocate-profile"',
        'data-profile-field="company"',
        'id="sign-out"',
        'id="sign-out-everywhere"',
    ],
    "admin/index.html": [
        'id="admin-panel"',
        'id="admin-message"',
        'id="admin-list"',
        'id="add-admin-form"',
        'id="admin-forum"',
        'id="registrations-table"',
        'id="waitlist"',
        'id="advocate-lookup-form"',
        'id="admin-forums-link"',
        'id="forum-admin-link"',
    ],
    "admin/forums/index.html": [
        'id="admin-forums-panel"',
        'id="admin-forums-message"',
        'id="admin-forums-table"',
        'id="new-forum"',
        'id="calendar-import-form"',
        'id="calendar-file"',
        'id="calendar-import-submit"',
        'id="calendar-import-result"',
    ],
    "admin/forum/index.html": [
        'id="admin-forum-panel"',
        'id="admin-forum-message"',
        'id="forum-form"',
        'id="forum-save"',
        'id="forum-form-result"',
        'id="publish-forum"',
        'id="unpublish-forum"',
        'id="cancel-forum"',
        'id="confirm-cancel-forum"',
        'id="keep-forum"',
        'id="complete-forum"',
        'id="forum-action-result"',
        'id="forum-warnings"',
        'id="forum-registrations-table"',
        'id="outcome-result"',
        'id="forum-waitlist"',
        'id="forum-questions"',
        'id="download-briefing"',
        'id="attendance-import-form"',
        'id="attendance-file"',
        'id="opportunities-import-form"',
        'id="opportunities-file"',
        'id="forum-attendance"',
        'id="influence-total"',
        'id="influence-table"',
        'id="feedback-summary"',
        'id="feedback-answers"',
        'data-admin-forum-field="status"',
    ],
    "feedback/index.html": [
        'id="feedback-panel"',
        'id="feedback-message"',
        'id="feedback-form"',
        'id="feedback-submit"',
        'id="feedback-result"',
        'id="feedback-rating-1"',
        'id="feedback-rating-5"',
        'name="comment"',
    ],
}


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


@pytest.mark.parametrize("page", SIGN_IN_PAGES)
def test_site_build_hides_sign_in_pages_from_nav(site, page):
    assert f'href="{page}"' not in read(site, "index.html")


@pytest.mark.parametrize("page", PAGES)
def test_site_build_page_has_empty_session_menu(site, page):
    menu = re.search(r'<nav id="session-menu"[^>]*>(.*?)</nav>', read(site, page), re.DOTALL)
    assert menu is not None
    assert "hidden" in menu.group(0).split(">", 1)[0]
    assert menu.group(1).strip() == ""


@pytest.mark.parametrize(
    ("page", "panel_id"),
    [
        ("admin/index.html", "admin-panel"),
        ("admin/forums/index.html", "admin-forums-panel"),
        ("admin/forum/index.html", "admin-forum-panel"),
        ("feedback/index.html", "feedback-panel"),
    ],
)
def test_site_build_script_page_starts_hidden(site, page, panel_id):
    panel = re.search(rf'<(?:div|section)[^>]*id="{panel_id}"[^>]*>', read(site, page))
    assert panel is not None
    assert "hidden" in panel.group(0)


def test_site_build_account_page_starts_hidden(site):
    panel = re.search(r'<div[^>]*id="account-panel"[^>]*>', read(site, "account/index.html"))
    assert panel is not None
    assert "hidden" in panel.group(0)


@pytest.mark.parametrize(
    ("page", "input_id", "form_class"),
    [
        ("sign-in/index.html", "sign-in-email", "SignInForm"),
        ("admin/index.html", "add-admin-email", "AdminForm"),
    ],
)
def test_site_build_email_field_matches_form_class(site, page, input_id, form_class):
    """The sign-in and add-admin fields are written by hand, so check them against the WTForms class."""
    from advocacy.forms import sign_in
    from advocacy.forms.registration import EMAIL_MAX

    html = read(site, page)
    label = re.search(rf'<label for="{input_id}">([^<]*)', html)
    field = re.search(rf'<input[^>]*id="{input_id}"[^>]*>', html)
    assert label is not None
    assert label.group(1).strip() == getattr(sign_in, form_class)().email.label.text
    assert field is not None
    assert f'maxlength="{EMAIL_MAX}"' in field.group(0)


@pytest.mark.parametrize("page", LINK_ONLY_PAGES)
def test_site_build_hides_forum_pages_from_nav(site, page):
    assert f'href="{page}"' not in read(site, "index.html")


def forum_form_fields():
    from advocacy.forms.forums import ForumForm

    return [field for field in ForumForm() if field.name not in FORUM_FIELDS_NOT_ON_PAGE]


def control_html(html: str, name: str) -> str | None:
    match = re.search(rf'<(?:input|select|textarea)[^>]*name="{name}"[^>]*>', html)
    return match.group(0) if match else None


def length_limit(field) -> int | None:
    from wtforms.validators import Length

    limits = [validator.max for validator in field.validators if isinstance(validator, Length)]
    return limits[0] if limits else None


def is_required(field) -> bool:
    from wtforms.validators import InputRequired

    return any(isinstance(validator, InputRequired) for validator in field.validators)


@pytest.mark.parametrize("field", forum_form_fields(), ids=lambda field: field.name)
def test_site_build_forum_form_field_matches_form_class(site, field):
    """The forum form is written by hand in content/admin/forum.md, so check it against ForumForm.

    Labels are not compared, because a team translates them in the page.
    """
    html = read(site, "admin/forum/index.html")
    control = control_html(html, field.name)
    assert control is not None
    element_id = re.search(r'id="([^"]+)"', control).group(1)
    assert f'<label for="{element_id}">' in html
    assert (re.search(r"\srequired[\s>]", control) is not None) == is_required(field)
    limit = length_limit(field)
    if limit is not None:
        assert f'maxlength="{limit}"' in control


def test_site_build_forum_form_formats_match_form_class(site):
    from advocacy.forms.forums import ForumForm

    html = read(site, "admin/forum/index.html")
    select = re.search(r'<select[^>]*name="format"[^>]*>(.*?)</select>', html, re.DOTALL)
    offered = re.findall(r'<option value="([^"]+)">', select.group(1))
    assert offered == [choice.value for choice in ForumForm().format.choices]


def test_site_build_feedback_form_matches_form_class(site):
    from advocacy.forms.forums import FeedbackForm

    html = read(site, "feedback/index.html")
    form = FeedbackForm()
    ratings = re.findall(r'<input[^>]*name="rating"[^>]*value="(\d)"', html)
    comment = control_html(html, "comment")
    assert ratings == ["1", "2", "3", "4", "5"]
    assert f'maxlength="{length_limit(form.comment)}"' in comment


def test_calendar_script_links_feed():
    script = (SCRIPTS_DIR / "calendar.js").read_text(encoding="utf-8")
    assert '"/api/calendar.ics"' in script
    assert 'id: "calendar-subscribe"' in script


def test_forum_script_uses_shared_field_errors():
    script = (SCRIPTS_DIR / "forum.js").read_text(encoding="utf-8")
    assert 'from "./field-errors.js"' in script
    assert "function showFieldErrors" not in script


def test_api_script_sends_csrf_header():
    script = (SCRIPTS_DIR / "api.js").read_text(encoding="utf-8")
    assert '"X-Portal-CSRF"' in script


@pytest.mark.parametrize("script", sorted(SCRIPTS_DIR.glob("*.js")), ids=lambda path: path.name)
def test_portal_script_never_parses_html(script):
    parsing = re.findall(r"\.(?:inner|outer)HTML\s*\+?=|insertAdjacentHTML|document\.write", script.read_text(encoding="utf-8"))
    assert parsing == []


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
