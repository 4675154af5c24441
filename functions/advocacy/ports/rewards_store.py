"""The part of the store port that keeps rewards: rules, tiers, the ledger, the catalog and redemptions.

Every method that changes points books one ledger entry and changes the advocate's balance in
the same atomic write, on condition that the balance stays at zero or above. Entries are only
ever added: no method updates or deletes one.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import datetime

from advocacy.domain.rewards import (
    LedgerEntry,
    PointsRules,
    Redemption,
    RedemptionStatus,
    Reward,
    RewardsAccount,
    Tier,
)


class RewardsStore(ABC):
    # Points rules and tiers

    @abstractmethod
    def rules_in_effect(self, instant: datetime) -> PointsRules | None:
        """Return the newest saved rules version with ``effective_from <= instant``, or None."""

    @abstractmethod
    def save_points_rules(self, rules: PointsRules) -> None:
        """Store a new rules version, which must be the one after the newest stored version.

        Raises PointsRulesChanged, and stores nothing, when another version took that number.
        """

    @abstractmethod
    def get_tiers(self) -> tuple[Tier, ...] | None:
        """Return the tiers an admin saved, lowest first, or None before any were saved."""

    @abstractmethod
    def save_tiers(self, tiers: tuple[Tier, ...], changed_by: str, now: datetime) -> None:
        """Replace the tiers."""

    # Ledger

    @abstractmethod
    def append_ledger_entry(self, entry: LedgerEntry) -> bool:
        """Book an award or adjustment and apply it to the balance and lifetime, atomically.

        Returns False, changing nothing, when an entry with the same id exists. Raises
        NotEnoughPoints, changing nothing, when the entry would take the balance below zero.
        """

    @abstractmethod
    def get_rewards_account(self, advocate_email_key: str) -> RewardsAccount:
        """Return the advocate's balance and lifetime total; zero for an advocate without entries."""

    @abstractmethod
    def list_ledger(self, advocate_email_key: str) -> list[LedgerEntry]:
        """Return the advocate's entries, newest first."""

    @abstractmethod
    def list_ledger_between(self, since: datetime, until: datetime) -> list[LedgerEntry]:
        """Return every advocate's entries with ``since <= created_at < until``, oldest first."""

    # Catalog

    @abstractmethod
    def add_reward(self, reward: Reward) -> None:
        """Store a new reward; its id must be new."""

    @abstractmethod
    def update_reward(self, reward: Reward, expected_version: int) -> Reward:
        """Replace a reward's details if its version is still ``expected_version``; return it as stored.

        The stored version becomes ``expected_version + 1``. Raises RewardNotFound, or
        RewardChanged when a redemption, a decline or another admin changed it meanwhile.
        """

    @abstractmethod
    def delete_reward(self, reward_id: str) -> bool:
        """Remove a reward from the catalog; return whether it existed. Redemptions keep its name."""

    @abstractmethod
    def get_reward(self, reward_id: str) -> Reward | None:
        """Return one reward, active or not."""

    @abstractmethod
    def list_rewards(self) -> list[Reward]:
        """Return the whole catalog, active or not, by name."""

    # Redemptions

    @abstractmethod
    def place_redemption(self, redemption: Redemption, hold: LedgerEntry, reward: Reward) -> tuple[Redemption, bool]:
        """Store a pending redemption, book its hold and take one unit of stock, atomically.

        ``reward`` is the reward as the caller read it: the write applies only while the reward
        is still active at the same points, and has stock left when it tracks stock. Returns
        ``(redemption, True)``, or ``(existing, False)`` when a redemption with the same id exists.
        Raises NotEnoughPoints or OutOfStock (nothing changed, whatever happened concurrently),
        RewardUnavailable when it was deactivated or deleted, and RewardChanged when its points changed.
        """

    @abstractmethod
    def get_redemption(self, redemption_id: str) -> Redemption | None:
        """Return one redemption by id."""

    @abstractmethod
    def list_redemptions(self, status: RedemptionStatus) -> list[Redemption]:
        """Return every advocate's redemptions with this status, oldest request first."""

    @abstractmethod
    def list_redemptions_of(self, advocate_email_key: str) -> list[Redemption]:
        """Return the advocate's redemptions, newest request first."""

    @abstractmethod
    def fulfill_redemption(self, redemption: Redemption, decided_at: datetime, decided_by: str, note: str) -> Redemption:
        """Mark a pending redemption fulfilled and return it; the ledger does not change.

        Raises RedemptionAlreadyDecided when it is no longer pending.
        """

    @abstractmethod
    def decline_redemption(self, redemption: Redemption, refund: LedgerEntry) -> Redemption:
        """Mark a pending redemption declined, book the refund and return the stock, atomically.

        The stock goes back only if the reward still exists and tracks stock. ``refund`` carries
        the decision's instant, admin and note. Raises RedemptionAlreadyDecided when it is no
        longer pending.
        """

    @abstractmethod
    def erase_rewards(self, advocate_email_key: str, anonymous_key: str) -> None:
        """Move the person's account, ledger and redemptions to the anonymous key.

        The only change the append-only ledger allows: the amounts stay, so program totals keep
        them, and nothing names the person any more.
        """
