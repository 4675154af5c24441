"""Admin use cases of a forum's life: create, edit, publish, reschedule, cancel and complete.

Every change that registrants' calendars must reflect sends them (and the hosts) an updated
invite or a cancellation. Completing a forum records one activity per host and the influenced
revenue of its attendees, each exactly once however often it is retried.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from aws_lambda_powertools import Logger

from advocacy.bootstrap import Dependencies
from advocacy.domain import forum_lifecycle
from advocacy.domain.activities import Activity, ActivityType, forum_activity_id
from advocacy.domain.errors import ForumNotFound, InvalidForum
from advocacy.domain.forums import Forum, ForumFormat, ForumStatus
from advocacy.domain.influence import InfluenceRecord, attendees, influence_of
from advocacy.domain.registrations import Registration, RegistrationStatus, normalize_email
from advocacy.services import calendar_files, forum_notifications
from advocacy.services.notifications import Links
from advocacy.services.registrations import manage_signature

logger = Logger(service="advocacy-portal", child=True)


def require_forum(deps: Dependencies, forum_id: str) -> Forum:
    forum = deps.store.get_forum(forum_id)
    if forum is None:
        raise ForumNotFound(f"No forum {forum_id!r}; pick one from the admin's forum list.")
    return forum


def host_names(deps: Dependencies, host_emails: tuple[str, ...]) -> tuple[str, ...]:
    names = []
    for email in host_emails:
        advocate = deps.store.get_advocate(normalize_email(email))
        names.append(advocate.display_name if advocate else email)
    return tuple(names)


def create(deps: Dependencies, forum: Forum) -> Forum:
    """Save a new forum as a draft; publishing is a separate, deliberate step."""
    draft = replace(forum, status=ForumStatus.DRAFT, host_names=host_names(deps, forum.host_emails))
    if deps.store.get_forum(draft.forum_id) is not None:
        raise InvalidForum(
            f"A forum with the id {draft.forum_id!r} (same date and title) exists; change the title or edit that forum.",
            field="title",
        )
    deps.store.save_forum(draft)
    logger.info("Forum created", forum_id=draft.forum_id)
    return draft


def edit(deps: Dependencies, forum_id: str, changed: Forum) -> Forum:
    """Apply an edit; registrants and hosts get an updated invite when the invite changed."""
    before = require_forum(deps, forum_id)
    after = forum_lifecycle.edit(before, replace(changed, host_names=host_names(deps, changed.host_emails)), deps.clock.now())

    deps.store.save_forum(after)

    if after.status is ForumStatus.PUBLISHED and after.sequence != before.sequence:
        _send_updates(deps, after, rescheduled=forum_lifecycle.is_rescheduled(before, after))
    logger.info("Forum edited", forum_id=forum_id, sequence=after.sequence)
    return after


def publish(deps: Dependencies, forum_id: str) -> Forum:
    forum = forum_lifecycle.publish(require_forum(deps, forum_id), deps.clock.now())
    deps.store.save_forum(forum)
    logger.info("Forum published", forum_id=forum_id)
    return forum


def unpublish(deps: Dependencies, forum_id: str) -> Forum:
    forum = forum_lifecycle.unpublish(require_forum(deps, forum_id), deps.clock.now())
    deps.store.save_forum(forum)
    logger.info("Forum unpublished", forum_id=forum_id)
    return forum


def cancel(deps: Dependencies, forum_id: str) -> Forum:
    """Cancel the forum and tell everyone holding a seat, a waitlist place or a host role."""
    before = require_forum(deps, forum_id)
    forum = forum_lifecycle.cancel(before, deps.clock.now())

    deps.store.save_forum(forum)

    now = deps.clock.now()
    for registration in deps.store.list_registrations(forum_id):
        if registration.status not in (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED):
            continue
        removal = None
        if registration.status is RegistrationStatus.CONFIRMED:
            removal = calendar_files.cancellation(forum, registration.name, registration.email, deps.settings.portal_url, deps.settings.sender, now)
        if deps.store.claim_notification(f"forum-cancelled:{forum_id}:{registration.registration_id}", now):
            deps.mailer.send(forum_notifications.forum_cancelled(forum, registration.name, registration.email, removal))
    for name, email in _hosts(forum):
        removal = calendar_files.cancellation(forum, name, email, deps.settings.portal_url, deps.settings.sender, now)
        if deps.store.claim_notification(f"forum-cancelled:{forum_id}:host:{normalize_email(email)}", now):
            deps.mailer.send(forum_notifications.forum_cancelled(forum, name, email, removal))
    logger.info("Forum cancelled", forum_id=forum_id)
    return forum


def set_recording(deps: Dependencies, forum_id: str, recording_url: str) -> Forum:
    forum = forum_lifecycle.set_recording(require_forum(deps, forum_id), recording_url, deps.clock.now())
    deps.store.save_forum(forum)
    return forum


def complete(deps: Dependencies, forum_id: str) -> tuple[Forum, list[InfluenceRecord]]:
    """Complete the forum: one activity per host, influence per attended opportunity and host.

    Safe to retry: a forum already completed records whatever a failed earlier attempt missed,
    and activities and influence records are keyed so nothing is stored twice.
    """
    forum = require_forum(deps, forum_id)
    now = deps.clock.now()
    if forum.status is not ForumStatus.COMPLETED:
        forum = forum_lifecycle.complete(forum, now)
        deps.store.save_forum(forum)

    registrations = deps.store.list_registrations(forum_id)
    hosts = tuple(normalize_email(email) for email in forum.host_emails)
    for host in hosts:
        activity = Activity(
            activity_id=forum_activity_id(forum_id, host),
            advocate_email_key=host,
            activity_type=ActivityType.REFERENCE_FORUM if forum.format is ForumFormat.REFERENCE_FORUM else ActivityType.LIMITED_GROUP_EVENT,
            occurred_at=forum.starts_at,
            recorded_at=now,
            forum_id=forum_id,
            attending_prospects=len(attendees(registrations)),
        )
        deps.store.record_activity(activity)
        _award(deps, deps.store.get_activity(activity.activity_id) or activity)
    for record in influence_of(forum, hosts, registrations):
        deps.store.record_influence(record)

    logger.info("Forum completed", forum_id=forum_id, attendees=len(attendees(registrations)))
    return forum, deps.store.list_influence_of_forum(forum_id)


def _award(deps: Dependencies, activity: Activity) -> None:
    """Award the host's points for the activity, once (the rewards ledger keys awards by activity)."""
    try:
        from advocacy.services import rewards
    except ImportError:
        return
    rewards.award_for_activity(deps, activity)


def set_attendance(deps: Dependencies, forum_id: str, registration_id: str, attended: bool) -> Registration:
    require_forum(deps, forum_id)
    return deps.store.set_attendance(forum_id, registration_id, attended)


def set_opportunity(deps: Dependencies, forum_id: str, registration_id: str, opportunity_id: str, amount: int | None) -> Registration:
    require_forum(deps, forum_id)
    return deps.store.set_opportunity(forum_id, registration_id, opportunity_id, amount)


def _hosts(forum: Forum) -> list[tuple[str, str]]:
    names = list(forum.host_names) + [""] * len(forum.host_emails)
    return [(names[index], email) for index, email in enumerate(forum.host_emails)]


def _send_updates(deps: Dependencies, forum: Forum, rescheduled: bool) -> None:
    """Send confirmed registrants and hosts the invite of the forum's new sequence, once each."""
    now = deps.clock.now()
    links = Links(deps.settings.portal_url)
    people: list[tuple[str, str, str, str, str]] = []
    for registration in deps.store.list_registrations(forum.forum_id):
        if registration.status is RegistrationStatus.CONFIRMED:
            manage_url = links.manage(registration, manage_signature(deps, registration))
            people.append((registration.registration_id, registration.name, registration.email, registration.time_zone, manage_url))
    for name, email in _hosts(forum):
        people.append((f"host:{normalize_email(email)}", name, email, forum.time_zone, ""))

    for person_id, name, email, time_zone, manage_url in people:
        if not deps.store.claim_notification(f"forum-update:{forum.forum_id}:{forum.sequence}:{person_id}", now):
            continue
        invite = calendar_files.invite(forum, name, email, deps.settings.portal_url, deps.settings.sender, now)
        if rescheduled:
            email_message = forum_notifications.rescheduled(forum, name, email, time_zone, invite, manage_url)
        else:
            email_message = forum_notifications.details_changed(forum, name, email, time_zone, invite)
        deps.mailer.send(email_message)


def upcoming_in(deps: Dependencies, since: datetime, until: datetime) -> list[Forum]:
    return [forum for forum in deps.store.list_upcoming_forums(since) if forum.starts_at < until]
