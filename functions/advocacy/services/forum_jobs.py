"""Scheduled jobs around a forum's day: reminders before it, thanks and feedback requests after.

Each message is claimed in the store before it is sent, under a key naming the forum, its
sequence where relevant, and the person, so a job that runs twice, or overlaps with itself,
sends nothing twice.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from aws_lambda_powertools import Logger

from advocacy.bootstrap import Dependencies
from advocacy.domain.forums import ForumStatus, mailable_hosts
from advocacy.domain.influence import attendees
from advocacy.domain.registrations import RegistrationStatus, normalize_email
from advocacy.services import forum_notifications
from advocacy.services.notifications import Links
from advocacy.services.registrations import manage_signature

logger = Logger(service="advocacy-portal", child=True)

# How far back the thank-you job looks for completed forums whose recording arrived late.
THANK_YOU_WINDOW = timedelta(days=30)


def send_reminders(deps: Dependencies) -> int:
    """Remind confirmed prospects and hosts of forums starting within the reminder lead time."""
    now = deps.clock.now()
    lead = deps.settings.reminder_lead
    sent = 0
    links = Links(deps.settings.portal_url)
    for forum in deps.store.list_upcoming_forums(now):
        if forum.starts_at > now + lead:
            break
        people = [
            (r.registration_id, r.name, r.email, r.time_zone, links.manage(r, manage_signature(deps, r)))
            for r in deps.store.list_registrations(forum.forum_id)
            if r.status is RegistrationStatus.CONFIRMED
        ]
        people += [(f"host:{normalize_email(email)}", name, email, forum.time_zone, "") for name, email in mailable_hosts(forum)]
        for person_id, name, email, time_zone, manage_url in people:
            # The sequence is part of the key, so a rescheduled forum gets a fresh reminder.
            if deps.store.claim_notification(f"reminder:{forum.forum_id}:{forum.sequence}:{person_id}", now):
                deps.mailer.send(forum_notifications.reminder(forum, name, email, time_zone, manage_url))
                sent += 1
    logger.info("Reminders sent", count=sent)
    return sent


def send_thank_yous(deps: Dependencies) -> int:
    """Thank attendees of completed forums, with the recording once it is there and a feedback link."""
    now = deps.clock.now()
    sent = 0
    for forum in deps.store.list_forums(now - THANK_YOU_WINDOW, now):
        if forum.status is not ForumStatus.COMPLETED or not forum.recording_url:
            continue
        for registration in attendees(deps.store.list_registrations(forum.forum_id)):
            if not deps.store.claim_notification(f"thank-you:{forum.forum_id}:{registration.registration_id}", now):
                continue
            query = urlencode(
                {"forum": forum.forum_id, "registration": registration.registration_id, "signature": manage_signature(deps, registration)}
            )
            feedback_url = f"{deps.settings.portal_url}/feedback/?{query}"
            deps.mailer.send(forum_notifications.thank_you(forum, registration.name, registration.email, feedback_url))
            sent += 1
    logger.info("Thank-you messages sent", count=sent)
    return sent
