"""Nominations through the API on both stores: self and internal nominations, confirmation,
the same response for everyone, and the admin's review pipeline."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from advocacy.domain.advocates import Advocate, AdvocateStatus
from advocacy.domain.errors import DomainError
from advocacy.domain.nominations import NominationStatusConflict
from advocacy.handlers import admin_api, advocate_api, public_api
from advocacy.services import nominations
from tests.support.api import call, link_query, links_in, outbox_messages
from tests.support.portal import portal
from tests.support.sessions import SAME_ORIGIN, session_from, sign_in

ADMIN = "lead@advocacy.example"
SELF = {
    "name": "Robin Customer", "email": "Robin@Customer.example", "company": "Customer Inc.", "role": "CIO",
    "products": ["Insight Cloud"], "activities": ["reference_forum", "case_study"], "consent": True,
}
INTERNAL = {
    "name": "Kim Buyer", "email": "kim@buyer.example", "company": "Buyer AG", "role": "Head of IT",
    "products": "Secure Vault", "nominator_name": "Sam Seller", "nominator_email": "Sam@Vendor.example",
    "relationship": "customer_success", "reason": "Loves the product and speaks well.",
}


@pytest.fixture(params=["sqlite", "dynamodb"])
def deps(request, tmp_path):
    with portal(request.param, tmp_path, ADVOCACY_ADMIN_EMAILS=ADMIN, ADVOCACY_COMPANY_DOMAINS="vendor.example") as dependencies:
        yield dependencies


@pytest.fixture
def admin(deps) -> str:
    return sign_in(deps, ADMIN)


def post(path, body, source_ip="203.0.113.9"):
    return call(public_api.lambda_handler, "POST", path, body, source_ip=source_ip)


def mails(deps, kind):
    return [message for message in outbox_messages(deps.settings.outbox_dir) if message["X-Portal-Kind"] == kind]


def confirm_newest(deps, to_fragment: str):
    for message in reversed(mails(deps, "nomination-confirmation")):
        if to_fragment.lower() in str(message["To"]).lower():
            query = link_query(links_in(message)[0])
            return post("/api/nominations/confirm", {"nomination_id": query["nomination"], "token": query["token"]})
    raise AssertionError(f"No nomination confirmation to {to_fragment}.")


def queue(admin_session, status="new"):
    return call(admin_api.lambda_handler, "GET", "/api/admin/nominations", query={"status": status}, session=admin_session).body["nominations"]


def admin_post(admin_session, path, body=None):
    return call(admin_api.lambda_handler, "POST", path, body or {}, headers=SAME_ORIGIN, session=admin_session)


def queued_robin(deps, admin_session) -> str:
    post("/api/nominations", SELF)
    confirm_newest(deps, "robin@customer.example")
    return queue(admin_session)[0]["nomination_id"]


# Self-nomination


def test_self_nomination_emails_confirmation_to_nominee(deps):
    response = post("/api/nominations", SELF)

    assert response.status == 202
    assert [str(message["To"]) for message in mails(deps, "nomination-confirmation")] == ["Robin Customer <Robin@Customer.example>"]


def test_self_nomination_waits_for_confirmation(deps, admin):
    post("/api/nominations", SELF)

    assert queue(admin) == []


def test_self_nomination_confirmed_reaches_queue(deps, admin):
    post("/api/nominations", SELF)

    confirmed = confirm_newest(deps, "robin@customer.example")

    listed = queue(admin)
    assert confirmed.status == 200
    assert [(n["email"], n["source"], n["products"]) for n in listed] == [("Robin@Customer.example", "self", ["Insight Cloud"])]


def test_self_nomination_confirmed_twice_queues_once(deps, admin):
    post("/api/nominations", SELF)
    first = confirm_newest(deps, "robin@customer.example")

    second = confirm_newest(deps, "robin@customer.example")

    assert (first.status, second.status) == (200, 200)
    assert first.raw["body"] == second.raw["body"]
    assert len(queue(admin)) == 1


def test_second_nomination_any_case_joins_first(deps, admin):
    post("/api/nominations", SELF)
    confirm_newest(deps, "robin@customer.example")
    post("/api/nominations", {**SELF, "email": "  ROBIN@customer.EXAMPLE ", "products": ["Secure Vault"]})

    confirm_newest(deps, "robin@customer.example")

    listed = queue(admin)
    assert len(listed) == 1
    assert len(listed[0]["supporters"]) == 1
    assert listed[0]["products"] == ["Insight Cloud", "Secure Vault"]


def test_nomination_answer_same_for_known_and_unknown(deps, admin):
    deps.store.save_advocate(
        Advocate(email_key="dana@northwind.example", email="dana@northwind.example", first_name="Dana", last_name="W",
                 company="Northwind", status=AdvocateStatus.ACTIVE)
    )
    queued_robin(deps, admin)

    known = post("/api/nominations", SELF)
    advocate = post("/api/nominations", {**SELF, "email": "dana@northwind.example"})
    unknown = post("/api/nominations", {**SELF, "email": "new.person@elsewhere.example"})

    assert known.status == advocate.status == unknown.status == 202
    assert known.raw["body"] == advocate.raw["body"] == unknown.raw["body"]
    assert known.headers == unknown.headers


def test_self_nomination_honeypot_sends_nothing(deps):
    response = post("/api/nominations", {**SELF, "website": "https://spam.example"})
    person = post("/api/nominations", {**SELF, "email": "other@customer.example"})

    assert response.status == 202
    assert response.raw["body"] == person.raw["body"]
    assert len(mails(deps, "nomination-confirmation")) == 1


def test_self_nomination_rate_limit_caps_mail_per_address(deps):
    answers = {post("/api/nominations", SELF).raw["body"] for _ in range(8)}

    assert len(mails(deps, "nomination-confirmation")) == deps.settings.sign_in_limit_per_address
    assert len(answers) == 1


def test_self_nomination_rate_limit_caps_requests_per_client(deps):
    for index in range(deps.settings.sign_in_limit_per_client + 3):
        post("/api/nominations", {**SELF, "email": f"person{index}@customer.example"}, source_ip="198.51.100.7")

    assert len(mails(deps, "nomination-confirmation")) == deps.settings.sign_in_limit_per_client


def test_self_nomination_invalid_names_each_field(deps):
    response = post("/api/nominations", {"email": "not-an-address", "activities": ["juggling"]})

    assert response.status == 422
    assert set(response.body["errors"]) == {"name", "email", "company", "role", "activities", "consent"}


def test_confirm_with_wrong_token_is_not_found(deps, admin):
    post("/api/nominations", SELF)
    query = link_query(links_in(mails(deps, "nomination-confirmation")[0])[0])

    response = post("/api/nominations/confirm", {"nomination_id": query["nomination"], "token": "forged"})

    assert response.status == 404
    assert queue(admin) == []


def test_confirm_after_deadline_is_gone(deps):
    post("/api/nominations", SELF)
    deps.clock.advance(deps.settings.confirmation_window)

    response = confirm_newest(deps, "robin@customer.example")

    assert response.status == 410
    assert queue(sign_in(deps, ADMIN)) == []


# Internal nomination


def test_internal_nomination_outside_company_domain_names_field(deps):
    response = post("/api/nominations/internal", {**INTERNAL, "nominator_email": "sam@gmail.example"})

    assert response.status == 422
    assert response.body["field"] == "nominator_email"
    assert mails(deps, "nomination-confirmation") == []


def test_internal_nomination_emails_nominator(deps):
    response = post("/api/nominations/internal", INTERNAL)

    assert response.status == 202
    assert [str(message["To"]) for message in mails(deps, "nomination-confirmation")] == ["Sam Seller <Sam@Vendor.example>"]


def test_internal_nomination_confirmed_keeps_relationship(deps, admin):
    post("/api/nominations/internal", INTERNAL)

    confirm_newest(deps, "sam@vendor.example")

    listed = queue(admin)
    assert [(n["source"], n["nominator_email"], n["relationship_label"], n["reason"]) for n in listed] == [
        ("employee", "sam@vendor.example", "Customer success manager", "Loves the product and speaks well.")
    ]


def test_internal_nomination_missing_reason_names_fields(deps):
    response = post("/api/nominations/internal", {**INTERNAL, "reason": "", "relationship": "friend"})

    assert response.status == 422
    assert set(response.body["errors"]) == {"reason", "relationship"}


def test_admin_nomination_queues_at_once(deps, admin):
    response = admin_post(admin, "/api/admin/nominations", {**INTERNAL, "reason": "Met at the summit"})

    assert response.status == 201
    assert response.body["source"] == "admin"
    assert response.body["nominator_email"] == ADMIN
    assert [n["status"] for n in queue(admin)] == ["new"]


# Review pipeline


def test_review_moves_to_contacted_with_note(deps, admin):
    nomination_id = queued_robin(deps, admin)

    response = admin_post(admin, f"/api/admin/nominations/{nomination_id}/status", {"status": "contacted", "note": "Left a voicemail"})

    assert response.status == 200
    assert response.body["status"] == "contacted"
    assert [note["text"] for note in response.body["notes"]] == ["Left a voicemail"]
    assert [n["nomination_id"] for n in queue(admin, "contacted")] == [nomination_id]


def test_review_backward_move_conflicts(deps, admin):
    nomination_id = queued_robin(deps, admin)
    admin_post(admin, f"/api/admin/nominations/{nomination_id}/status", {"status": "interviewed"})

    response = admin_post(admin, f"/api/admin/nominations/{nomination_id}/status", {"status": "contacted"})

    assert response.status == 409


def test_review_shows_days_waiting(deps, admin):
    nomination_id = queued_robin(deps, admin)
    deps.clock.advance(timedelta(days=9, hours=2))

    response = call(admin_api.lambda_handler, "GET", f"/api/admin/nominations/{nomination_id}", session=sign_in(deps, ADMIN))

    assert response.body["days_waiting"] == 9


def test_review_unknown_status_names_field(deps, admin):
    response = call(admin_api.lambda_handler, "GET", "/api/admin/nominations", query={"status": "joined"}, session=admin)

    assert response.status == 422
    assert "status" in response.body["errors"]


def test_approve_creates_active_advocate(deps, admin):
    nomination_id = queued_robin(deps, admin)

    response = admin_post(admin, f"/api/admin/nominations/{nomination_id}/approve", {"note": "Great interview"})

    advocate = deps.store.get_advocate("robin@customer.example")
    assert response.status == 200
    assert advocate.status is AdvocateStatus.ACTIVE
    assert (advocate.first_name, advocate.last_name, advocate.title) == ("Robin", "Customer", "CIO")
    assert advocate.last_verified == deps.clock.now().date()


def test_approve_welcome_link_signs_in(deps, admin):
    nomination_id = queued_robin(deps, admin)
    admin_post(admin, f"/api/admin/nominations/{nomination_id}/approve")
    welcome = mails(deps, "advocate-welcome")
    sign_in_url = next(url for url in links_in(welcome[0]) if "token=" in url)
    token = link_query(sign_in_url)["token"]

    signed_in = call(public_api.lambda_handler, "POST", "/api/sign-in/confirm", {"token": token}, headers=SAME_ORIGIN)
    profile = call(advocate_api.lambda_handler, "GET", "/api/me/profile", session=session_from(signed_in))

    assert len(welcome) == 1
    assert signed_in.status == 200
    assert profile.body["email"] == "Robin@Customer.example"


def test_approve_keeps_roster_profile(deps, admin):
    deps.store.save_advocate(
        Advocate(email_key="robin@customer.example", email="robin@customer.example", first_name="Robin", last_name="C.",
                 company="Customer Inc.", title="Chief Information Officer", status=AdvocateStatus.CANDIDATE)
    )
    nomination_id = queued_robin(deps, admin)

    admin_post(admin, f"/api/admin/nominations/{nomination_id}/approve")

    advocate = deps.store.get_advocate("robin@customer.example")
    assert advocate.status is AdvocateStatus.ACTIVE
    assert advocate.title == "Chief Information Officer"


def test_approve_twice_conflicts(deps, admin):
    nomination_id = queued_robin(deps, admin)
    admin_post(admin, f"/api/admin/nominations/{nomination_id}/approve")

    again = admin_post(admin, f"/api/admin/nominations/{nomination_id}/approve")

    assert again.status == 409
    assert len(mails(deps, "advocate-welcome")) == 1


def test_concurrent_approvals_welcome_once(deps, admin):
    nomination_id = queued_robin(deps, admin)
    barrier = threading.Barrier(4)
    outcomes = []

    def approve():
        barrier.wait(timeout=30)
        try:
            nominations.approve(deps, nomination_id, "", ADMIN)
            outcomes.append("approved")
        except DomainError as error:
            outcomes.append(type(error).__name__)

    workers = [threading.Thread(target=approve) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)

    assert sorted(outcomes) == sorted(["approved"] + [NominationStatusConflict.__name__] * 3)
    assert len(mails(deps, "advocate-welcome")) == 1


def test_decline_with_message_emails_nominee(deps, admin):
    nomination_id = queued_robin(deps, admin)

    response = admin_post(admin, f"/api/admin/nominations/{nomination_id}/decline", {"send_message": True, "note": "Not a fit yet"})

    declined = mails(deps, "nomination-declined")
    assert response.body["status"] == "declined"
    assert [str(message["To"]) for message in declined] == ["Robin Customer <Robin@Customer.example>"]
    assert deps.store.get_advocate("robin@customer.example") is None


def test_decline_without_message_sends_nothing(deps, admin):
    nomination_id = queued_robin(deps, admin)

    admin_post(admin, f"/api/admin/nominations/{nomination_id}/decline", {"send_message": False})

    assert mails(deps, "nomination-declined") == []


def test_note_on_unknown_nomination_is_not_found(deps, admin):
    response = admin_post(admin, "/api/admin/nominations/nope/notes", {"note": "x"})

    assert response.status == 404
