"""SQLite tables and operations for rewards: rules, tiers, ledger, balances, catalog, redemptions.

Each change of points runs in one ``BEGIN IMMEDIATE`` transaction that checks the balance,
inserts the ledger entry and updates ``reward_accounts``. CHECK constraints keep balances and
stock at zero or above, and triggers reject any UPDATE or DELETE of a ledger entry, so the
ledger stays append-only even for a careless query.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import datetime, timezone

from advocacy.domain.activities import ActivityType
from advocacy.domain.rewards import (
    EntryKind,
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
)
from advocacy.ports.rewards_store import RewardsStore

REWARDS_SCHEMA = """
CREATE TABLE IF NOT EXISTS points_rules (
    version INTEGER PRIMARY KEY,
    effective_from TEXT NOT NULL,
    points_by_type TEXT NOT NULL,
    bonus_per_attending_prospect INTEGER NOT NULL,
    bonus_cap INTEGER NOT NULL,
    changed_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS points_rules_by_effective_from ON points_rules (effective_from, version);

CREATE TABLE IF NOT EXISTS reward_tiers (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    tiers TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    changed_at TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS ledger_entries (
    entry_id TEXT PRIMARY KEY,
    advocate_email_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    points INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    description TEXT NOT NULL,
    activity_id TEXT NOT NULL DEFAULT '',
    reward_id TEXT NOT NULL DEFAULT '',
    redemption_id TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    rules_version INTEGER
);
CREATE INDEX IF NOT EXISTS ledger_by_advocate ON ledger_entries (advocate_email_key, created_at);
CREATE INDEX IF NOT EXISTS ledger_by_time ON ledger_entries (created_at);
DROP TRIGGER IF EXISTS ledger_entries_are_never_updated;
-- The one update allowed: erasure moves an entry to an anonymous "erased-..." key, nothing else.
CREATE TRIGGER ledger_entries_are_never_updated BEFORE UPDATE ON ledger_entries
WHEN NOT (
    NEW.advocate_email_key LIKE 'erased-%' AND NEW.entry_id = OLD.entry_id AND NEW.kind = OLD.kind
    AND NEW.points = OLD.points AND NEW.created_at = OLD.created_at
)
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only; book an adjustment instead'); END;
CREATE TRIGGER IF NOT EXISTS ledger_entries_are_never_deleted BEFORE DELETE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only; book an adjustment instead'); END;

CREATE TABLE IF NOT EXISTS reward_accounts (
    advocate_email_key TEXT PRIMARY KEY,
    balance INTEGER NOT NULL CHECK (balance >= 0),
    lifetime INTEGER NOT NULL CHECK (lifetime >= 0)
);

CREATE TABLE IF NOT EXISTS rewards (
    reward_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    points INTEGER NOT NULL,
    active INTEGER NOT NULL,
    stock INTEGER CHECK (stock IS NULL OR stock >= 0),
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS redemptions (
    redemption_id TEXT PRIMARY KEY,
    advocate_email_key TEXT NOT NULL,
    reward_id TEXT NOT NULL,
    reward_name TEXT NOT NULL,
    points INTEGER NOT NULL,
    status TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    decided_at TEXT,
    decided_by TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS redemptions_by_status ON redemptions (status, requested_at);
CREATE INDEX IF NOT EXISTS redemptions_by_advocate ON redemptions (advocate_email_key, requested_at);
"""

ENTRY_COLUMNS = (
    "entry_id", "advocate_email_key", "kind", "points", "created_at", "description", "activity_id", "reward_id",
    "redemption_id", "reason", "created_by", "rules_version",
)
REDEMPTION_COLUMNS = (
    "redemption_id", "advocate_email_key", "reward_id", "reward_name", "points", "status", "requested_at",
    "decided_at", "decided_by", "note",
)
REWARD_COLUMNS = ("reward_id", "name", "description", "points", "active", "stock", "version", "created_at", "updated_at")


def _text(instant: datetime | None) -> str | None:
    # Fixed width, so that text order is time order.
    return instant.astimezone(timezone.utc).isoformat(timespec="microseconds") if instant else None


def _instant(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _entry(row: sqlite3.Row) -> LedgerEntry:
    return LedgerEntry(
        entry_id=row["entry_id"],
        advocate_email_key=row["advocate_email_key"],
        kind=EntryKind(row["kind"]),
        points=row["points"],
        created_at=_instant(row["created_at"]),
        description=row["description"],
        activity_id=row["activity_id"],
        reward_id=row["reward_id"],
        redemption_id=row["redemption_id"],
        reason=row["reason"],
        created_by=row["created_by"],
        rules_version=row["rules_version"],
    )


def _redemption(row: sqlite3.Row) -> Redemption:
    return Redemption(
        redemption_id=row["redemption_id"],
        advocate_email_key=row["advocate_email_key"],
        reward_id=row["reward_id"],
        reward_name=row["reward_name"],
        points=row["points"],
        status=RedemptionStatus(row["status"]),
        requested_at=_instant(row["requested_at"]),
        decided_at=_instant(row["decided_at"]),
        decided_by=row["decided_by"],
        note=row["note"],
    )


def _reward(row: sqlite3.Row) -> Reward:
    return Reward(
        reward_id=row["reward_id"],
        name=row["name"],
        description=row["description"],
        points=row["points"],
        active=bool(row["active"]),
        stock=row["stock"],
        version=row["version"],
        created_at=_instant(row["created_at"]),
        updated_at=_instant(row["updated_at"]),
    )


def _rules(row: sqlite3.Row) -> PointsRules:
    return PointsRules(
        points_by_type={ActivityType(name): points for name, points in json.loads(row["points_by_type"]).items()},
        bonus_per_attending_prospect=row["bonus_per_attending_prospect"],
        bonus_cap=row["bonus_cap"],
        version=row["version"],
        effective_from=_instant(row["effective_from"]),
        changed_by=row["changed_by"],
    )


def _insert(connection: sqlite3.Connection, table: str, columns: tuple[str, ...], values: list) -> None:
    connection.execute(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", values)


def _insert_entry(connection: sqlite3.Connection, entry: LedgerEntry) -> None:
    _insert(
        connection,
        "ledger_entries",
        ENTRY_COLUMNS,
        [
            entry.entry_id, entry.advocate_email_key, entry.kind.value, entry.points, _text(entry.created_at),
            entry.description, entry.activity_id, entry.reward_id, entry.redemption_id, entry.reason,
            entry.created_by, entry.rules_version,
        ],
    )


def _balance(connection: sqlite3.Connection, advocate_email_key: str) -> int:
    row = connection.execute(
        "SELECT balance FROM reward_accounts WHERE advocate_email_key = ?", (advocate_email_key,)
    ).fetchone()
    return row["balance"] if row else 0


def _apply_to_account(connection: sqlite3.Connection, entry: LedgerEntry) -> None:
    # The row is created at zero first: a debit in the VALUES row would fail the CHECK even
    # when the existing balance covers it.
    connection.execute(
        "INSERT INTO reward_accounts (advocate_email_key, balance, lifetime) VALUES (?, 0, 0) "
        "ON CONFLICT (advocate_email_key) DO NOTHING",
        (entry.advocate_email_key,),
    )
    connection.execute(
        "UPDATE reward_accounts SET balance = balance + ?, lifetime = lifetime + ? WHERE advocate_email_key = ?",
        (entry.points, entry.lifetime_points, entry.advocate_email_key),
    )


class SQLiteRewardsMixin(RewardsStore):
    """Implements RewardsStore for SQLiteStore, which provides the connection helpers."""

    # Points rules and tiers

    def rules_in_effect(self, instant: datetime) -> PointsRules | None:
        with self._connection() as connection:
            row = connection.execute(
                "SELECT * FROM points_rules WHERE effective_from <= ? ORDER BY effective_from DESC, version DESC LIMIT 1",
                (_text(instant),),
            ).fetchone()
        return _rules(row) if row else None

    def save_points_rules(self, rules: PointsRules) -> None:
        points = json.dumps({activity_type.value: value for activity_type, value in rules.points_by_type.items()})
        with self._write_transaction() as connection:
            newest = connection.execute("SELECT COALESCE(MAX(version), 0) AS version FROM points_rules").fetchone()
            if rules.version != newest["version"] + 1:
                raise PointsRulesChanged(
                    f"Another admin saved points rules version {newest['version']} meanwhile; reload them and save again."
                )
            _insert(
                connection,
                "points_rules",
                ("version", "effective_from", "points_by_type", "bonus_per_attending_prospect", "bonus_cap", "changed_by"),
                [rules.version, _text(rules.effective_from), points, rules.bonus_per_attending_prospect, rules.bonus_cap, rules.changed_by],
            )

    def get_tiers(self) -> tuple[Tier, ...] | None:
        with self._connection() as connection:
            row = connection.execute("SELECT tiers FROM reward_tiers WHERE singleton = 1").fetchone()
        if row is None:
            return None
        return tuple(Tier(name=tier["name"], threshold=tier["threshold"]) for tier in json.loads(row["tiers"]))

    def save_tiers(self, tiers: tuple[Tier, ...], changed_by: str, now: datetime) -> None:
        text = json.dumps([{"name": tier.name, "threshold": tier.threshold} for tier in tiers], ensure_ascii=False)
        with self._write_transaction() as connection:
            connection.execute(
                "INSERT INTO reward_tiers (singleton, tiers, changed_by, changed_at) VALUES (1, ?, ?, ?) "
                "ON CONFLICT (singleton) DO UPDATE SET tiers = excluded.tiers, changed_by = excluded.changed_by, "
                "changed_at = excluded.changed_at",
                (text, changed_by, _text(now)),
            )

    # Ledger

    def append_ledger_entry(self, entry: LedgerEntry) -> bool:
        with self._write_transaction() as connection:
            if connection.execute("SELECT 1 FROM ledger_entries WHERE entry_id = ?", (entry.entry_id,)).fetchone():
                return False
            balance = _balance(connection, entry.advocate_email_key)
            if balance + entry.points < 0:
                raise NotEnoughPoints.for_entry(entry, balance)
            _insert_entry(connection, entry)
            _apply_to_account(connection, entry)
        return True

    def get_rewards_account(self, advocate_email_key: str) -> RewardsAccount:
        with self._connection() as connection:
            row = connection.execute(
                "SELECT balance, lifetime FROM reward_accounts WHERE advocate_email_key = ?", (advocate_email_key,)
            ).fetchone()
        if row is None:
            return RewardsAccount(advocate_email_key)
        return RewardsAccount(advocate_email_key, balance=row["balance"], lifetime=row["lifetime"])

    def list_ledger(self, advocate_email_key: str) -> list[LedgerEntry]:
        with self._connection() as connection:
            rows = connection.execute(
                "SELECT * FROM ledger_entries WHERE advocate_email_key = ? ORDER BY created_at DESC, entry_id DESC",
                (advocate_email_key,),
            ).fetchall()
        return [_entry(row) for row in rows]

    def list_ledger_between(self, since: datetime, until: datetime) -> list[LedgerEntry]:
        with self._connection() as connection:
            rows = connection.execute(
                "SELECT * FROM ledger_entries WHERE created_at >= ? AND created_at < ? ORDER BY created_at, entry_id",
                (_text(since), _text(until)),
            ).fetchall()
        return [_entry(row) for row in rows]

    # Catalog

    def add_reward(self, reward: Reward) -> None:
        with self._write_transaction() as connection:
            _insert(connection, "rewards", REWARD_COLUMNS, self._reward_values(reward))

    def update_reward(self, reward: Reward, expected_version: int) -> Reward:
        updated = replace(reward, version=expected_version + 1)
        with self._write_transaction() as connection:
            row = connection.execute("SELECT * FROM rewards WHERE reward_id = ?", (reward.reward_id,)).fetchone()
            if row is None:
                raise RewardNotFound(f"No reward {reward.reward_id!r} in the catalog; reload the catalog.")
            if row["version"] != expected_version:
                raise RewardChanged(
                    f"\u201c{row['name']}\u201d changed since you opened it (a redemption or another admin); "
                    "reload it and apply your change again."
                )
            assignments = ", ".join(f"{column} = ?" for column in REWARD_COLUMNS[1:])
            connection.execute(
                f"UPDATE rewards SET {assignments} WHERE reward_id = ?",
                [*self._reward_values(updated)[1:], reward.reward_id],
            )
        return updated

    def delete_reward(self, reward_id: str) -> bool:
        with self._write_transaction() as connection:
            cursor = connection.execute("DELETE FROM rewards WHERE reward_id = ?", (reward_id,))
        return cursor.rowcount == 1

    def get_reward(self, reward_id: str) -> Reward | None:
        with self._connection() as connection:
            row = connection.execute("SELECT * FROM rewards WHERE reward_id = ?", (reward_id,)).fetchone()
        return _reward(row) if row else None

    def list_rewards(self) -> list[Reward]:
        with self._connection() as connection:
            rows = connection.execute("SELECT * FROM rewards ORDER BY name COLLATE NOCASE, reward_id").fetchall()
        return [_reward(row) for row in rows]

    @staticmethod
    def _reward_values(reward: Reward) -> list:
        return [
            reward.reward_id, reward.name, reward.description, reward.points, int(reward.active), reward.stock,
            reward.version, _text(reward.created_at), _text(reward.updated_at),
        ]

    # Redemptions

    def place_redemption(self, redemption: Redemption, hold: LedgerEntry, reward: Reward) -> tuple[Redemption, bool]:
        with self._write_transaction() as connection:
            existing = connection.execute(
                "SELECT * FROM redemptions WHERE redemption_id = ?", (redemption.redemption_id,)
            ).fetchone()
            if existing:
                return _redemption(existing), False

            row = connection.execute("SELECT * FROM rewards WHERE reward_id = ?", (reward.reward_id,)).fetchone()
            if row is None or not row["active"]:
                raise RewardUnavailable(f"The reward \u201c{reward.name}\u201d is no longer in the catalog; pick another one.")
            if row["points"] != reward.points:
                raise RewardChanged(
                    f"The reward \u201c{reward.name}\u201d now costs {row['points']} points; review it and redeem again."
                )
            if row["stock"] is not None and row["stock"] <= 0:
                raise OutOfStock("Out of stock.")
            balance = _balance(connection, hold.advocate_email_key)
            if balance + hold.points < 0:
                raise NotEnoughPoints.for_entry(hold, balance)

            _insert(connection, "redemptions", REDEMPTION_COLUMNS, self._redemption_values(redemption))
            _insert_entry(connection, hold)
            _apply_to_account(connection, hold)
            if row["stock"] is not None:
                connection.execute(
                    "UPDATE rewards SET stock = stock - 1, version = version + 1 WHERE reward_id = ?", (reward.reward_id,)
                )
        return redemption, True

    def get_redemption(self, redemption_id: str) -> Redemption | None:
        with self._connection() as connection:
            row = connection.execute("SELECT * FROM redemptions WHERE redemption_id = ?", (redemption_id,)).fetchone()
        return _redemption(row) if row else None

    def list_redemptions(self, status: RedemptionStatus) -> list[Redemption]:
        with self._connection() as connection:
            rows = connection.execute(
                "SELECT * FROM redemptions WHERE status = ? ORDER BY requested_at, redemption_id", (status.value,)
            ).fetchall()
        return [_redemption(row) for row in rows]

    def list_redemptions_of(self, advocate_email_key: str) -> list[Redemption]:
        with self._connection() as connection:
            rows = connection.execute(
                "SELECT * FROM redemptions WHERE advocate_email_key = ? ORDER BY requested_at DESC, redemption_id DESC",
                (advocate_email_key,),
            ).fetchall()
        return [_redemption(row) for row in rows]

    def fulfill_redemption(self, redemption: Redemption, decided_at: datetime, decided_by: str, note: str) -> Redemption:
        with self._write_transaction() as connection:
            current = self._require_redemption(connection, redemption.redemption_id)
            check_pending(current)
            decided = self._decide(connection, current, RedemptionStatus.FULFILLED, decided_at, decided_by, note)
        return decided

    def decline_redemption(self, redemption: Redemption, refund: LedgerEntry) -> Redemption:
        with self._write_transaction() as connection:
            current = self._require_redemption(connection, redemption.redemption_id)
            check_pending(current)
            decided = self._decide(
                connection, current, RedemptionStatus.DECLINED, refund.created_at, refund.created_by, refund.reason
            )
            _insert_entry(connection, refund)
            _apply_to_account(connection, refund)
            connection.execute(
                "UPDATE rewards SET stock = stock + 1, version = version + 1 WHERE reward_id = ? AND stock IS NOT NULL",
                (current.reward_id,),
            )
        return decided

    @staticmethod
    def _require_redemption(connection: sqlite3.Connection, redemption_id: str) -> Redemption:
        row = connection.execute("SELECT * FROM redemptions WHERE redemption_id = ?", (redemption_id,)).fetchone()
        if row is None:
            raise RedemptionNotFound(f"No redemption {redemption_id!r}; reload the list of pending redemptions.")
        return _redemption(row)

    @staticmethod
    def _decide(
        connection: sqlite3.Connection,
        redemption: Redemption,
        status: RedemptionStatus,
        decided_at: datetime,
        decided_by: str,
        note: str,
    ) -> Redemption:
        connection.execute(
            "UPDATE redemptions SET status = ?, decided_at = ?, decided_by = ?, note = ? WHERE redemption_id = ?",
            (status.value, _text(decided_at), decided_by, note, redemption.redemption_id),
        )
        return replace(redemption, status=status, decided_at=decided_at, decided_by=decided_by, note=note)

    @staticmethod
    def _redemption_values(redemption: Redemption) -> list:
        r = redemption
        return [
            r.redemption_id, r.advocate_email_key, r.reward_id, r.reward_name, r.points, r.status.value,
            _text(r.requested_at), _text(r.decided_at), r.decided_by, r.note,
        ]

    def erase_rewards(self, advocate_email_key: str, anonymous_key: str) -> None:
        with self._write_transaction() as connection:
            connection.execute(
                "UPDATE ledger_entries SET advocate_email_key = ? WHERE advocate_email_key = ?",
                (anonymous_key, advocate_email_key),
            )
            connection.execute(
                "UPDATE reward_accounts SET advocate_email_key = ? WHERE advocate_email_key = ?",
                (anonymous_key, advocate_email_key),
            )
            connection.execute(
                "UPDATE redemptions SET advocate_email_key = ? WHERE advocate_email_key = ?",
                (anonymous_key, advocate_email_key),
            )
