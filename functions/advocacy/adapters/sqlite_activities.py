"""SQLite table and operations for advocates' activities."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from advocacy.domain.activities import Activity, ActivityType
from advocacy.ports.activity_store import ActivityStore

ACTIVITY_SCHEMA = """
CREATE TABLE IF NOT EXISTS activities (
    activity_id TEXT PRIMARY KEY,
    advocate_email_key TEXT NOT NULL,
    activity_type TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    forum_id TEXT NOT NULL DEFAULT '',
    attending_prospects INTEGER NOT NULL DEFAULT 0,
    opportunity_id TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS activities_by_advocate ON activities (advocate_email_key, occurred_at);
CREATE INDEX IF NOT EXISTS activities_by_time ON activities (occurred_at);
"""
COLUMNS = (
    "activity_id", "advocate_email_key", "activity_type", "occurred_at", "recorded_at", "forum_id",
    "attending_prospects", "opportunity_id", "notes",
)


def _activity(row: sqlite3.Row) -> Activity:
    return Activity(
        activity_id=row["activity_id"],
        advocate_email_key=row["advocate_email_key"],
        activity_type=ActivityType(row["activity_type"]),
        occurred_at=datetime.fromisoformat(row["occurred_at"]),
        recorded_at=datetime.fromisoformat(row["recorded_at"]),
        forum_id=row["forum_id"],
        attending_prospects=row["attending_prospects"],
        opportunity_id=row["opportunity_id"],
        notes=row["notes"],
    )


class SQLiteActivityMixin(ActivityStore):
    """Implements ActivityStore for SQLiteStore, which provides the connection helpers."""

    def record_activity(self, activity: Activity) -> bool:
        values = (
            activity.activity_id, activity.advocate_email_key, activity.activity_type.value,
            activity.occurred_at.isoformat(), activity.recorded_at.isoformat(), activity.forum_id,
            activity.attending_prospects, activity.opportunity_id, activity.notes,
        )
        with self._write_transaction() as connection:
            cursor = connection.execute(
                f"INSERT INTO activities ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))}) "
                "ON CONFLICT (activity_id) DO NOTHING",
                values,
            )
            return cursor.rowcount == 1

    def get_activity(self, activity_id: str) -> Activity | None:
        with self._connection() as connection:
            row = connection.execute("SELECT * FROM activities WHERE activity_id = ?", (activity_id,)).fetchone()
        return _activity(row) if row else None

    def list_activities_of(self, advocate_email_key, since=None, until=None) -> list[Activity]:
        with self._connection() as connection:
            rows = connection.execute(
                "SELECT * FROM activities WHERE advocate_email_key = ? AND occurred_at >= ? AND occurred_at < ? "
                "ORDER BY occurred_at, activity_id",
                (advocate_email_key, since.isoformat() if since else "", until.isoformat() if until else "\uffff"),
            ).fetchall()
        return [_activity(row) for row in rows]

    def list_activities_between(self, since: datetime, until: datetime) -> list[Activity]:
        with self._connection() as connection:
            rows = connection.execute(
                "SELECT * FROM activities WHERE occurred_at >= ? AND occurred_at < ? ORDER BY occurred_at, activity_id",
                (since.isoformat(), until.isoformat()),
            ).fetchall()
        return [_activity(row) for row in rows]
