"""The advocate part of the store contract, on every adapter: profiles, directory, nominations,
profile review requests and erasure."""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import date, timedelta

import pytest

from advocacy.domain.activities import Activity, ActivityType, forum_activity_id
from advocacy.domain.advocates import Advocate, AdvocateStatus, Blackout
from advocacy.domain.errors import DomainError
from advocacy.domain.nominations import (
    Nomination,
    NominationNotFound,
    NominationNote,
    NominationSource,
    NominationStatus,
    NominationStatusConflict,
    moved,
)
from tests.factories import NOW

DANA = "dana@northwind.example"


def make_advocate(email_key: str = DANA, **details) -> Advocate:
    return Advocate(
        email_key=email_key,
        email=details.pop("email", email_key),
        first_name=details.pop("first_name", "Dana"),
        last_name=details.pop("last_name", "Whitfield"),
        company=details.pop("company", "Northwind Health"),
        status=details.pop("status", AdvocateStatus.ACTIVE),
        **details,
    )


def make_nomination(nomination_id: str = "n1", email: str = "Robin@Customer.example", **details) -> Nomination:
    return Nomination(
        nomination_id=nomination_id,
        email_key=email.lower(),
        email=email,
        name=details.pop("name", "Robin Customer"),
        company=details.pop("company", "Customer Inc."),
        role=details.pop("role", "CIO"),
        source=details.pop("source", NominationSource.SELF),
        status=details.pop("status", NominationStatus.UNCONFIRMED),
        created_at=details.pop("created_at", NOW),
        updated_at=NOW,
        expires_at=details.pop("expires_at", NOW + timedelta(hours=48)),
        **details,
    )


def run_together(count: int, action) -> list:
    """Run ``action(index)`` in ``count`` threads released at once; return results and errors."""
    barrier = threading.Barrier(count)
    results: list = []

    def work(index: int):
        barrier.wait(timeout=30)
        try:
            results.append(action(index))
        except DomainError as error:
            results.append(error)

    workers = [threading.Thread(target=work, args=(index,)) for index in range(count)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    return results


# Profiles and the directory


def test_advocate_round_trips_every_field(store):
    advocate = make_advocate(
        title="VP Operations", industry="Healthcare", country="United States", products=("Claims Automation",),
        persona="Operations leader", activities_willing=("reference_forum",), max_activities_per_quarter=3,
        last_verified=date(2026, 9, 14), notes="Mornings", region="North America", use_cases=("Claims intake",),
        languages=("English", "Spanish"), time_zone="America/New_York", story="We cut claim times in half.",
        blackouts=(Blackout(date(2027, 3, 1), date(2027, 3, 15)), Blackout(date(2027, 7, 1), date(2027, 7, 31))),
    )

    store.save_advocate(advocate)

    assert store.get_advocate(DANA) == advocate


def test_advocate_without_optional_fields_round_trips(store):
    store.save_advocate(make_advocate())

    assert store.get_advocate(DANA) == make_advocate()


def test_list_advocates_filters_statuses(store):
    store.save_advocate(make_advocate("b@x.example"))
    store.save_advocate(make_advocate("a@x.example", status=AdvocateStatus.PAUSED))
    store.save_advocate(make_advocate("c@x.example", status=AdvocateStatus.RETIRED))

    listed = store.list_advocates([AdvocateStatus.ACTIVE, AdvocateStatus.PAUSED])

    assert [advocate.email_key for advocate in listed] == ["b@x.example", "a@x.example"]


def test_list_advocates_all_statuses(store):
    for email, status in (("b@x.example", AdvocateStatus.ACTIVE), ("a@x.example", AdvocateStatus.CANDIDATE)):
        store.save_advocate(make_advocate(email, status=status))

    assert len(store.list_advocates()) == 2


def test_list_advocates_follows_status_change(store):
    store.save_advocate(make_advocate())
    store.save_advocate(make_advocate(status=AdvocateStatus.PAUSED))

    assert store.list_advocates([AdvocateStatus.ACTIVE]) == []


def test_last_activity_of_returns_latest(store):
    for days in (30, 3, 60):
        store.record_activity(
            Activity(f"call:{days}", DANA, ActivityType.ONE_TO_ONE_CALL, NOW - timedelta(days=days), NOW)
        )

    assert store.last_activity_of(DANA).activity_id == "call:3"


def test_last_activity_of_without_activity_is_none(store):
    assert store.last_activity_of(DANA) is None


# Nominations


def test_enqueue_first_nomination_makes_it_new(store):
    store.add_nomination(make_nomination())

    queued, created = store.enqueue_nomination(make_nomination(), NOW)

    assert created is True
    assert queued.status is NominationStatus.NEW
    assert store.find_nomination("robin@customer.example").nomination_id == "n1"


def test_enqueue_second_nomination_joins_first(store):
    store.add_nomination(make_nomination("n1"))
    store.enqueue_nomination(make_nomination("n1"), NOW)
    second = make_nomination("n2", email="ROBIN@customer.example", products=("Insight Cloud",), reason="Great fan")
    store.add_nomination(second)

    joined, created = store.enqueue_nomination(second, NOW)

    assert created is False
    assert joined.nomination_id == "n1"
    assert [supporter.reason for supporter in joined.supporters] == ["Great fan"]
    assert store.get_nomination("n2").status is NominationStatus.JOINED


def test_enqueue_again_changes_nothing(store):
    store.add_nomination(make_nomination())
    store.enqueue_nomination(make_nomination(), NOW)

    again, created = store.enqueue_nomination(make_nomination(), NOW)

    assert created is False
    assert again.status is NominationStatus.NEW
    assert again.supporters == ()


def test_enqueue_unknown_unconfirmed_raises(store):
    with pytest.raises(NominationNotFound):
        store.enqueue_nomination(make_nomination("missing"), NOW)


def test_enqueue_admin_nomination_needs_no_stored_submission(store):
    admin_made = make_nomination("n9", source=NominationSource.ADMIN, status=NominationStatus.NEW, expires_at=None)

    queued, created = store.enqueue_nomination(admin_made, NOW)

    assert created is True
    assert store.get_nomination("n9").status is NominationStatus.NEW


def test_concurrent_confirmations_queue_one_per_person(store):
    submissions = [make_nomination(f"n{index}", email="Robin@CUSTOMER.example" if index % 2 else "robin@customer.example") for index in range(6)]
    for submission in submissions:
        store.add_nomination(submission)

    results = run_together(6, lambda index: store.enqueue_nomination(submissions[index], NOW))

    assert sorted(created for _, created in results) == [False] * 5 + [True]
    assert len(store.find_nomination("robin@customer.example").supporters) == 5


def test_list_nominations_newest_first(store):
    for index in range(3):
        submission = make_nomination(f"n{index}", email=f"p{index}@x.example", created_at=NOW + timedelta(hours=index))
        store.add_nomination(submission)
        store.enqueue_nomination(submission, NOW)

    listed = store.list_nominations(NominationStatus.NEW)

    assert [nomination.nomination_id for nomination in listed] == ["n2", "n1", "n0"]


def test_list_nominations_leaves_out_unconfirmed(store):
    store.add_nomination(make_nomination())

    assert store.list_nominations(NominationStatus.NEW) == []


def test_change_nomination_status_moves_between_lists(store):
    store.add_nomination(make_nomination())
    queued, _ = store.enqueue_nomination(make_nomination(), NOW)

    changed = store.change_nomination_status(moved(queued, NominationStatus.CONTACTED, NOW), expected=NominationStatus.NEW)

    assert changed.status is NominationStatus.CONTACTED
    assert store.list_nominations(NominationStatus.NEW) == []
    assert [n.nomination_id for n in store.list_nominations(NominationStatus.CONTACTED)] == ["n1"]


def test_change_nomination_status_keeps_notes(store):
    store.add_nomination(make_nomination())
    queued, _ = store.enqueue_nomination(make_nomination(), NOW)
    store.add_nomination_note("n1", NominationNote("lead@advocacy.example", NOW, "Called her"), NOW)

    changed = store.change_nomination_status(moved(queued, NominationStatus.CONTACTED, NOW), expected=NominationStatus.NEW)

    assert [note.text for note in changed.notes] == ["Called her"]


def test_change_nomination_status_stale_expectation_raises(store):
    store.add_nomination(make_nomination())
    queued, _ = store.enqueue_nomination(make_nomination(), NOW)
    store.change_nomination_status(moved(queued, NominationStatus.CONTACTED, NOW), expected=NominationStatus.NEW)

    with pytest.raises(NominationStatusConflict):
        store.change_nomination_status(moved(queued, NominationStatus.DECLINED, NOW), expected=NominationStatus.NEW)


def test_change_status_of_missing_nomination_raises(store):
    queued = make_nomination("missing", status=NominationStatus.NEW)

    with pytest.raises(NominationNotFound):
        store.change_nomination_status(moved(queued, NominationStatus.CONTACTED, NOW), expected=NominationStatus.NEW)


def test_concurrent_decisions_apply_once(store):
    store.add_nomination(make_nomination())
    queued, _ = store.enqueue_nomination(make_nomination(), NOW)
    targets = [NominationStatus.APPROVED, NominationStatus.DECLINED] * 3

    results = run_together(6, lambda index: store.change_nomination_status(moved(queued, targets[index], NOW), expected=NominationStatus.NEW))

    winners = [result for result in results if isinstance(result, Nomination)]
    assert len(winners) == 1
    assert store.get_nomination("n1").status is winners[0].status


def test_concurrent_notes_are_all_kept(store):
    store.add_nomination(make_nomination())
    store.enqueue_nomination(make_nomination(), NOW)

    run_together(5, lambda index: store.add_nomination_note("n1", NominationNote("lead@advocacy.example", NOW, f"note {index}"), NOW))

    assert sorted(note.text for note in store.get_nomination("n1").notes) == [f"note {index}" for index in range(5)]


def test_add_note_to_missing_nomination_raises(store):
    with pytest.raises(NominationNotFound):
        store.add_nomination_note("missing", NominationNote("lead@advocacy.example", NOW, "x"), NOW)


def test_list_nominations_of_includes_every_status(store):
    store.add_nomination(make_nomination("n1"))
    store.enqueue_nomination(make_nomination("n1"), NOW)
    store.add_nomination(make_nomination("n2"))

    assert sorted(n.nomination_id for n in store.list_nominations_of("robin@customer.example")) == ["n1", "n2"]


def test_purge_unconfirmed_keeps_queued(store):
    store.add_nomination(make_nomination("n1"))
    store.enqueue_nomination(make_nomination("n1"), NOW)

    store.purge_unconfirmed_nominations(NOW + timedelta(days=5))

    assert store.get_nomination("n1") is not None


# Freshness


def test_claim_review_request_once_per_period(store):
    first = store.claim_review_request(DANA, "2026-12-01", NOW)
    again = store.claim_review_request(DANA, "2026-12-01", NOW)
    next_period = store.claim_review_request(DANA, "2027-05-30", NOW)

    assert (first, again, next_period) == (True, False, True)
    assert [period for period, _ in store.list_review_requests(DANA)] == ["2026-12-01", "2027-05-30"]


def test_concurrent_review_claims_succeed_once(store):
    results = run_together(8, lambda index: store.claim_review_request(DANA, "2026-12-01", NOW))

    assert sorted(results) == [False] * 7 + [True]


# Erasure

PERSONAL = ("dana@northwind.example", "DANA@Northwind.example", "Zephyrine", "Quillfeather", "half the time")


def _seed_person(store) -> None:
    store.save_advocate(
        make_advocate(email="DANA@Northwind.example", first_name="Zephyrine", last_name="Quillfeather",
                      story="We handle claims in half the time.", last_verified=date(2026, 1, 1))
    )
    store.record_activity(
        Activity(forum_activity_id("2027-01-20-claims", DANA), DANA, ActivityType.REFERENCE_FORUM, NOW - timedelta(days=3), NOW,
                 forum_id="2027-01-20-claims", attending_prospects=12, notes="Zephyrine was great")
    )
    store.record_activity(Activity(f"call:{DANA}:1", DANA, ActivityType.ONE_TO_ONE_CALL, NOW - timedelta(days=40), NOW))
    store.add_nomination(make_nomination("n1", email="DANA@Northwind.example", name="Zephyrine Quillfeather"))
    store.enqueue_nomination(make_nomination("n1", email="DANA@Northwind.example", name="Zephyrine Quillfeather"), NOW)
    store.add_nomination(make_nomination("n2", email="dana@northwind.example", name="Zephyrine Q."))
    store.claim_review_request(DANA, "2026-12-01", NOW)
    store.end_sessions_before(DANA, NOW)


def _everything_stored(store) -> list[str]:
    """Return every stored row or item as text: all SQLite tables, or a Scan of the moto table."""
    if hasattr(store, "table_name"):
        # A test may Scan; the application never does.
        response = store.client.scan(TableName=store.table_name)
        return [json.dumps(item, ensure_ascii=False) for item in response["Items"]]
    connection = sqlite3.connect(store.path)
    try:
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return [repr(row) for table in tables for row in connection.execute(f"SELECT * FROM {table}")]
    finally:
        connection.close()


def test_seeded_person_appears_in_stored_data(store):
    _seed_person(store)

    stored = "\n".join(_everything_stored(store)).lower()

    assert all(value.lower() in stored for value in PERSONAL)


def test_erase_advocate_leaves_no_personal_field(store):
    _seed_person(store)

    store.erase_advocate(DANA, "erased-0123456789abcdef")

    stored = "\n".join(_everything_stored(store)).lower()
    assert [value for value in PERSONAL if value.lower() in stored] == []


def test_erase_advocate_keeps_activities_anonymously(store):
    _seed_person(store)

    store.erase_advocate(DANA, "erased-0123456789abcdef")

    kept = store.list_activities_of("erased-0123456789abcdef")
    assert [activity.activity_type for activity in kept] == [ActivityType.ONE_TO_ONE_CALL, ActivityType.REFERENCE_FORUM]
    assert kept[1].attending_prospects == 12
    assert store.get_activity(forum_activity_id("2027-01-20-claims", "erased-0123456789abcdef")) == kept[1]


def test_erase_advocate_twice_is_harmless(store):
    _seed_person(store)
    store.erase_advocate(DANA, "erased-0123456789abcdef")

    store.erase_advocate(DANA, "erased-fedcba9876543210")

    assert store.get_advocate(DANA) is None
    assert len(store.list_activities_of("erased-0123456789abcdef")) == 2


def test_erase_advocate_leaves_others(store):
    _seed_person(store)
    store.save_advocate(make_advocate("sam@other.example"))

    store.erase_advocate(DANA, "erased-0123456789abcdef")

    assert store.get_advocate("sam@other.example") == make_advocate("sam@other.example")

