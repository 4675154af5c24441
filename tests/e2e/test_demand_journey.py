"""Admins match demand and read reports in headless Chromium, and a sales rep requests a reference.

Each test runs its own portal with the demo roster and calendar, the clock at 2027-01-05 09:00
UTC and the one-to-one threshold at its default of 100,000.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace

import pytest
from playwright.sync_api import Page, expect

from advocacy.domain.demand import RequestStatus
from advocacy.services import demand
from tests.support.api import links_in
from tests.support.browser import RunningPortal, save_screenshot, scroll_width
from tests.support.browser_sessions import sign_in_as_admin

pytestmark = pytest.mark.browser

PHONE_VIEWPORT = {"width": 375, "height": 740}
HOST = "dana.whitfield@northwind-health.example"  # Dana Whitfield, Healthcare, in the demo roster
# The two upcoming Healthcare forums of the demo calendar.
HEALTHCARE_FORUMS = {"Scaling claims processing: a payer's first year", "Healthcare data exchange: lessons from 30 hospitals"}
COMPANY_DOMAIN = "vendor.example"


def fill(page: Page, form: str, values: dict[str, str]) -> None:
    for name, value in values.items():
        control = page.locator(f"form#{form} [name={name}]")
        if control.evaluate("element => element.tagName") == "SELECT":
            control.select_option(value)
        else:
            control.fill(value)


def request_values(amount: int, opportunity_id: str) -> dict[str, str]:
    return {
        "opportunity_id": opportunity_id,
        "amount": str(amount),
        "stage": "Evaluation",
        "prospect_company": "Buyer Health",
        "needed_by": "2027-02-15",
        "industry": "Healthcare",
    }


def test_target_gap_shown_on_phone(new_page, portal: RunningPortal):
    page = new_page(viewport=PHONE_VIEWPORT)
    sign_in_as_admin(page, portal, "/admin/targets/")

    fill(page, "target-form", {"wanted": "5", "industry": "Healthcare", "region": "North America"})
    page.locator("button#target-submit").click()

    expect(page.locator("#target-form-result")).to_have_attribute("data-outcome", "created")
    coverage = [item for item in demand.coverage(portal.deps) if item.target.segment() == {"industry": "Healthcare", "region": "North America"}]
    row = page.locator("#targets-table tbody tr", has_text="Healthcare · North America")
    expect(row.locator("[data-gap-cell]")).to_have_text(str(coverage[0].gap))
    expect(row.locator("[data-covered]")).to_have_text(str(coverage[0].covered))
    assert coverage[0].gap > 0
    expect(page.locator("#coverage-heatmap svg g[data-row='Healthcare · North America'] rect")).to_have_count(3)
    assert scroll_width(page) <= PHONE_VIEWPORT["width"]
    save_screenshot(page, "demand-targets-phone")


def test_target_invalid_wanted_beside_field(page: Page, portal: RunningPortal):
    sign_in_as_admin(page, portal, "/admin/targets/")

    fill(page, "target-form", {"wanted": "0", "industry": "Healthcare"})
    page.locator("button#target-submit").click()

    expect(page.locator("#target-wanted-error")).to_be_visible()
    expect(page.locator("#target-wanted")).to_be_focused()


def test_large_request_ranks_advocates(page: Page, portal: RunningPortal):
    sign_in_as_admin(page, portal, "/admin/requests/")

    fill(page, "request-form", request_values(250000, "OPP-250"))
    page.locator("button#request-submit").click()

    expect(page.locator("#request-form-result")).to_have_attribute("data-outcome", "created")
    expect(page.locator("#request-detail")).to_have_attribute("data-route", "one_to_one")
    first = page.locator("#routing-advocates > li").first
    expect(first.locator(".portal-match__reasons li", has_text="Same industry: Healthcare")).to_be_visible()
    expect(first.locator("[data-available]")).to_be_visible()
    ranked = page.locator("#routing-advocates > li")
    expect(ranked.locator("visible=true")).to_have_count(8)
    page.locator("button#routing-show-all").click()
    expect(ranked.locator("visible=true")).to_have_count(ranked.count())
    save_screenshot(page, "demand-request-large")

    first.locator("button[data-match-advocate]").click()

    expect(page.locator("#request-action-result")).to_have_attribute("data-outcome", "matched")
    expect(page.locator("[data-request-field='status']")).to_have_text("Matched")
    assert [request.opportunity_id for request in portal.deps.store.list_requests(RequestStatus.MATCHED)] == ["OPP-250"]


def test_small_request_lists_forums_on_phone(new_page, portal: RunningPortal):
    page = new_page(viewport=PHONE_VIEWPORT)
    sign_in_as_admin(page, portal, "/admin/requests/")

    fill(page, "request-form", request_values(20000, "OPP-20"))
    page.locator("button#request-submit").click()

    expect(page.locator("#request-detail")).to_have_attribute("data-route", "one_to_many")
    forums = page.locator("#routing-forums > li")
    expect(forums).to_have_count(len(HEALTHCARE_FORUMS))
    titles = {text.strip() for text in forums.locator(".portal-match__name").all_text_contents()}
    assert titles == HEALTHCARE_FORUMS
    link = forums.first.locator("input.portal-copy__url").input_value()
    assert "opportunity_id=OPP-20" in link
    assert scroll_width(page) <= PHONE_VIEWPORT["width"]
    save_screenshot(page, "demand-request-small-phone")

    page.goto(link)
    expect(page.locator("#registration-form")).to_be_visible()


def test_reports_charts_tables_and_csv(page: Page, portal: RunningPortal):
    sign_in_as_admin(page, portal, "/admin/activities/")
    fill(page, "activity-form", {"advocate": HOST, "activity_type": "case_study", "occurred_on": "2027-01-04", "opportunity_id": "OPP-77", "amount": "30000"})
    page.locator("button#activity-submit").click()
    expect(page.locator("#activity-form-result")).to_have_attribute("data-outcome", "recorded")

    page.goto(portal.url("/admin/reports/"))

    expect(page.locator("#influence-quarter-chart svg g[data-bar='2027-Q1']")).to_have_count(1)
    expect(page.locator("#influence-quarter-table tbody tr", has_text="2027-Q1")).to_contain_text("30,000")
    expect(page.locator("#activities-chart svg g[data-bar='Case study']")).to_have_count(1)
    expect(page.locator("#activities-table tbody tr", has_text="Case study")).to_contain_text("1")
    save_screenshot(page, "demand-reports")
    href = page.locator("a#csv-influence-quarter").get_attribute("href")
    response = page.request.get(portal.url(href))
    rows = list(csv.reader(io.StringIO(response.body().decode("utf-8-sig"))))
    assert response.status == 200
    assert rows[0] == ["Quarter", "Influenced amount", "Opportunities"]
    assert ["2027-Q1", "30000", "1"] in rows[1:]


def test_sales_rep_confirmation_lists_forums(page: Page, portal: RunningPortal):
    portal.deps.settings = replace(portal.deps.settings, company_domains=frozenset({COMPANY_DOMAIN}))
    page.goto(portal.url("/request-reference/"))
    values = {"requester_name": "Riley Rep", "requester_email": "riley@buyer.example", **request_values(20000, "OPP-21")}
    fill(page, "reference-request-form", values)
    page.locator("button#reference-request-submit").click()
    expect(page.locator("#reference-request-requester-email-error")).to_be_visible()
    expect(page.locator("#reference-request-requester-email")).to_be_focused()

    page.locator("form#reference-request-form [name=requester_email]").fill(f"riley@{COMPANY_DOMAIN}")
    page.locator("button#reference-request-submit").click()
    expect(page.locator("#reference-request-form-result")).to_have_attribute("data-outcome", "sent")

    page.goto(links_in(portal.newest_email("reference-request-confirmation", to=f"riley@{COMPANY_DOMAIN}"))[0])
    expect(page.locator("button#confirm-reference-request")).to_be_visible()
    assert len(portal.deps.store.list_requests(RequestStatus.UNCONFIRMED)) == 1
    page.locator("button#confirm-reference-request").click()

    expect(page.locator("#reference-request-result")).to_have_attribute("data-outcome", "confirmed")
    titles = {text.strip() for text in page.locator("#reference-request-forums .portal-match__name").all_text_contents()}
    assert titles == HEALTHCARE_FORUMS
    assert [request.opportunity_id for request in portal.deps.store.list_requests(RequestStatus.NEW)] == ["OPP-21"]
    save_screenshot(page, "demand-sales-confirm")
