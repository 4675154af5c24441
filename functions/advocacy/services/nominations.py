"""Use cases of nominations: self-nomination, internal nomination, confirmation and review.

Public submissions always get the same response, whether the person is known, the form was
filled by a bot or a rate limit dropped it, so the response reveals nothing about anyone. Only the
emailed confirmation link puts a submission into the review queue.
"""

from __future__ import annotations

import hashlib
import html
import secrets
from dataclasses import dataclass, replace
from datetime import timedelta
from urllib.parse import urlencode

from aws_lambda_powertools import Logger

from advocacy import signing
from advocacy.bootstrap import Dependencies
from advocacy.domain.access import SignInLink, email_hint, new_secret, secret_hash
from advocacy.domain.advocates import Advocate, AdvocateStatus
from advocacy.domain.errors import DomainError
from advocacy.domain.nominations import (
    PIPELINE,
    Nomination,
    NominationExpired,
    NominationNotFound,
    NominationNote,
    NominationSource,
    NominationStatus,
    moved,
    queued,
)
from advocacy.domain.registrations import normalize_email
from advocacy.ports.mail import OutgoingEmail

logger = Logger(service="advocacy-portal", child=True)

CONFIRM_NOMINATION = "confirm-nomination"
# A welcome reaches a new advocate who may read it days later, so its sign-in link lasts longer
# than one asked for on the sign-in page. NOTE: a fixed three days; not a setting yet.
WELCOME_LINK_LIFETIME = timedelta(days=3)
DEFAULT_DECLINE_MESSAGE = (
    "Thank you for your interest in our customer advocacy program. We are not adding new advocates "
    "with your profile right now, and we will keep your details in mind if that changes. We appreciate "
    "the time you took."
)


class NominatorNotEmployee(DomainError):
    """An internal nomination came from an address outside the company's domains."""


@dataclass(frozen=True)
class NominationRequest:
    """A validated nomination form; the nominator fields are empty for a self-nomination."""

    name: str
    email: str
    company: str
    role: str
    products: tuple[str, ...] = ()
    activities: tuple[str, ...] = ()
    nominator_email: str = ""
    nominator_name: str = ""
    relationship: str = ""
    reason: str = ""


def new_nomination_id() -> str:
    return secrets.token_hex(8)


def _nomination(deps: Dependencies, request: NominationRequest, source: NominationSource) -> Nomination:
    now = deps.clock.now()
    return Nomination(
        nomination_id=new_nomination_id(),
        email_key=normalize_email(request.email),
        email=request.email.strip(),
        name=request.name,
        company=request.company,
        role=request.role,
        source=source,
        status=NominationStatus.UNCONFIRMED,
        created_at=now,
        updated_at=now,
        products=request.products,
        activities=request.activities,
        nominator_email=normalize_email(request.nominator_email) if request.nominator_email else "",
        nominator_name=request.nominator_name,
        relationship=request.relationship,
        reason=request.reason,
        consent_at=now if source is NominationSource.SELF else None,
        expires_at=now + deps.settings.confirmation_window,
    )


def _within_limits(deps: Dependencies, address: str, client_ip: str) -> bool:
    """Count one public submission per address and per client IP in the current window."""
    now = deps.clock.now()
    window = deps.settings.rate_limit_window
    window_start = int(now.timestamp() // window.total_seconds())
    # The bucket names a hash of the address, so rate-limit items hold no address.
    address_hash = hashlib.sha256(normalize_email(address).encode("utf-8")).hexdigest()[:24]
    per_address = deps.store.count_attempt(f"nomination-address#{address_hash}#{window_start}", now + window)
    per_client = deps.store.count_attempt(f"nomination-client#{client_ip}#{window_start}", now + window)
    # NOTE: nominations share the sign-in limits' values, with buckets of their own.
    return (
        per_address <= deps.settings.sign_in_limit_per_address
        and per_client <= deps.settings.sign_in_limit_per_client
    )


def nominate_self(deps: Dependencies, request: NominationRequest, client_ip: str) -> None:
    """Store an unconfirmed self-nomination and email the nominee a link to confirm it."""
    if not _within_limits(deps, request.email, client_ip):
        logger.warning("Nomination dropped by rate limit", email=email_hint(normalize_email(request.email)))
        return
    nomination = _nomination(deps, request, NominationSource.SELF)
    deps.store.add_nomination(nomination)
    deps.mailer.send(_confirmation_email(deps, nomination, to_name=nomination.name, to_address=nomination.email))
    logger.info("Self-nomination received", nomination_id=nomination.nomination_id, email=email_hint(nomination.email_key))


def nominate_internal(deps: Dependencies, request: NominationRequest, client_ip: str) -> None:
    """Store an employee's unconfirmed nomination and email the employee a link to confirm it."""
    nominator_key = normalize_email(request.nominator_email)
    domain = nominator_key.rpartition("@")[2]
    if domain not in deps.settings.company_domains:
        allowed = ", ".join(sorted(deps.settings.company_domains)) or "none configured"
        raise NominatorNotEmployee(
            f"Internal nominations come from company addresses ({allowed}); {domain!r} is not one. "
            "Customers can nominate themselves on the self-nomination form.",
            field="nominator_email",
        )
    if not _within_limits(deps, request.nominator_email, client_ip):
        logger.warning("Nomination dropped by rate limit", email=email_hint(nominator_key))
        return
    nomination = _nomination(deps, request, NominationSource.EMPLOYEE)
    deps.store.add_nomination(nomination)
    deps.mailer.send(
        _confirmation_email(deps, nomination, to_name=nomination.nominator_name, to_address=request.nominator_email.strip())
    )
    logger.info("Internal nomination received", nomination_id=nomination.nomination_id, nominator=email_hint(nominator_key))


def nominate_as_admin(deps: Dependencies, request: NominationRequest, admin_email_key: str) -> Nomination:
    """Put an admin's nomination straight into the queue, or join the person's existing one."""
    nomination = _nomination(deps, replace(request, nominator_email=admin_email_key), NominationSource.ADMIN)
    nomination, created = deps.store.enqueue_nomination(queued(nomination, deps.clock.now()), deps.clock.now())
    logger.info("Admin nomination queued", nomination_id=nomination.nomination_id, joined_existing=not created)
    return nomination


def confirmation_token(deps: Dependencies, nomination_id: str) -> str:
    return signing.sign(deps.signing_key, CONFIRM_NOMINATION, nomination_id)


def confirm(deps: Dependencies, nomination_id: str, token: str) -> None:
    """Put a confirmed submission into the review queue; confirming again changes nothing.

    Raises NominationNotFound for a wrong link and NominationExpired after the deadline. The
    caller learns nothing about whether the person was nominated before.
    """
    if not signing.verify(deps.signing_key, token, CONFIRM_NOMINATION, nomination_id):
        raise NominationNotFound("This confirmation link is not valid. Open the link from the email again, or submit the form again.")
    now = deps.clock.now()
    nomination = deps.store.get_nomination(nomination_id)
    if nomination is None:
        raise NominationNotFound("This nomination no longer exists, perhaps because it was not confirmed in time. Submit the form again.")
    if nomination.has_lapsed(now):
        raise NominationExpired("The confirmation link expired before it was used. Submit the form again.")

    queued_nomination, created = deps.store.enqueue_nomination(nomination, now)
    logger.info(
        "Nomination confirmed",
        nomination_id=nomination_id,
        queued_as=queued_nomination.nomination_id,
        joined_existing=not created,
    )


def _confirmation_email(deps: Dependencies, nomination: Nomination, to_name: str, to_address: str) -> OutgoingEmail:
    query = urlencode({"nomination": nomination.nomination_id, "token": confirmation_token(deps, nomination.nomination_id)})
    url = f"{deps.settings.portal_url}/nominate/confirm/?{query}"
    hours = int(deps.settings.confirmation_window.total_seconds() // 3600)
    if nomination.source is NominationSource.SELF:
        subject = "Confirm your nomination as a customer advocate"
        about = "Thank you for offering to speak with other customers about your experience."
    else:
        subject = f"Confirm your nomination of {nomination.name}"
        about = f"You nominated {nomination.name} ({nomination.company}) as a customer advocate."
    paragraphs = [
        about,
        f"The advocacy team sees the nomination once you confirm it. The link works for {hours} hours.",
        "If you did not fill in the form, ignore this message and nothing happens.",
    ]
    return render_email("nomination-confirmation", to_name, to_address, subject, paragraphs, ("Confirm the nomination", url))


# Review by admins


def require_nomination(deps: Dependencies, nomination_id: str) -> Nomination:
    nomination = deps.store.get_nomination(nomination_id)
    if nomination is None or nomination.status not in PIPELINE:
        raise NominationNotFound(f"No nomination {nomination_id!r} is in the review queue; reload the list of nominations.")
    return nomination


def list_queue(deps: Dependencies, status: NominationStatus) -> list[Nomination]:
    return deps.store.list_nominations(status)


def move(deps: Dependencies, nomination_id: str, target: NominationStatus, note: str, admin_email_key: str) -> Nomination:
    """Move a nomination to contacted or interviewed, with an optional note."""
    nomination = require_nomination(deps, nomination_id)
    now = deps.clock.now()
    changed = deps.store.change_nomination_status(moved(nomination, target, now), expected=nomination.status)
    if note:
        changed = add_note(deps, nomination_id, note, admin_email_key)
    logger.info("Nomination moved", nomination_id=nomination_id, status=target.value)
    return changed


def add_note(deps: Dependencies, nomination_id: str, text: str, admin_email_key: str) -> Nomination:
    require_nomination(deps, nomination_id)
    now = deps.clock.now()
    return deps.store.add_nomination_note(nomination_id, NominationNote(author=admin_email_key, written_at=now, text=text), now)


def approve(deps: Dependencies, nomination_id: str, note: str, admin_email_key: str) -> tuple[Nomination, Advocate]:
    """Approve a nomination, make the person an active advocate and send a welcome with a sign-in link.

    The status change is conditional, so of two admins approving at once one wins and the other
    gets NominationStatusConflict. Only the winner creates the advocate and sends the welcome.
    A person already in the roster keeps their profile and becomes active.
    """
    nomination = require_nomination(deps, nomination_id)
    now = deps.clock.now()
    approved = deps.store.change_nomination_status(moved(nomination, NominationStatus.APPROVED, now), expected=nomination.status)
    if note:
        approved = add_note(deps, nomination_id, note, admin_email_key)

    advocate = _advocate_from(approved, deps.store.get_advocate(approved.email_key), now.date())
    deps.store.save_advocate(advocate)
    deps.mailer.send(_welcome_email(deps, advocate))
    logger.info("Nomination approved", nomination_id=nomination_id, email=email_hint(advocate.email_key))
    return approved, advocate


def _advocate_from(nomination: Nomination, existing: Advocate | None, today) -> Advocate:
    if existing is not None:
        return replace(existing, status=AdvocateStatus.ACTIVE)
    # NOTE: the split at the last space is a first guess; the advocate corrects it in the profile.
    first_name, _, last_name = nomination.name.rpartition(" ")
    if not first_name:
        first_name, last_name = last_name, ""
    return Advocate(
        email_key=nomination.email_key,
        email=nomination.email,
        first_name=first_name,
        last_name=last_name,
        company=nomination.company,
        title=nomination.role,
        products=nomination.all_products,
        activities_willing=nomination.all_activities,
        status=AdvocateStatus.ACTIVE,
        # The interview checked the profile, so it starts fresh.
        last_verified=today,
    )


def _welcome_email(deps: Dependencies, advocate: Advocate) -> OutgoingEmail:
    now = deps.clock.now()
    token = new_secret()
    deps.store.save_sign_in_link(
        SignInLink(
            token_hash=secret_hash(token),
            email_key=advocate.email_key,
            created_at=now,
            expires_at=now + WELCOME_LINK_LIFETIME,
            next_path="/account/profile/",
        )
    )
    url = f"{deps.settings.portal_url}/sign-in/confirm/?{urlencode({'token': token})}"
    paragraphs = [
        "Welcome to our customer advocacy program, and thank you for agreeing to share your experience.",
        "In the portal you keep your profile current, choose the activities you take part in, cap how many "
        "you do per quarter and set dates when you are not available.",
        f"The link below signs you in once, within {WELCOME_LINK_LIFETIME.days} days. Later, ask for a new link "
        f"on {deps.settings.portal_url}/sign-in/.",
    ]
    return render_email("advocate-welcome", advocate.display_name, advocate.email, "Welcome to the advocacy program", paragraphs, ("Sign in to the portal", url))


def decline(
    deps: Dependencies, nomination_id: str, note: str, send_message: bool, message: str, admin_email_key: str
) -> Nomination:
    """Decline a nomination; with ``send_message`` the nominee gets a kind message."""
    nomination = require_nomination(deps, nomination_id)
    now = deps.clock.now()
    declined = deps.store.change_nomination_status(moved(nomination, NominationStatus.DECLINED, now), expected=nomination.status)
    if note:
        declined = add_note(deps, nomination_id, note, admin_email_key)
    if send_message:
        paragraphs = [message or DEFAULT_DECLINE_MESSAGE]
        deps.mailer.send(render_email("nomination-declined", declined.name, declined.email, "Your nomination to the advocacy program", paragraphs, None))
    logger.info("Nomination declined", nomination_id=nomination_id, message_sent=send_message)
    return declined


def render_email(
    kind: str, to_name: str, to_address: str, subject: str, paragraphs: list[str], action: tuple[str, str] | None
) -> OutgoingEmail:
    greeting = f"Hello {to_name}," if to_name else "Hello,"
    text_lines = [greeting, ""]
    html_parts = [f"<p>{html.escape(greeting)}</p>"]
    for paragraph in paragraphs:
        text_lines += [paragraph, ""]
        html_parts.append(f"<p>{html.escape(paragraph)}</p>")
    links: tuple[str, ...] = ()
    if action:
        label, url = action
        text_lines += [f"{label}: {url}", ""]
        html_parts.append(f'<p><a href="{html.escape(url, quote=True)}">{html.escape(label)}</a></p>')
        links = (url,)
    text_lines.append("The advocacy team")
    html_parts.append("<p>The advocacy team</p>")
    body_html = (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(subject)}</title></head><body>'
        + "".join(html_parts)
        + "</body></html>"
    )
    return OutgoingEmail(
        kind=kind, to_name=to_name, to_address=to_address, subject=subject, text="\n".join(text_lines), html=body_html, links=links
    )


def purge_unconfirmed(deps: Dependencies) -> int:
    """Delete unconfirmed nominations whose deadline passed (a scheduled job)."""
    return deps.store.purge_unconfirmed_nominations(deps.clock.now())
