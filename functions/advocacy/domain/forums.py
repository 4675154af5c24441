"""Reference forums and limited group events: formats, capacity and when they take registrations."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from advocacy.domain.errors import InvalidForum

LIMITED_GROUP_MIN_SEATS = 2
LIMITED_GROUP_MAX_SEATS = 4
# A forum larger than this is a webinar, not a reference activity; the bound also stops typos
# such as 7000 for 70 from publishing a forum nobody could moderate.
REFERENCE_FORUM_MAX_SEATS = 1000


class ForumFormat(StrEnum):
    REFERENCE_FORUM = "reference_forum"
    LIMITED_GROUP_EVENT = "limited_group_event"

    @property
    def label(self) -> str:
        return {"reference_forum": "Reference forum", "limited_group_event": "Limited group event"}[self.value]


class ForumStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"
    COMPLETED = "completed"


@dataclass(frozen=True)
class Forum:
    """One scheduled one-to-many reference activity and its seat counts.

    ``starts_at`` is always UTC; ``time_zone`` is the IANA zone the event is planned in, so pages
    and emails can show both the viewer's time and the event's own.
    """

    forum_id: str
    title: str
    format: ForumFormat
    starts_at: datetime
    time_zone: str
    duration_minutes: int
    capacity: int
    status: ForumStatus = ForumStatus.PUBLISHED
    description: str = ""
    industry: str = ""
    product: str = ""
    region: str = ""
    language: str = ""
    chaperoned: bool = False
    host_emails: tuple[str, ...] = ()
    host_names: tuple[str, ...] = ()
    join_url: str = ""
    recording_url: str = ""
    # Why an admin scheduled a host beyond their availability, when they did.
    host_override_reason: str = ""
    sequence: int = 0
    confirmed_count: int = 0
    waitlist_count: int = 0
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.confirmed_count, 0)

    @property
    def has_seat(self) -> bool:
        return self.confirmed_count < self.capacity

    @property
    def below_minimum(self) -> bool:
        """Whether a limited group event has fewer prospects than it needs to run well."""
        return self.format is ForumFormat.LIMITED_GROUP_EVENT and self.confirmed_count < LIMITED_GROUP_MIN_SEATS

    def local_start(self) -> datetime:
        return self.starts_at.astimezone(ZoneInfo(self.time_zone))

    def is_upcoming(self, now: datetime) -> bool:
        return self.starts_at > now

    def takes_registrations(self, now: datetime) -> bool:
        return self.status is ForumStatus.PUBLISHED and self.is_upcoming(now)

    def with_counts(self, confirmed_count: int, waitlist_count: int) -> Forum:
        return replace(self, confirmed_count=confirmed_count, waitlist_count=waitlist_count)


def check_capacity(forum_format: ForumFormat, capacity: int) -> None:
    """Raise InvalidForum when the capacity does not suit the format."""
    if forum_format is ForumFormat.LIMITED_GROUP_EVENT:
        if not LIMITED_GROUP_MIN_SEATS <= capacity <= LIMITED_GROUP_MAX_SEATS:
            raise InvalidForum(
                f"A limited group event seats {LIMITED_GROUP_MIN_SEATS} to {LIMITED_GROUP_MAX_SEATS} prospects; "
                f"got a capacity of {capacity}. Use a reference forum for a larger audience.",
                field="capacity",
            )
        return
    if not 1 <= capacity <= REFERENCE_FORUM_MAX_SEATS:
        raise InvalidForum(
            f"A reference forum needs a capacity from 1 to {REFERENCE_FORUM_MAX_SEATS}; got {capacity}.",
            field="capacity",
        )


def zone_from_name(name: str) -> ZoneInfo:
    """Return the IANA zone, or raise InvalidForum naming the bad value."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidForum(
            f"Unknown time zone {name!r}: use an IANA name such as Europe/Berlin or America/New_York.",
            field="time_zone",
        ) from None


def start_in_utc(local_start: datetime, time_zone: str) -> datetime:
    """Convert a wall-clock start in the event's zone to UTC.

    A wall-clock time that does not exist (skipped by a daylight-saving change) is rejected rather
    than silently shifted, because the host and prospects would disagree about the start.
    """
    zone = zone_from_name(time_zone)
    aware = local_start.replace(tzinfo=zone)
    round_trip = aware.astimezone(timezone.utc).astimezone(zone)
    if round_trip.replace(tzinfo=None) != local_start.replace(tzinfo=None):
        raise InvalidForum(
            f"{local_start:%Y-%m-%d %H:%M} does not exist in {time_zone} because the clocks change then; "
            "choose another start time.",
            field="start_time",
        )
    return aware.astimezone(timezone.utc)


def forum_id_for(title: str, local_date: str) -> str:
    """Build the stable, URL-safe id of a forum from its date and title."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:60].rstrip("-")
    return f"{local_date}-{slug or 'forum'}"


def new_forum(
    *,
    forum_id: str,
    title: str,
    forum_format: ForumFormat,
    local_start: datetime,
    time_zone: str,
    duration_minutes: int,
    capacity: int,
    now: datetime,
    **details,
) -> Forum:
    """Create a forum after checking the rules every forum must meet."""
    if not title.strip():
        raise InvalidForum("A forum needs a title.", field="title")
    if not 15 <= duration_minutes <= 480:
        raise InvalidForum(
            f"Duration must be from 15 to 480 minutes; got {duration_minutes}.", field="duration_minutes"
        )
    check_capacity(forum_format, capacity)
    return Forum(
        forum_id=forum_id,
        title=title.strip(),
        format=forum_format,
        starts_at=start_in_utc(local_start, time_zone),
        time_zone=time_zone,
        duration_minutes=duration_minutes,
        capacity=capacity,
        created_at=now,
        updated_at=now,
        **details,
    )


def is_erased_host(email_key: str) -> bool:
    """Return whether a host address is the anonymous key an erased advocate left behind."""
    return "@" not in email_key


def mailable_hosts(forum: Forum) -> list[tuple[str, str]]:
    """Return (name, address) of each host who can be emailed; erased hosts have no address."""
    names = list(forum.host_names) + [""] * len(forum.host_emails)
    return [(names[index], email) for index, email in enumerate(forum.host_emails) if not is_erased_host(email)]
