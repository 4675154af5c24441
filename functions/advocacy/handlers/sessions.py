"""Sign-in and session routes, part of the public function.

Audience: anyone may ask for a link or use one; the session routes act on the caller's own
session cookie only. Every POST here passes the public function's same-origin check first.
"""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from advocacy.domain.access import Principal
from advocacy.domain.errors import NotSignedIn
from advocacy.forms import FormInput, form_errors
from advocacy.forms.sign_in import SignInForm
from advocacy.handlers.http import (
    current_principal,
    dependencies,
    expired_session_cookie,
    json_body,
    json_response,
    session_cookie,
    validation_response,
)
from advocacy.services import access

router = Router()

# The same words for every address, known or not, so the answer reveals nothing.
LINK_SENT = (
    "If this address belongs to an advocate or an admin, a sign-in link is on its way. "
    "It works once and expires soon; check your spam folder if it does not arrive."
)


def _principal_json(principal: Principal | None) -> dict:
    if principal is None:
        return {"signed_in": False, "email": "", "name": "", "roles": []}
    advocate = dependencies.get().store.get_advocate(principal.email_key)
    return {
        "signed_in": True,
        "email": advocate.email if advocate else principal.email_key,
        "name": advocate.display_name if advocate else "",
        "roles": sorted(role.value for role in principal.roles),
    }


@router.post("/api/sign-in", summary="Email a one-time sign-in link to an advocate or admin")
def request_link() -> Response[dict]:
    deps = dependencies.get()
    form = SignInForm(formdata=FormInput(json_body(router)))
    if not form.validate():
        return validation_response(form_errors(form))

    client_ip = router.current_event.request_context.http.source_ip
    access.request_sign_in(deps, form.email.data, form.next.data, client_ip)

    return json_response(202, {"message": LINK_SENT})


@router.post("/api/sign-in/confirm", summary="Use a sign-in token and start a session")
def confirm_link() -> Response[dict]:
    deps = dependencies.get()
    token = str(json_body(router).get("token", ""))

    signed_in = access.complete_sign_in(deps, token)

    body = {"next": signed_in.next_path, **_principal_json(signed_in.principal)}
    return json_response(200, body, cookies=[session_cookie(deps.settings, signed_in.session_id)])


@router.get("/api/session", summary="Who is signed in, if anyone")
def get_session() -> Response[dict]:
    deps = dependencies.get()

    principal = current_principal(router, deps)

    return json_response(200, _principal_json(principal))


@router.post("/api/session/sign-out", summary="End this session")
def sign_out() -> Response[dict]:
    deps = dependencies.get()
    principal = current_principal(router, deps)
    if principal is None:
        raise NotSignedIn("You are not signed in.")

    access.sign_out(deps, principal)

    return json_response(200, {"signed_in": False}, cookies=[expired_session_cookie(deps.settings)])


@router.post(
    "/api/session/sign-out-everywhere",
    summary="End every session of the signed-in person",
)
def sign_out_everywhere() -> Response[dict]:
    deps = dependencies.get()
    principal = current_principal(router, deps)
    if principal is None:
        raise NotSignedIn("You are not signed in.")

    access.sign_out_everywhere(deps, principal)

    return json_response(200, {"signed_in": False}, cookies=[expired_session_cookie(deps.settings)])
