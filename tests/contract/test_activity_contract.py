"""The activity part of the store contract, on every adapter."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

from advocacy.domain.activities import Activity, ActivityType, forum_activity_id
from tests.factories import NOW


def make_activity(email="dana@northwind.example", occurred_at=NOW, activity_id=None, **details) -> Activity:
    return Activity(
        activity_id=activity_id or f"call:{email}:{occurred_at.isoformat()}",
        advocate_email_key=email,
        activity_type=details.pop("activity_type", ActivityType.ONE_TO_ONE_CALL),
        occurred_at=occurred_at,
        recorded_at=NOW,
        **details,
    )


def test_record_activity_round_trips(store):
    activity = make_activity(
        activity_id=forum_activity_id("2027-01-20-claims", "dana@northwind.example"),
        activity_type=ActivityType.REFERENCE_FORUM,
        forum_id="2027-01-20-claims",
        attending_prospects=31,
    )

    stored = store.record_activity(activity)

    assert stored is True
    assert store.get_activity(activity.activity_id) == activity


def test_record_activity_twice_stores_once(store):
    activity = make_activity()
    store.record_activity(activity)

    again = store.record_activity(activity)

    assert again is False
    assert len(store.list_activities_of(activity.advocate_email_key)) == 1


def test_get_activity_unknown_returns_none(store):
    assert store.get_activity("nope") is None


def test_list_activities_of_filters_range_and_advocate(store):
    early = make_activity(occurred_at=NOW - timedelta(days=100))
    inside = make_activity(occurred_at=NOW - timedelta(days=10))
    boundary = make_activity(occurred_at=NOW)
    other = make_activity(email="someone@else.example", occurred_at=NOW - timedelta(days=10))
    for activity in (early, inside, boundary, other):
        store.record_activity(activity)

    listed = store.list_activities_of("dana@northwind.example", since=NOW - timedelta(days=90), until=NOW)

    assert [activity.activity_id for activity in listed] == [inside.activity_id]


def test_list_activities_between_spans_months(store):
    december = make_activity(occurred_at=datetime(2026, 12, 30, tzinfo=timezone.utc))
    february = make_activity(email="b@x.example", occurred_at=datetime(2027, 2, 2, tzinfo=timezone.utc))
    april = make_activity(occurred_at=datetime(2027, 4, 1, tzinfo=timezone.utc))
    for activity in (april, december, february):
        store.record_activity(activity)

    listed = store.list_activities_between(datetime(2026, 12, 1, tzinfo=timezone.utc), datetime(2027, 4, 1, tzinfo=timezone.utc))

    assert [activity.activity_id for activity in listed] == [december.activity_id, february.activity_id]


def test_concurrent_recording_stores_once(store):
    activity = make_activity()
    barrier = threading.Barrier(8)
    results = []

    def record():
        barrier.wait(timeout=30)
        results.append(store.record_activity(activity))

    workers = [threading.Thread(target=record) for _ in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)

    assert sorted(results) == [False] * 7 + [True]
