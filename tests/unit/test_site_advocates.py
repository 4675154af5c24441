"""The nomination, advocate self-service and advocate admin pages build with their forms,
selectors, scripts and strings files.

Their forms are written by hand in the pages, so each is checked against its WTForms class.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from wtforms.validators import InputRequired, Length, NumberRange

from advocacy.domain.activities import ActivityType
from advocacy.domain.advocates import AdvocateStatus
from advocacy.domain.nominations import PIPELINE, Relationship
from advocacy.forms.advocates import DirectoryForm, PreferencesForm, ProfileForm
from advocacy.forms.nominations import (
    AdminNominationForm,
    InternalNominationForm,
    SelfNominationForm,
)
from advocacy.services.roster_import import COLUMNS
from tests.support.site import read

REPO_ROOT = Path(__file__).resolve().parents[2]
CONFIG = REPO_ROOT / "portal_site" / "mkdocs.yml"
SCRIPTS_DIR = REPO_ROOT / "portal_site" / "overrides" / "assets" / "portal"
STRINGS_DIR = REPO_ROOT / "content" / "assets" / "strings"
SHARED_STRINGS = REPO_ROOT / "content" / "assets" / "strings.json"

# Page, root element id, module and strings file of each page.
PAGES = {
    "nominate/index.html": ("nominate-panel", "nominate", "nominate"),
    "nominate/colleague/index.html": ("nominate-colleague-panel", "nominate-colleague", "nominate-colleague"),
    "nominate/confirm/index.html": ("nominate-confirm-panel", "nominate-confirm", "nominate-confirm"),
    "account/profile/index.html": ("account-profile-panel", "account-profile", "account-profile"),
    "account/activities/index.html": ("account-activities-panel", "account-activities", "account-activities"),
    "account/data/index.html": ("account-data-panel", "account-data", "account-data"),
    "admin/nominations/index.html": ("admin-nominations-panel", "admin-nominations", "admin-nominations"),
    "admin/advocates/index.html": ("admin-advocates-panel", "admin-advocates", "admin-advocates"),
    "admin/roster/index.html": ("admin-roster-panel", "admin-roster", "admin-roster"),
}
SIGNED_IN_PAGES = [page for page in PAGES if page.startswith(("admin/", "account/"))]

# Each script and the strings files whose sections it uses.
SCRIPT_STRINGS = {
    "advocate-pages.js": ["advocate-pages"],
    "nominate.js": ["nominate", "advocate-pages"],
    "nominate-colleague.js": ["nominate-colleague"],
    "nominate-confirm.js": ["nominate-confirm"],
    "account-profile.js": ["account-profile", "advocate-pages"],
    "account-activities.js": ["account-activities", "advocate-pages"],
    "account-data.js": ["account-data", "advocate-pages"],
    "admin-nominations.js": ["admin-nominations", "advocate-pages"],
    "admin-advocates.js": ["admin-advocates", "advocate-pages"],
    "admin-roster.js": ["admin-roster", "advocate-pages"],
}
STRINGS_FILES = sorted({name for names in SCRIPT_STRINGS.values() for name in names})

# Keys that the scripts build from API values, so the literal-key check cannot see them.
COMPUTED_KEYS = [
    *[("advocate-pages", f"advocate_pages.activity_types.{kind.value}") for kind in ActivityType],
    *[("admin-nominations", f"admin_nominations.statuses.{status.value}") for status in PIPELINE],
    *[("admin-nominations", f"admin_nominations.sources.{source}") for source in ("self", "employee", "admin")],
    *[("admin-nominations", f"admin_nominations.move.{status}") for status in ("contacted", "interviewed")],
]

# Forms written by hand in the pages, with the WTForms class that validates them.
FORMS = [
    ("nominate/index.html", "nominate-form", SelfNominationForm),
    ("nominate/colleague/index.html", "nominate-colleague-form", InternalNominationForm),
    ("account/profile/index.html", "profile-form", ProfileForm),
    ("account/profile/index.html", "preferences-form", PreferencesForm),
    ("admin/nominations/index.html", "admin-nomination-form", AdminNominationForm),
    ("admin/advocates/index.html", "advocate-filters", DirectoryForm),
]

# Fields that the page edits as rows of unnamed controls, which the script joins into the field.
FIELDS_AS_ROWS = {("preferences-form", "blackouts")}

PAGE_ELEMENTS = {
    "nominate/index.html": ['id="nominate-submit"', 'id="nominate-result"', 'name="website"'],
    "nominate/colleague/index.html": ['id="nominate-colleague-submit"', 'id="nominate-colleague-result"'],
    "nominate/confirm/index.html": ['id="confirm-nomination"', 'id="nominate-confirm-result"'],
    "account/profile/index.html": [
        'id="account-profile-message"', 'id="profile-stale"', 'id="profile-last-verified"', 'id="confirm-profile"',
        'id="confirm-profile-result"', 'id="profile-submit"', 'id="profile-result"', 'id="preferences-cap"',
        'id="blackout-list"', 'id="add-blackout"', 'id="preferences-paused"', 'id="preferences-submit"',
        'id="preferences-result"', 'id="account-activities-link"', 'id="account-data-link"',
    ],
    "account/activities/index.html": ['id="hosting-list"', 'id="upcoming-table"', 'id="past-table"'],
    "account/data/index.html": ['id="download-data"', 'id="erase-form"', 'id="erase-submit"', 'id="erase-result"'],
    "admin/nominations/index.html": [
        'id="admin-nominations-message"', 'id="nominations-status"', 'id="nomination-list"',
        'id="nomination-action-result"', 'id="admin-nomination-submit"',
    ],
    "admin/advocates/index.html": [
        'id="advocate-filters"', 'id="directory-submit"', 'id="advocates-table"', 'id="availability-column"',
        'id="stale-profiles-table"', 'id="directory-status-text"',
    ],
    "admin/roster/index.html": [
        'id="roster-import-form"', 'id="roster-file"', 'id="roster-mapping"', 'id="roster-import-submit"',
        'id="roster-import-result"',
    ],
}


def strings_of(name: str) -> dict:
    return json.loads((STRINGS_DIR / f"{name}.json").read_text(encoding="utf-8"))


def resolve(strings: dict, key: str):
    node = strings
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def root_tag(html: str, element_id: str) -> str:
    match = re.search(rf'<div[^>]*id="{element_id}"[^>]*>', html)
    assert match is not None, element_id
    return match.group(0)


def form_html(html: str, form_id: str) -> str:
    match = re.search(rf'<form[^>]*id="{form_id}"[^>]*>(.*?)</form>', html, re.DOTALL)
    assert match is not None, form_id
    return match.group(1)


def control_html(html: str, name: str) -> str | None:
    match = re.search(rf'<(?:input|select|textarea)[^>]*name="{name}"[^>]*>', html)
    return match.group(0) if match else None


def options_of(html: str, select_id: str) -> list[str]:
    select = re.search(rf'<select[^>]*id="{select_id}"[^>]*>(.*?)</select>', html, re.DOTALL)
    assert select is not None, select_id
    return re.findall(r'<option value="([^"]*)"', select.group(1))


def length_limit(field) -> int | None:
    limits = [validator.max for validator in field.validators if isinstance(validator, Length) and validator.max > 0]
    return limits[0] if limits else None


def is_required(field) -> bool:
    return any(isinstance(validator, InputRequired) for validator in field.validators)


@pytest.mark.parametrize("page", PAGES)
def test_advocate_site_writes_page(site, page):
    assert (site / page).is_file()


@pytest.mark.parametrize("page", PAGES)
def test_advocate_page_names_its_module_and_strings(site, page):
    element_id, module, strings = PAGES[page]
    tag = root_tag(read(site, page), element_id)
    assert f'data-portal-module="{module}"' in tag
    assert f'data-portal-strings="{strings}"' in tag


@pytest.mark.parametrize("page", PAGES)
def test_advocate_page_module_and_strings_are_copied(site, page):
    _, module, strings = PAGES[page]
    assert (site / "assets" / "portal" / f"{module}.js").is_file()
    assert (site / "assets" / "strings" / f"{strings}.json").is_file()


@pytest.mark.parametrize("page", SIGNED_IN_PAGES)
def test_signed_in_page_starts_hidden(site, page):
    element_id, _, _ = PAGES[page]
    assert "hidden" in root_tag(read(site, page), element_id)


@pytest.mark.parametrize("page", SIGNED_IN_PAGES)
def test_signed_in_page_loads_shared_strings(site, page):
    assert 'data-portal-strings="advocate-pages"' in read(site, page)


@pytest.mark.parametrize("page", PAGES)
def test_advocate_page_loads_nothing_from_other_hosts(site, page):
    external = re.findall(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="((?:https?:)?//[^"]+)"', read(site, page))
    assert external == []


@pytest.mark.parametrize(("page", "marker"), [(page, marker) for page, markers in PAGE_ELEMENTS.items() for marker in markers])
def test_advocate_page_has_stable_selector(site, page, marker):
    assert marker in read(site, page)


@pytest.mark.parametrize(
    ("page", "form_id", "field"),
    [
        (page, form_id, field)
        for page, form_id, form_class in FORMS
        for field in form_class()
        if field.name != "website" and (form_id, field.name) not in FIELDS_AS_ROWS
    ],
    ids=lambda value: getattr(value, "name", value),
)
def test_advocate_form_field_matches_form_class(site, page, form_id, field):
    """Labels are not compared, because a team translates them in the page."""
    html = form_html(read(site, page), form_id)
    control = control_html(html, field.name)
    assert control is not None
    element_id = re.search(r'id="([^"]+)"', control).group(1)
    assert f'<label for="{element_id}">' in html
    # Markdown writes the attribute of a textarea as required="required".
    assert (re.search(r'\srequired(?:="required")?[\s>]', control) is not None) == is_required(field)
    limit = length_limit(field)
    if limit is not None and not control.startswith("<select"):
        assert f'maxlength="{limit}"' in control


@pytest.mark.parametrize(("page", "form_id", "form_class"), FORMS, ids=[form_id for _, form_id, _ in FORMS])
def test_advocate_form_has_no_field_the_class_lacks(site, page, form_id, form_class):
    names = set(re.findall(r'<(?:input|select|textarea)[^>]*name="([^"]+)"', form_html(read(site, page), form_id)))
    assert names - {field.name for field in form_class()} == set()


@pytest.mark.parametrize(
    ("page", "form_id", "name"),
    [
        ("nominate/index.html", "nominate-form", "activities"),
        ("nominate/colleague/index.html", "nominate-colleague-form", "activities"),
        ("account/profile/index.html", "preferences-form", "activity_types"),
    ],
)
def test_activity_checkboxes_offer_every_activity_type(site, page, form_id, name):
    html = form_html(read(site, page), form_id)
    offered = re.findall(rf'<input[^>]*name="{name}"[^>]*value="([^"]+)"', html)
    assert offered == [kind.value for kind in ActivityType]


def test_preferences_form_edits_blackouts_as_rows(site):
    html = form_html(read(site, "account/profile/index.html"), "preferences-form")
    field = re.search(r'<fieldset[^>]*data-field="blackouts"[^>]*>(.*?)</fieldset>', html, re.DOTALL)
    assert field is not None
    assert 'id="blackout-list"' in field.group(1)
    assert 'id="add-blackout"' in field.group(1)


def test_directory_activity_filter_offers_every_activity_type(site):
    assert options_of(read(site, "admin/advocates/index.html"), "directory-activity-type") == ["", *(kind.value for kind in ActivityType)]


def test_directory_status_filter_offers_form_class_statuses(site):
    offered = options_of(read(site, "admin/advocates/index.html"), "directory-status")
    assert offered == [choice[0] for choice in DirectoryForm().status.iter_choices()]
    assert offered[1:] == [status.value for status in AdvocateStatus]


@pytest.mark.parametrize(("page", "select_id"), [("nominate/colleague/index.html", "nominee-relationship"), ("admin/nominations/index.html", "admin-nomination-relationship")])
def test_relationship_select_offers_every_relationship(site, page, select_id):
    assert options_of(read(site, page), select_id)[1:] == [relationship.value for relationship in Relationship]


def test_nominations_filter_offers_pipeline_statuses(site):
    assert options_of(read(site, "admin/nominations/index.html"), "nominations-status") == [status.value for status in PIPELINE]


def test_preferences_cap_limits_like_form_class(site):
    control = control_html(form_html(read(site, "account/profile/index.html"), "preferences-form"), "max_activities_per_quarter")
    limits = next(validator for validator in PreferencesForm().max_activities_per_quarter.validators if isinstance(validator, NumberRange))
    assert f'min="{limits.min}"' in control
    assert f'max="{limits.max}"' in control


def test_roster_mapping_offers_roster_columns(site):
    template = re.search(r'<template id="roster-columns">(.*?)</template>', read(site, "admin/roster/index.html"), re.DOTALL)
    offered = re.findall(r'<option value="([^"]*)"', template.group(1))
    assert offered == ["", *COLUMNS]


@pytest.mark.parametrize(("page", "form_id"), [("nominate/index.html", "nominate-form"), ("nominate/colleague/index.html", "nominate-colleague-form")])
def test_nomination_form_hides_honeypot(site, page, form_id):
    html = form_html(read(site, page), form_id)
    honeypot = re.search(r'<div([^>]*class="portal-honeypot"[^>]*)>(.*?)</div>', html, re.DOTALL)
    assert honeypot is not None
    assert 'aria-hidden="true"' in honeypot.group(1)
    assert 'tabindex="-1"' in control_html(honeypot.group(2), "website")


def test_nominate_confirm_button_starts_hidden(site):
    button = re.search(r'<button[^>]*id="confirm-nomination"[^>]*>', read(site, "nominate/confirm/index.html"))
    assert "hidden" in button.group(0)


def test_nominate_confirm_script_posts_only_on_click():
    """Mail scanners open emailed links, so loading the page must not confirm the nomination."""
    script = (SCRIPTS_DIR / "nominate-confirm.js").read_text(encoding="utf-8")
    before_click, after_click = script.split('button.addEventListener("click"', 1)
    assert re.search(r"^\s*await confirm\(\)|^\s*confirm\(\);", before_click, re.MULTILINE) is None
    assert "confirm()" in after_click


def test_directory_page_links_advocates_export(site):
    assert 'href="/api/admin/exports/advocates.csv"' in read(site, "admin/advocates/index.html")


def test_data_page_links_download(site):
    assert 'href="/api/me/data"' in read(site, "account/data/index.html")


@pytest.mark.parametrize("page", ["nominations", "advocates", "roster"])
def test_admin_page_links_advocate_page(site, page):
    link = re.search(rf'<a[^>]*id="admin-{page}-link"[^>]*>', read(site, "admin/index.html"))
    assert link is not None
    assert f'href="{page}/"' in link.group(0)


def test_account_page_links_profile_page(site):
    link = re.search(r'<a[^>]*id="account-profile-link"[^>]*>', read(site, "account/index.html"))
    assert link is not None
    assert 'href="profile/"' in link.group(0)


@pytest.mark.parametrize("script", SCRIPT_STRINGS, ids=str)
def test_advocate_script_string_keys_exist(script):
    """Literal keys of the script's own sections resolve in its strings files; others in strings.json."""
    own = {}
    for name in SCRIPT_STRINGS[script]:
        own.update(strings_of(name))
    shared = json.loads(SHARED_STRINGS.read_text(encoding="utf-8"))
    sections = set(own) | set(shared)
    literals = re.findall(r'"([a-z_]+(?:\.[a-z_]+)+)"', (SCRIPTS_DIR / script).read_text(encoding="utf-8"))
    keys = {literal for literal in literals if literal.split(".")[0] in sections}
    missing = sorted(key for key in keys if not isinstance(resolve(own, key) or resolve(shared, key), (str, dict)))
    assert missing == []


@pytest.mark.parametrize(("strings", "key"), COMPUTED_KEYS, ids=[key for _, key in COMPUTED_KEYS])
def test_advocate_computed_string_key_exists(strings, key):
    assert isinstance(resolve(strings_of(strings), key), str)


@pytest.mark.parametrize("name", STRINGS_FILES)
def test_advocate_strings_file_has_one_unique_section(name):
    sections = set(strings_of(name))
    others = set(json.loads(SHARED_STRINGS.read_text(encoding="utf-8")))
    for path in STRINGS_DIR.glob("*.json"):
        if path.stem != name:
            others |= set(json.loads(path.read_text(encoding="utf-8")))
    assert len(sections) == 1
    assert sections & others == set()


@pytest.mark.parametrize("name", STRINGS_FILES)
def test_advocate_strings_plural_entries_have_other_form(name):
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

    walk(strings_of(name), "")
    assert without_other == []
