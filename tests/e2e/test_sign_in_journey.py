"""Signing in by emailed link in headless Chromium: advocates, admins, signing out, link safety.

Each test runs its own portal with the demo calendar and roster and the clock at 2027-01-05
09:00 UTC. The sign-in link is read from the outbox, as a person would open it from their mail.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.support.api import link_query, links_in
from tests.support.browser import RunningPortal, save_screenshot

pytestmark = pytest.mark.browser

ADVOCATE = "dana.whitfield@northwind-health.example"  # in the demo roster, status Active
ADMIN = "lead@advocacy.example"
NEW_ADMIN = "second.lead@advocacy.example"
CLAIMS_FORUM = "Scaling claims processing: a payer's first year"

PHONE_VIEWPORT = {"width": 375, "height": 740}

PROSPECT = {
    "name": "Grace Hopper",
    "email": "grace.hopper@cobol-works.example",
    "company": "COBOL Works",
    "job_title": "Director of Claims Operations",
    "time_zone": "America/New_York",
    "consent": True,
}


def horizontal_overflow(page: Page) -> int:
    """Return how many CSS pixels the page is wider than its viewport (0 when it fits)."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def make_admin(portal: RunningPortal, email: str = ADMIN) -> None:
    portal.deps.store.add_admin(email, "test", portal.clock.now())


def sign_in_link(portal: RunningPortal, email: str) -> str:
    return links_in(portal.newest_email("sign-in-link", to=email))[0]


def ask_for_link(page: Page, portal: RunningPortal, email: str, query: str = "") -> None:
    """Fill in the sign-in page as a person does and wait for the "check your email" state."""
    page.goto(portal.url(f"/sign-in/{query}"))
    field = page.locator("form#sign-in-form [name=email]")
    field.click()
    field.press_sequentially(email)
    page.locator("button#sign-in-submit").click()
    expect(page.locator("#sign-in-result")).to_have_attribute("data-outcome", "sent")


def sign_in_in_browser(page: Page, portal: RunningPortal, email: str, query: str = "") -> None:
    ask_for_link(page, portal, email, query)
    page.goto(sign_in_link(portal, email))
    page.locator("button#confirm-sign-in").click()


def session_in_page(page: Page) -> dict:
    """Return GET /api/session as the page's own cookies make it."""
    return page.evaluate("fetch('/api/session', {credentials: 'same-origin'}).then((response) => response.json())")


def register_and_confirm(portal: RunningPortal, forum_id: str, prospect: dict) -> str:
    status, answer = portal.api("POST", f"forums/{forum_id}/registrations", prospect)
    assert status == 202, answer
    query = link_query(links_in(portal.newest_email("confirmation-request", to=prospect["email"]))[0])
    path = f"forums/{query['forum']}/registrations/{query['registration']}/confirm"
    status, answer = portal.api("POST", path, {"token": query["token"]})
    assert status == 200, answer
    return answer["registration_id"]


def test_sign_in_page_shows_check_email_state(page, portal):
    ask_for_link(page, portal, ADVOCATE)

    result = page.locator("#sign-in-result")
    expect(result).to_contain_text("a sign-in link is on its way")
    expect(page.locator("#sign-in-panel")).to_be_hidden()
    assert len(portal.emails("sign-in-link", to=ADVOCATE)) == 1


def test_sign_in_page_answers_unknown_address_alike(page, portal):
    ask_for_link(page, portal, "nobody@unknown.example")

    expect(page.locator("#sign-in-sent")).to_contain_text("a sign-in link is on its way")
    assert portal.emails("sign-in-link") == []


def test_sign_in_page_shows_invalid_email_next_to_field(page, portal):
    page.goto(portal.url("/sign-in/"))
    page.locator("form#sign-in-form [name=email]").fill("not-an-address")
    page.locator("button#sign-in-submit").click()

    error = page.locator("#sign-in-email-error")
    expect(error).to_be_visible()
    expect(page.locator("form#sign-in-form [name=email]")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("form#sign-in-form [name=email]")).to_be_focused()


def test_sign_in_link_points_at_confirm_page_without_next(page, portal):
    ask_for_link(page, portal, ADVOCATE, "?next=/admin/")

    link = urlsplit(sign_in_link(portal, ADVOCATE))

    assert link.path == "/sign-in/confirm/"
    assert set(link_query(sign_in_link(portal, ADVOCATE))) == {"token"}


def test_advocate_signs_in_sees_profile_and_signs_out(page, portal):
    sign_in_in_browser(page, portal, ADVOCATE)

    page.wait_for_url(portal.url("/account/"))
    expect(page.locator('[data-account-field="email"]')).to_have_text("Dana.Whitfield@Northwind-Health.example")
    expect(page.locator('[data-account-field="roles"]')).to_have_text("Advocate")
    expect(page.locator('#advocate-profile [data-profile-field="company"]')).to_have_text("Northwind Health")
    expect(page.locator('#advocate-profile [data-profile-field="status"]')).to_have_text("Active")
    expect(page.locator('#advocate-profile [data-profile-field="last_verified"]')).to_have_text("14 September 2026")
    expect(page.locator("#session-name")).to_have_text("Dana Whitfield")
    expect(page.locator("#session-admin")).to_have_count(0)
    save_screenshot(page, "account-advocate")

    page.locator("button#sign-out").click()

    expect(page.locator("#account-message")).to_contain_text("You are signed out.")
    expect(page.locator("#account-panel")).to_be_hidden()
    expect(page.locator("a#session-sign-in")).to_be_visible()
    assert session_in_page(page)["signed_in"] is False


def test_account_page_signed_out_after_reload(page, portal):
    sign_in_in_browser(page, portal, ADVOCATE)
    page.wait_for_url(portal.url("/account/"))
    page.locator("button#sign-out").click()
    expect(page.locator("a#session-sign-in")).to_be_visible()

    page.reload()

    expect(page.locator("#account-message")).to_contain_text("You are not signed in.")
    expect(page.locator("#account-panel")).to_be_hidden()


def test_account_page_anonymous_links_to_sign_in(page, portal):
    page.goto(portal.url("/account/"))

    link = page.locator("a#account-sign-in")
    expect(link).to_be_visible()
    assert urlsplit(link.evaluate("link => link.href")).path == "/sign-in/"
    assert link_query(link.evaluate("link => link.href")) == {"next": "/account/"}
    expect(page.locator("#account-panel")).to_be_hidden()


def test_session_menu_anonymous_offers_sign_in_back_here(page, portal):
    page.goto(portal.url("/calendar/"))

    link = page.locator("#session-menu a#session-sign-in")

    expect(link).to_be_visible()
    assert link_query(link.evaluate("link => link.href")) == {"next": "/calendar/"}


def test_session_menu_drops_secret_query_from_next(page, portal):
    page.goto(portal.url("/registration/?forum=f&registration=r&signature=secret"))

    link = page.locator("#session-menu a#session-sign-in")

    expect(link).to_be_visible()
    assert link_query(link.evaluate("link => link.href")) == {"next": "/registration/"}


def test_session_menu_sign_out_on_calendar(page, portal):
    sign_in_in_browser(page, portal, ADVOCATE)
    page.wait_for_url(portal.url("/account/"))
    page.goto(portal.url("/calendar/"))
    expect(page.locator("#session-name")).to_have_text("Dana Whitfield")

    page.locator("button#session-sign-out").click()

    expect(page.locator("a#session-sign-in")).to_be_focused()
    assert session_in_page(page)["signed_in"] is False


def test_sign_out_everywhere_ends_other_sessions(new_page, portal):
    laptop = new_page()
    phone = new_page(viewport=PHONE_VIEWPORT)
    sign_in_in_browser(laptop, portal, ADVOCATE)
    laptop.wait_for_url(portal.url("/account/"))
    sign_in_in_browser(phone, portal, ADVOCATE)
    phone.wait_for_url(portal.url("/account/"))
    # Sessions started at the very instant of "sign out everywhere" stay valid, and the clock is fixed.
    portal.clock.advance(timedelta(minutes=1))

    laptop.locator("button#sign-out-everywhere").click()
    expect(laptop.locator("#account-message")).to_contain_text("signed out in every browser")
    phone.reload()

    expect(phone.locator("#account-message")).to_contain_text("You are not signed in.")
    assert session_in_page(phone)["signed_in"] is False


def test_admin_signs_in_to_admin_page(page, portal):
    make_admin(portal)
    claims_forum = portal.forum_id(CLAIMS_FORUM)
    registration_id = register_and_confirm(portal, claims_forum, PROSPECT)

    sign_in_in_browser(page, portal, ADMIN, "?next=/admin/")

    page.wait_for_url(portal.url("/admin/"))
    expect(page.locator(f'#admin-list li[data-admin-email="{ADMIN}"]')).to_be_visible()
    expect(page.locator("#session-admin")).to_be_visible()
    page.locator("select#admin-forum").select_option(claims_forum)
    row = page.locator(f'#registrations-table tbody tr[data-registration-id="{registration_id}"]')
    expect(row).to_contain_text("Grace Hopper")
    expect(row).to_contain_text("Confirmed")
    expect(page.locator("#waitlist-empty")).to_be_visible()
    assert link_query(page.url) == {"forum": claims_forum}
    save_screenshot(page, "admin-registrations")


def test_admin_adds_another_admin(page, portal):
    make_admin(portal)
    sign_in_in_browser(page, portal, ADMIN, "?next=/admin/")
    page.wait_for_url(portal.url("/admin/"))

    field = page.locator("form#add-admin-form [name=email]")
    field.click()
    field.press_sequentially(NEW_ADMIN)
    page.locator("button#add-admin-submit").click()

    expect(page.locator("#add-admin-result")).to_contain_text(f"{NEW_ADMIN} is now an admin.")
    expect(page.locator(f'#admin-list li[data-admin-email="{NEW_ADMIN}"]')).to_be_visible()
    assert portal.deps.store.is_admin(NEW_ADMIN)


def test_admin_add_form_shows_invalid_address(page, portal):
    make_admin(portal)
    sign_in_in_browser(page, portal, ADMIN, "?next=/admin/")
    page.wait_for_url(portal.url("/admin/"))

    page.locator("form#add-admin-form [name=email]").fill("not-an-address")
    page.locator("button#add-admin-submit").click()

    expect(page.locator("#add-admin-email-error")).to_be_visible()
    assert portal.deps.store.list_admins() == [ADMIN]


def test_admin_page_shows_waitlist_in_order(page, portal):
    make_admin(portal)
    forum_id = portal.forum_id("Limited group: onboarding 2,000 field agents")  # 3 seats
    prospects = [{**PROSPECT, "name": f"Prospect {number}", "email": f"prospect{number}@example.com"} for number in range(5)]
    registration_ids = [register_and_confirm(portal, forum_id, prospect) for prospect in prospects]
    sign_in_in_browser(page, portal, ADMIN, f"?next=/admin/%3Fforum%3D{forum_id}")
    page.wait_for_url(f"**/admin/?forum={forum_id}")

    waitlisted = page.locator("#waitlist li")

    expect(waitlisted).to_have_count(2)
    assert waitlisted.evaluate_all("items => items.map(item => item.dataset.registrationId)") == registration_ids[3:]
    expect(page.locator("#registrations-table tbody tr")).to_have_count(5)


def test_admin_looks_up_advocate(page, portal):
    make_admin(portal)
    sign_in_in_browser(page, portal, ADMIN, "?next=/admin/")
    page.wait_for_url(portal.url("/admin/"))

    page.locator("form#advocate-lookup-form [name=email]").fill(ADVOCATE)
    page.locator("button#advocate-lookup-submit").click()

    profile = page.locator("#advocate-lookup-profile")
    expect(profile.locator('[data-profile-field="name"]')).to_have_text("Dana Whitfield")
    expect(profile.locator('[data-profile-field="company"]')).to_have_text("Northwind Health")


def test_admin_signs_out_from_menu(page, portal):
    make_admin(portal)
    sign_in_in_browser(page, portal, ADMIN, "?next=/admin/")
    page.wait_for_url(portal.url("/admin/"))
    expect(page.locator(f'#admin-list li[data-admin-email="{ADMIN}"]')).to_be_visible()

    page.locator("button#session-sign-out").click()

    expect(page.locator("a#admin-sign-in")).to_be_visible()
    expect(page.locator("#admin-panel")).to_be_hidden()
    expect(page.locator("#admin-list li")).to_have_count(0)
    assert session_in_page(page)["signed_in"] is False


def test_admin_page_anonymous_shows_no_admin_data(page, portal):
    make_admin(portal)
    register_and_confirm(portal, portal.forum_id(CLAIMS_FORUM), PROSPECT)

    page.goto(portal.url("/admin/"))

    expect(page.locator("a#admin-sign-in")).to_have_text("Sign in as an admin")
    expect(page.locator("#admin-panel")).to_be_hidden()
    expect(page.locator("#admin-list li")).to_have_count(0)
    expect(page.locator("#registrations-table tbody tr")).to_have_count(0)
    expect(page.locator("select#admin-forum option")).to_have_count(1)
    assert ADMIN not in page.content()
    assert PROSPECT["email"] not in page.content()


def test_admin_api_anonymous_is_unauthorized(page, portal):
    page.goto(portal.url("/admin/"))

    response = page.request.get(portal.url("/api/admin/admins"))

    assert response.status == 401


def test_admin_page_advocate_shows_no_admin_data(page, portal):
    sign_in_in_browser(page, portal, ADVOCATE, "?next=/admin/")
    page.wait_for_url(portal.url("/admin/"))

    expect(page.locator("#admin-message")).to_contain_text("which is not an admin account")
    expect(page.locator("#admin-panel")).to_be_hidden()
    assert page.request.get(portal.url("/api/admin/admins")).status == 403


def test_confirm_page_does_not_use_token_on_load(new_page, portal):
    status, _ = portal.api("POST", "sign-in", {"email": ADVOCATE, "next": ""})
    assert status == 202
    link = sign_in_link(portal, ADVOCATE)
    scanner = new_page()
    scanner.goto(link)
    scanner.wait_for_load_state("networkidle")
    expect(scanner.locator("button#confirm-sign-in")).to_be_visible()

    person = new_page()
    person.goto(link)
    person.locator("button#confirm-sign-in").click()

    person.wait_for_url(portal.url("/account/"))
    assert session_in_page(person)["signed_in"] is True
    assert session_in_page(scanner)["signed_in"] is False


def test_confirm_page_used_link_offers_new_one(new_page, portal):
    portal.api("POST", "sign-in", {"email": ADVOCATE, "next": ""})
    link = sign_in_link(portal, ADVOCATE)
    first, second = new_page(), new_page()
    first.goto(link)
    second.goto(link)
    first.locator("button#confirm-sign-in").click()
    first.wait_for_url(portal.url("/account/"))

    second.locator("button#confirm-sign-in").click()

    result = second.locator("#sign-in-confirm-result")
    expect(result).to_have_attribute("data-outcome", "used")
    expect(second.locator("a#sign-in-restart")).to_be_visible()
    expect(second.locator("button#confirm-sign-in")).to_be_hidden()


def test_confirm_page_expired_link_offers_new_one(page, portal):
    portal.api("POST", "sign-in", {"email": ADVOCATE, "next": ""})
    link = sign_in_link(portal, ADVOCATE)
    portal.clock.advance(portal.deps.settings.sign_in_link_lifetime)

    page.goto(link)
    page.locator("button#confirm-sign-in").click()

    expect(page.locator("#sign-in-confirm-result")).to_have_attribute("data-outcome", "expired")
    expect(page.locator("a#sign-in-restart")).to_be_visible()


def test_confirm_page_without_token_hides_button(page, portal):
    page.goto(portal.url("/sign-in/confirm/"))

    expect(page.locator("#sign-in-confirm-result")).to_have_attribute("data-outcome", "invalid")
    expect(page.locator("button#confirm-sign-in")).to_be_hidden()


@pytest.mark.parametrize(
    ("next_value", "expected_path"),
    [
        ("/admin/?forum=f1", "/admin/?forum=f1"),
        ("//evil.example/", "/account/"),
        ("/\t/evil.example/", "/account/"),
        ("/\\evil.example/", "/account/"),
        ("https://evil.example/", "/account/"),
        ("javascript:alert(1)", "/account/"),
        ("", "/account/"),
    ],
)
def test_confirm_page_next_stays_on_portal(page, portal, next_value, expected_path):
    page.goto(portal.url("/sign-in/confirm/?token=unused"))

    target = page.evaluate(
        "next => import('/assets/portal/sign-in-confirm.js').then((module) => module.safeNextUrl(next))", next_value
    )

    assert target == portal.url(expected_path)


def test_sign_in_by_keyboard(page, portal):
    page.goto(portal.url("/sign-in/"))
    page.locator("form#sign-in-form [name=email]").focus()
    page.keyboard.type(ADVOCATE)
    page.keyboard.press("Enter")
    expect(page.locator("#sign-in-result")).to_have_attribute("data-outcome", "sent")
    page.goto(sign_in_link(portal, ADVOCATE))

    page.locator("button#confirm-sign-in").focus()
    page.keyboard.press("Enter")

    page.wait_for_url(portal.url("/account/"))


@pytest.mark.parametrize("path", ["/sign-in/", "/sign-in/confirm/?token=x", "/account/", "/admin/"])
def test_sign_in_pages_fit_phone_anonymous(new_page, portal, path):
    phone = new_page(viewport=PHONE_VIEWPORT)
    phone.goto(portal.url(path))
    expect(phone.locator("#session-menu")).to_be_visible()

    assert horizontal_overflow(phone) == 0


def test_admin_page_fits_phone_with_registrations(new_page, portal):
    make_admin(portal)
    claims_forum = portal.forum_id(CLAIMS_FORUM)
    register_and_confirm(portal, claims_forum, {**PROSPECT, "questions": "A long question " * 20})
    phone = new_page(viewport=PHONE_VIEWPORT)
    sign_in_in_browser(phone, portal, ADMIN, f"?next=/admin/%3Fforum%3D{claims_forum}")
    phone.wait_for_url(f"**/admin/?forum={claims_forum}")
    expect(phone.locator("#registrations-table tbody tr")).to_have_count(1)
    save_screenshot(phone, "admin-phone")

    assert horizontal_overflow(phone) == 0
