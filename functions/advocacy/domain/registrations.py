"""Registrations of prospects for a forum: states, identity by email, seats and the waitlist.

A registration counts only after the prospect confirms it from the emailed link (double opt-in).
Confirming takes a seat while seats are left; otherwise it joins the waitlist in arrival order.
When a confirmed seat is cancelled, the first waitlisted registration takes it at once.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from advocacy.domain.forums import Forum

DEFAULT_CONFIRMATION_WINDOW = timedelta(hours=48)


class RegistrationStatus(StrEnum):
    PENDING = "pending_confirmation"
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


# A person with a registration in one of these states is already registered for the forum.
ACTIVE_STATUSES = frozenset(
    {RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED}
)


def normalize_email(address: str) -> str:
    """Return the form of an email address used to tell people apart: trimmed, lower case."""
    return address.strip().lower()


@dataclass(frozen=True)
class Registration:
    """One prospect's place at one forum.

    ``email`` keeps the spelling the prospect typed, for display; ``email_key`` is the normalized
    address that makes the registration unique per forum. ``arrival`` is the position in which the
    confirmation arrived, and orders the waitlist.
    """

    registration_id: str
    forum_id: str
    email: str
    name: str
    company: str
    job_title: str
    time_zone: str
    status: RegistrationStatus
    created_at: datetime
    expires_at: datetime
    opportunity_id: str = ""
    sales_rep_email: str = ""
    questions: str = ""
    consent_at: datetime | None = None
    confirmed_at: datetime | None = None
    cancelled_at: datetime | None = None
    promoted_at: datetime | None = None
    arrival: int | None = None
    # Set after the forum: whether the prospect attended, and the deal's amount in whole units
    # of the program's currency, as the admin records it.
    attended: bool | None = None
    opportunity_amount: int | None = None
    feedback_rating: int | None = None
    feedback_comment: str = ""
    feedback_at: datetime | None = None

    @property
    def email_key(self) -> str:
        return normalize_email(self.email)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    def has_lapsed(self, now: datetime) -> bool:
        """Return whether an unconfirmed registration passed its confirmation deadline."""
        return self.status is RegistrationStatus.PENDING and now >= self.expires_at

    def confirmed(self, now: datetime, arrival: int) -> Registration:
        return replace(self, status=RegistrationStatus.CONFIRMED, confirmed_at=now, arrival=arrival)

    def waitlisted(self, now: datetime, arrival: int) -> Registration:
        return replace(self, status=RegistrationStatus.WAITLISTED, confirmed_at=now, arrival=arrival)

    def promoted(self, now: datetime) -> Registration:
        return replace(self, status=RegistrationStatus.CONFIRMED, promoted_at=now)

    def cancelled(self, now: datetime) -> Registration:
        return replace(self, status=RegistrationStatus.CANCELLED, cancelled_at=now)

    def expired(self) -> Registration:
        return replace(self, status=RegistrationStatus.EXPIRED)


def place_on_confirmation(forum: Forum, registration: Registration, now: datetime, arrival: int) -> Registration:
    """Decide where a confirmed registration goes: a seat while one is left, else the waitlist."""
    if forum.has_seat:
        return registration.confirmed(now, arrival)
    return registration.waitlisted(now, arrival)


def frees_a_seat(registration: Registration) -> bool:
    """Return whether cancelling this registration gives its seat to the next on the waitlist."""
    return registration.status is RegistrationStatus.CONFIRMED
