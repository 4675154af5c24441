"""The demand part of the store contract: reference requests and portfolio targets."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date, timedelta

from advocacy.domain.demand import ReferenceRequest, RequestStatus, Target
from tests.factories import NOW


def make_request(request_id="r1", created_at=NOW, **details) -> ReferenceRequest:
    return ReferenceRequest(
        request_id=request_id,
        opportunity_id=details.pop("opportunity_id", "OPP-1"),
        amount=details.pop("amount", 250000),
        stage="Negotiation",
        prospect_company="Buyer Health",
        needed_by=date(2027, 2, 1),
        requested_by="rep@vendor.example",
        created_at=created_at,
        industry="Healthcare",
        **details,
    )


def test_save_request_round_trips(store):
    request = make_request(persona="IT leader", notes="Wants a payer")

    assert store.save_request(request) is True
    assert store.get_request("r1") == request


def test_save_request_twice_as_new_is_refused(store):
    store.save_request(make_request())

    assert store.save_request(make_request(amount=1)) is False
    assert store.get_request("r1").amount == 250000


def test_list_requests_by_status_newest_first(store):
    store.save_request(make_request("old", created_at=NOW - timedelta(days=2)))
    store.save_request(make_request("new", created_at=NOW))
    store.save_request(make_request("done", status=RequestStatus.DONE))

    listed = store.list_requests(RequestStatus.NEW)

    assert [request.request_id for request in listed] == ["new", "old"]


def test_status_change_moves_request_between_lists(store):
    request = make_request()
    store.save_request(request)

    changed = store.save_request(replace(request, status=RequestStatus.MATCHED), expected_status=RequestStatus.NEW)

    assert changed is True
    assert store.list_requests(RequestStatus.NEW) == []
    assert [r.request_id for r in store.list_requests(RequestStatus.MATCHED)] == ["r1"]


def test_concurrent_status_changes_one_wins(store):
    request = make_request()
    store.save_request(request)
    barrier = threading.Barrier(6)
    results = []

    def move(status):
        barrier.wait(timeout=30)
        results.append(store.save_request(replace(request, status=status), expected_status=RequestStatus.NEW))

    statuses = [RequestStatus.MATCHED, RequestStatus.CANCELLED] * 3
    workers = [threading.Thread(target=move, args=(status,)) for status in statuses]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)

    assert sorted(results) == [False] * 5 + [True]


def test_targets_save_list_delete(store):
    first = Target("t1", 5, NOW, industry="Healthcare", region="APAC")
    second = Target("t2", 2, NOW + timedelta(seconds=1), language="Japanese")
    store.save_target(first)
    store.save_target(second)
    store.save_target(replace(first, wanted=6))

    store.delete_target("t2")
    store.delete_target("missing")

    assert store.list_targets() == [replace(first, wanted=6)]
