"""The demand and report pages build with their forms, selectors, scripts and strings files.

Reference requests, targets and coverage, reports, activities, and the sales rep's request and
confirmation pages. Their forms are written by hand, so each is checked against its WTForms class.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from wtforms.validators import InputRequired, Length, NumberRange

from advocacy.forms.demand import (
    ActivityForm,
    ReferenceRequestForm,
    SalesRequestForm,
    TargetForm,
)
from advocacy.handlers.admin_reports import REPORT_NAMES
from tests.support.site import read

REPO_ROOT = Path(__file__).resolve().parents[2]
CONFIG = REPO_ROOT / "portal_site" / "mkdocs.yml"
SCRIPTS_DIR = REPO_ROOT / "portal_site" / "overrides" / "assets" / "portal"
STRINGS_DIR = REPO_ROOT / "content" / "assets" / "strings"
SHARED_STRINGS = REPO_ROOT / "content" / "assets" / "strings.json"

# Page, root element id, module and strings file of each page.
PAGES = {
    "admin/requests/index.html": ("admin-requests-panel", "admin-requests", "admin-requests"),
    "admin/targets/index.html": ("admin-targets-panel", "admin-targets", "admin-targets"),
    "admin/reports/index.html": ("admin-reports-panel", "admin-reports", "admin-reports"),
    "admin/activities/index.html": ("admin-activities-panel", "admin-activities", "admin-activities"),
    "request-reference/index.html": ("request-reference-panel", "request-reference", "request-reference"),
    "reference-request/index.html": ("reference-request-panel", "reference-request-confirm", "reference-request-confirm"),
}
ADMIN_PAGES = [page for page in PAGES if page.startswith("admin/")]

# Each script's strings section; its keys are looked up in its own strings file.
SCRIPT_STRINGS = {
    "admin-requests.js": "admin-requests",
    "admin-targets.js": "admin-targets",
    "admin-reports.js": "admin-reports",
    "admin-activities.js": "admin-activities",
    "request-reference.js": "request-reference",
    "reference-request-confirm.js": "reference-request-confirm",
}

# Keys that the scripts build from API values, so the literal-key check cannot see them.
COMPUTED_KEYS = [
    *[("admin-requests", f"admin_requests.statuses.{status}") for status in ("new", "matched", "scheduled", "done", "cancelled")],
    *[("admin-requests", f"admin_requests.actions.{status}") for status in ("matched", "scheduled", "done", "cancelled")],
    *[("admin-reports", f"admin_reports.influence_captions.{group}") for group in ("quarter", "advocate", "forum", "industry", "region")],
    *[("admin-reports", f"admin_reports.influence_keys.{group}") for group in ("quarter", "advocate", "forum", "industry", "region")],
    *[("admin-reports", f"admin_reports.activity_types.{choice.value}") for choice in ActivityForm().activity_type.choices],
    *[
        ("admin-targets", f"admin_targets.prefill.{name}")
        for name in ("title", "format", "capacity", "duration_minutes", "time_zone", "host_emails", "industry", "region", "product", "language")
    ],
]

# Forms written by hand in the pages, with the WTForms class that validates them.
FORMS = [
    ("admin/requests/index.html", "request-form", ReferenceRequestForm),
    ("admin/targets/index.html", "target-form", TargetForm),
    ("admin/activities/index.html", "activity-form", ActivityForm),
    ("request-reference/index.html", "reference-request-form", SalesRequestForm),
]

PAGE_ELEMENTS = {
    "admin/requests/index.html": [
        'id="admin-requests-message"', 'id="requests-filter"', 'id="requests-table"', 'id="request-detail"',
        'id="request-actions"', 'id="request-action-result"', 'id="routing-summary"', 'id="routing-advocates"',
        'id="routing-forums"', 'id="routing-show-all"', 'id="request-submit"', 'id="request-form-result"',
    ],
    "admin/targets/index.html": [
        'id="admin-targets-message"', 'id="targets-table"', 'id="coverage-heatmap"', 'id="coverage-heatmap-chart"',
        'id="target-submit"', 'id="target-form-result"', 'id="target-remove-result"', 'id="supply-suggestions"',
    ],
    "admin/reports/index.html": [
        'id="admin-reports-message"', 'id="report-period-form"', 'id="report-from"', 'id="report-to"',
        'id="reports-status"', 'id="influence-quarter-chart"', 'id="activities-chart"', 'id="forums-report"',
        'id="program-health-facts"', 'id="advocates-at-cap"', 'id="export-registrations"', 'id="export-advocates"',
    ],
    "admin/activities/index.html": ['id="admin-activities-message"', 'id="activity-submit"', 'id="activity-form-result"'],
    "request-reference/index.html": ['id="reference-request-submit"', 'id="reference-request-form-result"'],
    "reference-request/index.html": ['id="confirm-reference-request"', 'id="reference-request-result"', 'id="reference-request-forums"'],
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


def length_limit(field) -> int | None:
    limits = [validator.max for validator in field.validators if isinstance(validator, Length) and validator.max > 0]
    return limits[0] if limits else None


def is_required(field) -> bool:
    return any(isinstance(validator, InputRequired) for validator in field.validators)


@pytest.mark.parametrize("page", PAGES)
def test_demand_site_writes_page(site, page):
    assert (site / page).is_file()


@pytest.mark.parametrize("page", PAGES)
def test_demand_page_names_module_and_strings(site, page):
    element_id, module, strings = PAGES[page]
    tag = root_tag(read(site, page), element_id)
    assert f'data-portal-module="{module}"' in tag
    assert f'data-portal-strings="{strings}"' in tag


@pytest.mark.parametrize("page", PAGES)
def test_demand_page_assets_copied(site, page):
    _, module, strings = PAGES[page]
    assert (site / "assets" / "portal" / f"{module}.js").is_file()
    assert (site / "assets" / "strings" / f"{strings}.json").is_file()


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_demand_admin_page_starts_hidden(site, page):
    element_id, _, _ = PAGES[page]
    assert "hidden" in root_tag(read(site, page), element_id)


@pytest.mark.parametrize("page", PAGES)
def test_demand_page_loads_nothing_from_other_hosts(site, page):
    external = re.findall(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="((?:https?:)?//[^"]+)"', read(site, page))
    assert external == []


@pytest.mark.parametrize(("page", "marker"), [(page, marker) for page, markers in PAGE_ELEMENTS.items() for marker in markers])
def test_demand_page_has_stable_selector(site, page, marker):
    assert marker in read(site, page)


@pytest.mark.parametrize(
    ("page", "form_id", "field"),
    [(page, form_id, field) for page, form_id, form_class in FORMS for field in form_class() if field.name != "website"],
    ids=lambda value: getattr(value, "name", value),
)
def test_demand_form_field_matches_form_class(site, page, form_id, field):
    """Labels are not compared, because a team translates them in the page."""
    html = form_html(read(site, page), form_id)
    control = control_html(html, field.name)
    assert control is not None
    element_id = re.search(r'id="([^"]+)"', control).group(1)
    assert f'<label for="{element_id}">' in html
    assert (re.search(r"\srequired[\s>]", control) is not None) == is_required(field)
    limit = length_limit(field)
    if limit is not None:
        assert f'maxlength="{limit}"' in control


@pytest.mark.parametrize(("page", "form_id", "form_class"), FORMS, ids=[form_id for _, form_id, _ in FORMS])
def test_demand_form_has_no_extra_field(site, page, form_id, form_class):
    names = set(re.findall(r'<(?:input|select|textarea)[^>]*name="([^"]+)"', form_html(read(site, page), form_id)))
    assert names - {field.name for field in form_class()} == set()


def test_target_wanted_limits_match_form(site):
    control = control_html(form_html(read(site, "admin/targets/index.html"), "target-form"), "wanted")
    limits = next(validator for validator in TargetForm().wanted.validators if isinstance(validator, NumberRange))
    assert f'min="{limits.min}"' in control
    assert f'max="{limits.max}"' in control


def test_activity_choices_match_form(site):
    html = form_html(read(site, "admin/activities/index.html"), "activity-form")
    select = re.search(r'<select[^>]*name="activity_type"[^>]*>(.*?)</select>', html, re.DOTALL)
    offered = [value for value in re.findall(r'<option value="([^"]*)">', select.group(1)) if value]
    assert offered == [choice.value for choice in ActivityForm().activity_type.choices]


def test_requests_filter_offers_admin_statuses(site):
    html = read(site, "admin/requests/index.html")
    select = re.search(r'<select[^>]*id="requests-filter"[^>]*>(.*?)</select>', html, re.DOTALL)
    offered = re.findall(r'<option value="([^"]*)">', select.group(1))
    assert offered == ["new", "matched", "scheduled", "done", "cancelled"]


def test_reference_request_form_hides_honeypot(site):
    html = form_html(read(site, "request-reference/index.html"), "reference-request-form")
    honeypot = re.search(r'<div([^>]*class="portal-honeypot"[^>]*)>(.*?)</div>', html, re.DOTALL)
    assert honeypot is not None
    assert 'aria-hidden="true"' in honeypot.group(1)
    assert 'tabindex="-1"' in control_html(honeypot.group(2), "website")


@pytest.mark.parametrize("name", REPORT_NAMES)
def test_reports_page_links_report_csv(site, name):
    assert f'href="/api/admin/reports/{name}.csv"' in read(site, "admin/reports/index.html")


@pytest.mark.parametrize("export", ["registrations", "advocates"])
def test_reports_page_links_export_csv(site, export):
    assert f'href="/api/admin/exports/{export}.csv"' in read(site, "admin/reports/index.html")


def test_confirm_page_button_starts_hidden(site):
    button = re.search(r'<button[^>]*id="confirm-reference-request"[^>]*>', read(site, "reference-request/index.html"))
    assert "hidden" in button.group(0)


def test_confirm_script_posts_only_on_click():
    """Mail scanners open emailed links, so loading the page must not confirm the request."""
    script = (SCRIPTS_DIR / "reference-request-confirm.js").read_text(encoding="utf-8")
    before_click, after_click = script.split('button.addEventListener("click"', 1)
    assert "await confirm()" not in before_click
    assert "await confirm()" in after_click


@pytest.mark.parametrize("page", ["requests", "targets", "activities", "reports"])
def test_admin_page_links_demand_page(site, page):
    link = re.search(rf'<a[^>]*id="admin-{page}-link"[^>]*>', read(site, "admin/index.html"))
    assert link is not None
    assert f'href="{page}/"' in link.group(0)


def test_confirm_page_stays_out_of_nav(site):
    assert 'href="reference-request/"' not in read(site, "index.html")


@pytest.mark.parametrize("script", SCRIPT_STRINGS, ids=str)
def test_demand_script_string_keys_exist(script):
    """Literal keys of the script's own section resolve in its strings file, and others in strings.json."""
    own = strings_of(SCRIPT_STRINGS[script])
    shared = json.loads(SHARED_STRINGS.read_text(encoding="utf-8"))
    sections = set(own) | set(shared)
    literals = re.findall(r'"([a-z_]+(?:\.[a-z_]+)+)"', (SCRIPTS_DIR / script).read_text(encoding="utf-8"))
    keys = {literal for literal in literals if literal.split(".")[0] in sections}
    missing = sorted(key for key in keys if not isinstance(resolve(own, key) or resolve(shared, key), (str, dict)))
    assert missing == []


@pytest.mark.parametrize(("strings", "key"), COMPUTED_KEYS, ids=[key for _, key in COMPUTED_KEYS])
def test_demand_computed_string_key_exists(strings, key):
    assert isinstance(resolve(strings_of(strings), key), str)


@pytest.mark.parametrize("name", sorted(SCRIPT_STRINGS.values()))
def test_demand_strings_have_unique_section(name):
    sections = set(strings_of(name))
    shared = set(json.loads(SHARED_STRINGS.read_text(encoding="utf-8")))
    assert len(sections) == 1
    assert sections & shared == set()


@pytest.mark.parametrize("name", sorted(SCRIPT_STRINGS.values()))
def test_demand_plurals_have_other_form(name):
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
