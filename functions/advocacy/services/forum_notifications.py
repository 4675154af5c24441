"""Emails about a forum's changes and its day: reschedules, cancellations, reminders and thanks."""

from __future__ import annotations

from advocacy.domain.forums import Forum
from advocacy.ports.mail import OutgoingEmail
from advocacy.services.notifications import calendar_attachment, describe_start, render_message


def rescheduled(forum: Forum, name: str, address: str, time_zone: str, invite: bytes, manage_url: str) -> OutgoingEmail:
    return render_message(
        "forum-rescheduled",
        name,
        address,
        f"New time: {forum.title}",
        [
            f"\u201c{forum.title}\u201d has moved to {describe_start(forum, time_zone)}.",
            "The attached invite updates the entry in your calendar. If the new time does not suit you, "
            "cancel from the link below so someone on the waitlist can take your seat.",
        ],
        ("See or cancel my registration", manage_url) if manage_url else None,
        attachments=(calendar_attachment(invite, "REQUEST"),),
    )


def details_changed(forum: Forum, name: str, address: str, time_zone: str, invite: bytes) -> OutgoingEmail:
    return render_message(
        "forum-updated",
        name,
        address,
        f"Updated details: {forum.title}",
        [
            f"The details of \u201c{forum.title}\u201d ({describe_start(forum, time_zone)}) have changed.",
            "The attached invite updates the entry in your calendar.",
        ],
        None,
        attachments=(calendar_attachment(invite, "REQUEST"),),
    )


def forum_cancelled(forum: Forum, name: str, address: str, cancellation: bytes | None) -> OutgoingEmail:
    attachments = (calendar_attachment(cancellation, "CANCEL"),) if cancellation else ()
    return render_message(
        "forum-cancelled",
        name,
        address,
        f"Cancelled: {forum.title}",
        [
            f"We are sorry: \u201c{forum.title}\u201d is cancelled and will not take place.",
            "The calendar lists other forums you may join.",
        ],
        None,
        attachments=attachments,
    )


def reminder(forum: Forum, name: str, address: str, time_zone: str, manage_url: str) -> OutgoingEmail:
    paragraphs = [f"A reminder: \u201c{forum.title}\u201d starts {describe_start(forum, time_zone)}."]
    if forum.join_url:
        paragraphs.append(f"Join link: {forum.join_url}")
    return render_message(
        "forum-reminder",
        name,
        address,
        f"Reminder: {forum.title}",
        paragraphs,
        ("See or cancel my registration", manage_url) if manage_url else None,
    )


def thank_you(forum: Forum, name: str, address: str, feedback_url: str) -> OutgoingEmail:
    paragraphs = [f"Thank you for joining \u201c{forum.title}\u201d."]
    if forum.recording_url:
        paragraphs.append(f"The recording: {forum.recording_url}")
    paragraphs.append("Two minutes of feedback help us plan the next forums.")
    return render_message(
        "forum-thank-you",
        name,
        address,
        f"Thank you for joining: {forum.title}",
        paragraphs,
        ("Rate the forum", feedback_url),
    )
