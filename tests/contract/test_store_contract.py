"""The store contract: every adapter of the store port must pass these tests."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import timedelta

import pytest

from advocacy.domain.advocates import Advocate, AdvocateStatus
from advocacy.domain.errors import RegistrationCancelled, RegistrationExpired, RegistrationNotFound
from advocacy.domain.forums import ForumFormat, ForumStatus
from advocacy.domain.registrations import RegistrationStatus
from tests.factories import NOW, make_forum, make_registration


def _confirmed(store, forum_id, count):
    registrations = []
    for _ in range(count):
        registration = make_registration(forum_id)
        store.add_registration(registration, NOW)
        registrations.append(store.confirm_registration(forum_id, registration.registration_id, NOW))
    return registrations


# Forums


def test_save_forum_round_trips_every_field(store):
    forum = make_forum(
        description="Dana on moving 2.3M claims",
        industry="Healthcare",
        product="Claims Automation",
        region="North America",
        language="English",
        chaperoned=True,
        host_emails=("dana@northwind.example",),
        host_names=("Dana Whitfield",),
        join_url="https://meet.example/abc",
    )
    store.save_forum(forum)

    assert store.get_forum(forum.forum_id) == forum


def test_get_forum_unknown_returns_none(store):
    assert store.get_forum("no-such-forum") is None


def test_save_forum_keeps_seat_counts(store):
    forum = make_forum(capacity=3)
    store.save_forum(forum)
    _confirmed(store, forum.forum_id, 2)

    store.save_forum(replace(forum, title="Renamed"))

    saved = store.get_forum(forum.forum_id)
    assert saved.title == "Renamed"
    assert saved.confirmed_count == 2


def test_list_upcoming_forums_orders_by_start_and_skips_others(store):
    later = make_forum("later", local_start=NOW.replace(tzinfo=None) + timedelta(days=30), time_zone="UTC")
    sooner = make_forum("sooner", local_start=NOW.replace(tzinfo=None) + timedelta(days=2), time_zone="UTC")
    past = make_forum("past", local_start=NOW.replace(tzinfo=None) - timedelta(days=1), time_zone="UTC")
    draft = replace(make_forum("draft"), status=ForumStatus.DRAFT)
    cancelled = replace(make_forum("cancelled"), status=ForumStatus.CANCELLED)
    for forum in (later, sooner, past, draft, cancelled):
        store.save_forum(forum)

    upcoming = store.list_upcoming_forums(NOW)

    assert [forum.forum_id for forum in upcoming] == ["sooner", "later"]


def test_list_upcoming_forums_respects_limit(store):
    for day in range(5):
        store.save_forum(make_forum(f"forum-{day}", local_start=NOW.replace(tzinfo=None) + timedelta(days=day + 1), time_zone="UTC"))

    upcoming = store.list_upcoming_forums(NOW, limit=3)

    assert [forum.forum_id for forum in upcoming] == ["forum-0", "forum-1", "forum-2"]


def test_unpublishing_removes_forum_from_calendar(store):
    forum = make_forum()
    store.save_forum(forum)

    store.save_forum(replace(forum, status=ForumStatus.DRAFT))

    assert store.list_upcoming_forums(NOW) == []


# Registrations


def test_add_registration_stores_pending(store):
    forum = make_forum()
    store.save_forum(forum)
    registration = make_registration(forum.forum_id, questions="How long did the cut-over take?")

    stored, created = store.add_registration(registration, NOW)

    assert created is True
    assert store.get_registration(forum.forum_id, registration.registration_id) == registration


def test_add_registration_same_email_other_case_returns_existing(store):
    forum = make_forum()
    store.save_forum(forum)
    first = make_registration(forum.forum_id, email="Dana.Whitfield@Buyer.example")
    store.add_registration(first, NOW)

    again, created = store.add_registration(make_registration(forum.forum_id, email="  dana.whitfield@buyer.EXAMPLE "), NOW)

    assert created is False
    assert again.registration_id == first.registration_id
    assert again.email == "Dana.Whitfield@Buyer.example"


def test_add_registration_after_cancel_creates_new(store):
    forum = make_forum()
    store.save_forum(forum)
    first = make_registration(forum.forum_id, email="sam@buyer.example")
    store.add_registration(first, NOW)
    store.cancel_registration(forum.forum_id, first.registration_id, NOW)

    second, created = store.add_registration(make_registration(forum.forum_id, email="sam@buyer.example"), NOW)

    assert created is True
    assert second.registration_id != first.registration_id


def test_add_registration_replaces_lapsed_pending(store):
    forum = make_forum()
    store.save_forum(forum)
    lapsed = make_registration(forum.forum_id, email="late@buyer.example")
    store.add_registration(lapsed, NOW)
    later = NOW + timedelta(hours=49)

    fresh, created = store.add_registration(make_registration(forum.forum_id, email="late@buyer.example", created_at=later), later)

    assert created is True
    assert store.get_registration(forum.forum_id, lapsed.registration_id).status is RegistrationStatus.EXPIRED
    assert fresh.status is RegistrationStatus.PENDING


def test_same_email_may_register_for_two_forums(store):
    for forum_id in ("forum-a", "forum-b"):
        store.save_forum(make_forum(forum_id))

    _, created_a = store.add_registration(make_registration("forum-a", email="x@buyer.example"), NOW)
    _, created_b = store.add_registration(make_registration("forum-b", email="x@buyer.example"), NOW)

    assert created_a is True
    assert created_b is True


def test_get_registration_unknown_returns_none(store):
    store.save_forum(make_forum())

    assert store.get_registration("2027-01-20-claims", "nope") is None


def test_confirm_takes_seat_while_seats_left(store):
    forum = make_forum(capacity=2)
    store.save_forum(forum)

    confirmed = _confirmed(store, forum.forum_id, 2)

    assert [registration.status for registration in confirmed] == [RegistrationStatus.CONFIRMED] * 2
    assert store.get_forum(forum.forum_id).seats_left == 0


def test_confirm_when_full_joins_waitlist_in_arrival_order(store):
    forum = make_forum(capacity=2)
    store.save_forum(forum)

    placed = _confirmed(store, forum.forum_id, 4)

    waitlist = store.list_waitlist(forum.forum_id)
    assert [registration.status for registration in placed[2:]] == [RegistrationStatus.WAITLISTED] * 2
    assert [registration.registration_id for registration in waitlist] == [r.registration_id for r in placed[2:]]
    assert store.get_forum(forum.forum_id).waitlist_count == 2


def test_confirm_twice_returns_same_state(store):
    forum = make_forum(capacity=2)
    store.save_forum(forum)
    registration = make_registration(forum.forum_id)
    store.add_registration(registration, NOW)
    first = store.confirm_registration(forum.forum_id, registration.registration_id, NOW)

    second = store.confirm_registration(forum.forum_id, registration.registration_id, NOW + timedelta(minutes=1))

    assert second == first
    assert store.get_forum(forum.forum_id).confirmed_count == 1


def test_confirm_after_deadline_expires_registration(store):
    forum = make_forum()
    store.save_forum(forum)
    registration = make_registration(forum.forum_id)
    store.add_registration(registration, NOW)

    with pytest.raises(RegistrationExpired):
        store.confirm_registration(forum.forum_id, registration.registration_id, NOW + timedelta(hours=48))

    assert store.get_registration(forum.forum_id, registration.registration_id).status is RegistrationStatus.EXPIRED
    assert store.get_forum(forum.forum_id).confirmed_count == 0


def test_confirm_cancelled_registration_is_refused(store):
    forum = make_forum()
    store.save_forum(forum)
    registration = make_registration(forum.forum_id)
    store.add_registration(registration, NOW)
    store.cancel_registration(forum.forum_id, registration.registration_id, NOW)

    with pytest.raises(RegistrationCancelled):
        store.confirm_registration(forum.forum_id, registration.registration_id, NOW)


def test_confirm_unknown_registration_raises_not_found(store):
    store.save_forum(make_forum())

    with pytest.raises(RegistrationNotFound):
        store.confirm_registration("2027-01-20-claims", "nope", NOW)


def test_cancel_confirmed_promotes_first_waitlisted(store):
    forum = make_forum(capacity=2)
    store.save_forum(forum)
    placed = _confirmed(store, forum.forum_id, 4)

    cancelled, promoted = store.cancel_registration(forum.forum_id, placed[0].registration_id, NOW)

    assert cancelled.status is RegistrationStatus.CANCELLED
    assert promoted.registration_id == placed[2].registration_id
    assert promoted.status is RegistrationStatus.CONFIRMED
    assert store.get_registration(forum.forum_id, placed[2].registration_id).status is RegistrationStatus.CONFIRMED
    assert [r.registration_id for r in store.list_waitlist(forum.forum_id)] == [placed[3].registration_id]
    saved = store.get_forum(forum.forum_id)
    assert (saved.confirmed_count, saved.waitlist_count) == (2, 1)


def test_cancel_confirmed_without_waitlist_frees_seat(store):
    forum = make_forum(capacity=2)
    store.save_forum(forum)
    placed = _confirmed(store, forum.forum_id, 1)

    _, promoted = store.cancel_registration(forum.forum_id, placed[0].registration_id, NOW)

    assert promoted is None
    assert store.get_forum(forum.forum_id).seats_left == 2


def test_cancel_waitlisted_leaves_seats_alone(store):
    forum = make_forum(capacity=2)
    store.save_forum(forum)
    placed = _confirmed(store, forum.forum_id, 3)

    _, promoted = store.cancel_registration(forum.forum_id, placed[2].registration_id, NOW)

    saved = store.get_forum(forum.forum_id)
    assert promoted is None
    assert (saved.confirmed_count, saved.waitlist_count) == (2, 0)
    assert store.list_waitlist(forum.forum_id) == []


def test_cancel_twice_promotes_once(store):
    forum = make_forum(capacity=2)
    store.save_forum(forum)
    placed = _confirmed(store, forum.forum_id, 4)
    store.cancel_registration(forum.forum_id, placed[0].registration_id, NOW)

    _, promoted_again = store.cancel_registration(forum.forum_id, placed[0].registration_id, NOW)

    assert promoted_again is None
    assert store.get_forum(forum.forum_id).waitlist_count == 1


def test_cancel_unknown_registration_raises_not_found(store):
    store.save_forum(make_forum())

    with pytest.raises(RegistrationNotFound):
        store.cancel_registration("2027-01-20-claims", "nope", NOW)


def test_list_registrations_returns_oldest_first(store):
    forum = make_forum()
    store.save_forum(forum)
    first = make_registration(forum.forum_id, created_at=NOW)
    second = make_registration(forum.forum_id, created_at=NOW + timedelta(minutes=5))
    store.add_registration(second, NOW)
    store.add_registration(first, NOW)

    listed = store.list_registrations(forum.forum_id)

    assert [r.registration_id for r in listed] == [first.registration_id, second.registration_id]


def test_expire_registrations_marks_only_lapsed_pending(store):
    forum = make_forum(capacity=4)
    store.save_forum(forum)
    lapsed = make_registration(forum.forum_id, created_at=NOW - timedelta(hours=50))
    fresh = make_registration(forum.forum_id)
    store.add_registration(lapsed, NOW)
    store.add_registration(fresh, NOW)

    expired = store.expire_registrations(NOW)
    expired_again = store.expire_registrations(NOW)

    assert [r.registration_id for r in expired] == [lapsed.registration_id]
    assert expired_again == []
    assert store.get_registration(forum.forum_id, fresh.registration_id).status is RegistrationStatus.PENDING


# Advocates


def test_save_advocate_round_trips(store):
    advocate = Advocate(
        email_key="haruka.sato@kumo-retail.example",
        email="haruka.sato@kumo-retail.example",
        first_name="遥",
        last_name="佐藤",
        company="クモリテール株式会社",
        title="IT部長",
        products=("Insight Cloud",),
        status=AdvocateStatus.ACTIVE,
        max_activities_per_quarter=2,
    )

    store.save_advocate(advocate)

    assert store.get_advocate(advocate.email_key) == advocate


# Concurrency


@pytest.mark.parametrize("threads", [24])
def test_concurrent_confirmations_never_exceed_capacity(store, threads):
    forum = make_forum(capacity=4, forum_format=ForumFormat.LIMITED_GROUP_EVENT)
    store.save_forum(forum)
    pending = [make_registration(forum.forum_id) for _ in range(threads)]
    for registration in pending:
        store.add_registration(registration, NOW)
    barrier = threading.Barrier(threads)
    errors: list[BaseException] = []
    results = []

    def confirm(registration):
        barrier.wait(timeout=30)
        try:
            results.append(store.confirm_registration(forum.forum_id, registration.registration_id, NOW))
        except BaseException as error:  # noqa: BLE001 - the test reports any failure of any thread
            errors.append(error)

    workers = [threading.Thread(target=confirm, args=(registration,)) for registration in pending]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)

    stored = store.list_registrations(forum.forum_id)
    confirmed = [r for r in stored if r.status is RegistrationStatus.CONFIRMED]
    waitlist = store.list_waitlist(forum.forum_id)
    saved = store.get_forum(forum.forum_id)
    assert errors == []
    assert len(results) == threads
    assert len(confirmed) == 4
    assert len(waitlist) == threads - 4
    assert len({r.registration_id for r in stored}) == threads
    assert [r.arrival for r in waitlist] == sorted(r.arrival for r in waitlist)
    assert (saved.confirmed_count, saved.waitlist_count) == (4, threads - 4)


def test_concurrent_duplicate_registrations_store_one(store):
    forum = make_forum()
    store.save_forum(forum)
    threads = 12
    barrier = threading.Barrier(threads)
    outcomes = []

    def register(index):
        barrier.wait(timeout=30)
        email = "Dana@Buyer.example" if index % 2 else "dana@buyer.example"
        outcomes.append(store.add_registration(make_registration(forum.forum_id, email=email), NOW))

    workers = [threading.Thread(target=register, args=(index,)) for index in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)

    assert len(outcomes) == threads
    assert sum(1 for _, created in outcomes if created) == 1
    assert len({registration.registration_id for registration, _ in outcomes}) == 1
    assert len(store.list_registrations(forum.forum_id)) == 1


def test_concurrent_cancellations_promote_each_waitlisted_once(store):
    forum = make_forum(capacity=4)
    store.save_forum(forum)
    placed = _confirmed(store, forum.forum_id, 8)
    barrier = threading.Barrier(4)
    promotions = []

    def cancel(registration):
        barrier.wait(timeout=30)
        promotions.append(store.cancel_registration(forum.forum_id, registration.registration_id, NOW)[1])

    workers = [threading.Thread(target=cancel, args=(registration,)) for registration in placed[:4]]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)

    promoted_ids = sorted(p.registration_id for p in promotions if p)
    saved = store.get_forum(forum.forum_id)
    assert promoted_ids == sorted(r.registration_id for r in placed[4:])
    assert (saved.confirmed_count, saved.waitlist_count) == (4, 0)
