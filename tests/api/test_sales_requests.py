"""Sales reps' reference requests: company addresses only, confirmed by email, then routed."""

from __future__ import annotations

import pytest

from advocacy.domain.demand import RequestStatus
from advocacy.domain.forums import ForumFormat
from advocacy.handlers import public_api
from tests.factories import make_forum
from tests.support.api import call, link_query, links_in, outbox_messages
from tests.support.portal import portal

FORM = {
    "requester_name": "Riley Rep", "requester_email": "Riley.Rep@Vendor.example", "opportunity_id": "OPP-5",
    "amount": 40000, "stage": "Evaluation", "prospect_company": "Buyer Health", "needed_by": "2027-02-01",
    "industry": "Healthcare", "website": "",
}


@pytest.fixture(params=["sqlite", "dynamodb"])
def deps(request, tmp_path):
    with portal(request.param, tmp_path, ADVOCACY_COMPANY_DOMAINS="vendor.example") as dependencies:
        dependencies.store.save_forum(make_forum("2027-01-20-claims", industry="Healthcare", capacity=70, forum_format=ForumFormat.REFERENCE_FORUM))
        yield dependencies


def submit(**changes):
    return call(public_api.lambda_handler, "POST", "/api/reference-requests", {**FORM, **changes})


def confirmation_link(deps):
    message = next(m for m in outbox_messages(deps.settings.outbox_dir) if m["X-Portal-Kind"] == "reference-request-confirmation")
    return link_query(links_in(message)[0])


def test_request_waits_for_confirmation(deps):
    response = submit()

    assert response.status == 202
    assert deps.store.list_requests(RequestStatus.NEW) == []
    assert len(deps.store.list_requests(RequestStatus.UNCONFIRMED)) == 1


def test_confirmed_small_request_gets_forums_by_email(deps):
    submit()
    link = confirmation_link(deps)

    response = call(public_api.lambda_handler, "POST", f"/api/reference-requests/{link['request']}/confirm", {"token": link["token"]})

    routing_mail = [m for m in outbox_messages(deps.settings.outbox_dir) if m["X-Portal-Kind"] == "reference-request-routing"]
    assert response.body["route"] == "one_to_many"
    assert [item["forum"]["forum_id"] for item in response.body["forums"]] == ["2027-01-20-claims"]
    assert len(deps.store.list_requests(RequestStatus.NEW)) == 1
    assert "opportunity_id=OPP-5" in routing_mail[0].get_body(preferencelist=("plain",)).get_content()


def test_confirm_twice_queues_and_mails_once(deps):
    submit()
    link = confirmation_link(deps)
    path = f"/api/reference-requests/{link['request']}/confirm"
    call(public_api.lambda_handler, "POST", path, {"token": link["token"]})

    again = call(public_api.lambda_handler, "POST", path, {"token": link["token"]})

    routing_mail = [m for m in outbox_messages(deps.settings.outbox_dir) if m["X-Portal-Kind"] == "reference-request-routing"]
    assert again.status == 200
    assert len(routing_mail) == 1


def test_forged_token_is_refused(deps):
    submit()
    link = confirmation_link(deps)

    response = call(public_api.lambda_handler, "POST", f"/api/reference-requests/{link['request']}/confirm", {"token": "forged"})

    assert response.status == 404
    assert deps.store.list_requests(RequestStatus.NEW) == []


def test_outside_address_names_field(deps):
    response = submit(requester_email="someone@gmail.example")

    assert response.status == 422
    assert response.body["field"] == "requester_email"


def test_invalid_form_names_fields(deps):
    response = submit(amount="lots", requester_email="nope")

    assert response.status == 422
    assert {"amount", "requester_email"} <= set(response.body["errors"])


def test_honeypot_stores_nothing(deps):
    response = submit(website="http://spam.example")

    assert response.status == 202
    assert deps.store.list_requests(RequestStatus.UNCONFIRMED) == []
