"""Advocates: customers who agreed to speak to prospects, their profile and their preferences.

An advocate keeps the profile current themself; ``last_verified`` is the day they (or the roster)
last confirmed it, and a profile older than the program's freshness age is stale.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

from advocacy.domain.errors import DomainError


class AdvocateStatus(StrEnum):
    CANDIDATE = "candidate"
    ACTIVE = "active"
    PAUSED = "paused"
    RETIRED = "retired"


class InvalidPreferences(DomainError):
    """Participation preferences break a rule, such as a blackout that ends before it starts."""


class AdvocateNotFound(DomainError):
    """No advocate has the requested address, or the advocate was erased."""


@dataclass(frozen=True)
class Blackout:
    """Days on which the advocate takes no activity, both ends included."""

    first_day: date
    last_day: date

    def __post_init__(self) -> None:
        if self.last_day < self.first_day:
            raise InvalidPreferences(
                f"The blackout {self.first_day} to {self.last_day} ends before it starts; swap the two dates.",
                field="blackouts",
            )

    def covers(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day

    def __str__(self) -> str:
        return f"{self.first_day.isoformat()} to {self.last_day.isoformat()}"


@dataclass(frozen=True)
class Advocate:
    """An advocate's profile; ``email_key`` (trimmed, lower case) identifies them."""

    email_key: str
    email: str
    first_name: str
    last_name: str
    company: str
    title: str = ""
    industry: str = ""
    country: str = ""
    products: tuple[str, ...] = ()
    persona: str = ""
    status: AdvocateStatus = AdvocateStatus.CANDIDATE
    activities_willing: tuple[str, ...] = ()
    max_activities_per_quarter: int | None = None
    last_verified: date | None = None
    notes: str = ""
    region: str = ""
    use_cases: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    time_zone: str = ""
    story: str = ""
    blackouts: tuple[Blackout, ...] = ()

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


# Labels that rosters and CRM exports use for the activity types of the domain.
ACTIVITY_LABELS = {
    "reference forum": "reference_forum",
    "limited group": "limited_group_event",
    "limited group event": "limited_group_event",
    "1:1 call": "one_to_one_call",
    "one-to-one call": "one_to_one_call",
    "case study": "case_study",
    "speaking": "speaking",
    "review site": "review",
    "review": "review",
    "advisory board": "advisory_board",
    "press": "press",
}


def activity_type_key(text: str) -> str:
    """Return the activity type a roster label or API value names, or the label in lower case.

    Rosters say "Reference forum" and "1:1 call" where the API says ``reference_forum``, so the
    directory compares both through this key. Labels of no known type (such as "Site visit")
    compare by their lower-case text.
    """
    cleaned = " ".join(text.strip().lower().replace("_", " ").split())
    return ACTIVITY_LABELS.get(cleaned, cleaned.replace(" ", "_"))


def is_stale(advocate: Advocate, today: date, max_age_days: int) -> bool:
    """Whether the profile was last confirmed ``max_age_days`` or more days ago, or never."""
    if advocate.last_verified is None:
        return True
    return today - advocate.last_verified >= timedelta(days=max_age_days)


def review_period(today: date, max_age_days: int) -> str:
    """Name the freshness period that contains ``today``: the first day of a fixed window.

    Windows are ``max_age_days`` long, counted from date.min, so every job run in one window
    names the same period and an advocate is asked at most once per window.
    """
    index = today.toordinal() // max_age_days
    return date.fromordinal(max(index * max_age_days, 1)).isoformat()


def paused(advocate: Advocate, pause: bool) -> Advocate:
    """Pause an active advocate or resume a paused one; other statuses cannot change here."""
    if advocate.status not in (AdvocateStatus.ACTIVE, AdvocateStatus.PAUSED):
        raise InvalidPreferences(
            f"A {advocate.status.value} advocate cannot pause or resume; ask the advocacy team.", field="paused"
        )
    return replace(advocate, status=AdvocateStatus.PAUSED if pause else AdvocateStatus.ACTIVE)


def confirmed(advocate: Advocate, today: date) -> Advocate:
    """Record that the advocate checked the profile today."""
    return replace(advocate, last_verified=today)
