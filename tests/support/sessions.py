"""Signing in for tests the way a person does: ask for a link, read it from the outbox, use it."""

from __future__ import annotations

from advocacy.handlers import public_api
from tests.support.api import call, link_query, links_in, outbox_messages

ORIGIN = "http://127.0.0.1:8000"
SAME_ORIGIN = {"origin": ORIGIN, "x-portal-csrf": "1"}


def newest_sign_in_token(deps, email_fragment: str) -> str:
    for message in reversed(outbox_messages(deps.settings.outbox_dir)):
        if message["X-Portal-Kind"] == "sign-in-link" and email_fragment.lower() in str(message["To"]).lower():
            return link_query(links_in(message)[0])["token"]
    raise AssertionError(f"No sign-in email to {email_fragment} in the outbox.")


def sign_in(deps, email: str, next_path: str = "") -> str:
    """Return the session cookie value after signing in through the public API."""
    call(public_api.lambda_handler, "POST", "/api/sign-in", {"email": email, "next": next_path}, headers=SAME_ORIGIN)
    token = newest_sign_in_token(deps, email)
    response = call(public_api.lambda_handler, "POST", "/api/sign-in/confirm", {"token": token}, headers=SAME_ORIGIN)
    assert response.status == 200, response.body
    return session_from(response)


def session_from(response) -> str:
    for cookie in response.cookies:
        name, _, rest = cookie.partition("=")
        if name == "portal_session":
            return rest.split(";", 1)[0]
    raise AssertionError("The response set no session cookie.")
