"""Advocates earn, redeem and follow rewards, and admins run the program, in headless Chromium.

Each test runs its own portal with the demo calendar and roster, the clock at 2027-01-05 09:00
UTC and the browser in Europe/Berlin with British English. Set-up that is not under test (an
advocate's starting points, a pending request) goes through the rewards service directly.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from playwright.sync_api import Page, expect

from advocacy.services import rewards
from tests.support.api import link_query, links_in, text_body
from tests.support.browser import RunningPortal, save_screenshot, scroll_width
from tests.support.browser_sessions import ADMIN, sign_in_as_admin, sign_in_in_browser

pytestmark = pytest.mark.browser

HOST = "dana.whitfield@northwind-health.example"  # Dana Whitfield in the demo roster
CLAIMS_FORUM = "Scaling claims processing: a payer's first year"  # 2027-01-20 11:00 America/New_York
# Half an hour after the claims forum ended.
AFTER_CLAIMS_FORUM = datetime(2027, 1, 20, 17, 30, tzinfo=timezone.utc)
PHONE_VIEWPORT = {"width": 375, "height": 740}


def register_and_confirm(portal: RunningPortal, forum_id: str, number: int) -> str:
    """Register a prospect through the public API, confirm from the emailed link, return the registration id."""
    person = {
        "name": f"Prospect {number}",
        "email": f"prospect{number}@buyer.example",
        "company": "Buyer Inc",
        "job_title": "CIO",
        "time_zone": "Europe/Berlin",
        "consent": True,
    }
    status, answer = portal.api("POST", f"forums/{forum_id}/registrations", person)
    assert status == 202, answer
    query = link_query(links_in(portal.newest_email("confirmation-request", to=person["email"]))[0])
    status, answer = portal.api("POST", f"forums/{forum_id}/registrations/{query['registration']}/confirm", {"token": query["token"]})
    assert status == 200, answer
    return answer["registration_id"]


def wait_for_page(page: Page, panel: str) -> None:
    """Wait until the page's script shows ``panel`` and has loaded every part of it."""
    expect(page.locator(f"#{panel}")).to_be_visible()
    expect(page.locator(f"#{panel}")).not_to_have_attribute("aria-busy", "true")


def open_admin_rewards(page: Page, portal: RunningPortal) -> None:
    sign_in_as_admin(page, portal, "/admin/rewards/")
    wait_for_page(page, "admin-rewards-panel")


def open_advocate_rewards(page: Page, portal: RunningPortal) -> None:
    sign_in_in_browser(page, portal, HOST, "/account/rewards/")
    wait_for_page(page, "account-rewards-panel")


def reward_card(page: Page, name: str):
    return page.locator(f'#reward-catalog li.portal-reward[data-name="{name}"]')


def redemption_item(page: Page, advocate: str, reward: str):
    return page.locator(f'#redemption-list li[data-advocate="{advocate}"][data-reward="{reward}"]')


def redeem(page: Page, name: str) -> None:
    card = reward_card(page, name)
    card.locator("button[data-redeem]").click()
    expect(card.locator("button[data-confirm-redeem]")).to_be_focused()
    card.locator("button[data-confirm-redeem]").click()


def give_points(portal: RunningPortal, points: int, reason: str) -> None:
    rewards.adjust_points(portal.deps, HOST, points, reason, ADMIN)


# The journey: a forum completes, its host redeems the award, an admin fulfills it


def test_host_redeems_forum_award_and_sees_it_fulfilled(new_page, portal):
    claims_forum = portal.forum_id(CLAIMS_FORUM)
    attendee = register_and_confirm(portal, claims_forum, 1)
    portal.clock.set(AFTER_CLAIMS_FORUM)
    admin = new_page()
    open_admin_rewards(admin, portal)

    rules = admin.locator("form#rules-form")
    expect(rules.locator("[name=reference_forum]")).to_have_value("300")
    rules.locator("[name=bonus_per_attending_prospect]").fill("10")
    rules.locator("[name=bonus_cap]").fill("50")
    admin.locator("button#rules-save").click()
    expect(admin.locator("#rules-result")).to_have_attribute("data-outcome", "saved")

    reward_form = admin.locator("form#reward-form")
    reward_form.locator("[name=name]").fill("Conference pass")
    reward_form.locator("[name=description]").fill("A pass to our user conference in Lisbon.")
    reward_form.locator("[name=points]").fill("250")
    reward_form.locator("[name=stock]").fill("3")
    admin.locator("button#reward-save").click()
    expect(admin.locator("#reward-form-result")).to_have_text("“Conference pass” is added to the catalog.")
    expect(admin.locator('#catalog-table tr[data-name="Conference pass"] td[data-stock]')).to_have_text("3")

    admin.goto(portal.url(f"/admin/forum/?id={claims_forum}"))
    admin.locator(f'#forum-registrations-table tr[data-registration-id="{attendee}"] input[data-attended]').check()
    expect(admin.locator("#outcome-result")).to_have_text("Prospect 1 is marked as attended.")
    admin.locator("button#complete-forum").click()
    expect(admin.locator("#forum-action-result")).to_have_attribute("data-outcome", "complete")
    award_email = portal.newest_email("award", to=HOST)
    assert "310 points" in text_body(award_email)

    advocate = new_page()
    open_advocate_rewards(advocate, portal)
    expect(advocate.locator('[data-rewards-field="balance"]')).to_have_text("310 points")
    expect(advocate.locator('[data-rewards-field="tier"]')).to_have_text("Bronze")
    expect(advocate.locator('[data-rewards-field="next_tier"]')).to_have_text("190 points to Silver")
    award_row = advocate.locator('#ledger-table tr[data-kind="award"]')
    expect(award_row).to_contain_text("+310")
    expect(award_row).to_contain_text(CLAIMS_FORUM)
    expect(award_row).to_contain_text("1 attending prospect")
    save_screenshot(advocate, "rewards-advocate-awarded")

    redeem(advocate, "Conference pass")
    expect(advocate.locator("#redeem-result")).to_have_attribute("data-outcome", "redeemed")
    expect(advocate.locator("#redeem-result")).to_be_focused()
    expect(advocate.locator('[data-rewards-field="balance"]')).to_have_text("60 points")
    expect(advocate.locator('#redemptions-table tbody tr[data-status="pending"]')).to_contain_text("Waiting for the advocacy team")
    expect(reward_card(advocate, "Conference pass")).to_contain_text("2 left")
    expect(advocate.locator('#ledger-table tr[data-kind="redemption"]')).to_contain_text("-250")

    admin.goto(portal.url("/admin/rewards/"))
    wait_for_page(admin, "admin-rewards-panel")
    request = redemption_item(admin, HOST, "Conference pass")
    request.locator("textarea[name=note]").fill("Your pass is in the mail.")
    save_screenshot(admin, "rewards-admin-pending")
    request.locator('button[data-decision="fulfill"]').click()
    expect(admin.locator("#redemption-result")).to_have_attribute("data-outcome", "fulfilled")
    expect(admin.locator("#redemptions-status")).to_have_text("No pending requests.")
    assert "Your pass is in the mail." in text_body(portal.newest_email("reward-fulfilled", to=HOST))

    advocate.reload()
    wait_for_page(advocate, "account-rewards-panel")
    fulfilled = advocate.locator("#redemptions-table tbody tr").first
    expect(fulfilled).to_have_attribute("data-status", "fulfilled")
    expect(fulfilled.locator("[data-redemption-status]")).to_have_text("Fulfilled")
    expect(fulfilled).to_contain_text("Your pass is in the mail.")
    save_screenshot(advocate, "rewards-advocate-fulfilled")


# Admin decisions and adjustments


def test_admin_decline_returns_points_and_stock(new_page, portal):
    give_points(portal, 400, "Welcome to the program")
    lunch = rewards.add_reward(portal.deps, "Team lunch", "", 150, 1, True)
    rewards.redeem_reward(portal.deps, HOST, lunch.reward_id, "first-request")
    admin = new_page()
    open_admin_rewards(admin, portal)
    expect(admin.locator('#catalog-table tr[data-name="Team lunch"] td[data-stock]')).to_have_text("0")

    request = redemption_item(admin, HOST, "Team lunch")
    request.locator('button[data-decision="decline"]').click()
    expect(request.locator(".portal-field-error")).to_have_text("Say why the request is declined; the advocate reads it.")
    expect(request.locator("textarea[name=note]")).to_be_focused()
    request.locator("textarea[name=note]").fill("The lunch budget is spent for this quarter.")
    request.locator('button[data-decision="decline"]').click()

    expect(admin.locator("#redemption-result")).to_have_attribute("data-outcome", "declined")
    expect(admin.locator('#catalog-table tr[data-name="Team lunch"] td[data-stock]')).to_have_text("1")
    admin.locator("#redemption-status").select_option("declined")
    expect(redemption_item(admin, HOST, "Team lunch")).to_contain_text("The lunch budget is spent for this quarter.")
    assert "The lunch budget is spent" in text_body(portal.newest_email("reward-declined", to=HOST))

    advocate = new_page()
    open_advocate_rewards(advocate, portal)
    expect(advocate.locator('[data-rewards-field="balance"]')).to_have_text("400 points")
    expect(advocate.locator("#redemptions-table tbody tr [data-redemption-status]")).to_have_text("Declined, points returned")
    refund = advocate.locator('#ledger-table tr[data-kind="refund"]')
    expect(refund).to_contain_text("+150")
    expect(refund).to_contain_text("Reason: The lunch budget is spent for this quarter.")


def test_admin_adjustment_checked_then_shown_to_advocate(new_page, portal):
    admin = new_page()
    open_admin_rewards(admin, portal)
    form = admin.locator("form#adjustment-form")
    result = admin.locator("#adjustment-result")
    form.locator("[name=email]").fill(HOST)
    form.locator("[name=points]").fill("-50")
    form.locator("[name=reason]").fill("Correction")

    admin.locator("button#adjustment-submit").click()
    expect(admin.locator("#adjustment-points-error")).to_contain_text("Not enough points")
    expect(admin.locator("#adjustment-points")).to_be_focused()

    form.locator("[name=email]").fill("nobody@nowhere.example")
    form.locator("[name=points]").fill("120")
    admin.locator("button#adjustment-submit").click()
    expect(admin.locator("#adjustment-email-error")).to_contain_text("No advocate has the address")
    expect(admin.locator("#adjustment-email")).to_be_focused()

    form.locator("[name=email]").fill(HOST)
    form.locator("[name=reason]").fill("Spoke at the regional user group")
    admin.locator("button#adjustment-submit").click()
    expect(result).to_have_attribute("data-outcome", "adjusted")
    expect(result).to_have_text(f"Added 120 points for {HOST}. Their balance is now 120 points.")
    expect(admin.locator('[data-advocate-points="balance"]')).to_have_text("120 points")
    expect(admin.locator('#advocate-ledger-table tr[data-kind="adjustment"]')).to_contain_text(ADMIN)

    advocate = new_page()
    open_advocate_rewards(advocate, portal)
    adjustment = advocate.locator('#ledger-table tr[data-kind="adjustment"]')
    expect(adjustment).to_contain_text("+120")
    expect(adjustment).to_contain_text("Adjustment: Spoke at the regional user group")
    expect(advocate.locator("#redemptions-empty")).to_be_visible()


def test_admin_tiers_checked_and_shown_to_advocate(new_page, portal):
    give_points(portal, 700, "Case study")
    admin = new_page(viewport=PHONE_VIEWPORT)
    open_admin_rewards(admin, portal)
    expect(admin.locator("#tier-rows li")).to_have_count(3)

    admin.locator("#tier-1-threshold").fill("0")
    admin.locator("button#tiers-save").click()
    expect(admin.locator("#tiers-result")).to_contain_text("list tiers from the lowest threshold up")

    admin.locator("#tier-1-threshold").fill("600")
    admin.locator("button#add-tier").click()
    expect(admin.locator("#tier-3-name")).to_be_focused()
    admin.locator("button#tiers-save").click()
    expect(admin.locator("#tier-3-name-error")).to_have_text("Name the tier.")
    expect(admin.locator("#tier-3-name")).to_be_focused()

    admin.locator("#tier-3-name").fill("Platinum")
    admin.locator("#tier-3-threshold").fill("5000")
    admin.locator("button#tiers-save").click()
    expect(admin.locator("#tiers-result")).to_have_text("4 tiers saved.")
    expect(admin.locator("#issued-table tr[data-quarter='2027-Q1'] td").first).to_have_text("700")
    save_screenshot(admin, "rewards-admin-phone")
    assert scroll_width(admin) <= PHONE_VIEWPORT["width"]

    advocate = new_page(viewport=PHONE_VIEWPORT)
    open_advocate_rewards(advocate, portal)
    expect(advocate.locator('[data-rewards-field="tier"]')).to_have_text("Silver")
    expect(advocate.locator('[data-rewards-field="next_tier"]')).to_have_text("800 points to Gold")
    expect(advocate.locator("#tier-ladder li")).to_have_count(4)
    assert scroll_width(advocate) <= PHONE_VIEWPORT["width"]


# What an advocate cannot do


def test_redeem_without_enough_points_says_why(page, portal):
    give_points(portal, 100, "Welcome to the program")
    rewards.add_reward(portal.deps, "Headphones", "Noise-cancelling.", 250, None, True)
    rewards.add_reward(portal.deps, "Mug", "", 80, None, True)
    open_advocate_rewards(page, portal)

    headphones = reward_card(page, "Headphones")
    expect(headphones.locator("[data-reward-hint]")).to_have_text("You need 150 more points to redeem this reward.")
    expect(headphones.locator("button[data-redeem]")).to_be_disabled()

    # Another admin deducts points while the advocate's page still shows the old balance.
    give_points(portal, -50, "Duplicate award")
    redeem(page, "Mug")

    result = page.locator("#redeem-result")
    expect(result).to_have_attribute("data-outcome", "refused")
    expect(result).to_have_text("Not enough points: the reward costs 80 and your balance is 50.")
    expect(page.locator('[data-rewards-field="balance"]')).to_have_text("50 points")
    expect(page.locator("#redemptions-empty")).to_be_visible()
    save_screenshot(page, "rewards-advocate-not-enough")


def test_pages_offer_sign_in_without_the_role(page, portal):
    page.goto(portal.url("/account/rewards/"))
    expect(page.locator("#rewards-message")).to_contain_text("Sign in to see your points and rewards.")
    expect(page.locator("#account-rewards-panel")).to_be_hidden()

    sign_in_in_browser(page, portal, HOST, "/admin/rewards/")
    expect(page.locator("#admin-rewards-message")).to_contain_text("which is not an admin account")
    expect(page.locator("#admin-rewards-panel")).to_be_hidden()


# The catalog


def test_admin_edits_and_removes_reward(page, portal):
    mug = rewards.add_reward(portal.deps, "Mug", "", 80, None, True)
    open_admin_rewards(page, portal)
    row = page.locator('#catalog-table tr[data-name="Mug"]')
    form = page.locator("form#reward-form")

    row.locator("button[data-edit-reward]").click()
    expect(form.locator("[name=name]")).to_be_focused()
    expect(page.locator("#reward-form-heading")).to_have_text("Edit “Mug”")
    form.locator("[name=points]").fill("90")
    # Another admin saves the reward while this page still has the version it loaded.
    rewards.update_reward(portal.deps, mug.reward_id, mug.version, "Mug", "", 85, None, True)
    page.locator("button#reward-save").click()
    expect(page.locator("#reward-form-result")).to_contain_text("changed since you opened it")
    expect(row.locator("td").first).to_have_text("85")

    row.locator("button[data-edit-reward]").click()
    form.locator("[name=points]").fill("90")
    form.locator("[name=stock]").fill("12")
    page.locator("button#reward-save").click()
    expect(page.locator("#reward-form-result")).to_have_text("“Mug” is saved.")
    expect(row.locator("td").first).to_have_text("90")
    expect(row.locator("td[data-stock]")).to_have_text("12")
    expect(page.locator("#reward-form-heading")).to_have_text("Add a reward")

    row.locator("button[data-remove-reward]").click()
    expect(row.locator("button[data-confirm-remove]")).to_be_focused()
    row.locator("button[data-confirm-remove]").click()
    expect(page.locator("#catalog-result")).to_have_text("“Mug” is removed from the catalog.")
    expect(page.locator("#catalog-empty")).to_be_visible()
