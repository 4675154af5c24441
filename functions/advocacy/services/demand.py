"""Use cases of demand: reference requests, matching, supply suggestions, targets and coverage."""

from __future__ import annotations

import secrets
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from aws_lambda_powertools import Logger

from advocacy.bootstrap import Dependencies
from advocacy.domain.activities import Activity, ActivityType
from advocacy.domain.advocates import Advocate, AdvocateStatus
from advocacy.domain.availability import availability
from advocacy.domain.demand import (
    SEGMENT_FIELDS,
    AdvocateUnavailable,
    Coverage,
    DuplicateTarget,
    RequestChangedMeanwhile,
    RequestNotFound,
    Match,
    ReferenceRequest,
    RequestStatus,
    Route,
    Target,
    advocate_in_segment,
    change_status,
    coverage_of,
    forum_fits,
    rank_advocates,
    route_for,
)
from advocacy.domain.forums import Forum, ForumFormat
from advocacy.domain.influence import InfluenceRecord
from advocacy.services import rewards

logger = Logger(service="advocacy-portal", child=True)


@dataclass(frozen=True)
class FittingForum:
    forum: Forum
    reasons: list[str]
    registration_url: str


@dataclass(frozen=True)
class Routing:
    request: ReferenceRequest
    route: Route
    advocates: list[Match]
    forums: list[FittingForum]


@dataclass(frozen=True)
class SupplySuggestion:
    """An offer to the admin: a new forum for a segment where demand outgrows the seats."""

    reason: str
    segment: dict[str, str]
    advocate: Advocate
    prefill: dict


def _activities_by_advocate(deps: Dependencies, advocates: list[Advocate], since: datetime) -> dict[str, list[Activity]]:
    return {advocate.email_key: deps.store.list_activities_of(advocate.email_key, since=since) for advocate in advocates}


def _candidates(deps: Dependencies) -> tuple[list[Advocate], dict[str, list[Activity]]]:
    advocates = deps.store.list_advocates([AdvocateStatus.ACTIVE, AdvocateStatus.PAUSED])
    since = deps.clock.now() - timedelta(days=400)
    return advocates, _activities_by_advocate(deps, advocates, since)


def create_request(deps: Dependencies, request: ReferenceRequest, status: RequestStatus = RequestStatus.NEW) -> ReferenceRequest:
    stored = replace(request, request_id=secrets.token_hex(6), created_at=deps.clock.now(), status=status)
    deps.store.save_request(stored)
    logger.info("Reference request created", request_id=stored.request_id, amount=stored.amount)
    return stored


def require_request(deps: Dependencies, request_id: str) -> ReferenceRequest:
    request = deps.store.get_request(request_id)
    if request is None:
        raise RequestNotFound(f"No reference request {request_id!r}; pick one from the list of requests.")
    return request


def route_request(deps: Dependencies, request: ReferenceRequest) -> Routing:
    """Route a request by its amount: ranked advocates for a call, or fitting forums."""
    route = route_for(request, deps.settings.one_to_one_threshold)
    if route is Route.ONE_TO_ONE:
        advocates, activities = _candidates(deps)
        on = max(deps.clock.now().date(), min(request.needed_by, deps.clock.now().date() + timedelta(days=90)))
        matches = rank_advocates(request, advocates, activities, on, deps.settings.program_cap_per_quarter)
        return Routing(request, route, matches, [])

    fitting = []
    for forum in deps.store.list_upcoming_forums(deps.clock.now()):
        reasons = forum_fits(forum, request)
        if not reasons or not forum.takes_registrations(deps.clock.now()):
            continue
        query = urlencode({"id": forum.forum_id, "opportunity_id": request.opportunity_id})
        fitting.append(FittingForum(forum, reasons, f"{deps.settings.portal_url}/forum/?{query}"))
    fitting.sort(key=lambda item: (-len(item.reasons), item.forum.starts_at))
    return Routing(request, route, [], fitting)


def update_status(deps: Dependencies, request_id: str, status: RequestStatus, advocate: str = "", forum_id: str = "") -> ReferenceRequest:
    """Move a request on; when it is done with an advocate, the call counts as an activity."""
    request = require_request(deps, request_id)
    links = {key: value for key, value in (("advocate_email_key", advocate), ("forum_id", forum_id)) if value}
    changed = change_status(request, status, deps.clock.now(), **links)

    if not deps.store.save_request(changed, expected_status=request.status):
        raise RequestChangedMeanwhile(f"Request {request_id} changed meanwhile; reload it and try again.")

    if changed.status is RequestStatus.DONE and changed.advocate_email_key and not changed.forum_id:
        record_activity(
            deps,
            Activity(
                activity_id=f"request:{changed.request_id}",
                advocate_email_key=changed.advocate_email_key,
                activity_type=ActivityType.ONE_TO_ONE_CALL,
                occurred_at=deps.clock.now(),
                recorded_at=deps.clock.now(),
                opportunity_id=changed.opportunity_id,
                notes=f"Reference call for {changed.prospect_company}",
            ),
            influenced_amount=changed.amount,
        )
    return changed


def check_availability(deps: Dependencies, advocate: Advocate, on: date, override_reason: str) -> None:
    """Raise AdvocateUnavailable when the advocate could not take an activity on ``on``, unless overridden."""
    since = datetime.combine(on, datetime.min.time(), tzinfo=deps.clock.now().tzinfo) - timedelta(days=100)
    activities = deps.store.list_activities_of(advocate.email_key, since=since)
    verdict = availability(advocate, on, activities, deps.settings.program_cap_per_quarter)
    if verdict.available or override_reason:
        return
    raise AdvocateUnavailable(
        f"{advocate.display_name} is not available on {on.isoformat()}: " + "; ".join(verdict.reasons)
        + ". Give a reason to record it anyway.",
        field="override_reason",
    )


def record_activity(deps: Dependencies, activity: Activity, influenced_amount: int | None = None) -> bool:
    """Record an activity beyond forums, so caps, rewards and reports see it; once per id."""
    stored = deps.store.record_activity(activity)
    if stored:
        rewards.award_for_activity(deps, activity)
        if activity.opportunity_id and influenced_amount is not None:
            advocate = deps.store.get_advocate(activity.advocate_email_key)
            deps.store.record_influence(
                InfluenceRecord(
                    # Influence outside forums is keyed by its activity, such as "request:<id>".
                    forum_id=activity.activity_id,
                    advocate_email_key=activity.advocate_email_key,
                    opportunity_id=activity.opportunity_id,
                    amount=influenced_amount,
                    occurred_at=activity.occurred_at,
                    industry=advocate.industry if advocate else "",
                    region=advocate.region if advocate else "",
                )
            )
    logger.info("Activity recorded", activity_id=activity.activity_id, stored=stored)
    return stored


def coverage(deps: Dependencies) -> list[Coverage]:
    """Coverage of every target for the coming quarter, with demand in each segment beside it."""
    advocates, activities = _candidates(deps)
    today = deps.clock.now().date()
    coming_quarter = _next_quarter_start(today)
    demand_registrations, demand_requests = _demand_by_advocate_segment(deps)
    results = []
    for target in deps.store.list_targets():
        result = coverage_of(target, advocates, activities, coming_quarter, deps.settings.program_cap_per_quarter)
        segment = target.segment()
        registrations = sum(count for key, count in demand_registrations.items() if _key_in_segment(key, segment))
        requests = sum(count for key, count in demand_requests.items() if _key_in_segment(key, segment))
        results.append(replace(result, demand_registrations=registrations, demand_requests=requests))
    return results


def _next_quarter_start(today: date) -> date:
    quarter_month = ((today.month - 1) // 3 + 1) * 3 + 1
    year = today.year + (1 if quarter_month > 12 else 0)
    return date(year, (quarter_month - 1) % 12 + 1, 1)


def _segment_key(values: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((name, value.strip().lower()) for name, value in values.items() if value))


def _key_in_segment(key: tuple[tuple[str, str], ...], segment: dict[str, str]) -> bool:
    values = dict(key)
    return all(values.get(name) == wanted.strip().lower() for name, wanted in segment.items())


def _demand_by_advocate_segment(deps: Dependencies) -> tuple[Counter, Counter]:
    """Count registrations to upcoming forums and open requests per segment of their attributes."""
    registrations: Counter = Counter()
    for forum in deps.store.list_upcoming_forums(deps.clock.now()):
        segment = _segment_key({"industry": forum.industry, "region": forum.region, "product": forum.product, "language": forum.language})
        registrations[segment] += forum.confirmed_count + forum.waitlist_count
    requests: Counter = Counter()
    for status in (RequestStatus.NEW, RequestStatus.MATCHED):
        for request in deps.store.list_requests(status):
            requests[_segment_key(request.segment())] += 1
    return registrations, requests


def supply_suggestions(deps: Dependencies) -> list[SupplySuggestion]:
    """Offer new activities where a waitlist or pending small requests pass the configured size."""
    threshold = deps.settings.supply_trigger
    advocates, activities = _candidates(deps)
    today = deps.clock.now().date()
    suggestions: list[SupplySuggestion] = []

    for forum in deps.store.list_upcoming_forums(deps.clock.now()):
        if forum.waitlist_count < threshold:
            continue
        segment = {name: getattr(forum, name) for name in ("industry", "region", "product", "language") if getattr(forum, name)}
        advocate = _available_fit(advocates, activities, segment, today, deps.settings.program_cap_per_quarter, exclude=set(forum.host_emails))
        if advocate:
            suggestions.append(
                SupplySuggestion(
                    f"\u201c{forum.title}\u201d has {forum.waitlist_count} prospects on its waitlist.",
                    segment,
                    advocate,
                    _prefill(segment, advocate, forum.format, forum.time_zone),
                )
            )

    small = Counter()
    examples: dict = {}
    for request in deps.store.list_requests(RequestStatus.NEW):
        if route_for(request, deps.settings.one_to_one_threshold) is Route.ONE_TO_MANY:
            key = _segment_key(request.segment())
            small[key] += 1
            examples[key] = request.segment()
    for key, count in small.items():
        if count < threshold:
            continue
        segment = examples[key]
        advocate = _available_fit(advocates, activities, segment, today, deps.settings.program_cap_per_quarter)
        if advocate:
            suggestions.append(
                SupplySuggestion(
                    f"{count} pending requests below the threshold want: {', '.join(segment.values()) or 'any advocate'}.",
                    segment,
                    advocate,
                    _prefill(segment, advocate, ForumFormat.LIMITED_GROUP_EVENT, advocate.time_zone or "UTC"),
                )
            )
    return suggestions


def _available_fit(advocates, activities, segment, on, program_cap, exclude=frozenset()) -> Advocate | None:
    for advocate in advocates:
        if advocate.email_key in {email.lower() for email in exclude}:
            continue
        if advocate_in_segment(advocate, {k: v for k, v in segment.items() if k in SEGMENT_FIELDS}) and availability(
            advocate, on, activities.get(advocate.email_key, []), program_cap
        ).available:
            return advocate
    return None


def _prefill(segment: dict[str, str], advocate: Advocate, forum_format: ForumFormat, time_zone: str) -> dict:
    capacity = 4 if forum_format is ForumFormat.LIMITED_GROUP_EVENT else 70
    title_topic = segment.get("product") or segment.get("industry") or "customer experience"
    return {
        "title": f"{'Limited group' if forum_format is ForumFormat.LIMITED_GROUP_EVENT else 'Reference forum'}: {title_topic} with {advocate.company}",
        "format": forum_format.value,
        "capacity": capacity,
        "duration_minutes": 45 if forum_format is ForumFormat.LIMITED_GROUP_EVENT else 60,
        "time_zone": time_zone,
        "host_emails": advocate.email,
        **{name: segment.get(name, "") for name in ("industry", "region", "product", "language")},
    }


def save_target(deps: Dependencies, target: Target) -> Target:
    """Store a new target; a segment that already has one, in any letter case, is refused."""
    wanted = _segment_key(target.segment())
    for existing in deps.store.list_targets():
        if _segment_key(existing.segment()) == wanted:
            raise DuplicateTarget(
                f"The segment {existing.label} already has a target of {existing.wanted}; remove it first to set another.",
                field="industry",
            )
    stored = replace(target, target_id=target.target_id or secrets.token_hex(6), created_at=deps.clock.now())
    deps.store.save_target(stored)
    return stored

