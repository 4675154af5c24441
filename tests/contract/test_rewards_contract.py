"""The rewards part of the store contract, on every adapter: ledger, balance, catalog, redemptions."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import replace
from datetime import timedelta

import pytest

from advocacy.domain.activities import ActivityType
from advocacy.domain.rewards import (
    DEFAULT_POINTS_BY_TYPE,
    EntryKind,
    LedgerEntry,
    NotEnoughPoints,
    OutOfStock,
    PointsRules,
    PointsRulesChanged,
    Redemption,
    RedemptionAlreadyDecided,
    RedemptionStatus,
    Reward,
    RewardChanged,
    RewardNotFound,
    RewardUnavailable,
    Tier,
    hold_entry,
    refund_entry,
)
from tests.factories import NOW

DANA = "dana@northwind.example"
LEE = "lee@contoso.example"
ADMIN = "lead@advocacy.example"


def award(points: int, entry_id: str = "award:forum:f1:dana@northwind.example", email: str = DANA, at=NOW) -> LedgerEntry:
    return LedgerEntry(
        entry_id=entry_id,
        advocate_email_key=email,
        kind=EntryKind.AWARD,
        points=points,
        created_at=at,
        description="Reference forum",
        activity_id=entry_id.removeprefix("award:"),
        rules_version=0,
    )


def adjustment(points: int, entry_id: str = "adjustment:1", email: str = DANA, at=NOW) -> LedgerEntry:
    return LedgerEntry(
        entry_id=entry_id, advocate_email_key=email, kind=EntryKind.ADJUSTMENT, points=points, created_at=at,
        description="Adjustment: correction", reason="correction", created_by=ADMIN,
    )


def make_reward(reward_id: str = "mug", points: int = 500, stock: int | None = None, active: bool = True) -> Reward:
    return Reward(
        reward_id=reward_id, name=f"Reward {reward_id}", description="A thank-you", points=points, active=active,
        created_at=NOW, updated_at=NOW, stock=stock,
    )


def make_redemption(reward: Reward, redemption_id: str = "r1", email: str = DANA, at=NOW) -> Redemption:
    return Redemption(
        redemption_id=redemption_id, advocate_email_key=email, reward_id=reward.reward_id, reward_name=reward.name,
        points=reward.points, status=RedemptionStatus.PENDING, requested_at=at,
    )


def redeem(store, reward: Reward, redemption_id: str = "r1", email: str = DANA):
    redemption = make_redemption(reward, redemption_id, email)
    return store.place_redemption(redemption, hold_entry(redemption), reward)


def run_together(count: int, work) -> list:
    """Run ``work(i)`` in ``count`` threads released at once; return each result or exception."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def worker(index: int) -> None:
        barrier.wait(timeout=30)
        try:
            results[index] = work(index)
        except Exception as error:  # the test inspects every refusal
            results[index] = error

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return results


# Ledger and balance


def test_award_books_entry_and_balance(store):
    booked = store.append_ledger_entry(award(300))

    account = store.get_rewards_account(DANA)
    assert booked is True
    assert account.balance == 300
    assert account.lifetime == 300
    assert store.list_ledger(DANA) == [award(300)]


def test_account_without_entries_is_zero(store):
    account = store.get_rewards_account(LEE)

    assert (account.balance, account.lifetime) == (0, 0)


def test_repeated_award_books_once(store):
    store.append_ledger_entry(award(300))

    again = store.append_ledger_entry(award(300))

    assert again is False
    assert store.get_rewards_account(DANA).balance == 300
    assert len(store.list_ledger(DANA)) == 1


def test_concurrent_awards_of_one_activity_book_once(store):
    results = run_together(8, lambda index: store.append_ledger_entry(award(300)))

    assert sorted(results) == [False] * 7 + [True]
    assert store.get_rewards_account(DANA).balance == 300
    assert len(store.list_ledger(DANA)) == 1


def test_negative_adjustment_below_zero_is_refused(store):
    store.append_ledger_entry(award(300))

    with pytest.raises(NotEnoughPoints) as refused:
        store.append_ledger_entry(adjustment(-500))

    assert refused.value.balance == 300
    assert store.get_rewards_account(DANA).balance == 300
    assert len(store.list_ledger(DANA)) == 1


def test_negative_adjustment_keeps_lifetime(store):
    store.append_ledger_entry(award(300))

    store.append_ledger_entry(adjustment(-100))

    account = store.get_rewards_account(DANA)
    assert account.balance == 200
    assert account.lifetime == 300


def test_positive_adjustment_raises_lifetime(store):
    store.append_ledger_entry(adjustment(50))

    assert store.get_rewards_account(DANA).lifetime == 50


def test_ledger_lists_newest_first(store):
    store.append_ledger_entry(award(300, at=NOW - timedelta(days=2)))
    store.append_ledger_entry(adjustment(20, at=NOW))

    listed = store.list_ledger(DANA)

    assert [entry.kind for entry in listed] == [EntryKind.ADJUSTMENT, EntryKind.AWARD]


def test_ledger_between_spans_quarters_and_advocates(store):
    store.append_ledger_entry(award(100, "award:a", at=NOW - timedelta(days=60)))
    store.append_ledger_entry(award(200, "award:b", email=LEE, at=NOW))
    store.append_ledger_entry(award(400, "award:c", at=NOW + timedelta(days=100)))

    listed = store.list_ledger_between(NOW - timedelta(days=90), NOW + timedelta(days=1))

    assert [entry.entry_id for entry in listed] == ["award:a", "award:b"]


# Points rules and tiers


def rules(version: int, at=NOW, points: int = 300) -> PointsRules:
    return PointsRules(
        points_by_type={**DEFAULT_POINTS_BY_TYPE, ActivityType.REFERENCE_FORUM: points},
        bonus_per_attending_prospect=5,
        bonus_cap=50,
        version=version,
        effective_from=at,
        changed_by=ADMIN,
    )


def test_no_rules_saved_returns_none(store):
    assert store.rules_in_effect(NOW) is None


def test_rules_in_effect_picks_version_by_instant(store):
    store.save_points_rules(rules(1, at=NOW - timedelta(days=10), points=300))
    store.save_points_rules(rules(2, at=NOW, points=900))

    assert store.rules_in_effect(NOW - timedelta(days=1)).version == 1
    assert store.rules_in_effect(NOW).points_by_type[ActivityType.REFERENCE_FORUM] == 900
    assert store.rules_in_effect(NOW - timedelta(days=11)) is None


def test_rules_saved_twice_at_one_instant_take_newest(store):
    store.save_points_rules(rules(1, points=300))
    store.save_points_rules(rules(2, points=900))

    assert store.rules_in_effect(NOW).version == 2


def test_rules_version_taken_is_refused(store):
    store.save_points_rules(rules(1))

    with pytest.raises(PointsRulesChanged):
        store.save_points_rules(rules(1, points=1))


def test_tiers_round_trip(store):
    tiers = (Tier("Member", 0), Tier("Champion", 1000))

    store.save_tiers(tiers, ADMIN, NOW)

    assert store.get_tiers() == tiers


def test_tiers_unset_return_none(store):
    assert store.get_tiers() is None


# Catalog


def test_reward_round_trips_with_and_without_stock(store):
    store.add_reward(make_reward("mug", stock=3))
    store.add_reward(make_reward("book"))

    assert store.get_reward("mug") == make_reward("mug", stock=3)
    assert store.get_reward("book").stock is None
    assert [reward.reward_id for reward in store.list_rewards()] == ["book", "mug"]


def test_update_reward_bumps_version(store):
    store.add_reward(make_reward(stock=3))

    updated = store.update_reward(replace(make_reward(stock=None), name="Mug, blue", active=False), expected_version=1)

    assert updated.version == 2
    assert store.get_reward("mug") == updated
    assert store.get_reward("mug").stock is None


def test_update_reward_with_stale_version_is_refused(store):
    store.add_reward(make_reward(stock=3))
    store.append_ledger_entry(award(600))
    redeem(store, make_reward(stock=3))

    with pytest.raises(RewardChanged):
        store.update_reward(make_reward(stock=10), expected_version=1)


def test_update_missing_reward_is_refused(store):
    with pytest.raises(RewardNotFound):
        store.update_reward(make_reward(), expected_version=1)


def test_delete_reward(store):
    store.add_reward(make_reward())

    assert store.delete_reward("mug") is True
    assert store.get_reward("mug") is None
    assert store.delete_reward("mug") is False


# Redemptions


def test_redemption_holds_points_and_takes_stock(store):
    store.add_reward(make_reward(stock=2))
    store.append_ledger_entry(award(800))

    redemption, created = redeem(store, make_reward(stock=2))

    assert created is True
    assert store.get_rewards_account(DANA).balance == 300
    assert store.get_rewards_account(DANA).lifetime == 800
    assert store.get_reward("mug").stock == 1
    assert store.list_ledger(DANA)[0].kind is EntryKind.REDEMPTION
    assert store.get_redemption("r1") == redemption


def test_redemption_with_same_id_is_one(store):
    store.add_reward(make_reward(stock=2))
    store.append_ledger_entry(award(1000))
    redeem(store, make_reward(stock=2))

    existing, created = redeem(store, make_reward(stock=1))

    assert created is False
    assert existing.redemption_id == "r1"
    assert store.get_rewards_account(DANA).balance == 500
    assert store.get_reward("mug").stock == 1


def test_redemption_beyond_balance_is_refused(store):
    store.add_reward(make_reward())
    store.append_ledger_entry(award(300))

    with pytest.raises(NotEnoughPoints) as refused:
        redeem(store, make_reward())

    assert refused.value.message == "Not enough points: the reward costs 500 and your balance is 300."
    assert store.get_redemption("r1") is None


def test_redemption_of_empty_stock_is_refused(store):
    store.add_reward(make_reward(stock=0))
    store.append_ledger_entry(award(900))

    with pytest.raises(OutOfStock) as refused:
        redeem(store, make_reward(stock=1))

    assert refused.value.message == "Out of stock."
    assert store.get_rewards_account(DANA).balance == 900


def test_redemption_of_inactive_reward_is_refused(store):
    store.add_reward(make_reward(active=False))
    store.append_ledger_entry(award(900))

    with pytest.raises(RewardUnavailable):
        redeem(store, make_reward())


def test_redemption_after_price_change_is_refused(store):
    store.add_reward(make_reward(points=700))
    store.append_ledger_entry(award(900))

    with pytest.raises(RewardChanged):
        redeem(store, make_reward(points=500))

    assert store.get_rewards_account(DANA).balance == 900


def test_concurrent_redemptions_beyond_balance(store):
    store.add_reward(make_reward(points=300))
    store.append_ledger_entry(award(1000))

    results = run_together(6, lambda index: redeem(store, make_reward(points=300), f"r{index}"))

    placed = [result for result in results if isinstance(result, tuple)]
    refused = [result for result in results if isinstance(result, Exception)]
    assert len(placed) == 3
    assert len(refused) == 3
    assert all(isinstance(error, NotEnoughPoints) for error in refused)
    assert all(error.message.startswith("Not enough points: the reward costs 300") for error in refused)
    assert store.get_rewards_account(DANA).balance == 100
    assert len(store.list_ledger(DANA)) == 4


def test_concurrent_redemptions_beyond_stock(store):
    store.add_reward(make_reward(points=100, stock=2))
    for number, email in enumerate((DANA, LEE, "kim@fabrikam.example", "ana@tailspin.example", "bo@litware.example")):
        store.append_ledger_entry(award(500, f"award:{number}", email=email))
    emails = [DANA, LEE, "kim@fabrikam.example", "ana@tailspin.example", "bo@litware.example"]

    results = run_together(5, lambda index: redeem(store, make_reward(points=100, stock=2), f"r{index}", emails[index]))

    placed = [result for result in results if isinstance(result, tuple)]
    refused = [result for result in results if isinstance(result, Exception)]
    assert len(placed) == 2
    assert [error.message for error in refused] == ["Out of stock."] * 3
    assert store.get_reward("mug").stock == 0
    assert sum(store.get_rewards_account(email).balance for email in emails) == 5 * 500 - 2 * 100


def test_concurrent_redemptions_beyond_balance_and_stock(store):
    store.add_reward(make_reward(points=400, stock=1))
    store.add_reward(make_reward("book", points=400))
    store.append_ledger_entry(award(500))
    rewards = [make_reward(points=400, stock=1), make_reward("book", points=400)] * 3

    results = run_together(6, lambda index: redeem(store, rewards[index], f"r{index}"))

    placed = [result for result in results if isinstance(result, tuple)]
    refused = [result for result in results if isinstance(result, Exception)]
    assert len(placed) == 1
    assert all(isinstance(error, (NotEnoughPoints, OutOfStock)) for error in refused)
    assert store.get_rewards_account(DANA).balance == 100
    assert store.get_reward("mug").stock in (0, 1)


def test_fulfill_redemption_once(store):
    store.add_reward(make_reward())
    store.append_ledger_entry(award(600))
    redemption, _ = redeem(store, make_reward())

    fulfilled = store.fulfill_redemption(redemption, NOW, ADMIN, "Shipped")

    assert fulfilled.status is RedemptionStatus.FULFILLED
    assert fulfilled.decided_by == ADMIN
    assert store.get_rewards_account(DANA).balance == 100
    with pytest.raises(RedemptionAlreadyDecided):
        store.fulfill_redemption(redemption, NOW, ADMIN, "Again")


def test_decline_refunds_and_returns_stock(store):
    store.add_reward(make_reward(stock=1))
    store.append_ledger_entry(award(600))
    redemption, _ = redeem(store, make_reward(stock=1))

    declined = store.decline_redemption(redemption, refund_entry(redemption, ADMIN, "No longer made", NOW))

    assert declined.status is RedemptionStatus.DECLINED
    assert declined.note == "No longer made"
    assert store.get_rewards_account(DANA).balance == 600
    assert store.get_rewards_account(DANA).lifetime == 600
    assert store.get_reward("mug").stock == 1
    assert [entry.kind for entry in store.list_ledger(DANA)].count(EntryKind.REFUND) == 1


def test_decline_of_deleted_reward_refunds(store):
    store.add_reward(make_reward(stock=1))
    store.append_ledger_entry(award(600))
    redemption, _ = redeem(store, make_reward(stock=1))
    store.delete_reward("mug")

    store.decline_redemption(redemption, refund_entry(redemption, ADMIN, "Discontinued", NOW))

    assert store.get_rewards_account(DANA).balance == 600
    assert store.get_reward("mug") is None


def test_decline_after_fulfill_is_refused(store):
    store.add_reward(make_reward())
    store.append_ledger_entry(award(600))
    redemption, _ = redeem(store, make_reward())
    store.fulfill_redemption(redemption, NOW, ADMIN, "")

    with pytest.raises(RedemptionAlreadyDecided):
        store.decline_redemption(redemption, refund_entry(redemption, ADMIN, "Too late", NOW))

    assert store.get_rewards_account(DANA).balance == 100


def test_concurrent_decisions_decide_once(store):
    store.add_reward(make_reward(stock=1))
    store.append_ledger_entry(award(600))
    redemption, _ = redeem(store, make_reward(stock=1))

    def decide(index: int):
        if index % 2:
            return store.fulfill_redemption(redemption, NOW, ADMIN, "")
        return store.decline_redemption(redemption, refund_entry(redemption, ADMIN, "No", NOW))

    results = run_together(6, decide)

    decided = [result for result in results if isinstance(result, Redemption)]
    refused = [result for result in results if isinstance(result, RedemptionAlreadyDecided)]
    assert len(decided) == 1
    assert len(refused) == 5
    expected_balance = 600 if decided[0].status is RedemptionStatus.DECLINED else 100
    assert store.get_rewards_account(DANA).balance == expected_balance


def test_redemption_lists(store):
    store.add_reward(make_reward(points=100))
    store.append_ledger_entry(award(500))
    store.append_ledger_entry(award(500, "award:lee", email=LEE))
    first, _ = store.place_redemption(
        make_redemption(make_reward(points=100), "r1", at=NOW - timedelta(hours=1)),
        hold_entry(make_redemption(make_reward(points=100), "r1", at=NOW - timedelta(hours=1))),
        make_reward(points=100),
    )
    redeem(store, make_reward(points=100), "r2")
    redeem(store, make_reward(points=100), "r3", email=LEE)
    store.fulfill_redemption(first, NOW, ADMIN, "")

    assert [r.redemption_id for r in store.list_redemptions(RedemptionStatus.PENDING)] == ["r2", "r3"]
    assert [r.redemption_id for r in store.list_redemptions(RedemptionStatus.FULFILLED)] == ["r1"]
    assert [r.redemption_id for r in store.list_redemptions_of(DANA)] == ["r2", "r1"]


def test_sqlite_ledger_rejects_update(tmp_path):
    from advocacy.adapters.sqlite_store import SQLiteStore

    sqlite_store = SQLiteStore(tmp_path / "portal.sqlite3")
    sqlite_store.append_ledger_entry(award(300))

    with sqlite_store._connection() as connection, pytest.raises(sqlite3.IntegrityError):
        connection.execute("UPDATE ledger_entries SET points = 9000")
