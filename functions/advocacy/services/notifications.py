"""The emails prospects get about their registration, rendered as plain text and HTML.

Each message is a subject, a few paragraphs and at most one action link; the text and HTML
bodies come from the same parts so they never say different things. Values are escaped for
HTML here, in one place.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from advocacy.domain.forums import Forum
from advocacy.domain.registrations import Registration
from advocacy.ports.mail import Attachment, OutgoingEmail


@dataclass(frozen=True)
class Links:
    """Builds the portal URLs that emails point to."""

    portal_url: str

    def confirm(self, registration: Registration, token: str) -> str:
        query = urlencode({"forum": registration.forum_id, "registration": registration.registration_id, "token": token})
        return f"{self.portal_url}/confirm/?{query}"

    def manage(self, registration: Registration, signature: str) -> str:
        query = urlencode(
            {"forum": registration.forum_id, "registration": registration.registration_id, "signature": signature}
        )
        return f"{self.portal_url}/registration/?{query}"

    def forum(self, forum: Forum) -> str:
        return f"{self.portal_url}/forum/?{urlencode({'id': forum.forum_id})}"


def describe_start(forum: Forum, viewer_time_zone: str) -> str:
    """Describe the start so nobody can misread it: the event's zone, the reader's zone and UTC."""
    event_start = forum.local_start()
    parts = [f"{event_start:%A %d %B %Y, %H:%M} {forum.time_zone}"]
    try:
        viewer_start = forum.starts_at.astimezone(ZoneInfo(viewer_time_zone))
        if viewer_time_zone != forum.time_zone:
            parts.append(f"{viewer_start:%A %d %B %Y, %H:%M} in your time zone ({viewer_time_zone})")
    except (KeyError, ValueError):
        pass
    parts.append(f"{forum.starts_at:%Y-%m-%d %H:%M} UTC")
    return "; ".join(parts)


def calendar_attachment(data: bytes, method: str) -> Attachment:
    """Wrap an .ics file so mail clients offer to add it (REQUEST) or remove it (CANCEL)."""
    return Attachment(
        filename="invite.ics" if method != "CANCEL" else "cancellation.ics",
        content_type="text/calendar",
        data=data,
        parameters=(("method", method),),
    )


def _render(
    kind: str,
    registration: Registration,
    subject: str,
    paragraphs: list[str],
    action: tuple[str, str] | None,
    extra_links: tuple[str, ...] = (),
    attachments: tuple[Attachment, ...] = (),
) -> OutgoingEmail:
    return render_message(kind, registration.name, registration.email, subject, paragraphs, action, extra_links, attachments)


def render_message(
    kind: str,
    to_name: str,
    to_address: str,
    subject: str,
    paragraphs: list[str],
    action: tuple[str, str] | None,
    extra_links: tuple[str, ...] = (),
    attachments: tuple[Attachment, ...] = (),
) -> OutgoingEmail:
    """Render a message's text and HTML bodies from the same greeting, paragraphs and action."""
    greeting = f"Hello {to_name}," if to_name else "Hello,"
    text_lines = [greeting, "", *[line for paragraph in paragraphs for line in (paragraph, "")]]
    html_parts = [f"<p>{html.escape(greeting)}</p>", *[f"<p>{html.escape(paragraph)}</p>" for paragraph in paragraphs]]
    links = list(extra_links)
    if action:
        label, url = action
        text_lines += [f"{label}: {url}", ""]
        html_parts.append(f'<p><a href="{html.escape(url, quote=True)}">{html.escape(label)}</a></p>')
        links.insert(0, url)
    text_lines.append("The advocacy team")
    html_parts.append("<p>The advocacy team</p>")
    body_html = (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>'
        + html.escape(subject)
        + "</title></head><body>"
        + "".join(html_parts)
        + "</body></html>"
    )
    return OutgoingEmail(
        kind=kind,
        to_name=to_name,
        to_address=to_address,
        subject=subject,
        text="\n".join(text_lines),
        html=body_html,
        links=tuple(links),
        attachments=attachments,
    )


def confirmation_request(forum: Forum, registration: Registration, confirm_url: str, valid_until: datetime) -> OutgoingEmail:
    return _render(
        "confirmation-request",
        registration,
        f"Confirm your registration: {forum.title}",
        [
            f"Thank you for registering for \u201c{forum.title}\u201d ({forum.format.label.lower()}), "
            f"{describe_start(forum, registration.time_zone)}.",
            "Your place counts only after you confirm it. Open the link below and press the button on the page. "
            f"The link works until {valid_until:%Y-%m-%d %H:%M} UTC.",
            "If you did not register, ignore this message and nothing happens.",
        ],
        ("Confirm my registration", confirm_url),
    )


def already_registered(forum: Forum, registration: Registration, url: str, pending: bool) -> OutgoingEmail:
    next_step = (
        "You have not confirmed it yet: open the link below and press the button on the page."
        if pending
        else "Open the link below to see your registration or cancel it."
    )
    return _render(
        "already-registered",
        registration,
        f"You are already registered: {forum.title}",
        [f"Someone, probably you, registered this address again for \u201c{forum.title}\u201d. {next_step}"],
        ("Confirm my registration" if pending else "See my registration", url),
    )


def seat_confirmed(forum: Forum, registration: Registration, manage_url: str, invite: bytes | None = None) -> OutgoingEmail:
    paragraphs = [
        f"Your seat at \u201c{forum.title}\u201d is confirmed: {describe_start(forum, registration.time_zone)}.",
    ]
    if forum.join_url:
        paragraphs.append(f"Join link: {forum.join_url}")
    else:
        paragraphs.append("We will send the join link before the forum starts.")
    if invite:
        paragraphs.append("The attached invite adds the forum to your calendar.")
    paragraphs.append("If you can no longer attend, cancel from the link below so someone on the waitlist gets your seat.")
    attachments = (calendar_attachment(invite, "REQUEST"),) if invite else ()
    return _render(
        "seat-confirmed", registration, f"Your seat is confirmed: {forum.title}", paragraphs,
        ("See or cancel my registration", manage_url), attachments=attachments,
    )


def waitlisted(forum: Forum, registration: Registration, position: int, manage_url: str) -> OutgoingEmail:
    return _render(
        "waitlisted",
        registration,
        f"You are on the waitlist: {forum.title}",
        [
            f"\u201c{forum.title}\u201d is full, so you are number {position} on the waitlist.",
            "When a seat frees up, the first person on the waitlist gets it at once, and we email you if that is you.",
        ],
        ("See my registration", manage_url),
    )


def promoted(forum: Forum, registration: Registration, manage_url: str, invite: bytes | None = None) -> OutgoingEmail:
    paragraphs = [
        f"A seat freed up at \u201c{forum.title}\u201d and it is now yours: {describe_start(forum, registration.time_zone)}.",
    ]
    if forum.join_url:
        paragraphs.append(f"Join link: {forum.join_url}")
    attachments = (calendar_attachment(invite, "REQUEST"),) if invite else ()
    return _render(
        "waitlist-promotion", registration, f"You have a seat: {forum.title}", paragraphs,
        ("See or cancel my registration", manage_url), attachments=attachments,
    )


def cancelled(forum: Forum, registration: Registration, cancellation: bytes | None = None) -> OutgoingEmail:
    attachments = (calendar_attachment(cancellation, "CANCEL"),) if cancellation else ()
    return _render(
        "registration-cancelled",
        registration,
        f"Registration cancelled: {forum.title}",
        [f"Your registration for \u201c{forum.title}\u201d is cancelled. You can register again from the forum's page while seats or waitlist places remain."],
        None,
        attachments=attachments,
    )
