"""Availability: whether an advocate can take one more activity on a date, and why not.

Burnout protection: an advocate is never scheduled while not active, beyond their own cap or the
program's cap of activities in a rolling quarter, or inside one of their blackouts. The rolling
quarter of a date is the three calendar months up to and including that date, for example
2026-12-10 to 2027-03-10 for 2027-03-10; an activity on either end day counts.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from advocacy.domain.activities import Activity
from advocacy.domain.advocates import Advocate, AdvocateStatus

QUARTER_MONTHS = 3


@dataclass(frozen=True)
class Availability:
    """The answer for one advocate and one date; ``reasons`` is empty when available."""

    available: bool
    reasons: list[str] = field(default_factory=list)


def quarter_start(on: date) -> date:
    """Return the first day of the rolling quarter that ends on ``on``.

    Three calendar months back, on the same day of the month or the month's last day when it is
    shorter: 2027-05-31 gives 2027-02-28.
    """
    month_index = on.year * 12 + on.month - 1 - QUARTER_MONTHS
    year, month = divmod(month_index, 12)
    month += 1
    day = min(on.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def quarter_bounds(on: date) -> tuple[datetime, datetime]:
    """Return the rolling quarter of ``on`` as UTC instants ``[since, until)`` for store queries."""
    since = datetime.combine(quarter_start(on), time.min, tzinfo=timezone.utc)
    until = datetime.combine(on + timedelta(days=1), time.min, tzinfo=timezone.utc)
    return since, until


def activities_in_quarter(activities: Iterable[Activity], on: date) -> int:
    """Count the activities whose UTC day falls in the rolling quarter that ends on ``on``."""
    first_day = quarter_start(on)
    return sum(1 for activity in activities if first_day <= activity.occurred_at.astimezone(timezone.utc).date() <= on)


def availability(advocate: Advocate, on: date, activities: Iterable[Activity], program_cap: int) -> Availability:
    """Decide whether ``advocate`` can take one more activity on ``on``.

    ``activities`` are the advocate's recorded activities; those outside the rolling quarter are
    ignored, so a caller may pass more. A cap is reached when the count equals it, because one
    more activity would pass it. ``max_activities_per_quarter`` of None means the advocate set no
    cap of their own, and 0 means they take none.
    """
    reasons: list[str] = []
    if advocate.status is not AdvocateStatus.ACTIVE:
        reasons.append(f"Status is {advocate.status.value}")

    count = activities_in_quarter(activities, on)
    window = f"in the quarter {quarter_start(on).isoformat()} to {on.isoformat()}"
    own_cap = advocate.max_activities_per_quarter
    if own_cap is not None and count >= own_cap:
        reasons.append(f"Over their own cap: {count} of {own_cap} activities {window}")
    if count >= program_cap:
        reasons.append(f"Over the program's cap: {count} of {program_cap} activities {window}")

    for blackout in advocate.blackouts:
        if blackout.covers(on):
            reasons.append(f"Inside a blackout: {blackout}")

    return Availability(available=not reasons, reasons=reasons)
