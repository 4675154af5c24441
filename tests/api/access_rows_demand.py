"""Access matrix rows for reference requests, targets, activities, reports and exports (admins only)."""

from __future__ import annotations

from advocacy.domain.demand import ReferenceRequest, RequestStatus, Target
from advocacy.services import demand
from tests.api.test_access_matrix import SIGNED_IN, Route, everyone

ADMIN_ONLY = {**SIGNED_IN, "advocate": 403, "other_advocate": 403}
REQUEST = {
    "opportunity_id": "OPP-1", "amount": 5000, "stage": "Evaluation", "prospect_company": "Buyer",
    "needed_by": "2027-02-01", "industry": "Healthcare",
}


def _stored_request(deps, audience: str) -> dict:
    request = demand.create_request(
        deps,
        ReferenceRequest("", "OPP-2", 500000, "Negotiation", "Buyer", deps.clock.now().date(), "lead@advocacy.example", deps.clock.now()),
    )
    return {"request_id": request.request_id}


def _stored_target(deps, audience: str) -> dict:
    return {"target_id": demand.save_target(deps, Target("", 3, deps.clock.now(), industry="Retail")).target_id}


def _unconfirmed_request(deps, audience: str) -> dict:
    request = demand.create_request(
        deps,
        ReferenceRequest("", "OPP-3", 1000, "Evaluation", "Buyer", deps.clock.now().date(), "rep@vendor.example", deps.clock.now()),
        status=RequestStatus.UNCONFIRMED,
    )
    return {"request_id": request.request_id}


SALES_FORM = {
    **REQUEST, "requester_name": "Rep", "requester_email": "rep@customer-a.example",
}

ROWS = [
    # Any caller may submit; the address must be the company's (here it is not: 422 for all).
    Route("POST", "/api/reference-requests", everyone(422), body=SALES_FORM),
    # Only the emailed token confirms, and no audience holds it.
    Route("POST", "/api/reference-requests/{request_id}/confirm", everyone(404), body={"token": "x"}, prepare=_unconfirmed_request),
    Route("POST", "/api/admin/requests", {**ADMIN_ONLY, "admin": 201}, body=REQUEST),
    Route("GET", "/api/admin/requests", {**ADMIN_ONLY, "admin": 200}),
    Route("GET", "/api/admin/requests/{request_id}", {**ADMIN_ONLY, "admin": 200}, prepare=_stored_request),
    Route("POST", "/api/admin/requests/{request_id}/status", {**ADMIN_ONLY, "admin": 200}, body={"status": "cancelled"}, prepare=_stored_request),
    Route("GET", "/api/admin/targets", {**ADMIN_ONLY, "admin": 200}),
    Route("POST", "/api/admin/targets", {**ADMIN_ONLY, "admin": 201}, body={"wanted": 2, "industry": "Retail"}),
    Route("DELETE", "/api/admin/targets/{target_id}", {**ADMIN_ONLY, "admin": 200}, prepare=_stored_target),
    Route("GET", "/api/admin/supply-suggestions", {**ADMIN_ONLY, "admin": 200}),
    Route(
        "POST", "/api/admin/activities", {**ADMIN_ONLY, "admin": 201},
        body={"advocate": "b.advocate@customer-b.example", "activity_type": "press", "occurred_on": "2027-01-02"},
    ),
    Route("GET", "/api/admin/reports", {**ADMIN_ONLY, "admin": 200}),
    Route("GET", "/api/admin/reports/{name}.csv", {**ADMIN_ONLY, "admin": 200}, prepare=lambda deps, audience: {"name": "forums"}),
    Route("GET", "/api/admin/exports/registrations.csv", {**ADMIN_ONLY, "admin": 200}),
    Route("GET", "/api/admin/exports/advocates.csv", {**ADMIN_ONLY, "admin": 200}),
]
