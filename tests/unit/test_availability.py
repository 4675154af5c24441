"""The availability rule: status, own cap, program cap over a rolling quarter, and blackouts."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from advocacy.domain.activities import Activity, ActivityType
from advocacy.domain.advocates import Advocate, AdvocateStatus, Blackout, InvalidPreferences
from advocacy.domain.availability import availability, quarter_start
from tests.factories import NOW

ON = date(2027, 3, 10)


def make_advocate(**details) -> Advocate:
    return Advocate(
        email_key="dana@northwind.example", email="dana@northwind.example", first_name="Dana", last_name="Whitfield",
        company="Northwind", status=details.pop("status", AdvocateStatus.ACTIVE), **details,
    )


def activities_on(*days: date) -> list[Activity]:
    return [
        Activity(
            activity_id=f"call:{day}:{index}", advocate_email_key="dana@northwind.example",
            activity_type=ActivityType.ONE_TO_ONE_CALL,
            occurred_at=datetime(day.year, day.month, day.day, 15, tzinfo=timezone.utc), recorded_at=NOW,
        )
        for index, day in enumerate(days)
    ]


def test_availability_active_under_caps_is_available():
    answer = availability(make_advocate(max_activities_per_quarter=3), ON, activities_on(date(2027, 2, 1)), program_cap=4)

    assert answer.available is True
    assert answer.reasons == []


def test_availability_at_own_cap_gives_reason():
    three = activities_on(date(2027, 1, 5), date(2027, 2, 1), date(2027, 3, 1))

    answer = availability(make_advocate(max_activities_per_quarter=3), ON, three, program_cap=4)

    assert answer.available is False
    assert answer.reasons == ["Over their own cap: 3 of 3 activities in the quarter 2026-12-10 to 2027-03-10"]


def test_availability_at_program_cap_gives_reason():
    four = activities_on(date(2027, 1, 5), date(2027, 2, 1), date(2027, 3, 1), date(2027, 3, 10))

    answer = availability(make_advocate(), ON, four, program_cap=4)

    assert answer.available is False
    assert answer.reasons == ["Over the program's cap: 4 of 4 activities in the quarter 2026-12-10 to 2027-03-10"]


def test_availability_ignores_activities_before_quarter():
    old = activities_on(date(2026, 12, 9), date(2026, 11, 1), date(2026, 10, 1))

    answer = availability(make_advocate(max_activities_per_quarter=1), ON, old, program_cap=4)

    assert answer.available is True


def test_availability_counts_first_day_of_quarter():
    answer = availability(make_advocate(max_activities_per_quarter=1), ON, activities_on(date(2026, 12, 10)), program_cap=4)

    assert answer.available is False


def test_availability_own_cap_zero_takes_nothing():
    answer = availability(make_advocate(max_activities_per_quarter=0), ON, [], program_cap=4)

    assert answer.reasons == ["Over their own cap: 0 of 0 activities in the quarter 2026-12-10 to 2027-03-10"]


def test_availability_inside_blackout_gives_reason():
    advocate = make_advocate(blackouts=(Blackout(date(2027, 3, 1), date(2027, 3, 15)),))

    answer = availability(advocate, ON, [], program_cap=4)

    assert answer.available is False
    assert answer.reasons == ["Inside a blackout: 2027-03-01 to 2027-03-15"]


@pytest.mark.parametrize("day", [date(2027, 3, 1), date(2027, 3, 15)])
def test_availability_blackout_includes_both_ends(day):
    advocate = make_advocate(blackouts=(Blackout(date(2027, 3, 1), date(2027, 3, 15)),))

    assert availability(advocate, day, [], program_cap=4).available is False


def test_availability_day_after_blackout_is_free():
    advocate = make_advocate(blackouts=(Blackout(date(2027, 3, 1), date(2027, 3, 15)),))

    assert availability(advocate, date(2027, 3, 16), [], program_cap=4).available is True


@pytest.mark.parametrize("status", [AdvocateStatus.PAUSED, AdvocateStatus.CANDIDATE, AdvocateStatus.RETIRED])
def test_availability_not_active_gives_status(status):
    answer = availability(make_advocate(status=status), ON, [], program_cap=4)

    assert answer.reasons == [f"Status is {status.value}"]


def test_availability_lists_every_reason():
    advocate = make_advocate(
        status=AdvocateStatus.PAUSED, max_activities_per_quarter=1, blackouts=(Blackout(ON, ON),)
    )

    answer = availability(advocate, ON, activities_on(date(2027, 3, 1)), program_cap=1)

    assert len(answer.reasons) == 4


@pytest.mark.parametrize(
    "on, start",
    [
        (date(2027, 3, 10), date(2026, 12, 10)),
        (date(2027, 5, 31), date(2027, 2, 28)),
        (date(2028, 5, 31), date(2028, 2, 29)),
        (date(2027, 1, 1), date(2026, 10, 1)),
    ],
)
def test_quarter_start_goes_three_months_back(on, start):
    assert quarter_start(on) == start


def test_blackout_ending_before_start_raises():
    with pytest.raises(InvalidPreferences) as raised:
        Blackout(date(2027, 3, 15), date(2027, 3, 1))

    assert raised.value.field == "blackouts"
