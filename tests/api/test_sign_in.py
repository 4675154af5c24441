"""Signing in by emailed link, sessions, limits and cross-site defences, on both stores."""

from __future__ import annotations

from datetime import timedelta

import pytest

from advocacy.domain.access import DEFAULT_NEXT_PATH, safe_next_path
from advocacy.domain.advocates import Advocate, AdvocateStatus
from advocacy.handlers import admin_api, advocate_api, public_api
from tests.support.api import call, outbox_messages
from tests.support.portal import portal
from tests.support.sessions import SAME_ORIGIN, newest_sign_in_token, session_from, sign_in

ADVOCATE = "Dana.Whitfield@Northwind-Health.example"
ADMIN = "lead@advocacy.example"


@pytest.fixture(params=["sqlite", "dynamodb"])
def deps(request, tmp_path):
    with portal(request.param, tmp_path, ADVOCACY_ADMIN_EMAILS=ADMIN) as dependencies:
        for email, status in ((ADVOCATE, AdvocateStatus.ACTIVE), ("retired@old.example", AdvocateStatus.RETIRED)):
            dependencies.store.save_advocate(
                Advocate(email_key=email.lower(), email=email, first_name="Dana", last_name="Whitfield", company="Northwind", status=status)
            )
        yield dependencies


def ask_link(email, next_path="", source_ip="203.0.113.9", headers=SAME_ORIGIN):
    return call(public_api.lambda_handler, "POST", "/api/sign-in", {"email": email, "next": next_path}, headers=headers, source_ip=source_ip)


def use_token(token, headers=SAME_ORIGIN):
    return call(public_api.lambda_handler, "POST", "/api/sign-in/confirm", {"token": token}, headers=headers)


def whoami(session):
    return call(public_api.lambda_handler, "GET", "/api/session", session=session).body


def sign_in_mails(deps):
    return [message for message in outbox_messages(deps.settings.outbox_dir) if message["X-Portal-Kind"] == "sign-in-link"]


# Asking for a link


def test_sign_in_known_advocate_gets_link(deps):
    response = ask_link(ADVOCATE.upper())

    assert response.status == 202
    assert len(sign_in_mails(deps)) == 1


def test_sign_in_unknown_address_gets_no_mail(deps):
    ask_link("stranger@nowhere.example")

    assert sign_in_mails(deps) == []


def test_sign_in_retired_advocate_gets_no_mail(deps):
    ask_link("retired@old.example")

    assert sign_in_mails(deps) == []


def test_sign_in_answers_byte_equal_for_known_and_unknown(deps):
    known = ask_link(ADVOCATE)
    unknown = ask_link("stranger@nowhere.example")

    assert known.status == unknown.status
    assert known.raw["body"] == unknown.raw["body"]
    assert known.headers == unknown.headers
    assert known.cookies == unknown.cookies


def test_sign_in_invalid_address_names_field(deps):
    response = ask_link("not-an-address")

    assert response.status == 422
    assert "email" in response.body["errors"]


def test_sign_in_rate_limit_caps_mail_per_address(deps):
    answers = {ask_link(ADVOCATE).raw["body"] for _ in range(8)}

    assert len(sign_in_mails(deps)) == deps.settings.sign_in_limit_per_address
    assert len(answers) == 1


def test_sign_in_rate_limit_caps_requests_per_client(deps):
    for index in range(deps.settings.sign_in_limit_per_client):
        ask_link(f"someone{index}@nowhere.example", source_ip="198.51.100.7")

    ask_link(ADVOCATE, source_ip="198.51.100.7")

    assert sign_in_mails(deps) == []


def test_sign_in_rate_limit_window_resets(deps):
    for _ in range(8):
        ask_link(ADVOCATE)
    deps.clock.advance(deps.settings.rate_limit_window)

    ask_link(ADVOCATE)

    assert len(sign_in_mails(deps)) == deps.settings.sign_in_limit_per_address + 1


# Using a link


def test_prefetched_link_still_works(deps, tmp_path):
    ask_link(ADVOCATE)
    token = newest_sign_in_token(deps, ADVOCATE)
    # A mail scanner fetches the link with GET or HEAD and no cookie; the API has no GET for it.
    prefetch_get = call(public_api.lambda_handler, "GET", "/api/sign-in/confirm", query={"token": token})
    prefetch_head = call(public_api.lambda_handler, "HEAD", "/api/sign-in/confirm", query={"token": token})

    response = use_token(token)

    assert prefetch_get.status in (404, 405)
    assert prefetch_head.status in (404, 405)
    assert response.status == 200


def test_used_token_fails_with_message(deps):
    ask_link(ADVOCATE)
    token = newest_sign_in_token(deps, ADVOCATE)
    use_token(token)

    again = use_token(token)

    assert again.status == 409
    assert "already used" in again.body["message"]


def test_expired_token_fails_with_message(deps):
    ask_link(ADVOCATE)
    token = newest_sign_in_token(deps, ADVOCATE)
    deps.clock.advance(timedelta(minutes=15))

    response = use_token(token)

    assert response.status == 410
    assert "expired" in response.body["message"]


def test_unknown_token_fails_with_message(deps):
    response = use_token("made-up-token")

    assert response.status == 400
    assert "not valid" in response.body["message"]


def test_sign_in_sets_http_only_lax_cookie(deps):
    ask_link(ADVOCATE)

    response = use_token(newest_sign_in_token(deps, ADVOCATE))

    cookie = response.cookies[0]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_sign_in_cookie_secure_outside_local_http(tmp_path):
    with portal("sqlite", tmp_path, ADVOCACY_ADMIN_EMAILS=ADMIN, ADVOCACY_PORTAL_URL="https://advocates.example") as deps:
        headers = {"origin": "https://advocates.example", "x-portal-csrf": "1"}
        ask_link(ADMIN, headers=headers)

        response = use_token(newest_sign_in_token(deps, ADMIN), headers=headers)

    assert "Secure" in response.cookies[0]


def test_session_shows_roles_of_address(deps):
    session = sign_in(deps, ADVOCATE)

    assert whoami(session)["roles"] == ["advocate"]


def test_session_of_admin_and_advocate_has_both_roles(tmp_path):
    with portal("sqlite", tmp_path, ADVOCACY_ADMIN_EMAILS=ADVOCATE.lower()) as deps:
        deps.store.save_advocate(
            Advocate(email_key=ADVOCATE.lower(), email=ADVOCATE, first_name="Dana", last_name="W", company="N", status=AdvocateStatus.ACTIVE)
        )
        session = sign_in(deps, ADVOCATE)

        roles = whoami(session)["roles"]

    assert roles == ["admin", "advocate"]


def test_session_expires(deps):
    session = sign_in(deps, ADVOCATE)
    deps.clock.advance(deps.settings.session_lifetime)

    assert whoami(session)["signed_in"] is False


# Redirects


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example",
        "///evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "/%2F%2Fevil.example",
        "%2F%2Fevil.example",
        "/%5Cevil.example",
        "/%252F%252Fevil.example",
        "https:evil.example",
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "/\t/evil.example",
        "/\n/evil.example",
        " //evil.example",
        "http://127.0.0.1:8000@evil.example/",
        "evil.example",
    ],
)
def test_off_site_redirect_lands_on_default(deps, target):
    ask_link(ADVOCATE, next_path=target)

    response = use_token(newest_sign_in_token(deps, ADVOCATE))

    assert response.body["next"] == DEFAULT_NEXT_PATH


def test_on_site_redirect_is_kept(deps):
    ask_link(ADVOCATE, next_path="/account/?tab=profile")

    response = use_token(newest_sign_in_token(deps, ADVOCATE))

    assert response.body["next"] == "/account/?tab=profile"


def test_safe_next_path_empty_is_default():
    assert safe_next_path("") == DEFAULT_NEXT_PATH


# Signing out and cross-site requests


def test_sign_out_ends_session_and_clears_cookie(deps):
    session = sign_in(deps, ADVOCATE)

    response = call(public_api.lambda_handler, "POST", "/api/session/sign-out", headers=SAME_ORIGIN, session=session)

    assert response.status == 200
    assert "Max-Age=0" in response.cookies[0]
    assert whoami(session)["signed_in"] is False


def test_sign_out_everywhere_ends_other_sessions(deps):
    laptop = sign_in(deps, ADVOCATE)
    phone = sign_in(deps, ADVOCATE)
    deps.clock.advance(timedelta(seconds=1))

    call(public_api.lambda_handler, "POST", "/api/session/sign-out-everywhere", headers=SAME_ORIGIN, session=phone)

    assert whoami(laptop)["signed_in"] is False
    assert whoami(phone)["signed_in"] is False


def test_forged_cross_site_post_is_refused(deps):
    session = sign_in(deps, ADMIN)

    response = call(
        admin_api.lambda_handler, "POST", "/api/admin/admins", {"email": "attacker@evil.example"},
        headers={"origin": "https://evil.example", "x-portal-csrf": "1"}, session=session,
    )

    assert response.status == 403
    assert deps.store.is_admin("attacker@evil.example") is False


def test_post_without_csrf_header_is_refused(deps):
    session = sign_in(deps, ADVOCATE)

    response = call(public_api.lambda_handler, "POST", "/api/session/sign-out", headers={"origin": "http://127.0.0.1:8000"}, session=session)

    assert response.status == 403
    assert whoami(session)["signed_in"] is True


def test_sign_in_confirm_from_other_site_is_refused(deps):
    ask_link(ADVOCATE)
    token = newest_sign_in_token(deps, ADVOCATE)

    forged = use_token(token, headers={"origin": "https://evil.example", "x-portal-csrf": "1"})

    assert forged.status == 403
    assert use_token(token).status == 200


# Admins


def test_admin_adds_admin_who_can_sign_in(deps):
    session = sign_in(deps, ADMIN)

    added = call(admin_api.lambda_handler, "POST", "/api/admin/admins", {"email": " New.Admin@Advocacy.example "}, headers=SAME_ORIGIN, session=session)
    new_session = sign_in(deps, "new.admin@advocacy.example")

    assert added.status == 201
    assert whoami(new_session)["roles"] == ["admin"]


def test_advocate_profile_is_own(deps):
    session = sign_in(deps, ADVOCATE)

    response = call(advocate_api.lambda_handler, "GET", "/api/me/profile", session=session)

    assert response.status == 200
    assert response.body["email"] == ADVOCATE


# Logs


def test_logs_hold_no_token_session_or_address(deps, capsys):
    ask_link(ADVOCATE)
    token = newest_sign_in_token(deps, ADVOCATE)
    response = use_token(token)
    session = session_from(response)
    call(public_api.lambda_handler, "POST", "/api/session/sign-out", headers=SAME_ORIGIN, session=session)

    logs = capsys.readouterr().out + capsys.readouterr().err

    assert token not in logs
    assert session not in logs
    assert ADVOCATE.lower() not in logs.lower()


def test_cors_grants_no_other_origin(deps):
    session = sign_in(deps, ADVOCATE)
    foreign = {"origin": "https://evil.example"}

    read = call(public_api.lambda_handler, "GET", "/api/session", headers=foreign, session=session)
    preflight = call(public_api.lambda_handler, "OPTIONS", "/api/session/sign-out", headers={**foreign, "access-control-request-method": "POST"})

    assert "Access-Control-Allow-Origin" not in read.headers
    assert "Access-Control-Allow-Origin" not in preflight.headers
    assert "Access-Control-Allow-Credentials" not in preflight.headers
