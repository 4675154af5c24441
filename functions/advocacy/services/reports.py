"""Program reports: influenced revenue, activity mix, forum outcomes and program health.

Influenced revenue counts each opportunity once per activity: by advocate, every advocate of
the activity is credited in full; by quarter, forum, industry and region, an opportunity that
two hosts shared counts once. Only attended prospects' opportunities were recorded at
completion, so absent prospects never count.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from advocacy.bootstrap import Dependencies
from advocacy.domain.advocates import AdvocateStatus
from advocacy.domain.availability import activities_in_quarter
from advocacy.domain.forums import ForumStatus
from advocacy.domain.influence import InfluenceRecord, attendees
from advocacy.domain.nominations import NominationStatus
from advocacy.domain.registrations import RegistrationStatus
from advocacy.services import advocates as advocate_service
from advocacy.services import rewards


def quarter_of(instant: datetime) -> str:
    return f"{instant.year}-Q{(instant.month - 1) // 3 + 1}"


@dataclass(frozen=True)
class ReportRow:
    """One line of a grouped report: the group's key, its total and how many items made it."""

    key: str
    amount: int
    count: int


def _grouped(records: list[InfluenceRecord], key, once_per_activity: bool) -> list[ReportRow]:
    totals: dict[str, int] = defaultdict(int)
    counts: Counter = Counter()
    seen: set[tuple[str, str, str]] = set()
    for record in records:
        group = key(record)
        identity = (group, record.forum_id, record.opportunity_id)
        if once_per_activity and identity in seen:
            continue
        seen.add(identity)
        totals[group] += record.amount
        counts[group] += 1
    return [ReportRow(group, totals[group], counts[group]) for group in sorted(totals)]


def _activity_label(deps: Dependencies, activity_key: str, cache: dict[str, str]) -> str:
    """Name the activity behind an influence record: the forum's date and title, or the activity."""
    if activity_key not in cache:
        forum = deps.store.get_forum(activity_key)
        if forum is not None:
            cache[activity_key] = f"{forum.local_start():%Y-%m-%d} {forum.title}"
        else:
            activity = deps.store.get_activity(activity_key)
            kind = activity.activity_type.label if activity else "Activity"
            cache[activity_key] = f"{kind} ({activity_key})"
    return cache[activity_key]


def influence_report(deps: Dependencies, since: datetime, until: datetime) -> dict[str, list[ReportRow]]:
    records = deps.store.list_influence_between(since, until)
    labels: dict[str, str] = {}
    return {
        "quarter": _grouped(records, lambda r: quarter_of(r.occurred_at), once_per_activity=True),
        "advocate": _grouped(records, lambda r: r.advocate_email_key, once_per_activity=False),
        "forum": _grouped(records, lambda r: _activity_label(deps, r.forum_id, labels), once_per_activity=True),
        "industry": _grouped(records, lambda r: r.industry or "(none)", once_per_activity=True),
        "region": _grouped(records, lambda r: r.region or "(none)", once_per_activity=True),
    }


def activities_by_type(deps: Dependencies, since: datetime, until: datetime) -> list[ReportRow]:
    counts = Counter(activity.activity_type.value for activity in deps.store.list_activities_between(since, until))
    return [ReportRow(kind, 0, count) for kind, count in sorted(counts.items())]


@dataclass(frozen=True)
class ForumOutcome:
    forum_id: str
    title: str
    starts_at: datetime
    status: str
    registrations: int
    confirmed: int
    attended: int
    attendance_rate: float | None
    feedback_count: int
    average_rating: float | None


def forum_outcomes(deps: Dependencies, since: datetime, until: datetime) -> list[ForumOutcome]:
    outcomes = []
    for forum in deps.store.list_forums(since, until):
        registrations = deps.store.list_registrations(forum.forum_id)
        confirmed = [r for r in registrations if r.status is RegistrationStatus.CONFIRMED]
        attended = attendees(registrations)
        rated = [r.feedback_rating for r in registrations if r.feedback_rating]
        outcomes.append(
            ForumOutcome(
                forum_id=forum.forum_id,
                title=forum.title,
                starts_at=forum.starts_at,
                status=forum.status.value,
                registrations=len([r for r in registrations if r.status is not RegistrationStatus.EXPIRED]),
                confirmed=len(confirmed),
                attended=len(attended),
                attendance_rate=round(len(attended) / len(confirmed), 3) if forum.status is ForumStatus.COMPLETED and confirmed else None,
                feedback_count=len(rated),
                average_rating=round(sum(rated) / len(rated), 2) if rated else None,
            )
        )
    return outcomes


def _months(since: datetime, until: datetime) -> list[tuple[int, int]]:
    """Return the (year, month) pairs that ``[since, until)`` touches."""
    last = until - timedelta(microseconds=1)
    months = []
    year, month = since.year, since.month
    while (year, month) <= (last.year, last.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


@dataclass(frozen=True)
class ProgramHealth:
    nominations_waiting: int
    stale_profiles: int
    advocates_at_cap: list[str]
    points_issued: int


def program_health(deps: Dependencies, since: datetime, until: datetime) -> ProgramHealth:
    waiting = sum(
        len(deps.store.list_nominations(status))
        for status in (NominationStatus.NEW, NominationStatus.CONTACTED, NominationStatus.INTERVIEWED)
    )
    today = deps.clock.now().date()
    at_cap = []
    for advocate in deps.store.list_advocates([AdvocateStatus.ACTIVE]):
        activities = deps.store.list_activities_of(advocate.email_key, since=deps.clock.now() - timedelta(days=100))
        count = activities_in_quarter(activities, today)
        own_cap = advocate.max_activities_per_quarter
        if (own_cap is not None and count >= own_cap) or count >= deps.settings.program_cap_per_quarter:
            at_cap.append(advocate.email_key)
    quarters = {quarter_of(datetime(year, month, 1)) for year, month in _months(since, until)}
    issued = sum(
        quarter.issued
        for year in range(since.year, until.year + 1)
        for quarter in rewards.points_per_quarter(deps, year)
        if quarter.quarter in quarters
    )
    return ProgramHealth(
        nominations_waiting=waiting,
        stale_profiles=len(advocate_service.stale_profiles(deps)),
        advocates_at_cap=sorted(at_cap),
        points_issued=issued,
    )
