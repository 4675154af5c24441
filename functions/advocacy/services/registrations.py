"""Use cases of a prospect's registration: register, confirm, view, cancel, and expiry.

Each function takes the dependencies it needs, calls the store for anything atomic, and sends
the email that tells the prospect what happened.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from aws_lambda_powertools import Logger

from advocacy import signing
from advocacy.bootstrap import Dependencies
from advocacy.domain.errors import (
    ForumNotFound,
    TooManyRequests,
    InvalidConfirmationToken,
    RegistrationClosed,
    RegistrationNotFound,
)
from advocacy.domain.forums import Forum, ForumStatus
from advocacy.domain.registrations import Registration, RegistrationStatus, normalize_email
from advocacy.services import calendar_files, notifications
from advocacy.services.notifications import Links

logger = Logger(service="advocacy-portal", child=True)


@dataclass(frozen=True)
class RegistrationRequest:
    """A validated registration form."""

    name: str
    email: str
    company: str
    job_title: str
    time_zone: str
    opportunity_id: str = ""
    sales_rep_email: str = ""
    questions: str = ""


@dataclass(frozen=True)
class RegistrationView:
    """A registration as its owner sees it, with the forum and the waitlist position."""

    registration: Registration
    forum: Forum
    waitlist_position: int | None
    manage_url: str


def new_registration_id() -> str:
    return secrets.token_hex(8)


def get_published_forum(deps: Dependencies, forum_id: str) -> Forum:
    forum = deps.store.get_forum(forum_id)
    if forum is None or forum.status is ForumStatus.DRAFT:
        raise ForumNotFound(f"No forum {forum_id!r} is published; pick one from the calendar.")
    return forum


def _within_limits(deps: Dependencies, email_key: str, client_ip: str) -> bool:
    """Count one registration per address and per client IP in the current rate-limit window."""
    now = deps.clock.now()
    window = deps.settings.rate_limit_window
    window_start = int(now.timestamp() // window.total_seconds())
    # The bucket names a hash of the address, so rate-limit items hold no address.
    address_hash = hashlib.sha256(email_key.encode("utf-8")).hexdigest()[:24]
    per_address = deps.store.count_attempt(f"registration-address#{address_hash}#{window_start}", now + window)
    per_client = deps.store.count_attempt(f"registration-client#{client_ip}#{window_start}", now + window)
    return (
        per_address <= deps.settings.registration_limit_per_address
        and per_client <= deps.settings.registration_limit_per_client
    )


def register(deps: Dependencies, forum_id: str, request: RegistrationRequest, client_ip: str = "") -> Registration:
    """Store a pending registration and email the confirmation link.

    A repeat with the same email in any letter case returns the existing registration and sends
    its link again, so a double submission never creates a second one. Raises TooManyRequests
    when the address or the client passed the rate limit, before anything is stored or sent.
    """
    if not _within_limits(deps, normalize_email(request.email), client_ip):
        logger.warning("Registration rejected by rate limit", forum_id=forum_id)
        minutes = int(deps.settings.rate_limit_window.total_seconds() // 60)
        raise TooManyRequests(f"Too many registrations from this address or network; try again within {minutes} minutes.")
    now = deps.clock.now()
    forum = get_published_forum(deps, forum_id)
    if not forum.takes_registrations(now):
        raise RegistrationClosed(
            f"Registration for \u201c{forum.title}\u201d is closed because it has "
            + ("been cancelled." if forum.status is ForumStatus.CANCELLED else "already started.")
            + " Pick another forum from the calendar."
        )

    candidate = Registration(
        registration_id=new_registration_id(),
        forum_id=forum_id,
        email=request.email,
        name=request.name,
        company=request.company,
        job_title=request.job_title,
        time_zone=request.time_zone,
        status=RegistrationStatus.PENDING,
        created_at=now,
        expires_at=now + deps.settings.confirmation_window,
        opportunity_id=request.opportunity_id,
        sales_rep_email=request.sales_rep_email,
        questions=request.questions,
        consent_at=now,
    )
    registration, created = deps.store.add_registration(candidate, now)

    links = Links(deps.settings.portal_url)
    if created:
        token = signing.sign(deps.signing_key, signing.CONFIRM, forum_id, registration.registration_id)
        email = notifications.confirmation_request(forum, registration, links.confirm(registration, token), registration.expires_at)
    else:
        email = _reminder_of_existing(deps, forum, registration, links)
    deps.mailer.send(email)
    logger.info(
        "Registration received",
        forum_id=forum_id,
        registration_id=registration.registration_id,
        new_registration=created,
        status=registration.status.value,
    )
    return registration


def _reminder_of_existing(deps: Dependencies, forum: Forum, registration: Registration, links: Links):
    pending = registration.status is RegistrationStatus.PENDING
    if pending:
        token = signing.sign(deps.signing_key, signing.CONFIRM, forum.forum_id, registration.registration_id)
        url = links.confirm(registration, token)
    else:
        url = links.manage(registration, manage_signature(deps, registration))
    return notifications.already_registered(forum, registration, url, pending)


def manage_signature(deps: Dependencies, registration: Registration) -> str:
    return signing.sign(deps.signing_key, signing.MANAGE, registration.forum_id, registration.registration_id)


def confirm(deps: Dependencies, forum_id: str, registration_id: str, token: str) -> RegistrationView:
    """Confirm from the emailed link: a seat while one is left, otherwise the waitlist."""
    if not signing.verify(deps.signing_key, token, signing.CONFIRM, forum_id, registration_id):
        raise InvalidConfirmationToken(
            "This confirmation link is not valid. Copy the whole link from the email, or register again.",
            field="token",
        )
    now = deps.clock.now()
    before = deps.store.get_registration(forum_id, registration_id)
    if before is None:
        raise RegistrationNotFound(f"No registration {registration_id!r}; check the link in your email.")

    registration = deps.store.confirm_registration(forum_id, registration_id, now)

    view = _view(deps, registration)
    if before.status is RegistrationStatus.PENDING:
        _announce_placement(deps, view)
    logger.info(
        "Registration confirmed", forum_id=forum_id, registration_id=registration_id, status=registration.status.value
    )
    return view


def registration_invite(deps: Dependencies, forum: Forum, registration: Registration) -> bytes:
    return calendar_files.invite_for_registration(
        forum, registration, deps.settings.portal_url, deps.settings.sender, deps.clock.now()
    )


def _announce_placement(deps: Dependencies, view: RegistrationView) -> None:
    if view.registration.status is RegistrationStatus.CONFIRMED:
        invite = registration_invite(deps, view.forum, view.registration)
        email = notifications.seat_confirmed(view.forum, view.registration, view.manage_url, invite)
    else:
        email = notifications.waitlisted(view.forum, view.registration, view.waitlist_position or 0, view.manage_url)
    deps.mailer.send(email)


def view_registration(deps: Dependencies, forum_id: str, registration_id: str, signature: str) -> RegistrationView:
    registration = _signed_registration(deps, forum_id, registration_id, signature)
    return _view(deps, registration)


def cancel(deps: Dependencies, forum_id: str, registration_id: str, signature: str) -> RegistrationView:
    """Cancel from the signed link; a freed seat goes to the first waitlisted registration."""
    before = _signed_registration(deps, forum_id, registration_id, signature)
    now = deps.clock.now()

    cancelled, promoted = deps.store.cancel_registration(forum_id, registration_id, now)

    view = _view(deps, cancelled)
    if before.status is not RegistrationStatus.CANCELLED:
        removal = None
        if before.status is RegistrationStatus.CONFIRMED:
            removal = calendar_files.cancellation(
                view.forum, cancelled.name, cancelled.email, deps.settings.portal_url, deps.settings.sender, now
            )
        deps.mailer.send(notifications.cancelled(view.forum, cancelled, removal))
    if promoted is not None:
        manage_url = Links(deps.settings.portal_url).manage(promoted, manage_signature(deps, promoted))
        invite = registration_invite(deps, view.forum, promoted)
        deps.mailer.send(notifications.promoted(view.forum, promoted, manage_url, invite))
        logger.info("Waitlisted registration promoted", forum_id=forum_id, registration_id=promoted.registration_id)
    logger.info("Registration cancelled", forum_id=forum_id, registration_id=registration_id)
    return view


def expire_unconfirmed(deps: Dependencies, limit: int = 500) -> int:
    """Mark registrations not confirmed in time as expired; return how many changed."""
    expired = deps.store.expire_registrations(deps.clock.now(), limit=limit)
    for registration in expired:
        logger.info("Registration expired", forum_id=registration.forum_id, registration_id=registration.registration_id)
    return len(expired)


def _signed_registration(deps: Dependencies, forum_id: str, registration_id: str, signature: str) -> Registration:
    registration = deps.store.get_registration(forum_id, registration_id)
    valid = signing.verify(deps.signing_key, signature, signing.MANAGE, forum_id, registration_id)
    if registration is None or not valid:
        # One response for both cases, so the link cannot be used to probe for registration ids.
        raise RegistrationNotFound(
            "This registration link is not valid. Open the latest email about your registration and use its link."
        )
    return registration


def _view(deps: Dependencies, registration: Registration) -> RegistrationView:
    forum = deps.store.get_forum(registration.forum_id)
    position = None
    if registration.status is RegistrationStatus.WAITLISTED:
        waitlist = deps.store.list_waitlist(registration.forum_id)
        ids = [entry.registration_id for entry in waitlist]
        position = ids.index(registration.registration_id) + 1 if registration.registration_id in ids else None
    manage_url = Links(deps.settings.portal_url).manage(registration, manage_signature(deps, registration))
    return RegistrationView(registration=registration, forum=forum, waitlist_position=position, manage_url=manage_url)
