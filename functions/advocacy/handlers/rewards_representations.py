"""JSON shapes of rewards, as the advocate and admin APIs return them, and the status of each rewards error."""

from __future__ import annotations

from aws_lambda_powertools import Logger

from advocacy.domain import rewards
from advocacy.domain.activities import ActivityType
from advocacy.domain.rewards import (
    LedgerEntry,
    PointsRules,
    QuarterPoints,
    Redemption,
    Reward,
    RewardsAccount,
    Tier,
)
from advocacy.handlers.representations import utc_text
from advocacy.services.rewards import RewardsOverview

logger = Logger(service="advocacy-portal", child=True)

ENTRY_KIND_LABELS = {
    rewards.EntryKind.AWARD: "Award",
    rewards.EntryKind.ADJUSTMENT: "Adjustment",
    rewards.EntryKind.REDEMPTION: "Redemption",
    rewards.EntryKind.REFUND: "Refund",
}
REDEMPTION_STATUS_LABELS = {
    rewards.RedemptionStatus.PENDING: "Waiting for the advocacy team",
    rewards.RedemptionStatus.FULFILLED: "Fulfilled",
    rewards.RedemptionStatus.DECLINED: "Declined, points returned",
}


def tier_json(tier: Tier | None) -> dict | None:
    return {"name": tier.name, "threshold": tier.threshold} if tier else None


def account_json(account: RewardsAccount) -> dict:
    return {"balance": account.balance, "lifetime": account.lifetime}


def overview_json(overview: RewardsOverview) -> dict:
    standing = overview.standing
    return {
        **account_json(overview.account),
        "tier": tier_json(standing.tier),
        "next_tier": tier_json(standing.next_tier),
        "points_to_next_tier": standing.points_to_next,
        "tiers": [tier_json(tier) for tier in overview.tiers],
    }


def entry_json(entry: LedgerEntry, for_admin: bool = False) -> dict:
    shape = {
        "entry_id": entry.entry_id,
        "kind": entry.kind.value,
        "kind_label": ENTRY_KIND_LABELS[entry.kind],
        "points": entry.points,
        "created_at": utc_text(entry.created_at),
        "description": entry.description,
        "activity_id": entry.activity_id or None,
        "reward_id": entry.reward_id or None,
        "redemption_id": entry.redemption_id or None,
        "reason": entry.reason,
    }
    if for_admin:
        shape.update(advocate_email=entry.advocate_email_key, created_by=entry.created_by, rules_version=entry.rules_version)
    return shape


def reward_json(reward: Reward, for_admin: bool = False) -> dict:
    shape = {
        "reward_id": reward.reward_id,
        "name": reward.name,
        "description": reward.description,
        "points": reward.points,
        "stock": reward.stock,
        "in_stock": reward.stock is None or reward.stock > 0,
    }
    if for_admin:
        shape.update(
            active=reward.active,
            version=reward.version,
            created_at=utc_text(reward.created_at),
            updated_at=utc_text(reward.updated_at),
        )
    return shape


def redemption_json(redemption: Redemption, for_admin: bool = False) -> dict:
    shape = {
        "redemption_id": redemption.redemption_id,
        "reward_id": redemption.reward_id,
        "reward_name": redemption.reward_name,
        "points": redemption.points,
        "status": redemption.status.value,
        "status_label": REDEMPTION_STATUS_LABELS[redemption.status],
        "requested_at": utc_text(redemption.requested_at),
        "decided_at": utc_text(redemption.decided_at) if redemption.decided_at else None,
        "note": redemption.note,
    }
    if for_admin:
        shape.update(advocate_email=redemption.advocate_email_key, decided_by=redemption.decided_by)
    return shape


def rules_json(rules: PointsRules) -> dict:
    return {
        "version": rules.version,
        "effective_from": utc_text(rules.effective_from),
        "changed_by": rules.changed_by,
        "points_by_type": {activity_type.value: rules.points_by_type.get(activity_type, 0) for activity_type in ActivityType},
        "labels": {activity_type.value: activity_type.label for activity_type in ActivityType},
        "bonus_per_attending_prospect": rules.bonus_per_attending_prospect,
        "bonus_cap": rules.bonus_cap,
    }


def quarter_json(quarter: QuarterPoints) -> dict:
    return {
        "quarter": quarter.quarter,
        "issued": quarter.issued,
        "awarded": quarter.awarded,
        "adjusted_up": quarter.adjusted_up,
        "adjusted_down": quarter.adjusted_down,
        "redeemed": quarter.redeemed,
        "refunded": quarter.refunded,
        "entries": quarter.entries,
    }
