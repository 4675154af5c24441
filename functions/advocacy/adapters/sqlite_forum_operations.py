"""SQLite tables and operations for running forums: attendance, deals, feedback, influence, notices."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from advocacy.domain.errors import FeedbackNotAccepted
from advocacy.domain.forums import Forum
from advocacy.domain.influence import InfluenceRecord
from advocacy.domain.registrations import Registration
from advocacy.ports.forum_operations_store import ForumOperationsStore

FORUM_OPERATIONS_SCHEMA = """
CREATE TABLE IF NOT EXISTS influence (
    record_id TEXT PRIMARY KEY,
    forum_id TEXT NOT NULL,
    advocate_email_key TEXT NOT NULL,
    opportunity_id TEXT NOT NULL,
    amount INTEGER NOT NULL,
    occurred_at TEXT NOT NULL,
    industry TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS influence_by_forum ON influence (forum_id);
CREATE INDEX IF NOT EXISTS influence_by_time ON influence (occurred_at);
CREATE TABLE IF NOT EXISTS notifications (
    notification_key TEXT PRIMARY KEY,
    claimed_at TEXT NOT NULL
);
"""


def _influence(row: sqlite3.Row) -> InfluenceRecord:
    return InfluenceRecord(
        forum_id=row["forum_id"],
        advocate_email_key=row["advocate_email_key"],
        opportunity_id=row["opportunity_id"],
        amount=row["amount"],
        occurred_at=datetime.fromisoformat(row["occurred_at"]),
        industry=row["industry"],
        region=row["region"],
    )


class SQLiteForumOperationsMixin(ForumOperationsStore):
    """Implements ForumOperationsStore for SQLiteStore, which provides connections and row mapping."""

    def list_forums(self, since: datetime, until: datetime) -> list[Forum]:
        with self._connection() as connection:
            rows = connection.execute(
                "SELECT * FROM forums WHERE starts_at >= ? AND starts_at < ? ORDER BY starts_at, forum_id",
                (since.isoformat(), until.isoformat()),
            ).fetchall()
        return [self._forum_from_row(row) for row in rows]

    def set_attendance(self, forum_id: str, registration_id: str, attended: bool) -> Registration:
        return self._update_registration(forum_id, registration_id, "attended = ?", (int(attended),))

    def set_opportunity(self, forum_id, registration_id, opportunity_id, opportunity_amount) -> Registration:
        return self._update_registration(
            forum_id, registration_id, "opportunity_id = ?, opportunity_amount = ?", (opportunity_id, opportunity_amount)
        )

    def record_feedback(self, forum_id, registration_id, rating, comment, now) -> Registration:
        with self._write_transaction() as connection:
            registration = self._require_registration(connection, forum_id, registration_id)
            if registration.feedback_at is not None:
                raise FeedbackNotAccepted("Thank you, we already have your feedback on this forum.")
            connection.execute(
                "UPDATE registrations SET feedback_rating = ?, feedback_comment = ?, feedback_at = ? "
                "WHERE forum_id = ? AND registration_id = ?",
                (rating, comment, now.isoformat(), forum_id, registration_id),
            )
            return self._registration_from_row(self._registration_row(connection, forum_id, registration_id))

    def record_influence(self, record: InfluenceRecord) -> bool:
        with self._write_transaction() as connection:
            cursor = connection.execute(
                "INSERT INTO influence (record_id, forum_id, advocate_email_key, opportunity_id, amount, occurred_at, industry, region) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (record_id) DO NOTHING",
                (
                    record.record_id, record.forum_id, record.advocate_email_key, record.opportunity_id, record.amount,
                    record.occurred_at.isoformat(), record.industry, record.region,
                ),
            )
            return cursor.rowcount == 1

    def list_influence_of_forum(self, forum_id: str) -> list[InfluenceRecord]:
        with self._connection() as connection:
            rows = connection.execute(
                "SELECT * FROM influence WHERE forum_id = ? ORDER BY advocate_email_key, opportunity_id", (forum_id,)
            ).fetchall()
        return [_influence(row) for row in rows]

    def list_influence_between(self, since: datetime, until: datetime) -> list[InfluenceRecord]:
        with self._connection() as connection:
            rows = connection.execute(
                "SELECT * FROM influence WHERE occurred_at >= ? AND occurred_at < ? ORDER BY occurred_at, record_id",
                (since.isoformat(), until.isoformat()),
            ).fetchall()
        return [_influence(row) for row in rows]

    def claim_notification(self, key: str, now: datetime) -> bool:
        with self._write_transaction() as connection:
            cursor = connection.execute(
                "INSERT INTO notifications (notification_key, claimed_at) VALUES (?, ?) ON CONFLICT DO NOTHING",
                (key, now.isoformat()),
            )
            return cursor.rowcount == 1

    def _update_registration(self, forum_id: str, registration_id: str, assignments: str, values: tuple) -> Registration:
        with self._write_transaction() as connection:
            self._require_registration(connection, forum_id, registration_id)
            connection.execute(
                f"UPDATE registrations SET {assignments} WHERE forum_id = ? AND registration_id = ?",
                (*values, forum_id, registration_id),
            )
            return self._registration_from_row(self._registration_row(connection, forum_id, registration_id))
