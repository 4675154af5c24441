"""The forum operations part of the store contract: attendance, deals, feedback, influence, notices."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import timedelta

import pytest

from advocacy.domain.errors import FeedbackNotAccepted, RegistrationNotFound
from advocacy.domain.forums import ForumStatus
from advocacy.domain.influence import InfluenceRecord
from tests.factories import NOW, make_forum, make_registration


def _registered(store, forum_id="2027-01-20-claims"):
    store.save_forum(make_forum(forum_id))
    registration = make_registration(forum_id)
    store.add_registration(registration, NOW)
    return registration


def test_list_forums_includes_every_status_in_range(store):
    store.save_forum(make_forum("a"))
    store.save_forum(replace(make_forum("b"), status=ForumStatus.DRAFT))
    store.save_forum(replace(make_forum("c"), status=ForumStatus.CANCELLED))
    store.save_forum(make_forum("later", local_start=NOW.replace(tzinfo=None) + timedelta(days=200), time_zone="UTC"))

    listed = store.list_forums(NOW, NOW + timedelta(days=100))

    assert [forum.forum_id for forum in listed] == ["a", "b", "c"]


def test_set_attendance_round_trips(store):
    registration = _registered(store)

    updated = store.set_attendance(registration.forum_id, registration.registration_id, True)

    assert updated.attended is True
    assert store.get_registration(registration.forum_id, registration.registration_id).attended is True


def test_set_opportunity_round_trips(store):
    registration = _registered(store)

    store.set_opportunity(registration.forum_id, registration.registration_id, "OPP-42", 120000)

    stored = store.get_registration(registration.forum_id, registration.registration_id)
    assert (stored.opportunity_id, stored.opportunity_amount) == ("OPP-42", 120000)


def test_set_opportunity_amount_can_be_cleared(store):
    registration = _registered(store)
    store.set_opportunity(registration.forum_id, registration.registration_id, "OPP-42", 120000)

    store.set_opportunity(registration.forum_id, registration.registration_id, "OPP-42", None)

    assert store.get_registration(registration.forum_id, registration.registration_id).opportunity_amount is None


def test_set_attendance_unknown_registration_raises(store):
    store.save_forum(make_forum())

    with pytest.raises(RegistrationNotFound):
        store.set_attendance("2027-01-20-claims", "nope", True)


def test_record_feedback_once(store):
    registration = _registered(store)
    store.record_feedback(registration.forum_id, registration.registration_id, 5, "Very useful", NOW)

    with pytest.raises(FeedbackNotAccepted):
        store.record_feedback(registration.forum_id, registration.registration_id, 1, "changed my mind", NOW)

    stored = store.get_registration(registration.forum_id, registration.registration_id)
    assert (stored.feedback_rating, stored.feedback_comment) == (5, "Very useful")


def test_record_influence_once_per_id(store):
    record = InfluenceRecord("f", "dana@n.example", "OPP-1", 50000, NOW, "Healthcare", "EMEA")

    first = store.record_influence(record)
    second = store.record_influence(record)

    assert (first, second) == (True, False)
    assert store.list_influence_of_forum("f") == [record]


def test_list_influence_between_filters_period(store):
    inside = InfluenceRecord("f1", "a@x.example", "OPP-1", 10, NOW)
    outside = InfluenceRecord("f2", "a@x.example", "OPP-2", 20, NOW + timedelta(days=120))
    store.record_influence(inside)
    store.record_influence(outside)

    listed = store.list_influence_between(NOW - timedelta(days=1), NOW + timedelta(days=90))

    assert listed == [inside]


def test_claim_notification_first_wins_under_concurrency(store):
    barrier = threading.Barrier(8)
    results = []

    def claim():
        barrier.wait(timeout=30)
        results.append(store.claim_notification("reminder:f:r1:0", NOW))

    workers = [threading.Thread(target=claim) for _ in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)

    assert sorted(results) == [False] * 7 + [True]
