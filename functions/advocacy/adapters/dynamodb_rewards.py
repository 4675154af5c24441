"""DynamoDB items and operations for rewards.

Items:

- rules version: ``PK=REWARDS#RULES``, ``SK=RULES#<effective_from>#<version, 10 digits>``; the
  version in effect at an instant is one Query, descending, with ``Limit=1``. The head item
  ``PK=REWARDS#RULES``, ``SK=HEAD`` holds the newest ``version`` number; a new version is
  written in one transaction with the head's conditional update, so two admins cannot both
  save version n.
- tiers: ``PK=REWARDS#SETTINGS``, ``SK=TIERS``, with ``tiers`` as a list of name and threshold.
- rewards account: ``PK=ADVOCATE#<email>``, ``SK=REWARDS``, with ``balance`` and ``lifetime``.
- ledger entry: ``PK=ADVOCATE#<email>``, ``SK=LEDGER#<entry id>``, every field of
  ``LedgerEntry``, and ``GSI1PK=LEDGER#<YYYY>-Q<n>``, ``GSI1SK=<created_at>#<entry id>`` for
  the report of points per quarter. An entry is written only with ``attribute_not_exists``,
  in the same transaction as the account's conditional update, and never updated.
- reward: ``PK=REWARDS#CATALOG``, ``SK=REWARD#<reward id>``; ``stock`` is absent when unlimited.
- redemption: ``PK=REDEMPTION#<id>``, ``SK=REDEMPTION``, with ``GSI1PK=REDEMPTIONS#<status>``,
  ``GSI1SK=<requested_at>#<id>`` (pending requests for admins) and
  ``GSI2PK=REDEMPTIONS_OF#<email>``, ``GSI2SK=<requested_at>#<id>`` (an advocate's requests).

A redemption is one transaction of four writes: the redemption (new), its hold entry (new), the
account (``balance >= cost``) and the reward (active, same points, and ``stock > 0`` when it
tracks stock). So concurrent redemptions can take neither the balance nor the stock below zero.
"""

from __future__ import annotations

import random
import time
from dataclasses import replace
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from advocacy.adapters.dynamodb_table import (
    CALENDAR_INDEX,
    CALENDAR_PARTITION_KEY,
    CALENDAR_SORT_KEY,
    PARTITION_KEY,
    PENDING_INDEX,
    PENDING_PARTITION_KEY,
    PENDING_SORT_KEY,
    SORT_KEY,
    attributes_of,
    deserialize,
    instant_text,
    record_from,
    serialize,
)
from advocacy.domain.activities import ActivityType
from advocacy.domain.rewards import (
    LedgerEntry,
    NotEnoughPoints,
    OutOfStock,
    PointsRules,
    PointsRulesChanged,
    Redemption,
    RedemptionNotFound,
    RedemptionStatus,
    Reward,
    RewardChanged,
    RewardNotFound,
    RewardsAccount,
    RewardUnavailable,
    Tier,
    check_pending,
    quarter_bounds,
    quarter_of,
)
from advocacy.ports.rewards_store import RewardsStore
from advocacy.ports.store import StoreContention

RULES_PARTITION = "REWARDS#RULES"
CATALOG_PARTITION = "REWARDS#CATALOG"
ACCOUNT_SORT_KEY = "REWARDS"
CONDITION_FAILED = "ConditionalCheckFailed"
# Attempts of a transaction that DynamoDB cancelled for a conflict with another transaction
# (no condition failed), each after a random pause of up to CONFLICT_BACKOFF_SECONDS.
MAX_ATTEMPTS = 10
CONFLICT_BACKOFF_SECONDS = 0.02
# Sorts after every version number, as the upper end of a key range.
HIGHEST_VERSION = "9" * 10


def _account_key(advocate_email_key: str) -> dict:
    return {PARTITION_KEY: f"ADVOCATE#{advocate_email_key}", SORT_KEY: ACCOUNT_SORT_KEY}


def _entry_key(entry: LedgerEntry) -> dict:
    return {PARTITION_KEY: f"ADVOCATE#{entry.advocate_email_key}", SORT_KEY: f"LEDGER#{entry.entry_id}"}


def _reward_key(reward_id: str) -> dict:
    return {PARTITION_KEY: CATALOG_PARTITION, SORT_KEY: f"REWARD#{reward_id}"}


def _redemption_key(redemption_id: str) -> dict:
    return {PARTITION_KEY: f"REDEMPTION#{redemption_id}", SORT_KEY: "REDEMPTION"}


def _entry_item(entry: LedgerEntry) -> dict:
    return {
        **_entry_key(entry),
        **attributes_of(entry),
        "item_type": "ledger_entry",
        CALENDAR_PARTITION_KEY: f"LEDGER#{quarter_of(entry.created_at)}",
        CALENDAR_SORT_KEY: f"{instant_text(entry.created_at)}#{entry.entry_id}",
    }


def _redemption_item(redemption: Redemption) -> dict:
    return {
        **_redemption_key(redemption.redemption_id),
        **attributes_of(redemption),
        "item_type": "redemption",
        CALENDAR_PARTITION_KEY: f"REDEMPTIONS#{redemption.status.value}",
        CALENDAR_SORT_KEY: f"{instant_text(redemption.requested_at)}#{redemption.redemption_id}",
        PENDING_PARTITION_KEY: f"REDEMPTIONS_OF#{redemption.advocate_email_key}",
        PENDING_SORT_KEY: f"{instant_text(redemption.requested_at)}#{redemption.redemption_id}",
    }


def _new_item(item: dict) -> dict:
    return {"Put": {"Item": serialize(item), "ConditionExpression": "attribute_not_exists(PK)"}}


def _account_change(entry: LedgerEntry) -> dict:
    """Build the Update that applies an entry to the account; a debit needs ``balance >= debit``."""
    values = {":points": entry.points, ":lifetime": entry.lifetime_points, ":zero": 0, ":email": entry.advocate_email_key}
    update = {
        "Key": serialize(_account_key(entry.advocate_email_key)),
        "UpdateExpression": (
            "SET balance = if_not_exists(balance, :zero) + :points, "
            "lifetime = if_not_exists(lifetime, :zero) + :lifetime, "
            "advocate_email_key = :email, item_type = :type"
        ),
    }
    values[":type"] = "rewards_account"
    if entry.points < 0:
        update["ConditionExpression"] = "balance >= :debit"
        values[":debit"] = -entry.points
    update["ExpressionAttributeValues"] = serialize(values)
    return {"Update": update}


def _quarters(since: datetime, until: datetime) -> list[str]:
    quarters = []
    year, quarter = since.year, (since.month - 1) // 3 + 1
    while quarter_bounds(year, quarter)[0] < until:
        quarters.append(f"{year}-Q{quarter}")
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return quarters


class DynamoDBRewardsMixin(RewardsStore):
    """Implements RewardsStore for DynamoDBStore, which provides ``client`` and ``table_name``."""

    # Points rules and tiers

    def rules_in_effect(self, instant: datetime) -> PointsRules | None:
        response = self.client.query(
            TableName=self.table_name,
            KeyConditionExpression="PK = :pk AND SK BETWEEN :low AND :high",
            ExpressionAttributeValues=serialize(
                {":pk": RULES_PARTITION, ":low": "RULES#", ":high": f"RULES#{instant_text(instant)}#{HIGHEST_VERSION}"}
            ),
            ScanIndexForward=False,
            Limit=1,
            ConsistentRead=True,
        )
        if not response["Items"]:
            return None
        item = deserialize(response["Items"][0])
        return PointsRules(
            points_by_type={ActivityType(name): int(points) for name, points in item["points_by_type"].items()},
            bonus_per_attending_prospect=int(item["bonus_per_attending_prospect"]),
            bonus_cap=int(item["bonus_cap"]),
            version=int(item["version"]),
            effective_from=datetime.fromisoformat(item["effective_from"]),
            changed_by=item["changed_by"],
        )

    def save_points_rules(self, rules: PointsRules) -> None:
        head_key = serialize({PARTITION_KEY: RULES_PARTITION, SORT_KEY: "HEAD"})
        if rules.version == 1:
            head_condition = {"ConditionExpression": "attribute_not_exists(version)"}
        else:
            head_condition = {
                "ConditionExpression": "version = :previous",
                "ExpressionAttributeValues": serialize({":previous": rules.version - 1, ":version": rules.version}),
            }
        head = {
            "Update": {
                "Key": head_key,
                "UpdateExpression": "SET version = :version",
                "ExpressionAttributeValues": serialize({":version": rules.version}),
                **head_condition,
            }
        }
        item = {
            PARTITION_KEY: RULES_PARTITION,
            SORT_KEY: f"RULES#{instant_text(rules.effective_from)}#{rules.version:010d}",
            "item_type": "points_rules",
            "points_by_type": {activity_type.value: points for activity_type, points in rules.points_by_type.items()},
            "bonus_per_attending_prospect": rules.bonus_per_attending_prospect,
            "bonus_cap": rules.bonus_cap,
            "version": rules.version,
            "effective_from": instant_text(rules.effective_from),
            "changed_by": rules.changed_by,
        }
        reasons = self._rewards_transact([head, _new_item(item)])
        if reasons is not None:
            raise PointsRulesChanged(
                f"Another admin saved points rules version {rules.version} meanwhile; reload them and save again."
            )

    def get_tiers(self) -> tuple[Tier, ...] | None:
        item = self._rewards_get({PARTITION_KEY: "REWARDS#SETTINGS", SORT_KEY: "TIERS"})
        if item is None:
            return None
        return tuple(Tier(name=tier["name"], threshold=int(tier["threshold"])) for tier in item["tiers"])

    def save_tiers(self, tiers: tuple[Tier, ...], changed_by: str, now: datetime) -> None:
        item = {
            PARTITION_KEY: "REWARDS#SETTINGS",
            SORT_KEY: "TIERS",
            "item_type": "reward_tiers",
            "tiers": [{"name": tier.name, "threshold": tier.threshold} for tier in tiers],
            "changed_by": changed_by,
            "changed_at": instant_text(now),
        }
        self.client.put_item(TableName=self.table_name, Item=serialize(item))

    # Ledger

    def append_ledger_entry(self, entry: LedgerEntry) -> bool:
        reasons = self._rewards_transact([_new_item(_entry_item(entry)), _account_change(entry)])
        if reasons is None:
            return True
        if reasons[0] == CONDITION_FAILED:
            return False
        raise NotEnoughPoints.for_entry(entry, self.get_rewards_account(entry.advocate_email_key).balance)

    def get_rewards_account(self, advocate_email_key: str) -> RewardsAccount:
        item = self._rewards_get(_account_key(advocate_email_key))
        if item is None:
            return RewardsAccount(advocate_email_key)
        return RewardsAccount(advocate_email_key, balance=int(item["balance"]), lifetime=int(item["lifetime"]))

    def list_ledger(self, advocate_email_key: str) -> list[LedgerEntry]:
        items = self._rewards_query(
            KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
            ExpressionAttributeValues=serialize({":pk": f"ADVOCATE#{advocate_email_key}", ":prefix": "LEDGER#"}),
            ConsistentRead=True,
        )
        entries = [record_from(LedgerEntry, item) for item in items]
        return sorted(entries, key=lambda entry: (entry.created_at, entry.entry_id), reverse=True)

    def list_ledger_between(self, since: datetime, until: datetime) -> list[LedgerEntry]:
        # NOTE: index reads are eventually consistent, so an entry booked a moment ago may be missing.
        entries: list[LedgerEntry] = []
        for quarter in _quarters(since, until):
            items = self._rewards_query(
                IndexName=CALENDAR_INDEX,
                KeyConditionExpression="GSI1PK = :pk AND GSI1SK BETWEEN :low AND :high",
                ExpressionAttributeValues=serialize(
                    {":pk": f"LEDGER#{quarter}", ":low": instant_text(since), ":high": instant_text(until)}
                ),
            )
            entries += [record_from(LedgerEntry, item) for item in items]
        selected = [entry for entry in entries if since <= entry.created_at < until]
        return sorted(selected, key=lambda entry: (entry.created_at, entry.entry_id))

    # Catalog

    def add_reward(self, reward: Reward) -> None:
        item = {**_reward_key(reward.reward_id), **attributes_of(reward), "item_type": "reward"}
        self.client.put_item(
            TableName=self.table_name, Item=serialize(item), ConditionExpression="attribute_not_exists(PK)"
        )

    def update_reward(self, reward: Reward, expected_version: int) -> Reward:
        attributes = attributes_of(reward)
        for unchanged in ("reward_id", "created_at", "version"):
            attributes.pop(unchanged)
        names = {f"#{name}": name for name in (*attributes, "version", "stock")}
        values = {f":{name}": value for name, value in attributes.items()}
        values.update({":expected": expected_version, ":version": expected_version + 1})
        update = "SET " + ", ".join(f"#{name} = :{name}" for name in attributes) + ", #version = :version"
        if reward.stock is None:
            update += " REMOVE #stock"
        try:
            self.client.update_item(
                TableName=self.table_name,
                Key=serialize(_reward_key(reward.reward_id)),
                UpdateExpression=update,
                ConditionExpression="#version = :expected",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=serialize(values),
            )
        except ClientError as error:
            if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            current = self.get_reward(reward.reward_id)
            if current is None:
                raise RewardNotFound(f"No reward {reward.reward_id!r} in the catalog; reload the catalog.") from None
            raise RewardChanged(
                f"\u201c{current.name}\u201d changed since you opened it (a redemption or another admin); "
                "reload it and apply your change again."
            ) from None
        return self.get_reward(reward.reward_id)

    def delete_reward(self, reward_id: str) -> bool:
        response = self.client.delete_item(
            TableName=self.table_name, Key=serialize(_reward_key(reward_id)), ReturnValues="ALL_OLD"
        )
        return "Attributes" in response

    def get_reward(self, reward_id: str) -> Reward | None:
        item = self._rewards_get(_reward_key(reward_id))
        return record_from(Reward, item) if item else None

    def list_rewards(self) -> list[Reward]:
        items = self._rewards_query(
            KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
            ExpressionAttributeValues=serialize({":pk": CATALOG_PARTITION, ":prefix": "REWARD#"}),
            ConsistentRead=True,
        )
        rewards = [record_from(Reward, item) for item in items]
        return sorted(rewards, key=lambda reward: (reward.name.casefold(), reward.reward_id))

    # Redemptions

    def place_redemption(self, redemption: Redemption, hold: LedgerEntry, reward: Reward) -> tuple[Redemption, bool]:
        values = {":true": True, ":points": reward.points}
        if reward.stock is None:
            reward_write = {
                "ConditionCheck": {
                    "Key": serialize(_reward_key(reward.reward_id)),
                    "ConditionExpression": "active = :true AND points = :points AND attribute_not_exists(stock)",
                    "ExpressionAttributeValues": serialize(values),
                }
            }
        else:
            reward_write = {
                "Update": {
                    "Key": serialize(_reward_key(reward.reward_id)),
                    "UpdateExpression": "SET stock = stock - :one, version = version + :one",
                    "ConditionExpression": "active = :true AND points = :points AND stock > :zero",
                    "ExpressionAttributeValues": serialize({**values, ":one": 1, ":zero": 0}),
                }
            }
        operations = [
            _new_item(_redemption_item(redemption)),
            _new_item(_entry_item(hold)),
            _account_change(hold),
            reward_write,
        ]
        reasons = self._rewards_transact(operations)
        if reasons is None:
            return redemption, True
        if reasons[0] == CONDITION_FAILED:
            return self.get_redemption(redemption.redemption_id), False
        if reasons[3] == CONDITION_FAILED:
            self._raise_reward_refusal(reward)
        raise NotEnoughPoints.for_entry(hold, self.get_rewards_account(hold.advocate_email_key).balance)

    def _raise_reward_refusal(self, seen: Reward) -> None:
        """Raise why the reward's condition failed, judged from the reward as it is now."""
        current = self.get_reward(seen.reward_id)
        if current is None or not current.active:
            raise RewardUnavailable(f"The reward \u201c{seen.name}\u201d is no longer in the catalog; pick another one.")
        if current.stock is not None and current.stock <= 0:
            raise OutOfStock("Out of stock.")
        if current.points != seen.points:
            raise RewardChanged(
                f"The reward \u201c{seen.name}\u201d now costs {current.points} points; review it and redeem again."
            )
        raise RewardChanged(f"The reward \u201c{seen.name}\u201d changed meanwhile; reload the catalog and redeem again.")

    def get_redemption(self, redemption_id: str) -> Redemption | None:
        item = self._rewards_get(_redemption_key(redemption_id))
        return record_from(Redemption, item) if item else None

    def list_redemptions(self, status: RedemptionStatus) -> list[Redemption]:
        # NOTE: index reads are eventually consistent; a request made a moment ago may be missing.
        items = self._rewards_query(
            IndexName=CALENDAR_INDEX,
            KeyConditionExpression="GSI1PK = :pk",
            ExpressionAttributeValues=serialize({":pk": f"REDEMPTIONS#{status.value}"}),
        )
        return [record_from(Redemption, item) for item in items]

    def list_redemptions_of(self, advocate_email_key: str) -> list[Redemption]:
        items = self._rewards_query(
            IndexName=PENDING_INDEX,
            KeyConditionExpression="GSI2PK = :pk",
            ExpressionAttributeValues=serialize({":pk": f"REDEMPTIONS_OF#{advocate_email_key}"}),
            ScanIndexForward=False,
        )
        return [record_from(Redemption, item) for item in items]

    def fulfill_redemption(self, redemption: Redemption, decided_at: datetime, decided_by: str, note: str) -> Redemption:
        decision = self._decision_update(redemption, RedemptionStatus.FULFILLED, decided_at, decided_by, note)
        reasons = self._rewards_transact([decision])
        if reasons is not None:
            self._raise_decided(redemption.redemption_id)
        return self.get_redemption(redemption.redemption_id)

    def decline_redemption(self, redemption: Redemption, refund: LedgerEntry) -> Redemption:
        for _ in range(MAX_ATTEMPTS):
            operations = [
                self._decision_update(
                    redemption, RedemptionStatus.DECLINED, refund.created_at, refund.created_by, refund.reason
                ),
                _new_item(_entry_item(refund)),
                _account_change(refund),
            ]
            reward = self.get_reward(redemption.reward_id)
            if reward is not None and reward.stock is not None:
                operations.append(
                    {
                        "Update": {
                            "Key": serialize(_reward_key(reward.reward_id)),
                            "UpdateExpression": "SET stock = stock + :one, version = version + :one",
                            "ConditionExpression": "attribute_exists(stock)",
                            "ExpressionAttributeValues": serialize({":one": 1}),
                        }
                    }
                )
            reasons = self._rewards_transact(operations)
            if reasons is None:
                return self.get_redemption(redemption.redemption_id)
            if reasons[0] == CONDITION_FAILED or reasons[1] == CONDITION_FAILED:
                self._raise_decided(redemption.redemption_id)
            # Only the stock's condition failed: the reward was deleted or stopped tracking
            # stock after we read it. Read it again and retry.
        raise StoreContention(
            f"Failed to decline redemption {redemption.redemption_id!r} after {MAX_ATTEMPTS} attempts because "
            "its reward kept changing. Try again in a moment."
        )

    def _decision_update(
        self, redemption: Redemption, status: RedemptionStatus, decided_at: datetime, decided_by: str, note: str
    ) -> dict:
        values = {
            ":status": status.value,
            ":pending": RedemptionStatus.PENDING.value,
            ":decided_at": instant_text(decided_at),
            ":decided_by": decided_by,
            ":note": note,
            ":listing": f"REDEMPTIONS#{status.value}",
        }
        return {
            "Update": {
                "Key": serialize(_redemption_key(redemption.redemption_id)),
                "UpdateExpression": (
                    "SET #status = :status, decided_at = :decided_at, decided_by = :decided_by, note = :note, "
                    "GSI1PK = :listing"
                ),
                "ConditionExpression": "#status = :pending",
                "ExpressionAttributeNames": {"#status": "status"},
                "ExpressionAttributeValues": serialize(values),
            }
        }

    def _raise_decided(self, redemption_id: str) -> None:
        current = self.get_redemption(redemption_id)
        if current is None:
            raise RedemptionNotFound(f"No redemption {redemption_id!r}; reload the list of pending redemptions.")
        check_pending(current)
        raise StoreContention(f"Redemption {redemption_id!r} changed meanwhile; reload it and try again.")

    # Requests

    def _rewards_transact(self, operations: list[dict]) -> list[str] | None:
        """Run the operations as one transaction, retrying conflicts with other transactions.

        Returns None when it committed, or one cancellation reason per operation, in order, when
        a condition failed (``ConditionalCheckFailed`` for each failed one).
        """
        items = [
            {kind: {"TableName": self.table_name, **request} for kind, request in operation.items()}
            for operation in operations
        ]
        for _ in range(MAX_ATTEMPTS):
            try:
                self.client.transact_write_items(TransactItems=items)
            except ClientError as error:
                if error.response["Error"]["Code"] != "TransactionCanceledException":
                    raise
                reasons = [reason.get("Code", "None") for reason in error.response.get("CancellationReasons", [])]
                reasons += ["None"] * (len(operations) - len(reasons))
                if CONDITION_FAILED in reasons:
                    return reasons
                time.sleep(random.uniform(0, CONFLICT_BACKOFF_SECONDS))
                continue
            return None
        raise StoreContention(
            f"A rewards transaction failed {MAX_ATTEMPTS} times because other requests changed the same "
            "items. Nothing was changed; try again in a moment."
        )

    def _rewards_get(self, key: dict) -> dict | None:
        response = self.client.get_item(TableName=self.table_name, Key=serialize(key), ConsistentRead=True)
        return deserialize(response["Item"]) if "Item" in response else None

    def _rewards_query(self, **request: Any) -> list[dict]:
        items: list[dict] = []
        while True:
            response = self.client.query(TableName=self.table_name, **request)
            items += [deserialize(item) for item in response["Items"]]
            if "LastEvaluatedKey" not in response:
                return items
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def erase_rewards(self, advocate_email_key: str, anonymous_key: str) -> None:
        # Each item moves in one transaction (new key in, old key out), so a failure part-way
        # leaves every entry under exactly one key; running it again finishes the move.
        for entry in self.list_ledger(advocate_email_key):
            moved = replace(entry, advocate_email_key=anonymous_key)
            self.client.transact_write_items(
                TransactItems=[
                    {"Put": {"TableName": self.table_name, "Item": serialize(_entry_item(moved))}},
                    {"Delete": {"TableName": self.table_name, "Key": serialize(_entry_key(entry))}},
                ]
            )
        account = self.client.get_item(
            TableName=self.table_name, Key=serialize(_account_key(advocate_email_key)), ConsistentRead=True
        ).get("Item")
        if account is not None:
            values = {**deserialize(account), **_account_key(anonymous_key), "advocate_email_key": anonymous_key}
            self.client.transact_write_items(
                TransactItems=[
                    {"Put": {"TableName": self.table_name, "Item": serialize(values)}},
                    {"Delete": {"TableName": self.table_name, "Key": serialize(_account_key(advocate_email_key))}},
                ]
            )
        for redemption in self.list_redemptions_of(advocate_email_key):
            moved = replace(redemption, advocate_email_key=anonymous_key)
            self.client.put_item(TableName=self.table_name, Item=serialize(_redemption_item(moved)))
