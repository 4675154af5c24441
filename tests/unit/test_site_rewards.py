"""The rewards pages build into the site with their scripts, strings and hand-written forms.

The advocate's page is /account/rewards/ and the admin's /admin/rewards/. Their forms are written
by hand in content/, so these tests hold them to the WTForms classes the API validates with.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from wtforms.validators import InputRequired, Length, NumberRange

from advocacy.domain.rewards import MAX_TIERS, EntryKind, RedemptionStatus
from advocacy.forms import rewards as reward_forms
from tests.support.site import read

REPO_ROOT = Path(__file__).resolve().parents[2]
CONFIG = REPO_ROOT / "portal_site" / "mkdocs.yml"
SCRIPTS_DIR = REPO_ROOT / "portal_site" / "overrides" / "assets" / "portal"
STRINGS_DIR = REPO_ROOT / "content" / "assets" / "strings"
SHARED_STRINGS = REPO_ROOT / "content" / "assets" / "strings.json"

ADVOCATE_PAGE = "account/rewards/index.html"
ADMIN_PAGE = "admin/rewards/index.html"
REWARDS_SCRIPTS = ["account-rewards.js", "admin-rewards.js", "admin-rewards-settings.js", "admin-rewards-forms.js", "rewards-format.js"]
REWARDS_STRINGS = {"account-rewards": "account_rewards", "admin-rewards": "admin_rewards", "rewards": "rewards"}

# Selectors the end-to-end tests and the scripts rely on, per page.
PAGE_ELEMENTS = {
    ADVOCATE_PAGE: [
        'id="account-rewards-panel"',
        'id="rewards-message"',
        'id="rewards-status"',
        'data-rewards-field="balance"',
        'data-rewards-field="lifetime"',
        'data-rewards-field="tier"',
        'data-rewards-field="next_tier"',
        'id="tier-progress"',
        'id="tier-ladder"',
        'id="redeem-result"',
        'id="reward-catalog"',
        'id="redemptions-table"',
        'id="redemptions-empty"',
        'id="ledger-table"',
        'id="ledger-empty"',
    ],
    ADMIN_PAGE: [
        'id="admin-rewards-panel"',
        'id="admin-rewards-message"',
        'id="redemption-status"',
        'id="redemptions-status"',
        'id="redemption-result"',
        'id="redemption-list"',
        'id="advocate-points-form"',
        'id="advocate-points"',
        'id="advocate-ledger-table"',
        'id="adjustment-form"',
        'id="adjustment-result"',
        'id="catalog-table"',
        'id="reward-form"',
        'id="reward-form-heading"',
        'id="reward-save"',
        'id="reward-cancel-edit"',
        'id="reward-form-result"',
        'id="rules-form"',
        'id="rules-result"',
        'id="tiers-form"',
        'id="tier-rows"',
        'id="add-tier"',
        'id="tiers-save"',
        'id="tiers-result"',
        'id="issued-form"',
        'id="issued-table"',
    ],
}

# Hand-written forms of the admin page and the WTForms class each one submits to.
ADMIN_FORMS = [
    ("adjustment-form", reward_forms.AdjustmentForm),
    ("reward-form", reward_forms.RewardForm),
    ("rules-form", reward_forms.PointsRulesForm),
]


def form_html(html: str, form_id: str) -> str:
    match = re.search(rf'<form[^>]*id="{form_id}"[^>]*>(.*?)</form>', html, re.DOTALL)
    assert match is not None, form_id
    return match.group(1)


def control_html(html: str, name: str) -> str | None:
    match = re.search(rf'<(?:input|select|textarea)[^>]*name="{name}"[^>]*>', html)
    return match.group(0) if match else None


def strings_of(name: str) -> dict:
    return json.loads((STRINGS_DIR / f"{name}.json").read_text(encoding="utf-8"))


def all_rewards_strings() -> dict:
    merged: dict = {}
    for name in REWARDS_STRINGS:
        merged.update(strings_of(name))
    return merged


def resolve(strings: dict, key: str):
    node = strings
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def script_text(name: str) -> str:
    return (SCRIPTS_DIR / name).read_text(encoding="utf-8")


# Pages


@pytest.mark.parametrize("page", [ADVOCATE_PAGE, ADMIN_PAGE])
def test_rewards_page_is_built(site, page):
    assert (site / page).is_file()


@pytest.mark.parametrize("page", [ADVOCATE_PAGE, ADMIN_PAGE])
def test_rewards_page_loads_portal_script(site, page):
    tag = re.search(r'<script[^>]*src="[^"]*assets/portal/main\.js"[^>]*>', read(site, page))
    assert tag is not None
    assert 'type="module"' in tag.group(0)


@pytest.mark.parametrize("page", [ADVOCATE_PAGE, ADMIN_PAGE])
def test_rewards_page_loads_nothing_from_other_hosts(site, page):
    external = re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="((?:https?:)?//[^"]+)"', read(site, page))
    assert external == []


@pytest.mark.parametrize(("page", "marker"), [(page, marker) for page, markers in PAGE_ELEMENTS.items() for marker in markers])
def test_rewards_page_has_stable_selector(site, page, marker):
    assert marker in read(site, page)


@pytest.mark.parametrize(
    ("page", "panel_id", "module"),
    [(ADVOCATE_PAGE, "account-rewards-panel", "account-rewards"), (ADMIN_PAGE, "admin-rewards-panel", "admin-rewards")],
)
def test_rewards_panel_starts_hidden_and_names_module(site, page, panel_id, module):
    panel = re.search(rf'<div[^>]*id="{panel_id}"[^>]*>', read(site, page))
    assert panel is not None
    assert re.search(r"\shidden[\s>=]", panel.group(0)) is not None
    assert f'data-portal-module="{module}"' in panel.group(0)
    assert f'data-portal-strings="{module}"' in panel.group(0)


@pytest.mark.parametrize("page", [ADVOCATE_PAGE, ADMIN_PAGE])
def test_rewards_page_loads_shared_rewards_strings(site, page):
    assert 'data-portal-strings="rewards"' in read(site, page)


@pytest.mark.parametrize("page", [ADVOCATE_PAGE, ADMIN_PAGE])
def test_rewards_page_hidden_from_nav(site, page):
    link = "/".join(page.split("/")[:2]) + "/"
    assert f'href="{link}"' not in read(site, "index.html")


def test_account_page_links_advocate_rewards(site):
    assert re.search(r'<a[^>]*href="rewards/"[^>]*id="account-rewards-link"', read(site, "account/index.html"))


def test_admin_page_links_admin_rewards(site):
    assert re.search(r'<a[^>]*href="rewards/"[^>]*id="admin-rewards-link"', read(site, "admin/index.html"))


@pytest.mark.parametrize("asset", [f"assets/portal/{name}" for name in REWARDS_SCRIPTS] + [f"assets/strings/{name}.json" for name in REWARDS_STRINGS])
def test_rewards_asset_is_copied(site, asset):
    assert (site / asset).is_file()


# Hand-written forms against their WTForms classes


@pytest.mark.parametrize(
    ("form_id", "field"),
    [(form_id, field) for form_id, form_class in ADMIN_FORMS for field in form_class()],
    ids=lambda value: value if isinstance(value, str) else value.name,
)
def test_admin_rewards_form_field_matches_form_class(site, form_id, field):
    """Each field of the class is in the page's form, labelled, with its required mark and limits.

    Labels are not compared, because a team translates them in the page.
    """
    html = form_html(read(site, ADMIN_PAGE), form_id)
    control = control_html(html, field.name)
    assert control is not None
    element_id = re.search(r'id="([^"]+)"', control).group(1)
    assert f'<label for="{element_id}">' in html
    required = any(isinstance(validator, InputRequired) for validator in field.validators)
    assert (re.search(r"\srequired[\s>]", control) is not None) == required
    for validator in field.validators:
        if isinstance(validator, Length):
            assert f'maxlength="{validator.max}"' in control
        if isinstance(validator, NumberRange) and 'min="' in control:
            assert f'min="{validator.min}"' in control


@pytest.mark.parametrize("form_id", [form_id for form_id, _ in ADMIN_FORMS])
def test_admin_rewards_form_has_no_unknown_field(site, form_id):
    form_class = dict(ADMIN_FORMS)[form_id]
    names = set(re.findall(r'<(?:input|select|textarea)[^>]*name="([^"]+)"', form_html(read(site, ADMIN_PAGE), form_id)))
    # The reward form also carries the reward's id and version, which RewardUpdateForm reads on edit.
    expected = {field.name for field in form_class()} | ({"reward_id", "version"} if form_id == "reward-form" else set())
    assert names == expected


def test_redemption_status_filter_offers_every_status(site):
    select = re.search(r'<select[^>]*id="redemption-status"[^>]*>(.*?)</select>', read(site, ADMIN_PAGE), re.DOTALL)
    assert re.findall(r'<option value="([^"]+)"', select.group(1)) == [status.value for status in RedemptionStatus]


def test_admin_rewards_script_note_limit_matches_form():
    assert f"const NOTE_MAX = {reward_forms.NOTE_MAX};" in script_text("admin-rewards.js")


def test_admin_rewards_script_tier_limits_match_form():
    script = script_text("admin-rewards-settings.js")
    assert f"const MAX_TIERS = {MAX_TIERS};" in script
    assert f"const TIER_NAME_MAX = {reward_forms.TIER_NAME_MAX};" in script


# Scripts and strings


@pytest.mark.parametrize("script", REWARDS_SCRIPTS)
def test_rewards_script_never_parses_html(script):
    assert re.findall(r"\.(?:inner|outer)HTML\s*\+?=|insertAdjacentHTML|document\.write", script_text(script)) == []


@pytest.mark.parametrize("name", list(REWARDS_STRINGS))
def test_rewards_strings_file_has_one_own_section(name):
    assert list(strings_of(name)) == [REWARDS_STRINGS[name]]


@pytest.mark.parametrize("name", list(REWARDS_STRINGS))
def test_rewards_strings_section_not_in_shared_file(name):
    assert REWARDS_STRINGS[name] not in json.loads(SHARED_STRINGS.read_text(encoding="utf-8"))


@pytest.mark.parametrize("script", REWARDS_SCRIPTS)
def test_rewards_script_string_keys_exist(script):
    """Every quoted strings key of a rewards section, such as "admin_rewards.edit", has a text."""
    strings = all_rewards_strings()
    literals = re.findall(r'"([a-z_]+(?:\.[a-z_]+)+)"', script_text(script))
    keys = {literal for literal in literals if literal.split(".")[0] in strings}
    missing = sorted(key for key in keys if not isinstance(resolve(strings, key), (str, dict)))
    assert missing == []


@pytest.mark.parametrize(
    "key",
    [f"admin_rewards.redemption_count.{status.value}" for status in RedemptionStatus]
    + ["admin_rewards.done.fulfill", "admin_rewards.done.decline", "admin_rewards.tier_name", "admin_rewards.tier_threshold"]
    + [f"rewards.kinds.{kind.value}" for kind in EntryKind]
    + [f"rewards.statuses.{status.value}" for status in RedemptionStatus],
)
def test_rewards_built_string_key_exists(key):
    """Keys the scripts build from a value, such as the label of each ledger entry kind."""
    assert resolve(all_rewards_strings(), key) is not None
