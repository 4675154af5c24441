"""Who may call each API route: one table, walked against the real handlers on both stores.

Audiences:
- anonymous: no cookie, no token
- prospect: holds the signed link of their own registration, and no session
- advocate: advocate A signed in, on A's own data
- other_advocate: advocate A signed in, naming advocate B's data wherever a route takes an id
- admin: an admin signed in

A route that exists in a handler but not in this table fails ``test_matrix_lists_every_route``.
Each feature keeps its rows in ``access_rows_<feature>.py`` beside this file; the table is the
rows below plus all of those.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from advocacy import signing
from advocacy.domain.advocates import Advocate, AdvocateStatus
from advocacy.handlers import admin_api, advocate_api, public_api
from localdev.server import handler_for
from tests.factories import make_forum
from tests.support.api import call
from tests.support.portal import portal
from tests.support.sessions import SAME_ORIGIN, sign_in

AUDIENCES = ("anonymous", "prospect", "advocate", "other_advocate", "admin")
ADVOCATE_A = "a.advocate@customer-a.example"
ADVOCATE_B = "b.advocate@customer-b.example"
ADMIN = "lead@advocacy.example"
FORUM = "2027-01-20-claims"
REGISTRATION_BODY = {
    "name": "New Prospect", "email": "new@buyer.example", "company": "Buyer", "job_title": "CIO",
    "time_zone": "Europe/Paris", "consent": True,
}


@dataclass(frozen=True)
class Route:
    """One row: a route, the status each audience gets, and what its request carries.

    ``prepare(deps, audience)`` may create what the route acts on and return extra path values
    (such as ``{"reward_id": ...}``) for the path's placeholders.
    """

    method: str
    path: str
    expected: dict[str, int]
    body: dict | None = None
    prepare: Callable[[object, str], dict] | None = None


def everyone(status: int) -> dict[str, int]:
    return {audience: status for audience in AUDIENCES}


SIGNED_IN = {"anonymous": 401, "prospect": 401}

MATRIX = [
    Route("GET", "/api/forums", everyone(200)),
    Route("GET", "/api/forums/{forum_id}", everyone(200)),
    Route("GET", "/api/openapi.json", everyone(200)),
    Route("POST", "/api/forums/{forum_id}/registrations", everyone(202), body=REGISTRATION_BODY),
    # Only the registration's own signed link opens it; a session grants nothing here.
    Route("GET", "/api/forums/{forum_id}/registrations/{registration_id}", {**everyone(404), "prospect": 200}),
    Route("POST", "/api/forums/{forum_id}/registrations/{registration_id}/confirm", {**everyone(403), "prospect": 200}),
    Route("POST", "/api/forums/{forum_id}/registrations/{registration_id}/cancel", {**everyone(404), "prospect": 200}),
    Route("POST", "/api/sign-in", everyone(202), body={"email": ADVOCATE_B}),
    Route("POST", "/api/sign-in/confirm", everyone(400), body={"token": "not-a-token"}),
    Route("GET", "/api/session", everyone(200)),
    Route("POST", "/api/session/sign-out", {**SIGNED_IN, "advocate": 200, "other_advocate": 200, "admin": 200}),
    Route("POST", "/api/session/sign-out-everywhere", {**SIGNED_IN, "advocate": 200, "other_advocate": 200, "admin": 200}),
    Route("GET", "/api/me/profile", {**SIGNED_IN, "advocate": 200, "other_advocate": 200, "admin": 403}),
    Route("GET", "/api/admin/admins", {**SIGNED_IN, "advocate": 403, "other_advocate": 403, "admin": 200}),
    Route("POST", "/api/admin/admins", {**SIGNED_IN, "advocate": 403, "other_advocate": 403, "admin": 201}, body={"email": "x@advocacy.example"}),
    Route("GET", "/api/admin/forums/{forum_id}/registrations", {**SIGNED_IN, "advocate": 403, "other_advocate": 403, "admin": 200}),
    Route("GET", "/api/admin/advocates/{email}", {**SIGNED_IN, "advocate": 403, "other_advocate": 403, "admin": 200}),
]


def _feature_rows() -> list[Route]:
    rows: list[Route] = []
    for path in sorted(Path(__file__).parent.glob("access_rows_*.py")):
        rows += importlib.import_module(f"tests.api.{path.stem}").ROWS
    return rows


MATRIX += _feature_rows()


def _documented_routes() -> set[tuple[str, str]]:
    routes = set()
    for module in (public_api, advocate_api, admin_api):
        for path, item in module.app.get_openapi_schema().paths.items():
            for method in ("get", "post", "put", "patch", "delete"):
                if getattr(item, method) is not None:
                    routes.add((method.upper(), path))
    return routes


def test_matrix_lists_every_route():
    listed = {(route.method, route.path) for route in MATRIX}

    assert _documented_routes() - listed == set()
    assert listed - _documented_routes() == set()


@pytest.fixture(params=["sqlite", "dynamodb"])
def deps(request, tmp_path):
    with portal(request.param, tmp_path, ADVOCACY_ADMIN_EMAILS=ADMIN) as dependencies:
        dependencies.store.save_forum(make_forum(FORUM, capacity=4))
        for email in (ADVOCATE_A, ADVOCATE_B):
            dependencies.store.save_advocate(
                Advocate(email_key=email, email=email, first_name=email[0].upper(), last_name="Advocate", company="Customer", status=AdvocateStatus.ACTIVE)
            )
        yield dependencies


def _prepare(deps, audience: str) -> dict:
    """Create the registration and session an audience's request uses; return path values and credentials."""
    registration = call(public_api.lambda_handler, "POST", f"/api/forums/{FORUM}/registrations", {**REGISTRATION_BODY, "email": "owner@buyer.example"})
    registration_id = registration.body["registration_id"]
    values = {"forum_id": FORUM, "registration_id": registration_id, "email": ADVOCATE_A}
    credentials: dict = {"session": None, "query": {}, "body": {}}
    if audience == "prospect":
        credentials["query"] = {"signature": signing.sign(deps.signing_key, signing.MANAGE, FORUM, registration_id)}
        credentials["body"] = {
            "signature": credentials["query"]["signature"],
            "token": signing.sign(deps.signing_key, signing.CONFIRM, FORUM, registration_id),
        }
    elif audience == "advocate":
        credentials["session"] = sign_in(deps, ADVOCATE_A)
    elif audience == "other_advocate":
        credentials["session"] = sign_in(deps, ADVOCATE_A)
        values["email"] = ADVOCATE_B
        credentials["query"] = {"email": ADVOCATE_B, "advocate": ADVOCATE_B}
    elif audience == "admin":
        credentials["session"] = sign_in(deps, ADMIN)
    return {"values": values, **credentials}


@pytest.mark.parametrize("route", MATRIX, ids=lambda route: f"{route.method} {route.path}")
@pytest.mark.parametrize("audience", AUDIENCES)
def test_route_admits_only_its_audience(deps, route, audience):
    prepared = _prepare(deps, audience)
    if route.prepare is not None:
        prepared["values"].update(route.prepare(deps, audience))
    path = route.path.format(**prepared["values"])
    body = {**(route.body or {}), **prepared["body"]} if route.method != "GET" else None
    if route.path == "/api/sign-in/confirm":
        body = route.body

    response = call(
        handler_for(path), route.method, path, body, query=prepared["query"] or None,
        headers=SAME_ORIGIN, session=prepared["session"],
    )

    assert response.status == route.expected[audience], response.body


def test_other_advocate_sees_only_own_profile(deps):
    session = sign_in(deps, ADVOCATE_A)

    response = call(advocate_api.lambda_handler, "GET", "/api/me/profile", query={"email": ADVOCATE_B}, session=session)

    assert response.body["email"] == ADVOCATE_A
