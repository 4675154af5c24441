"""A prospect's journey in headless Chromium: calendar, registration, confirmation, waitlist.

Each test runs its own portal with the demo calendar and the clock at 2027-01-05 09:00 UTC.
The browser runs in Europe/Berlin, so the pages show most forums in two zones: the viewer's
and the forum's own.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.support.api import link_query, links_in
from tests.support.browser import RunningPortal, save_screenshot, scroll_width

pytestmark = pytest.mark.browser

CLAIMS_FORUM = "Scaling claims processing: a payer's first year"  # 2027-01-20 11:00 America/New_York
QUALITY_FORUM = "Manufacturing quality on the shop floor"  # reference forum, 40 seats
FIELD_AGENTS_FORUM = "Limited group: onboarding 2,000 field agents"  # limited group event, 3 seats

PHONE_VIEWPORT = {"width": 375, "height": 740}

PROSPECT = {
    "name": "Grace Hopper",
    "email": "grace.hopper@cobol-works.example",
    "company": "COBOL Works",
    "job_title": "Director of Claims Operations",
    "questions": "How long did the cut-over take?",
}


def open_forum(page: Page, portal: RunningPortal, title: str) -> None:
    page.goto(portal.url(f"/forum/?id={portal.forum_id(title)}"))
    expect(page.locator("#forum-detail")).to_be_visible()


def seats_left(page: Page):
    return page.locator("#forum-detail [data-seats-left]")


def fill_registration(page: Page, prospect: dict, consent: bool = True) -> None:
    """Fill the form as a person does: click each field and type, then tick the consent box."""
    form = page.locator("form#registration-form")
    for name in ("name", "email", "company", "job_title"):
        field = form.locator(f"[name={name}]")
        field.click()
        field.press_sequentially(prospect[name])
    if prospect.get("questions"):
        form.locator("[name=questions]").click()
        form.locator("[name=questions]").press_sequentially(prospect["questions"])
    if consent:
        form.locator("[name=consent]").check()


def submit_registration(page: Page) -> str:
    """Press Register and return the registration_id from the API's response."""
    with page.expect_response(lambda response: response.request.method == "POST" and "/registrations" in response.url) as info:
        page.locator("button#registration-submit").click()
    return info.value.json()["registration_id"]


def register_in_browser(page: Page, portal: RunningPortal, title: str, prospect: dict) -> str:
    open_forum(page, portal, title)
    fill_registration(page, prospect)
    registration_id = submit_registration(page)
    expect(page.locator("#registration-result")).to_have_attribute("data-outcome", "registered")
    return registration_id


def confirmation_link(portal: RunningPortal, email: str) -> str:
    return links_in(portal.newest_email("confirmation-request", to=email))[0]


def confirm_in_browser(page: Page, link: str) -> None:
    page.goto(link)
    page.locator("button#confirm-registration").click()


def tab_to(page: Page, element_id: str, max_presses: int = 60) -> None:
    """Press Tab from the top of the page until the element with this id has focus."""
    for _ in range(max_presses):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} was not reached within {max_presses} presses of Tab.")


def register_by_api(portal: RunningPortal, forum_id: str, name: str, email: str) -> str:
    body = {
        "name": name,
        "email": email,
        "company": "Example Mutual",
        "job_title": "Head of Field Operations",
        "time_zone": "Australia/Sydney",
        "consent": True,
    }
    status, answer = portal.api("POST", f"forums/{forum_id}/registrations", body)
    assert status == 202, answer
    return answer["registration_id"]


def confirm_by_api(portal: RunningPortal, email: str) -> dict:
    query = link_query(confirmation_link(portal, email))
    path = f"forums/{query['forum']}/registrations/{query['registration']}/confirm"
    status, answer = portal.api("POST", path, {"token": query["token"]})
    assert status == 200, answer
    return answer


def test_calendar_industry_filter(page, portal):
    upcoming = portal.deps.store.list_upcoming_forums(portal.clock.now())
    manufacturing = sorted(forum.forum_id for forum in upcoming if forum.industry == "Manufacturing")
    page.goto(portal.url("/calendar/"))
    cards = page.locator("#forum-list .forum-card")
    expect(cards).to_have_count(len(upcoming))

    page.locator("#calendar-filters select[name=industry]").select_option("Manufacturing")

    expect(cards).to_have_count(len(manufacturing))
    assert sorted(cards.evaluate_all("cards => cards.map(card => card.dataset.forumId)")) == manufacturing
    expect(page.locator("#calendar-status")).to_contain_text(f"{len(manufacturing)} upcoming forums")


def test_calendar_format_filter_and_clear(page, portal):
    page.goto(portal.url("/calendar/"))
    cards = page.locator("#forum-list .forum-card")
    expect(cards).to_have_count(10)

    page.locator("#calendar-filters select[name=format]").select_option("limited_group_event")

    expect(cards).to_have_count(3)
    assert set(cards.evaluate_all("cards => cards.map(card => card.dataset.format)")) == {"limited_group_event"}
    page.locator("button#calendar-clear").click()
    expect(cards).to_have_count(10)


def test_forum_page_shows_both_zones(page, portal):
    open_forum(page, portal, CLAIMS_FORUM)

    when = page.locator('[data-forum-field="time"]')

    expect(when).to_contain_text("17:00 (your time)")
    expect(when).to_contain_text("11:00 in America/New_York")
    expect(page.locator("article h1")).to_have_text(CLAIMS_FORUM)


def test_registration_confirmed_takes_one_seat(page, portal):
    page.goto(portal.url("/calendar/"))
    page.locator("#calendar-filters select[name=industry]").select_option("Manufacturing")
    expect(page.locator("#forum-list .forum-card")).to_have_count(2)
    save_screenshot(page, "calendar-manufacturing")
    page.locator(".forum-card a", has_text=QUALITY_FORUM).click()
    expect(seats_left(page)).to_have_attribute("data-seats-left", "40")
    expect(page.locator("[name=time_zone]")).to_have_value("Europe/Berlin")
    fill_registration(page, PROSPECT)
    save_screenshot(page, "forum-form-filled")

    page.locator("button#registration-submit").click()
    result = page.locator("#registration-result")
    expect(result).to_have_attribute("data-outcome", "registered")
    expect(result).to_contain_text(f"Check your email: we sent a link to {PROSPECT['email']}")
    expect(page.locator("section#registration-section")).to_be_hidden()
    save_screenshot(page, "forum-registered")

    confirm_in_browser(page, confirmation_link(portal, PROSPECT["email"]))
    confirmation = page.locator("#confirmation-result")
    expect(confirmation).to_have_attribute("data-outcome", "confirmed")
    expect(confirmation.locator("[data-registration-status]")).to_have_attribute("data-registration-status", "confirmed")
    expect(confirmation).to_contain_text(f"You have a seat at {QUALITY_FORUM}")
    expect(page.locator("a#manage-registration")).to_be_visible()
    save_screenshot(page, "confirm-confirmed")

    open_forum(page, portal, QUALITY_FORUM)
    expect(seats_left(page)).to_have_attribute("data-seats-left", "39")
    expect(seats_left(page)).to_contain_text("39 seats left")


def test_repeat_registration_other_case(page, portal):
    forum_id = portal.forum_id(QUALITY_FORUM)
    first_id = register_in_browser(page, portal, QUALITY_FORUM, PROSPECT)
    confirm_in_browser(page, confirmation_link(portal, PROSPECT["email"]))
    expect(page.locator("#confirmation-result")).to_have_attribute("data-outcome", "confirmed")

    repeat_id = register_in_browser(page, portal, QUALITY_FORUM, {**PROSPECT, "email": PROSPECT["email"].upper()})

    assert repeat_id == first_id
    assert len(portal.deps.store.list_registrations(forum_id)) == 1
    reminder_link = links_in(portal.newest_email("already-registered", to=PROSPECT["email"]))[0]
    assert link_query(reminder_link)["registration"] == first_id
    page.goto(reminder_link)
    expect(page.locator("#registration-detail [data-registration-status]")).to_have_attribute("data-registration-status", "confirmed")
    expect(page.locator('[data-registration-field="email"]')).to_have_text(PROSPECT["email"])
    open_forum(page, portal, QUALITY_FORUM)
    expect(seats_left(page)).to_have_attribute("data-seats-left", "39")


def test_waitlist_promotion_after_cancel(page, portal):
    forum_id = portal.forum_id(FIELD_AGENTS_FORUM)
    seated = [f"seat{number}@southern-prospects.example" for number in (1, 2, 3)]
    for number, email in enumerate(seated, start=1):
        register_by_api(portal, forum_id, f"Seated Prospect {number}", email)
        assert confirm_by_api(portal, email)["status"] == "confirmed"
    open_forum(page, portal, FIELD_AGENTS_FORUM)
    expect(seats_left(page)).to_have_attribute("data-availability", "waitlist")

    register_in_browser(page, portal, FIELD_AGENTS_FORUM, PROSPECT)
    confirm_in_browser(page, confirmation_link(portal, PROSPECT["email"]))
    confirmation = page.locator("#confirmation-result")
    expect(confirmation).to_have_attribute("data-outcome", "waitlisted")
    expect(confirmation.locator("[data-waitlist-position]")).to_have_attribute("data-waitlist-position", "1")
    save_screenshot(page, "confirm-waitlisted")
    second_waitlisted = "second.in.line@southern-prospects.example"
    register_by_api(portal, forum_id, "Second In Line", second_waitlisted)
    assert confirm_by_api(portal, second_waitlisted)["waitlist_position"] == 2

    page.goto(links_in(portal.newest_email("seat-confirmed", to=seated[0]))[0])
    expect(page.locator("#registration-detail [data-registration-status]")).to_have_attribute("data-registration-status", "confirmed")
    page.locator("button#cancel-registration").click()
    page.locator("button#confirm-cancel").click()

    expect(page.locator("#registration-message")).to_have_attribute("data-outcome", "cancelled")
    expect(page.locator("#registration-detail [data-registration-status]")).to_have_attribute("data-registration-status", "cancelled")
    save_screenshot(page, "registration-cancelled")
    promotions = portal.emails("waitlist-promotion")
    assert [str(message["To"]) for message in promotions] == [f"{PROSPECT['name']} <{PROSPECT['email']}>"]
    page.goto(links_in(promotions[0])[0])
    expect(page.locator("#registration-detail [data-registration-status]")).to_have_attribute("data-registration-status", "confirmed")
    save_screenshot(page, "registration-promoted")
    page.goto(links_in(portal.newest_email("waitlisted", to=second_waitlisted))[0])
    expect(page.locator("#registration-detail [data-waitlist-position]")).to_have_attribute("data-waitlist-position", "1")


def test_keep_registration_leaves_it_confirmed(page, portal):
    forum_id = portal.forum_id(FIELD_AGENTS_FORUM)
    register_by_api(portal, forum_id, PROSPECT["name"], PROSPECT["email"])
    confirm_by_api(portal, PROSPECT["email"])
    page.goto(links_in(portal.newest_email("seat-confirmed", to=PROSPECT["email"]))[0])

    page.locator("button#cancel-registration").click()
    page.locator("button#keep-registration").click()

    expect(page.locator("button#cancel-registration")).to_be_visible()
    expect(page.locator("#registration-detail [data-registration-status]")).to_have_attribute("data-registration-status", "confirmed")
    assert portal.emails("registration-cancelled") == []


def test_invalid_form_shows_field_errors(page, portal):
    forum_id = portal.forum_id(QUALITY_FORUM)
    open_forum(page, portal, QUALITY_FORUM)
    fill_registration(page, {**PROSPECT, "email": "grace.hopper-at-cobol-works"}, consent=False)

    page.locator("button#registration-submit").click()

    expect(page.locator("#registration-result")).to_have_attribute("data-outcome", "invalid")
    expect(page.locator("#registration-email-error")).to_have_text("Enter an email address such as name@company.com.")
    expect(page.locator("#registration-consent-error")).to_contain_text("Tick the box")
    expect(page.locator("#registration-email")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#registration-name-error")).to_be_hidden()
    save_screenshot(page, "forum-invalid")
    assert portal.deps.store.list_registrations(forum_id) == []
    assert portal.emails() == []


def test_phone_calendar_fits_width(new_page, portal):
    page = new_page(viewport=PHONE_VIEWPORT, is_mobile=True, has_touch=True)
    page.goto(portal.url("/calendar/"))
    expect(page.locator("#forum-list .forum-card")).to_have_count(10)

    page.locator("#calendar-filters select[name=format]").select_option("limited_group_event")

    expect(page.locator("#forum-list .forum-card")).to_have_count(3)
    save_screenshot(page, "phone-calendar")
    assert scroll_width(page) <= PHONE_VIEWPORT["width"]


def test_phone_registration_form_fits_width(new_page, portal):
    page = new_page(viewport=PHONE_VIEWPORT, is_mobile=True, has_touch=True)
    open_forum(page, portal, CLAIMS_FORUM)
    save_screenshot(page, "phone-forum")
    assert scroll_width(page) <= PHONE_VIEWPORT["width"]

    fill_registration(page, PROSPECT)
    page.locator("button#registration-submit").tap()

    expect(page.locator("#registration-result")).to_have_attribute("data-outcome", "registered")
    assert scroll_width(page) <= PHONE_VIEWPORT["width"]


def test_keyboard_only_registration(page, portal):
    open_forum(page, portal, CLAIMS_FORUM)
    tab_to(page, "registration-name")

    page.keyboard.type(PROSPECT["name"])
    for name in ("email", "company", "job_title"):
        page.keyboard.press("Tab")
        page.keyboard.type(PROSPECT[name])
    # Past the prefilled time zone and the optional fields to the consent box.
    for _ in ("time_zone", "opportunity_id", "sales_rep_email", "questions", "consent"):
        page.keyboard.press("Tab")
    expect(page.locator("#registration-consent")).to_be_focused()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    expect(page.locator("button#registration-submit")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.locator("#registration-result")).to_have_attribute("data-outcome", "registered")
    expect(page.locator("#registration-result")).to_be_focused()
    registration = portal.deps.store.list_registrations(portal.forum_id(CLAIMS_FORUM))[0]
    assert registration.job_title == PROSPECT["job_title"]
    assert registration.time_zone == "Europe/Berlin"
