"""The public API through its Lambda handler, with API Gateway events, SQLite and the outbox."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from advocacy.adapters.outbox_mailer import OutboxMailer
from advocacy.adapters.sqlite_store import SQLiteStore
from advocacy.bootstrap import Dependencies
from advocacy.clock import FixedClock
from advocacy.domain.forums import ForumFormat
from advocacy.handlers import public_api
from advocacy.settings import Settings
from tests.factories import NOW, make_forum
from tests.support.api import call, link_query, links_in, outbox_messages, text_body

FORUM_ID = "2027-01-20-claims"
VALID = {
    "name": "Åsa Öberg",
    "email": "Asa.Oberg@Buyer.example",
    "company": "Buyer AB",
    "job_title": "CIO",
    "time_zone": "Europe/Stockholm",
    "questions": "How long did the cut-over take?",
    "consent": True,
    "website": "",
}


@pytest.fixture
def deps(tmp_path):
    settings = Settings.from_environ({"ADVOCACY_VAR_DIR": str(tmp_path)})
    dependencies = Dependencies(
        settings=settings,
        store=SQLiteStore(tmp_path / "portal.sqlite3"),
        mailer=OutboxMailer(settings.outbox_dir, settings.sender, echo=lambda line: None),
        clock=FixedClock(NOW),
        signing_key=b"k" * 32,
    )
    dependencies.store.save_forum(
        make_forum(FORUM_ID, capacity=2, industry="Healthcare", region="North America", join_url="https://meet.example/j")
    )
    public_api.dependencies.configure(dependencies)
    yield dependencies
    public_api.dependencies.configure(None)


def api(method, path, body=None, query=None):
    return call(public_api.lambda_handler, method, path, body, query)


def register(email=VALID["email"], **changes):
    return api("POST", f"/api/forums/{FORUM_ID}/registrations", {**VALID, "email": email, **changes})


def last_link(deps, kind_word):
    messages = outbox_messages(deps.settings.outbox_dir)
    links = [link for message in messages for link in links_in(message) if f"/{kind_word}/" in link]
    return link_query(links[-1])


def confirm_latest(deps):
    query = last_link(deps, "confirm")
    return api("POST", f"/api/forums/{query['forum']}/registrations/{query['registration']}/confirm", {"token": query["token"]})


# Calendar


def test_list_forums_returns_upcoming_with_seats(deps):
    response = api("GET", "/api/forums")

    assert response.status == 200
    assert [forum["forum_id"] for forum in response.body["forums"]] == [FORUM_ID]
    assert response.body["forums"][0]["seats_left"] == 2
    assert response.body["forums"][0]["availability"] == "open"


def test_list_forums_filters_by_industry(deps):
    deps.store.save_forum(make_forum("2027-02-01-retail", industry="Retail"))

    response = api("GET", "/api/forums", query={"industry": "Retail"})

    assert [forum["forum_id"] for forum in response.body["forums"]] == ["2027-02-01-retail"]
    assert response.body["filters"]["industry"] == ["Healthcare", "Retail"]


def test_list_forums_filters_by_format_and_month(deps):
    deps.store.save_forum(
        make_forum("2027-03-03-big", capacity=70, forum_format=ForumFormat.REFERENCE_FORUM, local_start=datetime(2027, 3, 3, 10))
    )

    response = api("GET", "/api/forums", query={"format": "reference_forum", "month": "2027-03"})

    assert [forum["forum_id"] for forum in response.body["forums"]] == ["2027-03-03-big"]


def test_list_forums_unknown_format_names_field(deps):
    response = api("GET", "/api/forums", query={"format": "webinar"})

    assert response.status == 422
    assert "format" in response.body["errors"]


def test_list_forums_hides_past_forums(deps):
    deps.clock.set(datetime(2027, 1, 21, tzinfo=timezone.utc))

    response = api("GET", "/api/forums")

    assert response.body["forums"] == []


def test_get_forum_unknown_returns_404_with_message(deps):
    response = api("GET", "/api/forums/no-such-forum")

    assert response.status == 404
    assert "no-such-forum" in response.body["message"]


def test_get_forum_shows_local_start_in_event_zone(deps):
    response = api("GET", f"/api/forums/{FORUM_ID}")

    assert response.body["starts_at"] == "2027-01-20T16:00:00Z"
    assert response.body["local_start"] == "2027-01-20T11:00:00-05:00"


# Registration


def test_register_valid_returns_202_and_emails_link(deps):
    response = register()

    messages = outbox_messages(deps.settings.outbox_dir)
    assert response.status == 202
    assert len(messages) == 1
    assert last_link(deps, "confirm")["registration"] == response.body["registration_id"]


def test_register_invalid_names_each_field(deps):
    response = register(email="not-an-address", name="", consent=False, time_zone="Mars/Olympus")

    assert response.status == 422
    assert set(response.body["errors"]) == {"email", "name", "consent", "time_zone"}
    assert "email" in response.body["message"]


def test_register_not_json_returns_400(deps):
    response = api("POST", f"/api/forums/{FORUM_ID}/registrations", "{not json")

    assert response.status == 400
    assert "JSON" in response.body["message"]


def test_register_too_long_questions_rejected(deps):
    response = register(questions="?" * 2001)

    assert response.status == 422
    assert "questions" in response.body["errors"]


def test_register_same_email_other_case_returns_same_registration(deps):
    first = register()

    second = register(email="  asa.oberg@BUYER.example ")

    assert second.status == 202
    assert second.body["registration_id"] == first.body["registration_id"]
    assert len(deps.store.list_registrations(FORUM_ID)) == 1


def test_register_honeypot_stores_nothing(deps):
    response = register(website="http://spam.example")

    assert response.status == 202
    assert deps.store.list_registrations(FORUM_ID) == []
    assert outbox_messages(deps.settings.outbox_dir) == []


def test_register_unknown_forum_returns_404(deps):
    response = api("POST", "/api/forums/nope/registrations", VALID)

    assert response.status == 404


def test_register_after_start_returns_409(deps):
    deps.clock.set(datetime(2027, 1, 20, 16, 30, tzinfo=timezone.utc))

    response = register()

    assert response.status == 409
    assert "closed" in response.body["message"]


# Confirmation, viewing and cancelling


def test_confirm_takes_seat_and_emails_join_link(deps):
    register()

    response = confirm_latest(deps)

    last = outbox_messages(deps.settings.outbox_dir)[-1]
    assert response.status == 200
    assert response.body["status"] == "confirmed"
    assert response.body["join_url"] == "https://meet.example/j"
    assert "https://meet.example/j" in text_body(last)
    assert api("GET", f"/api/forums/{FORUM_ID}").body["seats_left"] == 1


def test_confirm_wrong_token_returns_403(deps):
    registration_id = register().body["registration_id"]

    response = api("POST", f"/api/forums/{FORUM_ID}/registrations/{registration_id}/confirm", {"token": "forged"})

    assert response.status == 403
    assert deps.store.get_forum(FORUM_ID).confirmed_count == 0


def test_confirm_after_window_returns_410(deps):
    register()
    deps.clock.advance(timedelta(hours=49))

    response = confirm_latest(deps)

    assert response.status == 410
    assert "expired" in response.body["message"]


def test_confirm_full_forum_waitlists_with_position(deps):
    for index in range(3):
        register(email=f"p{index}@buyer.example")
        response = confirm_latest(deps)

    assert response.body["status"] == "waitlisted"
    assert response.body["waitlist_position"] == 1
    assert response.body["join_url"] == ""


def test_confirm_twice_sends_one_confirmation(deps):
    register()
    confirm_latest(deps)

    again = confirm_latest(deps)

    kinds = [message["X-Portal-Kind"] for message in outbox_messages(deps.settings.outbox_dir)]
    assert again.body["status"] == "confirmed"
    assert kinds.count("seat-confirmed") == 1


def test_view_registration_with_signature(deps):
    register()
    confirm_latest(deps)
    query = last_link(deps, "registration")

    response = api("GET", f"/api/forums/{FORUM_ID}/registrations/{query['registration']}", query={"signature": query["signature"]})

    assert response.status == 200
    assert response.body["email"] == VALID["email"]


def test_view_registration_bad_signature_returns_404(deps):
    registration_id = register().body["registration_id"]

    response = api("GET", f"/api/forums/{FORUM_ID}/registrations/{registration_id}", query={"signature": "guess"})

    assert response.status == 404
    assert "email" not in response.body


def test_cancel_promotes_first_waitlisted_and_emails_them(deps):
    for index in range(3):
        register(email=f"p{index}@buyer.example")
        confirm_latest(deps)
    # The fixed clock gives every registration the same creation time, so pick by address.
    first = next(r for r in deps.store.list_registrations(FORUM_ID) if r.email == "p0@buyer.example")
    signature = public_api.registrations.manage_signature(deps, first)

    response = api("POST", f"/api/forums/{FORUM_ID}/registrations/{first.registration_id}/cancel", {"signature": signature})

    last = outbox_messages(deps.settings.outbox_dir)[-1]
    assert response.body["status"] == "cancelled"
    assert last["X-Portal-Kind"] == "waitlist-promotion"
    assert "p2@buyer.example" in last["To"]
    assert deps.store.list_waitlist(FORUM_ID) == []


def test_cancel_bad_signature_changes_nothing(deps):
    registration_id = register().body["registration_id"]

    response = api("POST", f"/api/forums/{FORUM_ID}/registrations/{registration_id}/cancel", {"signature": "guess"})

    assert response.status == 404
    assert deps.store.get_registration(FORUM_ID, registration_id).status.value == "pending_confirmation"


def test_confirm_link_cannot_cancel(deps):
    register()
    query = last_link(deps, "confirm")

    response = api("POST", f"/api/forums/{FORUM_ID}/registrations/{query['registration']}/cancel", {"signature": query["token"]})

    assert response.status == 404


# Messages and the API document


def test_email_has_text_and_html_and_encoded_name(deps):
    register()

    message = outbox_messages(deps.settings.outbox_dir)[0]

    assert message.get_body(preferencelist=("plain",)) is not None
    assert message.get_body(preferencelist=("html",)) is not None
    assert message["To"].addresses[0].display_name == "Åsa Öberg"
    raw_headers = next(deps.settings.outbox_dir.glob("*.eml")).read_bytes().split(b"\r\n\r\n")[0]
    assert raw_headers.isascii()


def test_openapi_document_lists_routes(deps):
    response = api("GET", "/api/openapi.json")

    assert response.status == 200
    assert "/api/forums/{forum_id}/registrations" in response.body["paths"]
    assert "/api/me/profile" in response.body["paths"]
    assert "/api/admin/forums" in response.body["paths"]


def test_unknown_route_returns_404(deps):
    response = api("GET", "/api/nothing-here")

    assert response.status == 404


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "Eve\r\nBcc: x@evil.example"),
        ("name", "   "),
        ("name", "Nul\x00Byte"),
        ("company", "\u202eesrever"),
        ("email", "josé@exämple.com"),
        ("consent", "no"),
    ],
)
def test_register_rejects_unsafe_or_blank_value(deps, field, value):
    response = register(**{field: value})

    assert response.status == 422
    assert field in response.body["errors"]
    assert deps.store.list_registrations(FORUM_ID) == []


def test_register_keeps_line_breaks_in_questions(deps):
    response = register(questions="First question?\nSecond question?")

    assert response.status == 202
    assert deps.store.list_registrations(FORUM_ID)[0].questions == "First question?\nSecond question?"


def test_register_from_other_site_is_refused(deps):
    response = api_with_headers("POST", f"/api/forums/{FORUM_ID}/registrations", VALID, {"origin": "https://evil.example", "x-portal-csrf": "1"})

    assert response.status == 403
    assert outbox_messages(deps.settings.outbox_dir) == []


def test_register_without_csrf_header_is_refused(deps):
    response = api_with_headers("POST", f"/api/forums/{FORUM_ID}/registrations", VALID, {"content-type": "text/plain"})

    assert response.status == 403
    assert deps.store.list_registrations(FORUM_ID) == []


def test_register_rate_limit_per_address_caps_mail(deps):
    answers = [register().status for _ in range(deps.settings.registration_limit_per_address + 2)]

    assert answers[-1] == 429
    assert answers.count(202) == deps.settings.registration_limit_per_address
    assert len(outbox_messages(deps.settings.outbox_dir)) == deps.settings.registration_limit_per_address


def api_with_headers(method, path, body, headers):
    return call(public_api.lambda_handler, method, path, body, headers=headers)


def test_register_accepts_time_zone_in_any_case(deps):
    response = register(time_zone="europe/stockholm")

    assert response.status == 202
    assert deps.store.list_registrations(FORUM_ID)[0].time_zone == "Europe/Stockholm"
