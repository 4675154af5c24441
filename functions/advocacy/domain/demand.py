"""Demand for references: requests from sales, segments, matching and portfolio targets.

A reference request names an opportunity and the kind of customer voice it needs. Requests at
or above the program's revenue threshold get a one-to-one call with a ranked advocate; smaller
ones are pointed at upcoming one-to-many activities that fit.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum

from advocacy.domain.activities import Activity, ActivityType
from advocacy.domain.advocates import Advocate, AdvocateStatus, activity_type_key
from advocacy.domain.availability import availability, quarter_start
from advocacy.domain.errors import DomainError
from advocacy.domain.forums import Forum

SEGMENT_FIELDS = ("industry", "region", "product", "persona", "language")


class RequestStatus(StrEnum):
    # A sales rep's request waits here until they confirm it from the emailed link.
    UNCONFIRMED = "unconfirmed"
    NEW = "new"
    MATCHED = "matched"
    SCHEDULED = "scheduled"
    DONE = "done"
    CANCELLED = "cancelled"


# Each status may move to these; "done" and "cancelled" end a request.
NEXT_STATUSES = {
    RequestStatus.UNCONFIRMED: {RequestStatus.NEW},
    RequestStatus.NEW: {RequestStatus.MATCHED, RequestStatus.SCHEDULED, RequestStatus.CANCELLED},
    RequestStatus.MATCHED: {RequestStatus.SCHEDULED, RequestStatus.DONE, RequestStatus.CANCELLED},
    RequestStatus.SCHEDULED: {RequestStatus.DONE, RequestStatus.CANCELLED},
    RequestStatus.DONE: set(),
    RequestStatus.CANCELLED: set(),
}


class InvalidRequestChange(DomainError):
    """A reference request cannot move to the asked status from its current one."""


class RequestNotFound(DomainError):
    """No reference request has the given id."""


class RequestChangedMeanwhile(DomainError):
    """Another admin changed the request first; reload it and try again."""


class RequesterNotEmployee(DomainError):
    """A reference request came from an address outside the company's domains."""


class AdvocateUnavailable(DomainError):
    """An advocate is over a cap, paused or in a blackout on the date, and no reason overrides it."""


class DuplicateTarget(DomainError):
    """The segment already has a portfolio target."""


class Route(StrEnum):
    ONE_TO_ONE = "one_to_one"
    ONE_TO_MANY = "one_to_many"


@dataclass(frozen=True)
class ReferenceRequest:
    request_id: str
    opportunity_id: str
    amount: int
    stage: str
    prospect_company: str
    needed_by: date
    requested_by: str
    created_at: datetime
    industry: str = ""
    region: str = ""
    product: str = ""
    persona: str = ""
    language: str = ""
    company_size: str = ""
    status: RequestStatus = RequestStatus.NEW
    advocate_email_key: str = ""
    forum_id: str = ""
    notes: str = ""
    updated_at: datetime | None = None

    def segment(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in SEGMENT_FIELDS if getattr(self, name)}


def route_for(request: ReferenceRequest, threshold: int) -> Route:
    """One-to-one at or above the threshold; one-to-many below it."""
    return Route.ONE_TO_ONE if request.amount >= threshold else Route.ONE_TO_MANY


def change_status(request: ReferenceRequest, status: RequestStatus, now: datetime, **links: str) -> ReferenceRequest:
    if status not in NEXT_STATUSES[request.status]:
        allowed = ", ".join(sorted(s.value for s in NEXT_STATUSES[request.status])) or "none"
        raise InvalidRequestChange(
            f"Request {request.request_id} is {request.status.value}; it can move to: {allowed}.", field="status"
        )
    return replace(request, status=status, updated_at=now, **links)


@dataclass(frozen=True)
class Match:
    """One advocate ranked for a request, with the reasons for the rank."""

    advocate: Advocate
    score: int
    available: bool
    reasons: list[str] = field(default_factory=list)
    last_activity: datetime | None = None


def _same(left: str, right: str) -> bool:
    return bool(left) and bool(right) and left.strip().lower() == right.strip().lower()


def _advocate_values(advocate: Advocate) -> dict[str, tuple[str, ...]]:
    return {
        "industry": (advocate.industry,),
        "region": (advocate.region, advocate.country),
        "product": advocate.products,
        "persona": (advocate.persona,),
        "language": advocate.languages,
    }


# Points per matching attribute: industry and product matter most to a buyer.
FIT_POINTS = {"industry": 30, "product": 25, "persona": 15, "region": 15, "language": 10}
COMPANY_SIZE_POINTS = 5
# A rested advocate ranks higher: up to this many points for 90 days or more since last helping.
REST_POINTS = 10
UNAVAILABLE_PENALTY = 100


def rank_advocates(
    request: ReferenceRequest,
    advocates: list[Advocate],
    activities_by_advocate: dict[str, list[Activity]],
    on: date,
    program_cap: int,
    company_sizes: dict[str, str] | None = None,
) -> list[Match]:
    """Rank active and paused advocates for a request by fit, then availability and rest."""
    matches = []
    for advocate in advocates:
        if advocate.status not in (AdvocateStatus.ACTIVE, AdvocateStatus.PAUSED):
            continue
        activities = activities_by_advocate.get(advocate.email_key, [])
        score, reasons = 0, []
        values = _advocate_values(advocate)
        for name, wanted in request.segment().items():
            if any(_same(wanted, value) for value in values[name]):
                score += FIT_POINTS[name]
                reasons.append(f"Same {name}: {wanted}")
            else:
                reasons.append(f"Different {name}: wanted {wanted}")
        size = (company_sizes or {}).get(advocate.email_key, "")
        if request.company_size and _same(request.company_size, size):
            score += COMPANY_SIZE_POINTS
            reasons.append(f"Same company size: {size}")

        last = max((activity.occurred_at for activity in activities), default=None)
        days_since = (on - last.date()).days if last else None
        rest = REST_POINTS if days_since is None else min(REST_POINTS, max(days_since, 0) * REST_POINTS // 90)
        score += rest
        reasons.append("Has not helped yet" if last is None else f"Last helped {days_since} days ago")

        verdict = availability(advocate, on, activities, program_cap)
        available = verdict.available
        if not verdict.available:
            reasons += verdict.reasons
        willing = {activity_type_key(kind) for kind in advocate.activities_willing}
        # An advocate who listed the activities they take, without calls, is not asked for one.
        if willing and ActivityType.ONE_TO_ONE_CALL.value not in willing:
            available = False
            reasons.append("Has not agreed to one-to-one calls")
        if not available:
            score -= UNAVAILABLE_PENALTY
        matches.append(Match(advocate, score, available, reasons, last))
    return sorted(matches, key=lambda match: (-match.score, match.advocate.email_key))


def forum_fits(forum: Forum, request: ReferenceRequest) -> list[str]:
    """Return why an upcoming forum fits a request (empty when it fits none of the wanted values)."""
    reasons = []
    for name in ("industry", "region", "product", "language"):
        wanted = getattr(request, name)
        if wanted and _same(wanted, getattr(forum, name)):
            reasons.append(f"Same {name}: {wanted}")
    return reasons


@dataclass(frozen=True)
class Target:
    """A portfolio target: how many active advocates the program wants in a segment."""

    target_id: str
    wanted: int
    created_at: datetime
    industry: str = ""
    region: str = ""
    product: str = ""
    persona: str = ""
    language: str = ""

    def segment(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in SEGMENT_FIELDS if getattr(self, name)}

    @property
    def label(self) -> str:
        return ", ".join(f"{value}" for value in self.segment().values()) or "Whole program"


def advocate_in_segment(advocate: Advocate, segment: dict[str, str]) -> bool:
    values = _advocate_values(advocate)
    return all(any(_same(wanted, value) for value in values[name]) for name, wanted in segment.items())


@dataclass(frozen=True)
class Coverage:
    target: Target
    covered: int
    gap: int
    advocates: list[str]
    demand_registrations: int = 0
    demand_requests: int = 0


def coverage_of(
    target: Target,
    advocates: list[Advocate],
    activities_by_advocate: dict[str, list[Activity]],
    on: date,
    program_cap: int,
) -> Coverage:
    """Count active advocates of the segment with room under their caps for the coming quarter.

    Room is judged on ``on``, the first day of the coming quarter, against the activities of the
    rolling quarter before it, so an advocate who is at their cap today but frees up counts.
    """
    covered = []
    for advocate in advocates:
        if advocate.status is not AdvocateStatus.ACTIVE or not advocate_in_segment(advocate, target.segment()):
            continue
        activities = activities_by_advocate.get(advocate.email_key, [])
        count = sum(1 for a in activities if quarter_start(on) <= a.occurred_at.date() <= on)
        own_cap = advocate.max_activities_per_quarter
        if (own_cap is not None and count >= own_cap) or count >= program_cap:
            continue
        covered.append(advocate.email_key)
    return Coverage(target, len(covered), max(target.wanted - len(covered), 0), sorted(covered))

