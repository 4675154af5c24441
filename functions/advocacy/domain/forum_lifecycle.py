"""How a forum moves from draft to published to completed or cancelled, and what a change means.

Each change that calendar clients must see (time, title, description, join link, cancellation)
raises the forum's ``sequence``, as RFC 5545 requires for an updated invite.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from advocacy.domain.errors import ForumNotEditable
from advocacy.domain.forums import Forum, ForumStatus, check_capacity

# Fields that appear in calendar invites; changing one makes registrants' invites outdated.
INVITE_FIELDS = ("title", "starts_at", "duration_minutes", "description", "join_url", "time_zone")


def _require_status(forum: Forum, allowed: tuple[ForumStatus, ...], action: str) -> None:
    if forum.status not in allowed:
        names = " or ".join(status.value for status in allowed)
        raise ForumNotEditable(f"Cannot {action} forum {forum.forum_id!r}: it is {forum.status.value}, and only a {names} forum can be.")


def publish(forum: Forum, now: datetime) -> Forum:
    _require_status(forum, (ForumStatus.DRAFT,), "publish")
    if not forum.is_upcoming(now):
        raise ForumNotEditable(f"Forum {forum.forum_id!r} starts in the past; reschedule it before publishing.")
    return replace(forum, status=ForumStatus.PUBLISHED, updated_at=now)


def unpublish(forum: Forum, now: datetime) -> Forum:
    _require_status(forum, (ForumStatus.PUBLISHED,), "unpublish")
    if forum.confirmed_count or forum.waitlist_count:
        raise ForumNotEditable(
            f"Forum {forum.forum_id!r} has {forum.confirmed_count} confirmed and {forum.waitlist_count} waitlisted "
            "registrations; cancel it instead, so they are told."
        )
    return replace(forum, status=ForumStatus.DRAFT, updated_at=now)


def cancel(forum: Forum, now: datetime) -> Forum:
    _require_status(forum, (ForumStatus.DRAFT, ForumStatus.PUBLISHED), "cancel")
    return replace(forum, status=ForumStatus.CANCELLED, sequence=forum.sequence + 1, updated_at=now)


def complete(forum: Forum, now: datetime) -> Forum:
    _require_status(forum, (ForumStatus.PUBLISHED,), "complete")
    if now < forum.starts_at:
        raise ForumNotEditable(f"Forum {forum.forum_id!r} has not started yet; complete it after it took place.")
    return replace(forum, status=ForumStatus.COMPLETED, updated_at=now)


def edit(forum: Forum, changed: Forum, now: datetime) -> Forum:
    """Apply an admin's edit, keeping counts and status; bump the sequence if invites change."""
    _require_status(forum, (ForumStatus.DRAFT, ForumStatus.PUBLISHED), "edit")
    check_capacity(changed.format, changed.capacity)
    if changed.capacity < forum.confirmed_count:
        raise ForumNotEditable(
            f"Capacity {changed.capacity} is below the {forum.confirmed_count} confirmed registrations; "
            "cancel registrations first or keep a capacity of at least that many.",
            field="capacity",
        )
    if changed.starts_at != forum.starts_at and not changed.is_upcoming(now):
        raise ForumNotEditable(
            f"{changed.local_start():%Y-%m-%d %H:%M} {changed.time_zone} is in the past; choose an upcoming start.",
            field="date",
        )
    invite_changed = any(getattr(forum, name) != getattr(changed, name) for name in INVITE_FIELDS)
    return replace(
        changed,
        forum_id=forum.forum_id,
        status=forum.status,
        confirmed_count=forum.confirmed_count,
        waitlist_count=forum.waitlist_count,
        created_at=forum.created_at,
        recording_url=changed.recording_url,
        sequence=forum.sequence + 1 if invite_changed else forum.sequence,
        updated_at=now,
    )


def is_rescheduled(before: Forum, after: Forum) -> bool:
    return before.starts_at != after.starts_at or before.duration_minutes != after.duration_minutes


def set_recording(forum: Forum, recording_url: str, now: datetime) -> Forum:
    _require_status(forum, (ForumStatus.PUBLISHED, ForumStatus.COMPLETED), "add a recording to")
    return replace(forum, recording_url=recording_url, updated_at=now)
