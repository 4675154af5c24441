"""Admin use cases of a forum's life: create, edit, publish, reschedule, cancel and complete.

Every change that registrants' calendars must reflect sends them (and the hosts) an updated
invite or a cancellation. Completing a forum records one activity per host and the influenced
revenue of its attendees, each exactly once however often it is retried.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from aws_lambda_powertools import Logger

from advocacy.bootstrap import Dependencies
from advocacy.domain import forum_lifecycle
from advocacy.domain.activities import Activity, ActivityType, forum_activity_id
from advocacy.domain.availability import availability
from advocacy.domain.errors import ForumNotFound, HostUnavailable, InvalidForum
from advocacy.domain.forums import Forum, ForumFormat, ForumStatus, is_erased_host, mailable_hosts
from advocacy.domain.influence import InfluenceRecord, attendees, influence_of
from advocacy.domain.registrations import Registration, RegistrationStatus, normalize_email
from advocacy.services import calendar_files, forum_notifications, rewards
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


def check_hosts(deps: Dependencies, forum: Forum, override_reason: str) -> Forum:
    """Check every host's availability on the forum's date; an admin's reason overrides a refusal.

    Forums a host is already scheduled to host count like recorded activities, so two forums in
    one quarter cannot together pass the host's cap. Returns the forum with the reason recorded
    when one was needed.
    """
    problems = []
    on = forum.local_start().date()
    for email in forum.host_emails:
        email_key = normalize_email(email)
        if is_erased_host(email_key):
            # A host who erased their account stays on past forums anonymously; nothing to check.
            continue
        advocate = deps.store.get_advocate(email_key)
        if advocate is None:
            raise InvalidForum(f"No advocate has the address {email!r}; add them to the roster first.", field="host_emails")
        since = forum.starts_at - timedelta(days=100)
        planned = [
            Activity(
                activity_id=forum_activity_id(other.forum_id, email_key),
                advocate_email_key=email_key,
                activity_type=ActivityType.REFERENCE_FORUM,
                occurred_at=other.starts_at,
                recorded_at=other.starts_at,
                forum_id=other.forum_id,
            )
            for other in deps.store.list_forums(since, forum.starts_at + timedelta(days=1))
            if other.forum_id != forum.forum_id
            and other.status is ForumStatus.PUBLISHED
            and email_key in {normalize_email(host) for host in other.host_emails}
        ]
        recorded = deps.store.list_activities_of(email_key, since=since)
        known = {activity.activity_id for activity in recorded}
        verdict = availability(
            advocate, on, recorded + [a for a in planned if a.activity_id not in known], deps.settings.program_cap_per_quarter
        )
        problems += [f"{advocate.display_name}: {reason}" for reason in verdict.reasons]
    if not problems:
        return replace(forum, host_override_reason="")
    if not override_reason:
        raise HostUnavailable(
            "A host is not available: " + "; ".join(problems) + ". Choose another host, or give a reason to override.",
            field="host_emails",
        )
    logger.info("Host availability overridden", forum_id=forum.forum_id, problems=len(problems))
    return replace(forum, host_override_reason=override_reason)


def create(deps: Dependencies, forum: Forum, override_reason: str = "") -> Forum:
    """Save a new forum as a draft; publishing is a separate, deliberate step."""
    if not forum.is_upcoming(deps.clock.now()):
        raise InvalidForum(
            f"{forum.local_start():%Y-%m-%d %H:%M} {forum.time_zone} is in the past; choose an upcoming start.", field="date"
        )
    forum = check_hosts(deps, forum, override_reason)
    draft = replace(forum, status=ForumStatus.DRAFT, host_names=host_names(deps, forum.host_emails))
    if deps.store.get_forum(draft.forum_id) is not None:
        raise InvalidForum(
            f"A forum with the id {draft.forum_id!r} (same date and title) exists; change the title or edit that forum.",
            field="title",
        )
    deps.store.save_forum(draft)
    logger.info("Forum created", forum_id=draft.forum_id)
    return draft


def edit(deps: Dependencies, forum_id: str, changed: Forum, override_reason: str = "") -> Forum:
    """Apply an edit; registrants and hosts get an updated invite when the invite changed."""
    before = require_forum(deps, forum_id)
    if changed.host_emails != before.host_emails or changed.starts_at != before.starts_at:
        changed = check_hosts(deps, changed, override_reason)
    else:
        changed = replace(changed, host_override_reason=before.host_override_reason)
    after = forum_lifecycle.edit(before, replace(changed, host_names=host_names(deps, changed.host_emails)), deps.clock.now())

    deps.store.save_forum(after)

    if after.status is ForumStatus.PUBLISHED and after.sequence != before.sequence:
        _send_updates(deps, after, rescheduled=forum_lifecycle.is_rescheduled(before, after))
    logger.info("Forum edited", forum_id=forum_id, sequence=after.sequence)
    return after


def announce_import_update(deps: Dependencies, before: Forum, after: Forum) -> None:
    """Tell registrants and hosts of a published forum that a calendar import changed it."""
    if after.status is ForumStatus.PUBLISHED:
        _send_updates(deps, after, rescheduled=forum_lifecycle.is_rescheduled(before, after))
    logger.info("Forum updated by import", forum_id=after.forum_id, sequence=after.sequence)


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
    for name, email in mailable_hosts(forum):
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
        if is_erased_host(host):
            continue
        # The ledger keys awards by activity, so a retried completion awards nothing twice.
        rewards.award_for_activity(deps, deps.store.get_activity(activity.activity_id) or activity)
    for record in influence_of(forum, hosts, registrations):
        deps.store.record_influence(record)

    logger.info("Forum completed", forum_id=forum_id, attendees=len(attendees(registrations)))
    return forum, deps.store.list_influence_of_forum(forum_id)


def set_attendance(deps: Dependencies, forum_id: str, registration_id: str, attended: bool) -> Registration:
    require_forum(deps, forum_id)
    return deps.store.set_attendance(forum_id, registration_id, attended)


def set_opportunity(deps: Dependencies, forum_id: str, registration_id: str, opportunity_id: str, amount: int | None) -> Registration:
    require_forum(deps, forum_id)
    return deps.store.set_opportunity(forum_id, registration_id, opportunity_id, amount)


def _send_updates(deps: Dependencies, forum: Forum, rescheduled: bool) -> None:
    """Send confirmed registrants and hosts the invite of the forum's new sequence, once each."""
    now = deps.clock.now()
    links = Links(deps.settings.portal_url)
    people: list[tuple[str, str, str, str, str]] = []
    for registration in deps.store.list_registrations(forum.forum_id):
        if registration.status is RegistrationStatus.CONFIRMED:
            manage_url = links.manage(registration, manage_signature(deps, registration))
            people.append((registration.registration_id, registration.name, registration.email, registration.time_zone, manage_url))
    for name, email in mailable_hosts(forum):
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
