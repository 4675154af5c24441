"""Tests of the DynamoDB adapter beyond the shared store contract, on moto.

They check the item shapes that docs/data-model.md describes, that no request scans the table,
and that each conditional write retries correctly when another request gets in between our read
and our write. Such an interleaving is staged with a botocore ``before-call`` hook on the store's
client: the hook runs the other request through a second client just before ours is sent.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta

import boto3
import pytest
from boto3.dynamodb.types import TypeDeserializer

from advocacy.adapters import dynamodb_table as table
from advocacy.adapters.dynamodb_store import DynamoDBStore
from advocacy.clock import FixedClock
from advocacy.domain.advocates import Advocate
from advocacy.domain.errors import ForumNotFound, RegistrationExpired
from advocacy.domain.forums import ForumFormat, ForumStatus
from advocacy.domain.registrations import RegistrationStatus
from tests.factories import NOW, make_forum, make_registration
from tests.support.moto_dynamodb import REGION, moto_dynamodb_store

_deserializer = TypeDeserializer()


@pytest.fixture
def dynamodb_store() -> Iterator[DynamoDBStore]:
    with moto_dynamodb_store() as store:
        yield store


@pytest.fixture
def other_store(dynamodb_store) -> DynamoDBStore:
    """A second store on the same table with its own client, standing for another Lambda."""
    return DynamoDBStore(dynamodb_store.table_name, client=boto3.client("dynamodb", region_name=REGION))


@contextmanager
def interleaved(store: DynamoDBStore, operation: str, other_request: Callable[[], object]) -> Iterator[None]:
    """Run ``other_request`` once, just before the store's next ``operation`` request is sent."""
    ran = threading.Event()

    def run_other_request_first(**_):
        if not ran.is_set():
            ran.set()
            other_request()

    event = f"before-call.dynamodb.{operation}"
    store.client.meta.events.register(event, run_other_request_first)
    try:
        yield
    finally:
        store.client.meta.events.unregister(event, run_other_request_first)
    assert ran.is_set(), f"The store sent no {operation} request, so the interleaving never happened."


def raw_item(store: DynamoDBStore, key: dict) -> dict | None:
    response = store.client.get_item(
        TableName=store.table_name,
        Key={name: {"S": value} for name, value in key.items()},
        ConsistentRead=True,
    )
    item = response.get("Item")
    return {name: _deserializer.deserialize(value) for name, value in item.items()} if item else None


def raw_partition(store: DynamoDBStore, forum_id: str, sort_prefix: str) -> list[dict]:
    response = store.client.query(
        TableName=store.table_name,
        KeyConditionExpression="PK = :partition AND begins_with(SK, :prefix)",
        ExpressionAttributeValues={
            ":partition": {"S": table.forum_partition(forum_id)},
            ":prefix": {"S": sort_prefix},
        },
        ConsistentRead=True,
    )
    return [{name: _deserializer.deserialize(value) for name, value in item.items()} for item in response["Items"]]


def confirmed_registrations(store: DynamoDBStore, forum_id: str, count: int) -> list:
    placed = []
    for _ in range(count):
        registration = make_registration(forum_id)
        store.add_registration(registration, NOW)
        placed.append(store.confirm_registration(forum_id, registration.registration_id, NOW))
    return placed


# Table definition


def test_table_definition_declares_both_sparse_indexes():
    definition = table.table_definition("portal")

    index_names = [index["IndexName"] for index in definition["GlobalSecondaryIndexes"]]
    assert index_names == [table.CALENDAR_INDEX, table.PENDING_INDEX]
    assert definition["BillingMode"] == "PAY_PER_REQUEST"


def test_instant_text_has_fixed_width():
    whole_second = table.instant_text(NOW)
    with_fraction = table.instant_text(NOW + timedelta(microseconds=5))

    assert len(whole_second) == len(with_fraction) == 32
    assert whole_second < with_fraction


# Item shapes


def test_forum_item_shape_published(dynamodb_store):
    forum = make_forum()
    dynamodb_store.save_forum(forum)

    item = raw_item(dynamodb_store, table.forum_key(forum.forum_id))

    assert item["PK"] == f"FORUM#{forum.forum_id}"
    assert item["SK"] == "META"
    assert item["GSI1PK"] == "PUBLISHED"
    assert item["GSI1SK"] == f"{table.instant_text(forum.starts_at)}#{forum.forum_id}"
    assert item["starts_at"] == "2027-01-20T16:00:00.000000+00:00"
    assert item["format"] == "limited_group_event"
    assert (item["confirmed_count"], item["waitlist_count"], item["arrival_counter"]) == (0, 0, 0)


def test_forum_item_draft_leaves_calendar_index(dynamodb_store):
    forum = make_forum()
    dynamodb_store.save_forum(forum)

    dynamodb_store.save_forum(replace(forum, status=ForumStatus.DRAFT))

    item = raw_item(dynamodb_store, table.forum_key(forum.forum_id))
    assert "GSI1PK" not in item
    assert "GSI1SK" not in item


def test_save_forum_keeps_arrival_counter(dynamodb_store):
    forum = make_forum(capacity=2)
    dynamodb_store.save_forum(forum)
    confirmed_registrations(dynamodb_store, forum.forum_id, 3)

    dynamodb_store.save_forum(replace(forum, title="Renamed", capacity=3))

    item = raw_item(dynamodb_store, table.forum_key(forum.forum_id))
    assert item["arrival_counter"] == 3
    assert (item["confirmed_count"], item["waitlist_count"]) == (2, 1)
    assert item["title"] == "Renamed"


def test_registration_item_pending_carries_deadline_keys(dynamodb_store):
    forum = make_forum()
    dynamodb_store.save_forum(forum)
    registration = make_registration(forum.forum_id, email="Dana@Buyer.example")
    dynamodb_store.add_registration(registration, NOW)

    item = raw_item(dynamodb_store, table.registration_key(forum.forum_id, registration.registration_id))

    assert item["SK"] == f"REG#{registration.registration_id}"
    assert item["status"] == "pending_confirmation"
    assert item["email"] == "Dana@Buyer.example"
    assert item["email_key"] == "dana@buyer.example"
    assert item["GSI2PK"] == "PENDING"
    expected_sort_key = f"{table.instant_text(registration.expires_at)}#{forum.forum_id}#{registration.registration_id}"
    assert item["GSI2SK"] == expected_sort_key
    assert "confirmed_at" not in item
    assert "arrival" not in item


def test_registration_item_confirmed_drops_deadline_keys(dynamodb_store):
    forum = make_forum()
    dynamodb_store.save_forum(forum)
    (confirmed,) = confirmed_registrations(dynamodb_store, forum.forum_id, 1)

    item = raw_item(dynamodb_store, table.registration_key(forum.forum_id, confirmed.registration_id))

    assert item["status"] == "confirmed"
    assert item["arrival"] == 1
    assert item["confirmed_at"] == table.instant_text(NOW)
    assert "GSI2PK" not in item
    assert "GSI2SK" not in item


def test_email_guard_item_points_at_registration(dynamodb_store):
    forum = make_forum()
    dynamodb_store.save_forum(forum)
    registration = make_registration(forum.forum_id, email="  Dana@Buyer.example ")
    dynamodb_store.add_registration(registration, NOW)

    guard = raw_item(dynamodb_store, table.email_guard_key(forum.forum_id, "dana@buyer.example"))

    assert guard["SK"] == "EMAIL#dana@buyer.example"
    assert guard["registration_id"] == registration.registration_id
    assert "email" not in guard


def test_waitlist_entry_item_sorts_by_arrival(dynamodb_store):
    forum = make_forum(capacity=2)
    dynamodb_store.save_forum(forum)
    placed = confirmed_registrations(dynamodb_store, forum.forum_id, 4)

    entries = raw_partition(dynamodb_store, forum.forum_id, "WAIT#")

    assert [entry["SK"] for entry in entries] == ["WAIT#0000000003", "WAIT#0000000004"]
    assert [entry["registration_id"] for entry in entries] == [r.registration_id for r in placed[2:]]


def test_advocate_item_keyed_by_email_key(dynamodb_store):
    advocate = Advocate(
        email_key="dana@northwind.example",
        email="Dana@Northwind.example",
        first_name="Dana",
        last_name="Whitfield",
        company="Northwind Health",
        products=("Claims Automation", "Insight Cloud"),
    )
    dynamodb_store.save_advocate(advocate)

    item = raw_item(dynamodb_store, table.advocate_key(advocate.email_key))

    assert (item["PK"], item["SK"]) == ("ADVOCATE#dana@northwind.example", "PROFILE")
    assert item["products"] == ["Claims Automation", "Insight Cloud"]
    assert item["status"] == "candidate"
    assert "max_activities_per_quarter" not in item


# Access patterns


def test_requests_never_scan(dynamodb_store):
    operations: list[str] = []
    dynamodb_store.client.meta.events.register(
        "before-call.dynamodb", lambda model, **_: operations.append(model.name)
    )
    forum = make_forum(capacity=2)
    dynamodb_store.save_forum(forum)
    dynamodb_store.list_upcoming_forums(NOW)
    first, _, _ = confirmed_registrations(dynamodb_store, forum.forum_id, 3)
    dynamodb_store.list_registrations(forum.forum_id)
    dynamodb_store.list_waitlist(forum.forum_id)
    dynamodb_store.cancel_registration(forum.forum_id, first.registration_id, NOW)
    dynamodb_store.add_registration(make_registration(forum.forum_id, created_at=NOW - timedelta(days=3)), NOW)
    dynamodb_store.expire_registrations(NOW)
    dynamodb_store.get_advocate("nobody@buyer.example")

    assert "Scan" not in operations
    assert "Query" in operations
    assert "TransactWriteItems" in operations


def test_list_upcoming_forums_excludes_start_at_now(dynamodb_store):
    starting_now = make_forum("starting-now", local_start=NOW.replace(tzinfo=None), time_zone="UTC")
    one_microsecond_later = make_forum(
        "one-microsecond-later", local_start=NOW.replace(tzinfo=None) + timedelta(microseconds=1), time_zone="UTC"
    )
    dynamodb_store.save_forum(starting_now)
    dynamodb_store.save_forum(one_microsecond_later)

    upcoming = dynamodb_store.list_upcoming_forums(NOW)

    assert [forum.forum_id for forum in upcoming] == ["one-microsecond-later"]


def test_list_upcoming_forums_pages_past_limit(dynamodb_store):
    for day in range(7):
        local_start = NOW.replace(tzinfo=None) + timedelta(days=day + 1)
        dynamodb_store.save_forum(make_forum(f"forum-{day}", local_start=local_start, time_zone="UTC"))

    upcoming = dynamodb_store.list_upcoming_forums(NOW, limit=6)

    assert [forum.forum_id for forum in upcoming] == [f"forum-{day}" for day in range(6)]


def test_expire_registrations_includes_deadline_at_now(dynamodb_store):
    clock = FixedClock(NOW)
    forum = make_forum()
    dynamodb_store.save_forum(forum)
    registration = make_registration(forum.forum_id, created_at=clock.now())
    dynamodb_store.add_registration(registration, clock.now())
    clock.advance(timedelta(hours=48) - timedelta(microseconds=1))

    before_deadline = dynamodb_store.expire_registrations(clock.now())
    clock.advance(timedelta(microseconds=1))
    at_deadline = dynamodb_store.expire_registrations(clock.now())

    assert before_deadline == []
    assert [r.registration_id for r in at_deadline] == [registration.registration_id]
    assert at_deadline[0].status is RegistrationStatus.EXPIRED


def test_expire_registrations_respects_limit(dynamodb_store):
    forum = make_forum()
    dynamodb_store.save_forum(forum)
    for minutes in range(3):
        created_at = NOW - timedelta(days=3) + timedelta(minutes=minutes)
        dynamodb_store.add_registration(make_registration(forum.forum_id, created_at=created_at), NOW)

    first_batch = dynamodb_store.expire_registrations(NOW, limit=2)
    second_batch = dynamodb_store.expire_registrations(NOW, limit=2)

    assert len(first_batch) == 2
    assert len(second_batch) == 1


def test_confirm_without_forum_creates_no_forum(dynamodb_store):
    registration = make_registration("no-such-forum")
    dynamodb_store.add_registration(registration, NOW)

    with pytest.raises(ForumNotFound):
        dynamodb_store.confirm_registration("no-such-forum", registration.registration_id, NOW)

    assert raw_item(dynamodb_store, table.forum_key("no-such-forum")) is None


def test_confirm_after_deadline_removes_deadline_keys(dynamodb_store):
    clock = FixedClock(NOW)
    forum = make_forum()
    dynamodb_store.save_forum(forum)
    registration = make_registration(forum.forum_id, created_at=clock.now())
    dynamodb_store.add_registration(registration, clock.now())
    clock.advance(timedelta(hours=49))

    with pytest.raises(RegistrationExpired):
        dynamodb_store.confirm_registration(forum.forum_id, registration.registration_id, clock.now())

    item = raw_item(dynamodb_store, table.registration_key(forum.forum_id, registration.registration_id))
    assert item["status"] == "expired"
    assert "GSI2PK" not in item


def test_add_registration_repeated_call_stores_once(dynamodb_store):
    forum = make_forum()
    dynamodb_store.save_forum(forum)
    registration = make_registration(forum.forum_id)
    dynamodb_store.add_registration(registration, NOW)

    again, created = dynamodb_store.add_registration(registration, NOW)

    assert created is False
    assert again == registration
    assert len(dynamodb_store.list_registrations(forum.forum_id)) == 1


def test_add_registration_replaces_lapsed_guard(dynamodb_store):
    clock = FixedClock(NOW)
    forum = make_forum()
    dynamodb_store.save_forum(forum)
    lapsed = make_registration(forum.forum_id, email="late@buyer.example", created_at=clock.now())
    dynamodb_store.add_registration(lapsed, clock.now())
    clock.advance(timedelta(hours=49))

    fresh = make_registration(forum.forum_id, email="Late@Buyer.example", created_at=clock.now())
    stored, created = dynamodb_store.add_registration(fresh, clock.now())

    guard = raw_item(dynamodb_store, table.email_guard_key(forum.forum_id, "late@buyer.example"))
    old_item = raw_item(dynamodb_store, table.registration_key(forum.forum_id, lapsed.registration_id))
    assert created is True
    assert stored == fresh
    assert guard["registration_id"] == fresh.registration_id
    assert old_item["status"] == "expired"
    assert "GSI2PK" not in old_item


# Retries when another request gets in between


def test_confirm_loses_last_seat_joins_waitlist(dynamodb_store, other_store):
    forum = make_forum(capacity=2)
    dynamodb_store.save_forum(forum)
    confirmed_registrations(dynamodb_store, forum.forum_id, 1)
    slow, fast = make_registration(forum.forum_id), make_registration(forum.forum_id)
    dynamodb_store.add_registration(slow, NOW)
    dynamodb_store.add_registration(fast, NOW)

    confirm_fast = lambda: other_store.confirm_registration(forum.forum_id, fast.registration_id, NOW)  # noqa: E731
    with interleaved(dynamodb_store, "TransactWriteItems", confirm_fast):
        placed = dynamodb_store.confirm_registration(forum.forum_id, slow.registration_id, NOW)

    saved = dynamodb_store.get_forum(forum.forum_id)
    assert placed.status is RegistrationStatus.WAITLISTED
    assert dynamodb_store.get_registration(forum.forum_id, fast.registration_id).status is RegistrationStatus.CONFIRMED
    assert [r.registration_id for r in dynamodb_store.list_waitlist(forum.forum_id)] == [slow.registration_id]
    assert (saved.confirmed_count, saved.waitlist_count) == (2, 1)


def test_confirm_takes_seat_freed_before_waitlisting(dynamodb_store, other_store):
    forum = make_forum(capacity=2)
    dynamodb_store.save_forum(forum)
    holder, _ = confirmed_registrations(dynamodb_store, forum.forum_id, 2)
    latecomer = make_registration(forum.forum_id)
    dynamodb_store.add_registration(latecomer, NOW)

    cancel_holder = lambda: other_store.cancel_registration(forum.forum_id, holder.registration_id, NOW)  # noqa: E731
    with interleaved(dynamodb_store, "TransactWriteItems", cancel_holder):
        placed = dynamodb_store.confirm_registration(forum.forum_id, latecomer.registration_id, NOW)

    saved = dynamodb_store.get_forum(forum.forum_id)
    assert placed.status is RegistrationStatus.CONFIRMED
    assert dynamodb_store.list_waitlist(forum.forum_id) == []
    assert raw_partition(dynamodb_store, forum.forum_id, "WAIT#") == []
    assert (saved.confirmed_count, saved.waitlist_count) == (2, 0)


def test_cancel_promotes_registration_waitlisted_meanwhile(dynamodb_store, other_store):
    forum = make_forum(capacity=2)
    dynamodb_store.save_forum(forum)
    leaving, _ = confirmed_registrations(dynamodb_store, forum.forum_id, 2)
    waiting = make_registration(forum.forum_id)
    dynamodb_store.add_registration(waiting, NOW)

    confirm_waiting = lambda: other_store.confirm_registration(forum.forum_id, waiting.registration_id, NOW)  # noqa: E731
    with interleaved(dynamodb_store, "TransactWriteItems", confirm_waiting):
        cancelled, promoted = dynamodb_store.cancel_registration(forum.forum_id, leaving.registration_id, NOW)

    saved = dynamodb_store.get_forum(forum.forum_id)
    assert cancelled.status is RegistrationStatus.CANCELLED
    assert promoted.registration_id == waiting.registration_id
    assert promoted.promoted_at == NOW
    assert dynamodb_store.get_registration(forum.forum_id, waiting.registration_id).status is RegistrationStatus.CONFIRMED
    assert (saved.confirmed_count, saved.waitlist_count) == (2, 0)


def test_add_registration_duplicate_arrives_first(dynamodb_store, other_store):
    forum = make_forum()
    dynamodb_store.save_forum(forum)
    mine = make_registration(forum.forum_id, email="dana@buyer.example")
    theirs = make_registration(forum.forum_id, email="DANA@buyer.example")

    add_theirs = lambda: other_store.add_registration(theirs, NOW)  # noqa: E731
    with interleaved(dynamodb_store, "TransactWriteItems", add_theirs):
        stored, created = dynamodb_store.add_registration(mine, NOW)

    assert created is False
    assert stored.registration_id == theirs.registration_id
    assert [r.registration_id for r in dynamodb_store.list_registrations(forum.forum_id)] == [theirs.registration_id]


def test_confirm_retried_while_first_call_runs(dynamodb_store, other_store):
    forum = make_forum(capacity=2)
    dynamodb_store.save_forum(forum)
    registration = make_registration(forum.forum_id)
    dynamodb_store.add_registration(registration, NOW)

    confirm_again = lambda: other_store.confirm_registration(forum.forum_id, registration.registration_id, NOW)  # noqa: E731
    with interleaved(dynamodb_store, "TransactWriteItems", confirm_again):
        placed = dynamodb_store.confirm_registration(forum.forum_id, registration.registration_id, NOW)

    saved = dynamodb_store.get_forum(forum.forum_id)
    assert placed == dynamodb_store.get_registration(forum.forum_id, registration.registration_id)
    assert placed.status is RegistrationStatus.CONFIRMED
    assert (saved.confirmed_count, saved.waitlist_count) == (1, 0)


def test_cancel_retried_while_first_call_runs(dynamodb_store, other_store):
    forum = make_forum(capacity=2)
    dynamodb_store.save_forum(forum)
    leaving, _, first_waiting, second_waiting = confirmed_registrations(dynamodb_store, forum.forum_id, 4)

    cancel_again = lambda: other_store.cancel_registration(forum.forum_id, leaving.registration_id, NOW)  # noqa: E731
    with interleaved(dynamodb_store, "TransactWriteItems", cancel_again):
        cancelled, promoted = dynamodb_store.cancel_registration(forum.forum_id, leaving.registration_id, NOW)

    saved = dynamodb_store.get_forum(forum.forum_id)
    assert cancelled.status is RegistrationStatus.CANCELLED
    assert promoted is None
    assert dynamodb_store.get_registration(forum.forum_id, first_waiting.registration_id).status is RegistrationStatus.CONFIRMED
    assert [r.registration_id for r in dynamodb_store.list_waitlist(forum.forum_id)] == [second_waiting.registration_id]
    assert (saved.confirmed_count, saved.waitlist_count) == (2, 1)


# Concurrency


def test_concurrent_confirmations_fill_seats_then_waitlist(dynamodb_store):
    threads = 30
    forum = make_forum("2027-01-20-claims-forum", capacity=5, forum_format=ForumFormat.REFERENCE_FORUM)
    dynamodb_store.save_forum(forum)
    pending = [make_registration(forum.forum_id) for _ in range(threads)]
    for registration in pending:
        dynamodb_store.add_registration(registration, NOW)
    barrier = threading.Barrier(threads)
    errors: list[BaseException] = []
    placed = []

    def confirm(registration):
        barrier.wait(timeout=30)
        try:
            placed.append(dynamodb_store.confirm_registration(forum.forum_id, registration.registration_id, NOW))
        except BaseException as error:  # noqa: BLE001 - the test reports any failure of any thread
            errors.append(error)

    workers = [threading.Thread(target=confirm, args=(registration,)) for registration in pending]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)

    stored = dynamodb_store.list_registrations(forum.forum_id)
    confirmed = [r for r in stored if r.status is RegistrationStatus.CONFIRMED]
    waitlisted = [r for r in stored if r.status is RegistrationStatus.WAITLISTED]
    entries = raw_partition(dynamodb_store, forum.forum_id, "WAIT#")
    waitlist = dynamodb_store.list_waitlist(forum.forum_id)
    saved = dynamodb_store.get_forum(forum.forum_id)
    assert errors == []
    assert len(placed) == threads
    assert len(confirmed) == 5
    assert len(waitlisted) == 25
    assert len({entry["registration_id"] for entry in entries}) == 25
    assert [entry["SK"] for entry in entries] == [f"WAIT#{r.arrival:010d}" for r in waitlist]
    assert [r.arrival for r in waitlist] == sorted(r.arrival for r in waitlisted)
    assert sorted(r.arrival for r in stored) == list(range(1, threads + 1))
    assert (saved.confirmed_count, saved.waitlist_count) == (len(confirmed), len(entries))
