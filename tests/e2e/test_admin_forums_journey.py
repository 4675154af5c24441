"""Admins publish and run forums in headless Chromium; prospects subscribe and give feedback.

Each test runs its own portal with the clock at 2027-01-05 09:00 UTC and the browser in
Europe/Berlin. The calendar import test starts without the demo forums and imports them through
the admin page; the others use the demo calendar. Calendar files are parsed with icalendar and
vobject, two independent implementations.
"""

from __future__ import annotations

from datetime import datetime, timezone

import icalendar
import pytest
import vobject
from playwright.sync_api import Page, expect

from advocacy.handlers import jobs
from localdev import demo
from tests.support.api import link_query, links_in
from tests.support.browser import RunningPortal, save_screenshot
from tests.support.browser_portals import portal_without_demo_forums  # noqa: F401 - a fixture
from tests.support.browser_sessions import sign_in_as_admin

pytestmark = pytest.mark.browser

HOST = "dana.whitfield@northwind-health.example"  # Dana Whitfield in the demo roster
BANK_HOST = "priya.raman@harbourbank.example"
CLAIMS_FORUM = "Scaling claims processing: a payer's first year"  # 2027-01-20 11:00 America/New_York
BANK_FORUM = "How a mid-size bank passed its first cloud audit"  # 2027-02-17 16:00 Europe/London
ERP_FORUM = "Limited group: ERP cut-over in a regulated plant"  # limited group event, 4 seats

PHONE_VIEWPORT = {"width": 375, "height": 740}

# 2027-03-20 falls between the American (03-14) and European (03-28) clock changes, so New York
# is 5 hours behind Berlin that day instead of the usual 6.
NEW_FORUM = {
    "title": "Claims automation in practice",
    "date": "2027-03-20",
    "start_time": "11:00",
    "time_zone": "America/New_York",
    "duration_minutes": "60",
    "capacity": "30",
    "host_emails": HOST,
    "join_url": "https://meet.example/claims",
}


def prospect(number: int, **details) -> dict:
    return {
        "name": f"Prospect {number}",
        "email": f"prospect{number}@buyer.example",
        "company": "Buyer Inc",
        "job_title": "CIO",
        "time_zone": "Europe/Berlin",
        "consent": True,
        **details,
    }


def register_and_confirm(portal: RunningPortal, forum_id: str, person: dict) -> str:
    status, answer = portal.api("POST", f"forums/{forum_id}/registrations", person)
    assert status == 202, answer
    query = link_query(links_in(portal.newest_email("confirmation-request", to=person["email"]))[0])
    status, answer = portal.api("POST", f"forums/{forum_id}/registrations/{query['registration']}/confirm", {"token": query["token"]})
    assert status == 200, answer
    return answer["registration_id"]


def ics_of(message) -> bytes:
    for part in message.iter_attachments():
        if part.get_content_type() == "text/calendar":
            return part.get_payload(decode=True)
    raise AssertionError(f"No calendar attachment in {message['X-Portal-Kind']} to {message['To']}")


def parse_both(data: bytes):
    """Return the first event as icalendar and as vobject parse it."""
    return icalendar.Calendar.from_ical(data).walk("VEVENT")[0], vobject.readOne(data.decode("utf-8")).vevent


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def open_admin_forum(page: Page, portal: RunningPortal, forum_id: str) -> None:
    page.goto(portal.url(f"/admin/forum/?id={forum_id}"))
    expect(page.locator("#forum-overview")).to_be_visible()


def choose_file(page: Page, selector: str, name: str, content: bytes) -> None:
    page.locator(selector).set_input_files({"name": name, "mimeType": "text/csv", "buffer": content})


def malformed_calendar() -> bytes:
    text = demo.CALENDAR.read_text(encoding="utf-8-sig")
    text = text.replace("Limited group,2027-01-27,09:30,", "Limited group,2027-01-27,9.30,")  # row 3
    text = text.replace("Asia/Tokyo,60,50,", "Asia/Tokyo,60,fifty,")  # row 4
    return text.encode("utf-8")


# Publishing: import, reschedule, cancel


def test_calendar_import_then_reschedule_and_cancel(page, portal_without_demo_forums):
    portal = portal_without_demo_forums
    sign_in_as_admin(page, portal, "/admin/forums/")
    result = page.locator("#calendar-import-result")

    choose_file(page, "#calendar-file", "calendar-with-mistakes.csv", malformed_calendar())
    page.locator("button#calendar-import-submit").click()
    expect(result).to_have_attribute("data-outcome", "invalid")
    expect(result.locator('tr[data-row="3"][data-column="Start time"]')).to_contain_text("'9.30' is not a time")
    expect(result.locator('tr[data-row="4"][data-column="Capacity"]')).to_contain_text("'fifty' is not a whole number")
    save_screenshot(page, "admin-forums-import-problems")
    assert portal.deps.store.list_upcoming_forums(portal.clock.now()) == []

    page.locator("#calendar-file").set_input_files(str(demo.CALENDAR))
    page.locator("button#calendar-import-submit").click()
    expect(result).to_have_attribute("data-outcome", "imported")
    expect(result).to_have_text("Calendar imported: 10 new, 0 updated, 0 unchanged.")
    expect(page.locator("#admin-forums-table tbody tr")).to_have_count(10)

    page.locator("button#calendar-import-submit").click()
    expect(result).to_have_text("Calendar imported: 0 new, 0 updated, 10 unchanged.")

    claims_forum, bank_forum = portal.forum_id(CLAIMS_FORUM), portal.forum_id(BANK_FORUM)
    prospects = [prospect(1), prospect(2)]
    for person in prospects:
        register_and_confirm(portal, claims_forum, person)
    bank_prospect = prospect(3)
    register_and_confirm(portal, bank_forum, bank_prospect)
    first_sequence = parse_both(ics_of(portal.newest_email("seat-confirmed", to=prospects[0]["email"])))[0]["sequence"]

    page.locator(f'#admin-forums-table tr[data-forum-id="{claims_forum}"] a').click()
    expect(page.locator("#forum-title")).to_have_value(CLAIMS_FORUM)
    page.locator("#forum-start-time").fill("13:00")
    page.locator("button#forum-save").click()
    expect(page.locator("#forum-form-result")).to_have_attribute("data-outcome", "saved")
    expect(page.locator("#forum-form-result")).to_contain_text("updated calendar invite")

    for address in [person["email"] for person in prospects] + [HOST]:
        update = ics_of(portal.newest_email("forum-rescheduled", to=address))
        event, other_parser = parse_both(update)
        assert b"METHOD:REQUEST" in update, address
        assert event["sequence"] > first_sequence, address
        assert event.decoded("dtstart") == datetime(2027, 1, 20, 18, 0, tzinfo=timezone.utc), address
        assert other_parser.dtstart.value == datetime(2027, 1, 20, 18, 0, tzinfo=timezone.utc), address
    assert len(portal.emails("forum-rescheduled")) == 3

    open_admin_forum(page, portal, bank_forum)
    page.locator("button#cancel-forum").click()
    expect(page.locator("button#confirm-cancel-forum")).to_be_focused()
    page.locator("button#confirm-cancel-forum").click()
    expect(page.locator("#forum-action-result")).to_have_attribute("data-outcome", "cancel")
    expect(page.locator('[data-admin-forum-field="status"]')).to_have_text("Cancelled")
    expect(page.locator("#forum-title")).to_be_disabled()

    for address in (bank_prospect["email"], BANK_HOST):
        removal = ics_of(portal.newest_email("forum-cancelled", to=address))
        event, other_parser = parse_both(removal)
        assert b"METHOD:CANCEL" in removal, address
        assert str(event["status"]) == "CANCELLED", address
        assert other_parser.status.value == "CANCELLED", address
    assert len(portal.emails("forum-cancelled")) == 2


def test_new_forum_shows_local_times_between_clock_changes(page, portal):
    sign_in_as_admin(page, portal, "/admin/forums/")
    page.locator("a#new-forum").click()
    expect(page.locator("article h1")).to_have_text("New forum")
    form = page.locator("form#forum-form")
    for name, value in NEW_FORUM.items():
        form.locator(f"[name={name}]").fill(value)
    page.locator("button#forum-save").click()
    expect(page.locator("#forum-form-result")).to_have_attribute("data-outcome", "created")
    expect(page.locator('[data-admin-forum-field="status"]')).to_have_text("Draft")

    page.locator("button#publish-forum").click()
    expect(page.locator("#forum-action-result")).to_have_attribute("data-outcome", "publish")
    page.locator("a#public-forum-link").click()

    expect(page.locator('#forum-detail [data-forum-field="time"]')).to_contain_text("16:00 (your time) · 11:00 in America/New_York")
    forum_id = link_query(page.url)["id"]
    register_and_confirm(portal, forum_id, prospect(1))
    confirmed = portal.newest_email("seat-confirmed", to=prospect(1)["email"])
    invite = ics_of(confirmed)
    event, other_parser = parse_both(invite)
    assert "11:00 America/New_York" in text_of(confirmed)
    assert "16:00 in your time zone (Europe/Berlin)" in text_of(confirmed)
    assert b"DTSTART:20270320T150000Z" in invite
    assert event.decoded("dtstart") == datetime(2027, 3, 20, 15, 0, tzinfo=timezone.utc)
    assert other_parser.dtstart.value == datetime(2027, 3, 20, 15, 0, tzinfo=timezone.utc)


def test_new_forum_invalid_fields_shown_next_to_them(page, portal):
    sign_in_as_admin(page, portal, "/admin/forum/")
    form = page.locator("form#forum-form")
    for name, value in {**NEW_FORUM, "time_zone": "Mars/Base"}.items():
        form.locator(f"[name={name}]").fill(value)

    page.locator("button#forum-save").click()

    expect(page.locator("#forum-time-zone-error")).to_contain_text("Unknown time zone 'Mars/Base'")
    expect(page.locator("#forum-time-zone")).to_be_focused()
    assert portal.deps.store.get_forum("2027-03-20-claims-automation-in-practice") is None


def test_limited_group_below_minimum_warned(page, portal):
    erp_forum = portal.forum_id(ERP_FORUM)
    register_and_confirm(portal, erp_forum, prospect(1))

    sign_in_as_admin(page, portal, f"/admin/forum/?id={erp_forum}")

    expect(page.locator("#forum-warnings li")).to_have_text("Only 1 confirmed prospect(s): a limited group event needs at least 2.")
    page.goto(portal.url("/admin/forums/"))
    expect(page.locator(f'#admin-forums-table tr[data-forum-id="{erp_forum}"]')).to_contain_text("Fewer than 2 confirmed prospects")


# Running a forum


def test_admin_runs_forum_and_prospect_gives_feedback(new_page, portal):
    claims_forum = portal.forum_id(CLAIMS_FORUM)
    attendee = prospect(1, questions="How long did the cut-over take?")
    absentee = prospect(2)
    attendee_id = register_and_confirm(portal, claims_forum, attendee)
    absentee_id = register_and_confirm(portal, claims_forum, absentee)
    # Half an hour after the forum ended.
    portal.clock.set(datetime(2027, 1, 20, 17, 30, tzinfo=timezone.utc))
    admin = new_page()
    sign_in_as_admin(admin, portal, f"/admin/forum/?id={claims_forum}")

    expect(admin.locator("#forum-questions")).to_contain_text("How long did the cut-over take?")
    briefing = admin.request.get(admin.locator("a#download-briefing").evaluate("link => link.href"))
    assert "How long did the cut-over take?" in briefing.text()

    attendee_row = admin.locator(f'#forum-registrations-table tr[data-registration-id="{attendee_id}"]')
    attendee_row.locator("input[data-attended]").check()
    expect(admin.locator("#outcome-result")).to_have_text("Prospect 1 is marked as attended.")
    attendee_row.locator("[name=opportunity_id]").fill("OPP-7")
    attendee_row.locator("[name=opportunity_amount]").fill("250000")
    attendee_row.locator("button[data-save-opportunity]").click()
    expect(admin.locator("#outcome-result")).to_have_text("The opportunity of Prospect 1 is saved.")
    absentee_row = admin.locator(f'#forum-registrations-table tr[data-registration-id="{absentee_id}"]')
    absentee_row.locator("[name=opportunity_id]").fill("OPP-8")
    absentee_row.locator("button[data-save-opportunity]").click()
    expect(admin.locator("#outcome-result")).to_have_text("The opportunity of Prospect 2 is saved.")
    expect(admin.locator("#forum-attendance")).to_have_text("1 of 2 confirmed prospects attended.")

    admin.locator("#forum-recording-url").fill("https://video.example/claims")
    admin.locator("button#forum-save").click()
    expect(admin.locator("#forum-form-result")).to_have_attribute("data-outcome", "saved")
    admin.locator("button#complete-forum").click()
    expect(admin.locator("#forum-action-result")).to_have_attribute("data-outcome", "complete")
    expect(admin.locator('[data-admin-forum-field="status"]')).to_have_text("Completed")
    expect(admin.locator("#influence-total")).to_have_text("Influenced revenue: 250,000 for each host.")
    expect(admin.locator("#influence-table tbody tr")).to_have_count(1)
    expect(admin.locator('#influence-table tr[data-opportunity-id="OPP-7"]')).to_be_visible()
    expect(admin.locator("#influence-records")).to_contain_text(HOST)
    save_screenshot(admin, "admin-forum-completed")

    assert jobs.run_job("send_thank_yous", portal.deps) == 1
    thank_you = portal.newest_email("forum-thank-you", to=attendee["email"])
    assert "https://video.example/claims" in text_of(thank_you)
    feedback_link = next(link for link in links_in(thank_you) if "/feedback/" in link)

    person = new_page()
    person.goto(feedback_link)
    person.locator("#feedback-rating-1").focus()
    for _ in range(3):
        person.keyboard.press("ArrowRight")
    person.keyboard.press("Tab")
    person.keyboard.type("Honest answers about the cut-over.")
    person.keyboard.press("Tab")
    person.keyboard.press("Enter")
    expect(person.locator("#feedback-result")).to_have_attribute("data-outcome", "sent")
    expect(person.locator("#feedback-form")).to_be_hidden()

    person.goto(feedback_link)
    person.locator("#feedback-rating-2").check()
    person.locator("button#feedback-submit").click()
    expect(person.locator("#feedback-result")).to_have_attribute("data-outcome", "closed")
    expect(person.locator("#feedback-result")).to_contain_text("we already have your feedback")

    admin.reload()
    expect(admin.locator("#feedback-answers li")).to_have_text(["4 of 5: Honest answers about the cut-over."])
    expect(admin.locator("#feedback-summary")).to_have_text("1 answer, average rating 4 of 5.")


def test_attendance_import_marks_registrants(page, portal):
    claims_forum = portal.forum_id(CLAIMS_FORUM)
    attendee_id = register_and_confirm(portal, claims_forum, prospect(1))
    absentee_id = register_and_confirm(portal, claims_forum, prospect(2))
    portal.clock.set(datetime(2027, 1, 20, 17, 30, tzinfo=timezone.utc))
    sign_in_as_admin(page, portal, f"/admin/forum/?id={claims_forum}")
    report = b"User Email,Duration (Minutes)\r\nPROSPECT1@buyer.example,58\r\nmoderator@advocacy.example,60\r\n"

    choose_file(page, "#attendance-file", "participants.csv", report)
    page.locator("button#attendance-import-submit").click()

    result = page.locator("#attendance-import-result")
    expect(result).to_contain_text("Attendance imported: 1 attended, 1 absent.")
    expect(result).to_contain_text("moderator@advocacy.example")
    expect(page.locator(f'tr[data-registration-id="{attendee_id}"] input[data-attended]')).to_be_checked()
    expect(page.locator(f'tr[data-registration-id="{absentee_id}"] input[data-attended]')).not_to_be_checked()


def test_opportunities_import_bad_row_changes_nothing(page, portal):
    claims_forum = portal.forum_id(CLAIMS_FORUM)
    registration_id = register_and_confirm(portal, claims_forum, prospect(1))
    sign_in_as_admin(page, portal, f"/admin/forum/?id={claims_forum}")
    deals = b"Email,Opportunity ID,Amount\r\nprospect1@buyer.example,OPP-1,120000\r\nnobody@buyer.example,OPP-2,5\r\n"

    choose_file(page, "#opportunities-file", "deals.csv", deals)
    page.locator("button#opportunities-import-submit").click()

    result = page.locator("#opportunities-import-result")
    expect(result).to_have_attribute("data-outcome", "invalid")
    expect(result.locator('tr[data-row="3"][data-column="Email"]')).to_contain_text("No registration for 'nobody@buyer.example'")
    assert portal.deps.store.get_registration(claims_forum, registration_id).opportunity_id == ""


# Feedback page without a usable link


def test_feedback_page_without_rating_names_field(page, portal):
    page.goto(portal.url("/feedback/?forum=f&registration=r&signature=s"))

    page.locator("button#feedback-submit").click()

    expect(page.locator("#feedback-rating-error")).to_have_text("Choose a rating from 1 to 5.")
    expect(page.locator("#feedback-rating-1")).to_be_focused()


def test_feedback_page_bad_link_says_invalid(page, portal):
    page.goto(portal.url("/feedback/?forum=f&registration=r&signature=s"))

    page.locator("#feedback-rating-5").check()
    page.locator("button#feedback-submit").click()

    expect(page.locator("#feedback-result")).to_have_attribute("data-outcome", "invalid")


def test_feedback_page_incomplete_link_hides_form(page, portal):
    page.goto(portal.url("/feedback/?forum=f"))

    expect(page.locator("#feedback-message")).to_contain_text("This feedback link is incomplete.")
    expect(page.locator("#feedback-form")).to_be_hidden()


# Subscribing, access and small screens


def test_calendar_subscribe_link_follows_filters(page, portal):
    page.goto(portal.url("/calendar/"))
    expect(page.locator("#forum-list > li")).to_have_count(10)

    page.locator("select#filter-industry").select_option("Healthcare")

    link = page.locator("a#calendar-subscribe")
    expect(link).to_have_attribute("href", "/api/calendar.ics?industry=Healthcare")
    feed = page.request.get(link.evaluate("link => link.href"))
    events = icalendar.Calendar.from_ical(feed.body()).walk("VEVENT")
    assert feed.headers["content-type"].startswith("text/calendar")
    assert sorted(str(event["summary"]) for event in events) == sorted([CLAIMS_FORUM, "Healthcare data exchange: lessons from 30 hospitals"])


def test_admin_forum_pages_anonymous_show_no_data(page, portal):
    for path in ("/admin/forums/", f"/admin/forum/?id={portal.forum_id(CLAIMS_FORUM)}"):
        page.goto(portal.url(path))

        expect(page.locator("a#admin-sign-in")).to_be_visible()
        expect(page.locator("#admin-forums-table tbody tr, #forum-registrations-table tbody tr")).to_have_count(0)
        assert link_query(page.locator("a#admin-sign-in").evaluate("link => link.href")) == {"next": path}


@pytest.mark.parametrize(
    ("path", "signed_in"),
    [("/admin/forums/", True), ("/admin/forum/?id={claims}", True), ("/feedback/?forum=f&registration=r&signature=s", False)],
)
def test_forum_pages_fit_phone(new_page, portal, path, signed_in):
    claims_forum = portal.forum_id(CLAIMS_FORUM)
    register_and_confirm(portal, claims_forum, prospect(1, questions="A long question " * 20))
    phone = new_page(viewport=PHONE_VIEWPORT)
    target = path.format(claims=claims_forum)
    if signed_in:
        sign_in_as_admin(phone, portal, target)
        expect(phone.locator(".portal-admin")).to_be_visible()
    else:
        phone.goto(portal.url(target))
        expect(phone.locator("#feedback-form")).to_be_visible()
    phone.wait_for_load_state("networkidle")
    save_screenshot(phone, "phone-" + target.split("?")[0].strip("/").replace("/", "-"))

    assert phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") == 0
