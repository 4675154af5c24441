"""Signing in by emailed link, sessions, roles and admins.

Asking for a link gets the same answer whatever the address, so the answer does not reveal who
is an advocate or an admin; only addresses with a role get mail. The emailed link opens a page
whose button sends the token, so a mail scanner that opens the link does not use it up.
"""

from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass
from urllib.parse import urlencode

from aws_lambda_powertools import Logger

from advocacy.bootstrap import Dependencies
from advocacy.domain.access import (
    Principal,
    Role,
    Session,
    SignInLink,
    email_hint,
    new_secret,
    safe_next_path,
    secret_hash,
)
from advocacy.domain.advocates import AdvocateStatus
from advocacy.domain.errors import Forbidden, NotSignedIn
from advocacy.domain.registrations import normalize_email
from advocacy.ports.mail import OutgoingEmail

logger = Logger(service="advocacy-portal", child=True)

# Statuses of an approved advocate; candidates and retired advocates have no account.
SIGN_IN_STATUSES = frozenset({AdvocateStatus.ACTIVE, AdvocateStatus.PAUSED})


@dataclass(frozen=True)
class SignedIn:
    session_id: str
    next_path: str
    principal: Principal


def roles_of(deps: Dependencies, email_key: str) -> frozenset[Role]:
    """Return the roles of an address now; an address can be advocate and admin at once."""
    roles: set[Role] = set()
    advocate = deps.store.get_advocate(email_key)
    if advocate is not None and advocate.status in SIGN_IN_STATUSES:
        roles.add(Role.ADVOCATE)
    if email_key in deps.settings.admin_emails or deps.store.is_admin(email_key):
        roles.add(Role.ADMIN)
    return frozenset(roles)


def _within_limits(deps: Dependencies, email_key: str, client_ip: str) -> bool:
    now = deps.clock.now()
    window = deps.settings.rate_limit_window
    window_start = int(now.timestamp() // window.total_seconds())
    expires_at = now + window
    # The bucket names a hash of the address, so rate-limit items hold no address.
    address_hash = hashlib.sha256(email_key.encode("utf-8")).hexdigest()[:24]
    per_address = deps.store.count_attempt(f"sign-in-address#{address_hash}#{window_start}", expires_at)
    per_client = deps.store.count_attempt(f"sign-in-client#{client_ip}#{window_start}", expires_at)
    return (
        per_address <= deps.settings.sign_in_limit_per_address
        and per_client <= deps.settings.sign_in_limit_per_client
    )


def request_sign_in(deps: Dependencies, email: str, next_path: str | None, client_ip: str) -> None:
    """Email a one-time sign-in link if the address has a role and no limit is exceeded.

    Returns nothing in every case, so callers cannot respond differently for known addresses.
    """
    email_key = normalize_email(email)
    if not _within_limits(deps, email_key, client_ip):
        logger.warning("Sign-in link suppressed by rate limit", email=email_hint(email_key))
        return
    if not roles_of(deps, email_key):
        logger.info("Sign-in link not sent: no account", email=email_hint(email_key))
        return

    now = deps.clock.now()
    token = new_secret()
    link = SignInLink(
        token_hash=secret_hash(token),
        email_key=email_key,
        created_at=now,
        expires_at=now + deps.settings.sign_in_link_lifetime,
        next_path=safe_next_path(next_path),
    )
    deps.store.save_sign_in_link(link)
    deps.mailer.send(_sign_in_email(deps, email_key, token, link))
    logger.info("Sign-in link sent", email=email_hint(email_key))


def _sign_in_email(deps: Dependencies, email_key: str, token: str, link: SignInLink) -> OutgoingEmail:
    url = f"{deps.settings.portal_url}/sign-in/confirm/?{urlencode({'token': token})}"
    minutes = int(deps.settings.sign_in_link_lifetime.total_seconds() // 60)
    advocate = deps.store.get_advocate(email_key)
    name = advocate.display_name if advocate else ""
    lines = [
        f"Hello {name}," if name else "Hello,",
        "",
        "Open this link and press the button on the page to sign in to the advocacy portal:",
        url,
        "",
        f"The link works once, for {minutes} minutes. If you did not ask to sign in, ignore this message.",
        "",
        "The advocacy team",
    ]
    body_html = (
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Sign in</title></head><body>"
        f"<p>{html.escape(lines[0])}</p>"
        f"<p>{html.escape(lines[2])}</p>"
        f"<p><a href=\"{html.escape(url, quote=True)}\">Sign in to the advocacy portal</a></p>"
        f"<p>{html.escape(lines[5])}</p><p>The advocacy team</p></body></html>"
    )
    return OutgoingEmail(
        kind="sign-in-link",
        to_name=name,
        to_address=advocate.email if advocate else email_key,
        subject="Your sign-in link for the advocacy portal",
        text="\n".join(lines),
        html=body_html,
        links=(url,),
    )


def complete_sign_in(deps: Dependencies, token: str) -> SignedIn:
    """Use a sign-in token once and open a session for its address."""
    now = deps.clock.now()
    link = deps.store.consume_sign_in_link(secret_hash(token or ""), now)
    roles = roles_of(deps, link.email_key)
    if not roles:
        raise Forbidden("This address no longer has access to the portal. Contact the advocacy team.")

    session_id = new_secret()
    session = Session(
        session_hash=secret_hash(session_id),
        email_key=link.email_key,
        created_at=now,
        expires_at=now + deps.settings.session_lifetime,
    )
    deps.store.save_session(session)
    logger.info("Signed in", email=email_hint(link.email_key), roles=sorted(roles))
    return SignedIn(
        session_id=session_id,
        next_path=link.next_path,
        principal=Principal(email_key=link.email_key, roles=roles, session_hash=session.session_hash),
    )


def principal_for(deps: Dependencies, session_id: str | None) -> Principal | None:
    """Return the principal of this session id now, or None when it is unknown, expired or revoked."""
    if not session_id:
        return None
    session = deps.store.get_session(secret_hash(session_id))
    now = deps.clock.now()
    if session is None or now >= session.expires_at:
        return None
    valid_after = deps.store.sessions_valid_after(session.email_key)
    if valid_after is not None and session.created_at < valid_after:
        return None
    roles = roles_of(deps, session.email_key)
    if not roles:
        return None
    return Principal(email_key=session.email_key, roles=roles, session_hash=session.session_hash)


def require(principal: Principal | None, role: Role) -> Principal:
    """Return the principal if it has ``role``, or raise NotSignedIn or Forbidden."""
    if principal is None:
        raise NotSignedIn("Sign in to continue: ask for a sign-in link on the sign-in page.")
    if role not in principal.roles:
        raise Forbidden(f"This needs the {role.value} role, which your account does not have.")
    return principal


def sign_out(deps: Dependencies, principal: Principal) -> None:
    deps.store.delete_session(principal.session_hash)
    logger.info("Signed out", email=email_hint(principal.email_key))


def sign_out_everywhere(deps: Dependencies, principal: Principal) -> None:
    deps.store.end_sessions_before(principal.email_key, deps.clock.now())
    deps.store.delete_session(principal.session_hash)
    logger.info("Signed out everywhere", email=email_hint(principal.email_key))


def add_admin(deps: Dependencies, email: str, added_by: str) -> str:
    """Record an admin and return the normalized address."""
    email_key = normalize_email(email)
    deps.store.add_admin(email_key, added_by, deps.clock.now())
    logger.info("Admin added", email=email_hint(email_key), added_by=email_hint(added_by))
    return email_key
