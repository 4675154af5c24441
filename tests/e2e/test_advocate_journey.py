"""A customer becomes an advocate in headless Chromium, and admins import the roster.

The journey: a customer nominates themself and confirms from the email, an admin approves on the
review page, the new advocate signs in from the welcome email, sets a cap and a blackout, and
confirms the profile. Each test runs its own portal with the clock at 2027-01-05 09:00 UTC.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from advocacy.domain.advocates import Blackout
from localdev import demo
from tests.support.api import link_query, links_in
from tests.support.browser import RunningPortal, save_screenshot, scroll_width, serve_portal
from tests.support.browser_sessions import sign_in_as_admin

pytestmark = pytest.mark.browser

NOMINEE = "Robin.Customer@Lumen-Clinics.example"
PHONE_VIEWPORT = {"width": 375, "height": 740}


@pytest.fixture
def empty_portal(built_site, tmp_path) -> Iterator[RunningPortal]:
    """A running portal without demo forums or roster, so an import creates every advocate."""
    with serve_portal(built_site, tmp_path / "var", load_demo=False) as running:
        yield running


def nominate_in_browser(page: Page, portal: RunningPortal) -> None:
    # The form posts through its script, which is bound once the page's scripts have loaded.
    page.goto(portal.url("/nominate/"), wait_until="networkidle")
    form = page.locator("#nominate-form")
    form.locator("[name=name]").fill("Robin Customer")
    form.locator("[name=email]").fill(NOMINEE)
    form.locator("[name=company]").fill("Lumen Clinics")
    form.locator("[name=role]").fill("Head of Patient Operations")
    form.locator("[name=products]").fill("Claims Automation, Interop Hub")
    form.get_by_label("Host a reference forum").check()
    form.get_by_label("Take a one-to-one reference call").check()
    form.locator("[name=consent]").check()
    page.locator("#nominate-submit").click()
    expect(page.locator("#nominate-result")).to_have_attribute("data-outcome", "sent")


def test_nominate_page_names_missing_fields(page, portal):
    # The form posts through its script, which is bound once the page's scripts have loaded.
    page.goto(portal.url("/nominate/"), wait_until="networkidle")
    page.locator("#nominate-submit").click()

    expect(page.locator("#nominate-result")).to_have_attribute("data-outcome", "invalid")
    expect(page.locator("#nominate-name")).to_be_focused()
    expect(page.locator("#nominate-consent-error")).to_be_visible()
    assert portal.emails("nomination-confirmation") == []


def test_confirm_page_waits_for_button(page, portal):
    nominate_in_browser(page, portal)
    link = links_in(portal.newest_email("nomination-confirmation", to=NOMINEE))[0]

    page.goto(link)
    expect(page.locator("#confirm-nomination")).to_be_visible()

    queued = portal.deps.store.get_nomination(link_query(link)["nomination"])
    assert queued.status.value == "unconfirmed"


def test_customer_becomes_advocate_and_sets_preferences(new_page, portal):
    customer = new_page()
    nominate_in_browser(customer, portal)
    confirmation = portal.newest_email("nomination-confirmation", to=NOMINEE)
    customer.goto(links_in(confirmation)[0])
    customer.locator("#confirm-nomination").click()
    expect(customer.locator("#nominate-confirm-result")).to_have_attribute("data-outcome", "confirmed")

    admin = new_page()
    sign_in_as_admin(admin, portal, "/admin/nominations/")
    card = admin.locator("li.portal-nomination", has_text="Robin Customer")
    expect(card).to_have_attribute("data-status", "new")
    expect(card).to_contain_text("Nominated themself")
    expect(card).to_contain_text("Submitted today")
    save_screenshot(admin, "admin-nominations")
    card.locator("[name=note]").fill("Interviewed at the user conference.")
    card.locator('button[data-action="approve"]').click()
    expect(admin.locator("#nomination-action-result")).to_have_attribute("data-outcome", "done")
    expect(admin.locator("#nomination-action-result")).to_contain_text("Robin Customer is approved")

    # The advocate reads the welcome two days later; its link lasts three days.
    portal.clock.advance(timedelta(days=2))
    advocate = new_page(viewport=PHONE_VIEWPORT)
    welcome_links = links_in(portal.newest_email("advocate-welcome", to=NOMINEE))
    advocate.goto(next(link for link in welcome_links if "/sign-in/confirm/" in link), wait_until="networkidle")
    advocate.locator("button#confirm-sign-in").click()
    # The welcome link leads straight to the profile, which a new advocate should check first.
    advocate.wait_for_url(portal.url("/account/profile/"))

    expect(advocate.locator("#profile-title")).to_have_value("Head of Patient Operations")
    expect(advocate.locator("#preferences-activity-reference-forum")).to_be_checked()
    advocate.locator("#preferences-cap").fill("2")
    advocate.locator("#add-blackout").click()
    advocate.locator("#blackout-list input[type=date]").nth(0).fill("2027-03-01")
    advocate.locator("#blackout-list input[type=date]").nth(1).fill("2027-03-15")
    advocate.locator("#preferences-submit").click()
    expect(advocate.locator("#preferences-result")).to_have_attribute("data-outcome", "saved")
    advocate.locator("#confirm-profile").click()
    expect(advocate.locator("#confirm-profile-result")).to_have_attribute("data-outcome", "confirmed")
    save_screenshot(advocate, "account-profile-phone")
    assert scroll_width(advocate) <= PHONE_VIEWPORT["width"]

    advocate.reload()
    expect(advocate.locator("#preferences-cap")).to_have_value("2")
    expect(advocate.locator("#blackout-list input[type=date]").nth(0)).to_have_value("2027-03-01")
    expect(advocate.locator("#blackout-list input[type=date]").nth(1)).to_have_value("2027-03-15")
    expect(advocate.locator("#profile-last-verified")).to_have_text("7 January 2027")
    stored = portal.deps.store.get_advocate(NOMINEE.lower())
    assert stored.max_activities_per_quarter == 2
    assert stored.blackouts == (Blackout(date(2027, 3, 1), date(2027, 3, 15)),)
    assert stored.last_verified == date(2027, 1, 7)


def test_profile_page_shows_sign_in_without_session(page, portal):
    page.goto(portal.url("/account/profile/"))

    expect(page.locator("#advocate-sign-in")).to_be_visible()
    expect(page.locator("#account-profile-panel")).to_be_hidden()


def test_roster_page_imports_demo_roster_with_merge(page, empty_portal):
    sign_in_as_admin(page, empty_portal, "/admin/roster/")
    expect(page.locator("#admin-roster-panel")).to_be_visible()

    page.locator("#roster-file").set_input_files(str(demo.ROSTER))
    expect(page.locator("#roster-mapping")).to_be_visible()
    page.locator("#roster-import-submit").click()

    result = page.locator("#roster-import-result")
    expect(result).to_have_attribute("data-outcome", "imported")
    expect(result).to_contain_text("24 created")
    expect(result).to_contain_text("1 merged")
    assert len(empty_portal.deps.store.list_advocates()) == 24


def test_roster_page_lists_every_bad_cell(page, empty_portal, tmp_path):
    broken = (
        demo.ROSTER.read_text(encoding="utf-8-sig")
        .replace("Dana.Whitfield@Northwind-Health.example", "dana-at-northwind")
        .replace(",Paused,", ",Sleeping,")
        .replace(",2025-12-01,", ",01/12/2025,")
        .replace("Speaking; Case study,2,", "Speaking; Case study,two,")
    )
    broken_file = tmp_path / "broken-roster.csv"
    broken_file.write_text(broken, encoding="utf-8")
    sign_in_as_admin(page, empty_portal, "/admin/roster/")
    expect(page.locator("#admin-roster-panel")).to_be_visible()

    page.locator("#roster-file").set_input_files(str(broken_file))
    page.locator("#roster-import-submit").click()

    result = page.locator("#roster-import-result")
    expect(result).to_have_attribute("data-outcome", "invalid")
    rows = result.locator("table.portal-problems tbody tr")
    expect(rows).to_have_count(4)
    cells = [(rows.nth(index).get_attribute("data-row"), rows.nth(index).get_attribute("data-column")) for index in range(4)]
    save_screenshot(page, "admin-roster-problems")
    assert cells == [("2", "Email"), ("6", "Last Verified"), ("7", "Max Activities per Quarter"), ("13", "Reference Status")]
    assert empty_portal.deps.store.list_advocates() == []


def test_roster_page_maps_renamed_column(page, empty_portal, tmp_path):
    renamed = demo.ROSTER.read_text(encoding="utf-8-sig").replace("Account Name,", "Company,", 1)
    renamed_file = tmp_path / "crm-export.csv"
    renamed_file.write_text(renamed, encoding="utf-8")
    sign_in_as_admin(page, empty_portal, "/admin/roster/")
    expect(page.locator("#admin-roster-panel")).to_be_visible()

    page.locator("#roster-file").set_input_files(str(renamed_file))
    page.get_by_label("Company", exact=True).select_option("Account Name")
    page.locator("#roster-import-submit").click()

    expect(page.locator("#roster-import-result")).to_have_attribute("data-outcome", "imported")
    assert empty_portal.deps.store.get_advocate("dana.whitfield@northwind-health.example").company == "Northwind Health"


def test_directory_page_filters_by_availability(page, portal):
    sign_in_as_admin(page, portal, "/admin/advocates/")
    expect(page.locator("#advocates-table tbody tr")).not_to_have_count(0)

    page.locator("#directory-industry").fill("Healthcare")
    page.locator("#directory-available-on").fill("2027-02-10")
    page.locator("#directory-submit").click()

    expect(page.locator("#directory-status-text")).to_contain_text("on 10 February 2027")
    expect(page.locator("#availability-column")).to_be_visible()
    expect(page.locator("#stale-profiles-table tbody tr", has_text="liam.oconnor@southerncross-ins.example")).to_have_count(1)
    expect(page.locator("#export-advocates")).to_have_attribute("href", "/api/admin/exports/advocates.csv")
    save_screenshot(page, "admin-advocates")
    emails = page.locator("#advocates-table tbody tr").evaluate_all("rows => rows.map(row => row.dataset.email)")
    assert emails
    assert all(re.search(r"northwind|lakeshore|clinica|carmel|indus", email.lower()) for email in emails)
