"""Running a forum from publication to influenced revenue, through the admin API, on both stores."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import icalendar
import pytest
import vobject

from advocacy.domain.advocates import Advocate, AdvocateStatus
from advocacy.handlers import admin_api, jobs, public_api
from tests.support.api import call, link_query, links_in, outbox_messages
from tests.support.portal import portal
from tests.support.sessions import SAME_ORIGIN, sign_in

ADMIN = "lead@advocacy.example"
HOST = "dana.whitfield@northwind-health.example"
FORUM_FORM = {
    "title": "Claims automation in practice",
    "format": "reference_forum",
    "date": "2027-03-20",
    "start_time": "11:00",
    # 2027-03-20 falls between the American (03-14) and European (03-28) clock changes.
    "time_zone": "America/New_York",
    "duration_minutes": 60,
    "capacity": 3,
    "host_emails": HOST,
    "industry": "Healthcare",
    "region": "North America",
    "join_url": "https://meet.example/claims",
}
FORUM_ID = "2027-03-20-claims-automation-in-practice"


@pytest.fixture(params=["sqlite", "dynamodb"])
def deps(request, tmp_path):
    with portal(request.param, tmp_path, ADVOCACY_ADMIN_EMAILS=ADMIN) as dependencies:
        dependencies.store.save_advocate(
            Advocate(email_key=HOST, email=HOST, first_name="Dana", last_name="Whitfield", company="Northwind Health", status=AdvocateStatus.ACTIVE)
        )
        yield dependencies


@pytest.fixture
def admin(deps):
    """Call the admin API as a signed-in admin, signing in again when a test moves the clock on."""
    current = {"session": sign_in(deps, ADMIN), "since": deps.clock.now()}

    def request(method, path, body=None, query=None):
        if deps.clock.now() - current["since"] >= timedelta(hours=1) or deps.clock.now() < current["since"]:
            current.update(session=sign_in(deps, ADMIN), since=deps.clock.now())
        return call(admin_api.lambda_handler, method, path, body, query=query, headers=SAME_ORIGIN, session=current["session"])

    return request


def published(admin):
    assert admin("POST", "/api/admin/forums", FORUM_FORM).status == 201
    assert admin("POST", f"/api/admin/forums/{FORUM_ID}/publish").status == 200


def register_and_confirm(deps, email, opportunity_id=""):
    body = {
        "name": email.split("@")[0].title(), "email": email, "company": "Buyer", "job_title": "CIO",
        "time_zone": "Europe/Berlin", "consent": True, "opportunity_id": opportunity_id, "questions": f"Question from {email}",
    }
    created = call(public_api.lambda_handler, "POST", f"/api/forums/{FORUM_ID}/registrations", body)
    registration_id = created.body["registration_id"]
    messages = [m for m in outbox_messages(deps.settings.outbox_dir) if m["X-Portal-Kind"] == "confirmation-request"]
    query = link_query(next(link for m in messages for link in links_in(m) if registration_id in link))
    call(public_api.lambda_handler, "POST", f"/api/forums/{FORUM_ID}/registrations/{registration_id}/confirm", {"token": query["token"]})
    return registration_id


def messages_of(deps, kind):
    return [m for m in outbox_messages(deps.settings.outbox_dir) if m["X-Portal-Kind"] == kind]


def ics_of(message) -> bytes:
    for part in message.iter_attachments():
        if part.get_content_type() == "text/calendar":
            return part.get_payload(decode=True)
    raise AssertionError(f"No calendar attachment in {message['X-Portal-Kind']}")


def parse_both(data: bytes):
    """Parse with icalendar and vobject, two independent implementations, and return both events."""
    first = icalendar.Calendar.from_ical(data).walk("VEVENT")[0]
    second = vobject.readOne(data.decode("utf-8")).vevent
    return first, second


# Publishing


def test_create_forum_is_draft_until_published(deps, admin):
    created = admin("POST", "/api/admin/forums", FORUM_FORM)

    calendar = call(public_api.lambda_handler, "GET", "/api/forums")

    assert created.body["status"] == "draft"
    assert calendar.body["forums"] == []


def test_create_forum_invalid_names_fields(deps, admin):
    response = admin("POST", "/api/admin/forums", {**FORUM_FORM, "capacity": "many", "time_zone": "Mars/Base", "date": "20/03/2027"})

    assert response.status == 422
    assert {"capacity", "time_zone", "date"} <= set(response.body["errors"])


def test_create_limited_group_with_six_seats_rejected(deps, admin):
    response = admin("POST", "/api/admin/forums", {**FORUM_FORM, "format": "limited_group_event", "capacity": 6})

    assert response.status == 422
    assert response.body["field"] == "capacity"


def test_publish_shows_forum_on_calendar(deps, admin):
    published(admin)

    calendar = call(public_api.lambda_handler, "GET", "/api/forums")

    assert [forum["forum_id"] for forum in calendar.body["forums"]] == [FORUM_ID]


def test_unpublish_with_registrations_refused(deps, admin):
    published(admin)
    register_and_confirm(deps, "p1@buyer.example")

    response = admin("POST", f"/api/admin/forums/{FORUM_ID}/unpublish")

    assert response.status == 409
    assert "cancel it instead" in response.body["message"]


# Invites and changes


def test_confirmation_carries_invite_in_utc(deps, admin):
    published(admin)
    register_and_confirm(deps, "p1@buyer.example")

    data = ics_of(messages_of(deps, "seat-confirmed")[0])
    first, second = parse_both(data)

    assert first.decoded("dtstart") == datetime(2027, 3, 20, 15, 0, tzinfo=timezone.utc)
    assert second.dtstart.value == datetime(2027, 3, 20, 15, 0, tzinfo=timezone.utc)
    assert b"METHOD:REQUEST" in data
    assert str(first["uid"]) == second.uid.value


def test_email_names_local_times_between_clock_changes(deps, admin):
    published(admin)
    register_and_confirm(deps, "p1@buyer.example")

    text = messages_of(deps, "seat-confirmed")[0].get_body(preferencelist=("plain",)).get_content()

    assert "11:00 America/New_York" in text
    assert "16:00 in your time zone (Europe/Berlin)" in text


def test_reschedule_sends_updated_invite_with_higher_sequence(deps, admin):
    published(admin)
    register_and_confirm(deps, "p1@buyer.example")
    first_sequence = icalendar.Calendar.from_ical(ics_of(messages_of(deps, "seat-confirmed")[0])).walk("VEVENT")[0]["sequence"]

    admin("PUT", f"/api/admin/forums/{FORUM_ID}", {**FORUM_FORM, "start_time": "13:00"})

    updates = messages_of(deps, "forum-rescheduled")
    event, other_parser = parse_both(ics_of(updates[0]))
    assert sorted(str(m["To"]) for m in updates) == sorted(["P1 <p1@buyer.example>", f"Dana Whitfield <{HOST}>"])
    assert event["sequence"] > first_sequence
    assert other_parser.dtstart.value == datetime(2027, 3, 20, 17, 0, tzinfo=timezone.utc)


def test_edit_without_invite_change_sends_nothing(deps, admin):
    published(admin)
    register_and_confirm(deps, "p1@buyer.example")

    admin("PUT", f"/api/admin/forums/{FORUM_ID}", {**FORUM_FORM, "industry": "Insurance"})

    assert messages_of(deps, "forum-rescheduled") == []
    assert messages_of(deps, "forum-updated") == []


def test_cancel_sends_cancellations_to_registrants_and_hosts(deps, admin):
    published(admin)
    register_and_confirm(deps, "p1@buyer.example")

    response = admin("POST", f"/api/admin/forums/{FORUM_ID}/cancel")

    notices = messages_of(deps, "forum-cancelled")
    event, other_parser = parse_both(ics_of(notices[0]))
    assert response.body["status"] == "cancelled"
    assert len(notices) == 2
    assert b"METHOD:CANCEL" in ics_of(notices[0])
    assert str(event["status"]) == "CANCELLED"
    assert other_parser.status.value == "CANCELLED"


def test_cancel_twice_is_refused_and_sends_once(deps, admin):
    published(admin)
    register_and_confirm(deps, "p1@buyer.example")
    admin("POST", f"/api/admin/forums/{FORUM_ID}/cancel")

    again = admin("POST", f"/api/admin/forums/{FORUM_ID}/cancel")

    assert again.status == 409
    assert len(messages_of(deps, "forum-cancelled")) == 2


def test_calendar_feed_publishes_filtered_forums(deps, admin):
    published(admin)

    feed = call(public_api.lambda_handler, "GET", "/api/calendar.ics", query={"industry": "Healthcare"})
    empty = call(public_api.lambda_handler, "GET", "/api/calendar.ics", query={"industry": "Retail"})

    data = feed.body["text"].encode("utf-8")
    event, other_parser = parse_both(data)
    assert b"METHOD:PUBLISH" in data
    assert str(event["summary"]) == FORUM_FORM["title"]
    assert other_parser.summary.value == FORUM_FORM["title"]
    assert b"meet.example" not in data
    assert b"BEGIN:VEVENT" not in empty.body["text"].encode("utf-8")


def test_calendar_feed_escapes_and_folds_text(deps, admin):
    description = "Commas, semicolons; backslashes \\ and a long line " + "x" * 200
    admin("POST", "/api/admin/forums", {**FORUM_FORM, "description": description})
    admin("POST", f"/api/admin/forums/{FORUM_ID}/publish")

    data = call(public_api.lambda_handler, "GET", "/api/calendar.ics").body["text"].encode("utf-8")
    event, other_parser = parse_both(data)

    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    assert description in str(event["description"])
    assert description in other_parser.description.value


# Jobs


def test_reminder_job_twice_sends_once(deps, admin):
    published(admin)
    register_and_confirm(deps, "p1@buyer.example")
    deps.clock.set(datetime(2027, 3, 19, 16, 0, tzinfo=timezone.utc))

    first = jobs.run_job("send_reminders", deps)
    second = jobs.run_job("send_reminders", deps)

    assert (first, second) == (2, 0)
    assert len(messages_of(deps, "forum-reminder")) == 2


def test_reminder_job_waits_until_lead_time(deps, admin):
    published(admin)
    register_and_confirm(deps, "p1@buyer.example")

    sent = jobs.run_job("send_reminders", deps)

    assert sent == 0


# After the forum


def held_forum(deps, admin):
    """Publish, fill with three registrants (two on one deal), hold the forum and record outcomes."""
    published(admin)
    first = register_and_confirm(deps, "p1@buyer.example", "OPP-1")
    register_and_confirm(deps, "p2@buyer.example", "OPP-1")
    absent = register_and_confirm(deps, "p3@other.example", "OPP-2")
    opportunities = "Email,Opportunity ID,Amount\r\np1@buyer.example,OPP-1,\"$120,000\"\r\np2@buyer.example,OPP-1,120000\r\np3@other.example,OPP-2,50000\r\n"
    assert admin("POST", f"/api/admin/forums/{FORUM_ID}/opportunities", {"csv": opportunities}).status == 200
    deps.clock.set(datetime(2027, 3, 20, 16, 30, tzinfo=timezone.utc))
    report = "User Email,Duration (Minutes)\r\nP1@Buyer.example,58\r\np2@buyer.example,60\r\nmoderator@advocacy.example,60\r\n"
    attendance = admin("POST", f"/api/admin/forums/{FORUM_ID}/attendance", {"csv": report})
    return first, absent, attendance


def test_attendance_import_matches_emails_in_any_case(deps, admin):
    _, _, attendance = held_forum(deps, admin)

    assert attendance.body["attended"] == 2
    assert attendance.body["absent"] == 1
    assert attendance.body["unmatched"] == ["moderator@advocacy.example"]


def test_attendance_import_bad_row_changes_nothing(deps, admin):
    published(admin)
    registration_id = register_and_confirm(deps, "p1@buyer.example")

    response = admin("POST", f"/api/admin/forums/{FORUM_ID}/attendance", {"csv": "Email\r\np1@buyer.example\r\nnot-an-address\r\n"})

    assert response.status == 422
    assert response.body["problems"] == [{"row": 3, "column": "Email", "message": "'not-an-address' is not an email address."}]
    assert deps.store.get_registration(FORUM_ID, registration_id).attended is None


def test_complete_counts_each_attended_opportunity_once_per_host(deps, admin):
    held_forum(deps, admin)

    completed = admin("POST", f"/api/admin/forums/{FORUM_ID}/complete")
    detail = admin("GET", f"/api/admin/forums/{FORUM_ID}")

    assert completed.body["status"] == "completed"
    assert detail.body["influence"]["records"] == [{"advocate": HOST, "opportunity_id": "OPP-1", "amount": 120000}]
    assert detail.body["influence"]["total_per_host"] == 120000


def test_complete_twice_records_once(deps, admin):
    held_forum(deps, admin)
    admin("POST", f"/api/admin/forums/{FORUM_ID}/complete")

    admin("POST", f"/api/admin/forums/{FORUM_ID}/complete")

    assert len(deps.store.list_influence_of_forum(FORUM_ID)) == 1
    assert len(deps.store.list_activities_of(HOST)) == 1
    assert deps.store.list_activities_of(HOST)[0].attending_prospects == 2


def test_complete_twice_awards_host_once(deps, admin):
    held_forum(deps, admin)
    admin("POST", f"/api/admin/forums/{FORUM_ID}/complete")

    admin("POST", f"/api/admin/forums/{FORUM_ID}/complete")

    awards = [entry for entry in deps.store.list_ledger(HOST) if entry.kind.value == "award"]
    assert len(awards) == 1
    assert deps.store.get_rewards_account(HOST).balance == awards[0].points


def test_complete_before_start_refused(deps, admin):
    published(admin)

    response = admin("POST", f"/api/admin/forums/{FORUM_ID}/complete")

    assert response.status == 409


def test_thank_you_waits_for_recording_and_sends_once(deps, admin):
    held_forum(deps, admin)
    admin("POST", f"/api/admin/forums/{FORUM_ID}/complete")
    before_recording = jobs.run_job("send_thank_yous", deps)
    recorded = admin("POST", f"/api/admin/forums/{FORUM_ID}/recording", {"recording_url": "https://video.example/r"})

    sent = jobs.run_job("send_thank_yous", deps)
    again = jobs.run_job("send_thank_yous", deps)

    assert recorded.body["recording_url"] == "https://video.example/r"
    assert (before_recording, sent, again) == (0, 2, 0)
    assert "https://video.example/r" in messages_of(deps, "forum-thank-you")[0].get_body(preferencelist=("plain",)).get_content()


def test_feedback_through_signed_link_shows_on_forum_page(deps, admin):
    held_forum(deps, admin)
    admin("POST", f"/api/admin/forums/{FORUM_ID}/complete")
    deps.store.save_forum(deps.store.get_forum(FORUM_ID).__class__(**{**deps.store.get_forum(FORUM_ID).__dict__, "recording_url": "https://video.example/r"}))
    jobs.run_job("send_thank_yous", deps)
    link = link_query(next(link for link in links_in(messages_of(deps, "forum-thank-you")[0]) if "/feedback/" in link))
    path = f"/api/forums/{link['forum']}/registrations/{link['registration']}/feedback"

    stored = call(public_api.lambda_handler, "POST", path, {"signature": link["signature"], "rating": 5, "comment": "Honest answers"})
    again = call(public_api.lambda_handler, "POST", path, {"signature": link["signature"], "rating": 1})
    detail = admin("GET", f"/api/admin/forums/{FORUM_ID}")

    assert stored.status == 201
    assert again.status == 409
    assert detail.body["feedback"]["answers"] == [{"rating": 5, "comment": "Honest answers"}]


def test_recording_link_must_be_url(deps, admin):
    published(admin)

    response = admin("POST", f"/api/admin/forums/{FORUM_ID}/recording", {"recording_url": "not a link"})

    assert response.status == 422
    assert "recording_url" in response.body["errors"]


def test_feedback_rating_out_of_range_names_field(deps, admin):
    published(admin)
    registration_id = register_and_confirm(deps, "p1@buyer.example")

    response = call(public_api.lambda_handler, "POST", f"/api/forums/{FORUM_ID}/registrations/{registration_id}/feedback", {"rating": 9})

    assert response.status == 422
    assert "rating" in response.body["errors"]


# Running the forum


def test_forum_detail_lists_questions_and_briefing(deps, admin):
    published(admin)
    register_and_confirm(deps, "p1@buyer.example")

    detail = admin("GET", f"/api/admin/forums/{FORUM_ID}")
    briefing = admin("GET", f"/api/admin/forums/{FORUM_ID}/briefing.csv")

    assert detail.body["questions"][0]["questions"] == "Question from p1@buyer.example"
    assert briefing.body["text"].startswith("\ufeffName,Company,Job title,Questions")
    assert "Question from p1@buyer.example" in briefing.body["text"]


def test_limited_group_below_two_is_warned(deps, admin):
    admin("POST", "/api/admin/forums", {**FORUM_FORM, "format": "limited_group_event", "capacity": 4})
    admin("POST", f"/api/admin/forums/{FORUM_ID}/publish")
    register_and_confirm(deps, "p1@buyer.example")

    detail = admin("GET", f"/api/admin/forums/{FORUM_ID}")

    assert detail.body["warnings"] == ["Only 1 confirmed prospect(s): a limited group event needs at least 2."]


def test_admin_sets_outcome_by_hand(deps, admin):
    published(admin)
    registration_id = register_and_confirm(deps, "p1@buyer.example")

    response = admin("PUT", f"/api/admin/forums/{FORUM_ID}/registrations/{registration_id}", {"attended": True, "opportunity_id": "OPP-9", "opportunity_amount": 5000})

    assert response.body["attended"] is True
    assert (response.body["opportunity_id"], response.body["opportunity_amount"]) == ("OPP-9", 5000)


def test_admin_outcome_negative_amount_names_field(deps, admin):
    published(admin)
    registration_id = register_and_confirm(deps, "p1@buyer.example")

    response = admin("PUT", f"/api/admin/forums/{FORUM_ID}/registrations/{registration_id}", {"opportunity_amount": -5})

    assert response.status == 422
    assert "opportunity_amount" in response.body["errors"]


def test_import_calendar_through_admin_api_reports_cells(deps, admin):
    csv_text = (
        "Title,Format,Date,Start time,Time zone,Duration (min),Capacity,Host email,Industry,Product,Region,Language,Chaperoned,Description\r\n"
        "Good,Reference forum,2027-03-01,10:00,Europe/Paris,60,40,host@customer.example,Retail,X,EMEA,French,No,Text\r\n"
        "Bad,Limited group,2027-03-02,25:00,Europe/Paris,60,9,host@customer.example,Retail,X,EMEA,French,Maybe,Text\r\n"
    )

    response = admin("POST", "/api/admin/forums/import", {"csv": csv_text})

    assert response.status == 422
    assert [(p["row"], p["column"]) for p in response.body["problems"]] == [(3, "Start time"), (3, "Chaperoned")]
    assert admin("GET", "/api/admin/forums").body["forums"] == []


# Host availability


def test_host_over_cap_refused_with_reason(deps, admin):
    capped = Advocate(email_key="capped@customer.example", email="capped@customer.example", first_name="Cap", last_name="Ped",
                      company="C", status=AdvocateStatus.ACTIVE, max_activities_per_quarter=1)
    deps.store.save_advocate(capped)
    admin("POST", "/api/admin/forums", {**FORUM_FORM, "title": "First", "host_emails": capped.email})
    admin("POST", "/api/admin/forums/2027-03-20-first/publish")

    response = admin("POST", "/api/admin/forums", {**FORUM_FORM, "title": "Second", "date": "2027-03-27", "host_emails": capped.email})

    assert response.status == 409
    assert response.body["field"] == "host_emails"
    assert "Over their own cap: 1 of 1" in response.body["message"]


def test_host_in_blackout_overridden_with_recorded_reason(deps, admin):
    from advocacy.domain.advocates import Blackout

    away = Advocate(email_key="away@customer.example", email="away@customer.example", first_name="A", last_name="Way",
                    company="C", status=AdvocateStatus.ACTIVE, blackouts=(Blackout(datetime(2027, 3, 15).date(), datetime(2027, 3, 25).date()),))
    deps.store.save_advocate(away)
    refused = admin("POST", "/api/admin/forums", {**FORUM_FORM, "host_emails": away.email})

    accepted = admin("POST", "/api/admin/forums", {**FORUM_FORM, "host_emails": away.email, "host_override_reason": "Agreed by phone"})

    assert refused.status == 409
    assert "Inside a blackout" in refused.body["message"]
    assert accepted.status == 201
    assert accepted.body["host_override_reason"] == "Agreed by phone"


def test_unknown_host_names_field(deps, admin):
    response = admin("POST", "/api/admin/forums", {**FORUM_FORM, "host_emails": "stranger@nowhere.example"})

    assert response.status == 422
    assert response.body["field"] == "host_emails"


# Changes from imports and into the past


def test_import_changing_published_forum_sends_updated_invites(deps, admin):
    published(admin)
    register_and_confirm(deps, "p1@buyer.example")
    csv_text = (
        "Title,Format,Date,Start time,Time zone,Duration (min),Capacity,Host email,Industry,Product,Region,Language,Chaperoned,Description\r\n"
        f"{FORUM_FORM['title']},Reference forum,2027-03-20,12:00,America/New_York,60,3,{HOST},Healthcare,,North America,,No,\r\n"
    )

    response = admin("POST", "/api/admin/forums/import", {"csv": csv_text})

    updates = messages_of(deps, "forum-rescheduled")
    assert response.body["updated"] == 1
    assert sorted(str(m["To"]) for m in updates) == sorted(["P1 <p1@buyer.example>", f"Dana Whitfield <{HOST}>"])


def test_import_new_forum_in_past_names_cell(deps, admin):
    csv_text = (
        "Title,Format,Date,Start time,Time zone,Duration (min),Capacity,Host email,Industry,Product,Region,Language,Chaperoned,Description\r\n"
        "Old,Reference forum,2019-03-01,10:00,Europe/Paris,60,40,host@customer.example,Retail,X,EMEA,French,No,Text\r\n"
    )

    response = admin("POST", "/api/admin/forums/import", {"csv": csv_text})

    assert response.status == 422
    assert [(p["row"], p["column"]) for p in response.body["problems"]] == [(2, "Date")]


def test_reschedule_into_past_refused(deps, admin):
    published(admin)
    register_and_confirm(deps, "p1@buyer.example")

    response = admin("PUT", f"/api/admin/forums/{FORUM_ID}", {**FORUM_FORM, "date": "2020-01-01"})

    assert response.status == 409
    assert response.body["field"] == "date"
    assert messages_of(deps, "forum-rescheduled") == []


def test_create_forum_in_past_names_date(deps, admin):
    response = admin("POST", "/api/admin/forums", {**FORUM_FORM, "date": "2020-01-01"})

    assert response.status == 422
    assert response.body["field"] == "date"


def test_cancel_forum_of_erased_host_tells_prospects(deps, admin):
    published(admin)
    register_and_confirm(deps, "p1@buyer.example")
    deps.store.erase_advocate(HOST, "erased-0123456789ab")
    forum = deps.store.get_forum(FORUM_ID)
    deps.store.save_forum(forum.__class__(**{**forum.__dict__, "host_emails": ("erased-0123456789ab",), "host_names": ("Former advocate",)}))

    response = admin("POST", f"/api/admin/forums/{FORUM_ID}/cancel")

    assert response.status == 200
    assert [str(m["To"]) for m in messages_of(deps, "forum-cancelled")] == ["P1 <p1@buyer.example>"]
