"""Rewards: points earned by activities, an append-only ledger, a catalog, redemptions and tiers.

The ledger is the record of every change to an advocate's points. The balance and the lifetime
total are kept next to it, changed in the same atomic write as each entry, and follow from it:

- balance = the sum of every entry's points (awards and refunds add, redemptions hold points
  and subtract, adjustments add or subtract); it never goes below zero.
- lifetime = the sum of awards and positive adjustments. Redemptions, refunds and negative
  adjustments leave it unchanged, so spending points never lowers an advocate's tier.

Points rules are versioned: each saved version has an ``effective_from`` instant, and an
activity is awarded by the version in effect when it was completed (``Activity.recorded_at``),
so a change of rules applies only to activities completed afterwards. Each award entry also
records the version it used.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from enum import StrEnum

from advocacy.domain.activities import Activity, ActivityType
from advocacy.domain.errors import DomainError

# Points per activity type until an admin saves rules of their own.
DEFAULT_POINTS_BY_TYPE: Mapping[ActivityType, int] = {
    ActivityType.REFERENCE_FORUM: 300,
    ActivityType.LIMITED_GROUP_EVENT: 200,
    ActivityType.ONE_TO_ONE_CALL: 100,
    ActivityType.CASE_STUDY: 500,
    ActivityType.SPEAKING: 400,
    ActivityType.REVIEW: 150,
    ActivityType.ADVISORY_BOARD: 250,
    ActivityType.PRESS: 300,
}
# Upper limits that catch typing mistakes such as an extra zero. They are generous guesses, not
# measured needs, so raise them if a program outgrows them.
MAX_POINTS_PER_ACTIVITY = 100_000
MAX_REWARD_POINTS = 1_000_000
MAX_STOCK = 1_000_000
MAX_ADJUSTMENT = 1_000_000
MAX_TIERS = 10
# The instant from which the built-in rules apply: before any activity could be recorded.
BEGINNING = datetime(2000, 1, 1, tzinfo=timezone.utc)


# Errors


class RewardsError(DomainError):
    """Base class of the rewards rules, so the rewards routes can map them to status codes."""


class InvalidRewardSettings(RewardsError):
    """Points rules, tiers or a reward break a rule, such as tiers whose thresholds do not rise."""


class NotEnoughPoints(RewardsError):
    """A redemption or negative adjustment would take the balance below zero."""

    def __init__(self, message: str, *, balance: int, field: str | None = None):
        super().__init__(message, field=field)
        self.balance = balance

    @classmethod
    def for_entry(cls, entry: LedgerEntry, balance: int) -> NotEnoughPoints:
        """Build the error for an entry that the balance cannot cover, worded for its kind."""
        if entry.kind is EntryKind.REDEMPTION:
            return cls(
                f"Not enough points: the reward costs {-entry.points} and your balance is {balance}.",
                balance=balance,
            )
        return cls(
            f"Not enough points: an adjustment of {entry.points} would take the balance of {balance} "
            f"below zero. Enter at least {-balance}.",
            balance=balance,
            field="points",
        )


class OutOfStock(RewardsError):
    """Every unit of the reward's stock is taken."""


class RewardNotFound(RewardsError):
    """No reward in the catalog has the requested id."""


class RewardUnavailable(RewardsError):
    """The reward exists but an admin took it out of the catalog (inactive)."""


class RewardChanged(RewardsError):
    """The reward changed between reading and writing it, so the request was not applied."""


class RedemptionNotFound(RewardsError):
    """No redemption request has the requested id."""


class RedemptionAlreadyDecided(RewardsError):
    """The redemption was already fulfilled or declined, and each redemption is decided once."""


class PointsRulesChanged(RewardsError):
    """Another admin saved points rules at the same time, so this version was not saved."""


class AdvocateNotInProgram(RewardsError):
    """Points were adjusted for an address that no advocate has."""


# Points rules


@dataclass(frozen=True)
class PointsBreakdown:
    base: int
    bonus: int

    @property
    def total(self) -> int:
        return self.base + self.bonus


@dataclass(frozen=True)
class PointsRules:
    """One version of the points rules.

    A one-to-many activity earns its type's points once, plus ``bonus_per_attending_prospect``
    for each attending prospect, at most ``bonus_cap`` in all.
    """

    points_by_type: Mapping[ActivityType, int]
    bonus_per_attending_prospect: int = 0
    bonus_cap: int = 0
    version: int = 0
    effective_from: datetime = BEGINNING
    changed_by: str = ""

    def points_for(self, activity: Activity) -> PointsBreakdown:
        base = self.points_by_type.get(activity.activity_type, 0)
        bonus = min(self.bonus_per_attending_prospect * max(activity.attending_prospects, 0), self.bonus_cap)
        return PointsBreakdown(base=base, bonus=bonus)


DEFAULT_RULES = PointsRules(points_by_type=DEFAULT_POINTS_BY_TYPE)


def new_rules_version(
    previous: PointsRules,
    points_by_type: Mapping[ActivityType, int],
    bonus_per_attending_prospect: int,
    bonus_cap: int,
    now: datetime,
    changed_by: str,
) -> PointsRules:
    """Check new rules and return them as the version after ``previous``, in effect from ``now``."""
    for activity_type in ActivityType:
        points = points_by_type.get(activity_type)
        if points is None:
            raise InvalidRewardSettings(
                f"Points for {activity_type.label.lower()} are missing; enter a whole number from 0.",
                field=activity_type.value,
            )
        _check_range(points, 0, MAX_POINTS_PER_ACTIVITY, f"Points for {activity_type.label.lower()}", activity_type.value)
    _check_range(bonus_per_attending_prospect, 0, MAX_POINTS_PER_ACTIVITY, "The bonus per attending prospect", "bonus_per_attending_prospect")
    _check_range(bonus_cap, 0, MAX_POINTS_PER_ACTIVITY, "The bonus cap", "bonus_cap")
    if bonus_per_attending_prospect > 0 and bonus_cap < bonus_per_attending_prospect:
        raise InvalidRewardSettings(
            f"The bonus cap ({bonus_cap}) is below the bonus of one attending prospect "
            f"({bonus_per_attending_prospect}); raise the cap or set the bonus to 0.",
            field="bonus_cap",
        )
    return PointsRules(
        points_by_type={activity_type: points_by_type[activity_type] for activity_type in ActivityType},
        bonus_per_attending_prospect=bonus_per_attending_prospect,
        bonus_cap=bonus_cap,
        version=previous.version + 1,
        effective_from=now,
        changed_by=changed_by,
    )


def _check_range(value: int, low: int, high: int, label: str, field_name: str) -> None:
    if not low <= value <= high:
        raise InvalidRewardSettings(f"{label} is {value}; enter a whole number from {low} to {high}.", field=field_name)


# Ledger


class EntryKind(StrEnum):
    AWARD = "award"
    ADJUSTMENT = "adjustment"
    REDEMPTION = "redemption"
    REFUND = "refund"


@dataclass(frozen=True)
class LedgerEntry:
    """One change to an advocate's points; never updated or deleted once booked.

    ``points`` is the signed change of the balance. ``entry_id`` makes booking idempotent: an
    award is ``award:<activity id>``, a redemption's hold ``redemption:<redemption id>`` and its
    refund ``refund:<redemption id>``, so none of them can be booked twice.
    """

    entry_id: str
    advocate_email_key: str
    kind: EntryKind
    points: int
    created_at: datetime
    description: str
    activity_id: str = ""
    reward_id: str = ""
    redemption_id: str = ""
    reason: str = ""
    created_by: str = ""
    rules_version: int | None = None

    @property
    def lifetime_points(self) -> int:
        """The entry's contribution to the lifetime total: awards and positive adjustments."""
        if self.kind in (EntryKind.AWARD, EntryKind.ADJUSTMENT) and self.points > 0:
            return self.points
        return 0


@dataclass(frozen=True)
class RewardsAccount:
    """An advocate's balance and lifetime total, as the ledger's entries add up."""

    advocate_email_key: str
    balance: int = 0
    lifetime: int = 0


def award_entry_id(activity_id: str) -> str:
    return f"award:{activity_id}"


def award_entry(activity: Activity, rules: PointsRules, description: str, now: datetime) -> LedgerEntry:
    return LedgerEntry(
        entry_id=award_entry_id(activity.activity_id),
        advocate_email_key=activity.advocate_email_key,
        kind=EntryKind.AWARD,
        points=rules.points_for(activity).total,
        created_at=now,
        description=description,
        activity_id=activity.activity_id,
        rules_version=rules.version,
    )


def describe_activity(activity: Activity, forum_title: str = "") -> str:
    """Describe an award for the ledger, such as 'Reference forum "Claims at scale", 31 attending prospects'."""
    text = activity.activity_type.label
    if forum_title:
        text += f" \u201c{forum_title}\u201d"
    text += f" on {activity.occurred_at:%Y-%m-%d}"
    if activity.attending_prospects:
        plural = "" if activity.attending_prospects == 1 else "s"
        text += f", {activity.attending_prospects} attending prospect{plural}"
    return text


def adjustment_entry(
    advocate_email_key: str, points: int, reason: str, adjusted_by: str, now: datetime, entry_id: str
) -> LedgerEntry:
    if points == 0 or abs(points) > MAX_ADJUSTMENT:
        raise InvalidRewardSettings(
            f"An adjustment of {points} points is not allowed; enter a whole number from "
            f"-{MAX_ADJUSTMENT} to {MAX_ADJUSTMENT} other than 0.",
            field="points",
        )
    if not reason.strip():
        raise InvalidRewardSettings("Say why the points are adjusted; the advocate sees the reason.", field="reason")
    return LedgerEntry(
        entry_id=entry_id,
        advocate_email_key=advocate_email_key,
        kind=EntryKind.ADJUSTMENT,
        points=points,
        created_at=now,
        description=f"Adjustment: {reason.strip()}",
        reason=reason.strip(),
        created_by=adjusted_by,
    )


# Catalog


@dataclass(frozen=True)
class Reward:
    """A catalog item. ``stock`` None means unlimited, and ``version`` rises with every change."""

    reward_id: str
    name: str
    description: str
    points: int
    active: bool
    created_at: datetime
    updated_at: datetime
    stock: int | None = None
    version: int = 1


def check_reward_values(points: int, stock: int | None) -> None:
    _check_range(points, 1, MAX_REWARD_POINTS, "The reward's points", "points")
    if stock is not None:
        _check_range(stock, 0, MAX_STOCK, "The stock", "stock")


def check_redeemable(reward: Reward) -> None:
    """Raise the reason an advocate cannot redeem the reward now, if there is one."""
    if not reward.active:
        raise RewardUnavailable(f"The reward \u201c{reward.name}\u201d is no longer in the catalog; pick another one.")
    if reward.stock is not None and reward.stock <= 0:
        raise OutOfStock("Out of stock.")


# Redemptions


class RedemptionStatus(StrEnum):
    PENDING = "pending"
    FULFILLED = "fulfilled"
    DECLINED = "declined"


@dataclass(frozen=True)
class Redemption:
    """An advocate's request for a reward; its points are held from the moment it is made."""

    redemption_id: str
    advocate_email_key: str
    reward_id: str
    reward_name: str
    points: int
    status: RedemptionStatus
    requested_at: datetime
    decided_at: datetime | None = None
    decided_by: str = ""
    note: str = ""


def redemption_id_for(advocate_email_key: str, request_id: str) -> str:
    """Derive a redemption id from the page's request id, so a resubmitted request is one redemption."""
    digest = hashlib.sha256(f"{advocate_email_key}\n{request_id}".encode()).hexdigest()
    return digest[:20]


def hold_entry(redemption: Redemption) -> LedgerEntry:
    return LedgerEntry(
        entry_id=f"redemption:{redemption.redemption_id}",
        advocate_email_key=redemption.advocate_email_key,
        kind=EntryKind.REDEMPTION,
        points=-redemption.points,
        created_at=redemption.requested_at,
        description=f"Redeemed \u201c{redemption.reward_name}\u201d",
        reward_id=redemption.reward_id,
        redemption_id=redemption.redemption_id,
    )


def refund_entry(redemption: Redemption, declined_by: str, note: str, now: datetime) -> LedgerEntry:
    return LedgerEntry(
        entry_id=f"refund:{redemption.redemption_id}",
        advocate_email_key=redemption.advocate_email_key,
        kind=EntryKind.REFUND,
        points=redemption.points,
        created_at=now,
        description=f"Points returned: \u201c{redemption.reward_name}\u201d was declined",
        reward_id=redemption.reward_id,
        redemption_id=redemption.redemption_id,
        reason=note,
        created_by=declined_by,
    )


def check_pending(redemption: Redemption) -> None:
    if redemption.status is not RedemptionStatus.PENDING:
        when = f" on {redemption.decided_at:%Y-%m-%d}" if redemption.decided_at else ""
        raise RedemptionAlreadyDecided(
            f"The redemption of \u201c{redemption.reward_name}\u201d was already {redemption.status.value}{when}; "
            "reload the list of pending redemptions."
        )


# Tiers


@dataclass(frozen=True)
class Tier:
    name: str
    threshold: int


DEFAULT_TIERS: tuple[Tier, ...] = (Tier("Bronze", 0), Tier("Silver", 500), Tier("Gold", 1500))


@dataclass(frozen=True)
class TierStanding:
    """Position of a lifetime total: its tier, the next tier and the points still needed to reach it."""

    tier: Tier
    next_tier: Tier | None
    points_to_next: int | None


def check_tiers(tiers: tuple[Tier, ...]) -> tuple[Tier, ...]:
    """Return the tiers if they form a ladder: 1 to MAX_TIERS named tiers, from 0, rising thresholds."""
    if not 1 <= len(tiers) <= MAX_TIERS:
        raise InvalidRewardSettings(f"Enter between 1 and {MAX_TIERS} tiers; got {len(tiers)}.", field="tiers")
    if tiers[0].threshold != 0:
        raise InvalidRewardSettings(
            f"The first tier, \u201c{tiers[0].name}\u201d, starts at {tiers[0].threshold}; it must start at 0 "
            "so that every advocate has a tier.",
            field="tiers",
        )
    names = [tier.name.strip().casefold() for tier in tiers]
    if any(not name for name in names) or len(set(names)) != len(names):
        raise InvalidRewardSettings("Give every tier a name of its own.", field="tiers")
    for lower, higher in zip(tiers, tiers[1:]):
        if higher.threshold <= lower.threshold:
            raise InvalidRewardSettings(
                f"\u201c{higher.name}\u201d starts at {higher.threshold}, not above \u201c{lower.name}\u201d at "
                f"{lower.threshold}; list tiers from the lowest threshold up.",
                field="tiers",
            )
    return tiers


def tier_standing(lifetime: int, tiers: tuple[Tier, ...]) -> TierStanding:
    reached = [tier for tier in tiers if tier.threshold <= lifetime]
    tier = reached[-1] if reached else tiers[0]
    above = [candidate for candidate in tiers if candidate.threshold > lifetime]
    next_tier = above[0] if above else None
    return TierStanding(
        tier=tier,
        next_tier=next_tier,
        points_to_next=next_tier.threshold - lifetime if next_tier else None,
    )


# Reports


def quarter_of(instant: datetime) -> str:
    """Name the calendar quarter of an instant in UTC, such as 2027-Q1."""
    utc = instant.astimezone(timezone.utc)
    return f"{utc.year}-Q{(utc.month - 1) // 3 + 1}"


def quarter_bounds(year: int, quarter: int) -> tuple[datetime, datetime]:
    start = datetime(year, 3 * (quarter - 1) + 1, 1, tzinfo=timezone.utc)
    end = datetime(year + 1, 1, 1, tzinfo=timezone.utc) if quarter == 4 else datetime(year, 3 * quarter + 1, 1, tzinfo=timezone.utc)
    return start, end


@dataclass(frozen=True)
class QuarterPoints:
    """Points booked in one quarter. ``issued`` is what the lifetime totals grew by."""

    quarter: str
    awarded: int = 0
    adjusted_up: int = 0
    adjusted_down: int = 0
    redeemed: int = 0
    refunded: int = 0
    entries: int = 0

    @property
    def issued(self) -> int:
        return self.awarded + self.adjusted_up


def sum_quarter(quarter: str, entries: list[LedgerEntry]) -> QuarterPoints:
    totals = {"awarded": 0, "adjusted_up": 0, "adjusted_down": 0, "redeemed": 0, "refunded": 0}
    for entry in entries:
        if entry.kind is EntryKind.AWARD:
            totals["awarded"] += entry.points
        elif entry.kind is EntryKind.ADJUSTMENT and entry.points > 0:
            totals["adjusted_up"] += entry.points
        elif entry.kind is EntryKind.ADJUSTMENT:
            totals["adjusted_down"] += -entry.points
        elif entry.kind is EntryKind.REDEMPTION:
            totals["redeemed"] += -entry.points
        else:
            totals["refunded"] += entry.points
    return QuarterPoints(quarter=quarter, entries=len(entries), **totals)
