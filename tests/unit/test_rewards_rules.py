"""Rewards rules: points per activity, capped bonus, rules versions, tiers, ledger arithmetic."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from advocacy.domain.activities import Activity, ActivityType
from advocacy.domain.rewards import (
    DEFAULT_POINTS_BY_TYPE,
    DEFAULT_RULES,
    DEFAULT_TIERS,
    EntryKind,
    InvalidRewardSettings,
    LedgerEntry,
    NotEnoughPoints,
    OutOfStock,
    PointsRules,
    Redemption,
    RedemptionAlreadyDecided,
    RedemptionStatus,
    Reward,
    RewardUnavailable,
    Tier,
    adjustment_entry,
    check_pending,
    check_redeemable,
    check_tiers,
    describe_activity,
    hold_entry,
    new_rules_version,
    quarter_bounds,
    quarter_of,
    redemption_id_for,
    sum_quarter,
    tier_standing,
)
from tests.factories import NOW


def activity(activity_type=ActivityType.REFERENCE_FORUM, attending=0) -> Activity:
    return Activity(
        activity_id="forum:f1:dana@northwind.example",
        advocate_email_key="dana@northwind.example",
        activity_type=activity_type,
        occurred_at=datetime(2027, 1, 20, 16, tzinfo=timezone.utc),
        recorded_at=NOW,
        forum_id="f1",
        attending_prospects=attending,
    )


def rules_with_bonus(per_prospect: int, cap: int) -> PointsRules:
    return PointsRules(points_by_type=DEFAULT_POINTS_BY_TYPE, bonus_per_attending_prospect=per_prospect, bonus_cap=cap)


def entry(kind: EntryKind, points: int) -> LedgerEntry:
    return LedgerEntry(
        entry_id=f"{kind.value}:1", advocate_email_key="dana@northwind.example", kind=kind, points=points,
        created_at=NOW, description="",
    )


# Points


def test_points_one_to_many_is_one_activity():
    assert DEFAULT_RULES.points_for(activity(attending=70)).total == 300


def test_points_bonus_per_prospect_below_cap():
    breakdown = rules_with_bonus(5, 100).points_for(activity(attending=12))

    assert breakdown.base == 300
    assert breakdown.bonus == 60


def test_points_bonus_stops_at_cap():
    assert rules_with_bonus(5, 100).points_for(activity(attending=70)).bonus == 100


def test_points_for_each_type_follow_rules():
    for activity_type, points in DEFAULT_POINTS_BY_TYPE.items():
        assert DEFAULT_RULES.points_for(activity(activity_type)).total == points


def test_new_rules_version_follows_previous():
    rules = new_rules_version(DEFAULT_RULES, DEFAULT_POINTS_BY_TYPE, 5, 50, NOW, "lead@advocacy.example")

    assert rules.version == 1
    assert rules.effective_from == NOW


def test_new_rules_reject_cap_below_one_bonus():
    with pytest.raises(InvalidRewardSettings) as raised:
        new_rules_version(DEFAULT_RULES, DEFAULT_POINTS_BY_TYPE, 10, 5, NOW, "")

    assert raised.value.field == "bonus_cap"


def test_new_rules_reject_missing_type():
    partial = {ActivityType.REFERENCE_FORUM: 300}

    with pytest.raises(InvalidRewardSettings) as raised:
        new_rules_version(DEFAULT_RULES, partial, 0, 0, NOW, "")

    assert raised.value.field == "limited_group_event"


def test_new_rules_reject_negative_points():
    with pytest.raises(InvalidRewardSettings) as raised:
        new_rules_version(DEFAULT_RULES, {**DEFAULT_POINTS_BY_TYPE, ActivityType.PRESS: -1}, 0, 0, NOW, "")

    assert raised.value.field == "press"


# Ledger


@pytest.mark.parametrize(
    ("kind", "points", "lifetime"),
    [
        (EntryKind.AWARD, 300, 300),
        (EntryKind.ADJUSTMENT, 50, 50),
        (EntryKind.ADJUSTMENT, -50, 0),
        (EntryKind.REDEMPTION, -200, 0),
        (EntryKind.REFUND, 200, 0),
    ],
)
def test_lifetime_counts_awards_and_positive_adjustments(kind, points, lifetime):
    assert entry(kind, points).lifetime_points == lifetime


def test_adjustment_requires_reason():
    with pytest.raises(InvalidRewardSettings) as raised:
        adjustment_entry("dana@northwind.example", 10, "  ", "lead@advocacy.example", NOW, "adjustment:1")

    assert raised.value.field == "reason"


def test_adjustment_rejects_zero():
    with pytest.raises(InvalidRewardSettings) as raised:
        adjustment_entry("dana@northwind.example", 0, "Nothing", "lead@advocacy.example", NOW, "adjustment:1")

    assert raised.value.field == "points"


def test_not_enough_points_for_redemption_names_cost_and_balance():
    error = NotEnoughPoints.for_entry(entry(EntryKind.REDEMPTION, -500), 300)

    assert error.message == "Not enough points: the reward costs 500 and your balance is 300."


def test_not_enough_points_for_adjustment_names_limit():
    error = NotEnoughPoints.for_entry(entry(EntryKind.ADJUSTMENT, -500), 300)

    assert "Enter at least -300." in error.message
    assert error.field == "points"


def test_describe_forum_activity():
    text = describe_activity(activity(attending=31), "Claims at scale")

    assert text == "Reference forum \u201cClaims at scale\u201d on 2027-01-20, 31 attending prospects"


# Catalog and redemptions


def reward(active=True, stock=None) -> Reward:
    return Reward(
        reward_id="mug", name="Mug", description="", points=100, active=active, created_at=NOW, updated_at=NOW, stock=stock
    )


def test_inactive_reward_is_unavailable():
    with pytest.raises(RewardUnavailable):
        check_redeemable(reward(active=False))


def test_empty_stock_is_out_of_stock():
    with pytest.raises(OutOfStock):
        check_redeemable(reward(stock=0))


def test_unlimited_reward_is_redeemable():
    check_redeemable(reward(stock=None))


def test_hold_entry_subtracts_cost():
    redemption = Redemption(
        redemption_id="r1", advocate_email_key="dana@northwind.example", reward_id="mug", reward_name="Mug",
        points=100, status=RedemptionStatus.PENDING, requested_at=NOW,
    )

    hold = hold_entry(redemption)

    assert hold.points == -100
    assert hold.entry_id == "redemption:r1"


def test_decided_redemption_is_not_pending():
    decided = Redemption(
        redemption_id="r1", advocate_email_key="d@x.example", reward_id="mug", reward_name="Mug", points=100,
        status=RedemptionStatus.FULFILLED, requested_at=NOW, decided_at=NOW,
    )

    with pytest.raises(RedemptionAlreadyDecided):
        check_pending(decided)


def test_redemption_id_depends_on_advocate_and_request():
    first = redemption_id_for("dana@northwind.example", "click-1234")

    assert first == redemption_id_for("dana@northwind.example", "click-1234")
    assert first != redemption_id_for("lee@contoso.example", "click-1234")


# Tiers


@pytest.mark.parametrize(
    ("lifetime", "tier", "next_tier", "to_next"),
    [(0, "Bronze", "Silver", 500), (499, "Bronze", "Silver", 1), (500, "Silver", "Gold", 1000), (9000, "Gold", None, None)],
)
def test_tier_standing_by_lifetime(lifetime, tier, next_tier, to_next):
    standing = tier_standing(lifetime, DEFAULT_TIERS)

    assert standing.tier.name == tier
    assert (standing.next_tier.name if standing.next_tier else None) == next_tier
    assert standing.points_to_next == to_next


def test_tiers_must_start_at_zero():
    with pytest.raises(InvalidRewardSettings):
        check_tiers((Tier("Member", 10),))


def test_tiers_must_rise():
    with pytest.raises(InvalidRewardSettings):
        check_tiers((Tier("Member", 0), Tier("Gold", 500), Tier("Silver", 500)))


def test_tiers_need_distinct_names():
    with pytest.raises(InvalidRewardSettings):
        check_tiers((Tier("Member", 0), Tier("member", 500)))


# Report


def test_quarter_of_instant():
    assert quarter_of(datetime(2027, 3, 31, 23, 59, tzinfo=timezone.utc)) == "2027-Q1"
    assert quarter_of(datetime(2027, 4, 1, tzinfo=timezone.utc)) == "2027-Q2"


def test_quarter_bounds_of_last_quarter():
    start, end = quarter_bounds(2027, 4)

    assert start == datetime(2027, 10, 1, tzinfo=timezone.utc)
    assert end == datetime(2028, 1, 1, tzinfo=timezone.utc)
    assert end - start == timedelta(days=92)


def test_sum_quarter_separates_kinds():
    totals = sum_quarter(
        "2027-Q1",
        [entry(EntryKind.AWARD, 300), entry(EntryKind.ADJUSTMENT, 50), entry(EntryKind.ADJUSTMENT, -20),
         entry(EntryKind.REDEMPTION, -200), entry(EntryKind.REFUND, 200)],
    )

    assert totals.issued == 350
    assert totals.adjusted_down == 20
    assert totals.redeemed == 200
    assert totals.refunded == 200
