"""Calendar files (RFC 5545) built with the icalendar library: the feed, invites and cancellations.

Times are written in UTC (``DTSTART:20270120T160000Z``). A VTIMEZONE would let clients show the
event's own zone, but clients expand VTIMEZONE rules differently (vobject 0.9 reads the
generated America/New_York rules as UTC-5 on 2027-03-20, a day when New York is on UTC-4), while
UTC means the same instant in every client. The event's zone is named in the description.

Each forum has one UID for its whole life, and SEQUENCE is the forum's sequence, which every
change visible in an invite raises, so clients replace the older copy.
"""

from __future__ import annotations

from datetime import datetime, timezone
from urllib.parse import urlsplit

import icalendar

from advocacy.adapters.mime import parse_sender
from advocacy.domain.forums import Forum, ForumStatus
from advocacy.domain.registrations import Registration

PRODUCT_ID = "-//Advocacy Portal//Reference forums//EN"


def forum_uid(forum: Forum, portal_url: str) -> str:
    return f"forum-{forum.forum_id}@{urlsplit(portal_url).hostname or 'advocacy-portal'}"


def _calendar(method: str) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    return calendar


def _event(forum: Forum, portal_url: str, now: datetime, join_url: str = "") -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", forum_uid(forum, portal_url))
    event.add("dtstamp", now.astimezone(timezone.utc))
    event.add("dtstart", forum.starts_at.astimezone(timezone.utc))
    event.add("dtend", forum.ends_at.astimezone(timezone.utc))
    event.add("sequence", forum.sequence)
    event.add("summary", forum.title)
    local_start = forum.local_start()
    details = [
        forum.description,
        f"{forum.format.label} starting {local_start:%Y-%m-%d %H:%M} {forum.time_zone}.",
    ]
    if join_url:
        details.append(f"Join: {join_url}")
    event.add("description", "\n\n".join(part for part in details if part))
    event.add("url", f"{portal_url}/forum/?id={forum.forum_id}")
    if join_url:
        event.add("location", join_url)
    event.add("status", "CANCELLED" if forum.status is ForumStatus.CANCELLED else "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event


def feed(forums: list[Forum], portal_url: str, now: datetime, name: str = "Reference forums") -> bytes:
    """Build the published calendar that sales subscribes to (METHOD:PUBLISH, no join links)."""
    calendar = _calendar("PUBLISH")
    calendar.add("x-wr-calname", name)
    for forum in forums:
        calendar.add_component(_event(forum, portal_url, now))
    return calendar.to_ical()


def _with_people(event: icalendar.Event, sender: str, name: str, address: str) -> icalendar.Event:
    organizer_address = parse_sender(sender)
    organizer = icalendar.vCalAddress(f"mailto:{organizer_address.addr_spec}")
    organizer.params["cn"] = icalendar.vText(organizer_address.display_name or organizer_address.addr_spec)
    event.add("organizer", organizer)
    attendee = icalendar.vCalAddress(f"mailto:{address}")
    attendee.params["cn"] = icalendar.vText(name or address)
    attendee.params["role"] = icalendar.vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = icalendar.vText("ACCEPTED")
    event.add("attendee", attendee)
    return event


def invite(forum: Forum, name: str, address: str, portal_url: str, sender: str, now: datetime) -> bytes:
    """Build the invite for one confirmed prospect or host (METHOD:REQUEST, with the join link)."""
    calendar = _calendar("REQUEST")
    calendar.add_component(_with_people(_event(forum, portal_url, now, forum.join_url), sender, name, address))
    return calendar.to_ical()


def cancellation(forum: Forum, name: str, address: str, portal_url: str, sender: str, now: datetime) -> bytes:
    """Build the cancellation that removes the forum from one person's calendar (METHOD:CANCEL)."""
    calendar = _calendar("CANCEL")
    event = _with_people(_event(forum, portal_url, now), sender, name, address)
    event["status"] = icalendar.vText("CANCELLED")
    calendar.add_component(event)
    return calendar.to_ical()


def invite_for_registration(forum: Forum, registration: Registration, portal_url: str, sender: str, now: datetime) -> bytes:
    return invite(forum, registration.name, registration.email, portal_url, sender, now)
