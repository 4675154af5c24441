"""Builders of forums and registrations for tests, with sensible defaults."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone

from advocacy.domain.forums import Forum, ForumFormat, new_forum
from advocacy.domain.registrations import Registration, RegistrationStatus

NOW = datetime(2027, 1, 5, 9, 0, tzinfo=timezone.utc)
_ids = itertools.count(1)


def make_forum(
    forum_id: str = "2027-01-20-claims",
    capacity: int = 4,
    forum_format: ForumFormat = ForumFormat.LIMITED_GROUP_EVENT,
    local_start: datetime = datetime(2027, 1, 20, 11, 0),
    time_zone: str = "America/New_York",
    **details,
) -> Forum:
    return new_forum(
        forum_id=forum_id,
        title=details.pop("title", "Scaling claims processing"),
        forum_format=forum_format,
        local_start=local_start,
        time_zone=time_zone,
        duration_minutes=details.pop("duration_minutes", 60),
        capacity=capacity,
        now=NOW,
        **details,
    )


def make_registration(
    forum_id: str,
    email: str | None = None,
    created_at: datetime = NOW,
    confirmation_window: timedelta = timedelta(hours=48),
    **details,
) -> Registration:
    number = next(_ids)
    return Registration(
        registration_id=details.pop("registration_id", f"reg{number:06d}"),
        forum_id=forum_id,
        email=email or f"prospect{number}@buyer.example",
        name=details.pop("name", f"Prospect {number}"),
        company=details.pop("company", "Buyer Inc."),
        job_title=details.pop("job_title", "CIO"),
        time_zone=details.pop("time_zone", "Europe/Berlin"),
        status=RegistrationStatus.PENDING,
        created_at=created_at,
        expires_at=created_at + confirmation_window,
        consent_at=created_at,
        **details,
    )
