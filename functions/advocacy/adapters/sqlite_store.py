"""The SQLite adapter of the store port: the embedded default for local use.

Every change that a concurrent request could break runs inside one ``BEGIN IMMEDIATE``
transaction, which takes SQLite's write lock before reading, so the read and the write that
depends on it cannot interleave with another writer. A partial unique index backs the rule of one
active registration per person and forum.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from advocacy.domain.errors import RegistrationCancelled, RegistrationExpired, RegistrationNotFound
from advocacy.domain.forums import Forum, ForumFormat, ForumStatus
from advocacy.domain.registrations import (
    Registration,
    RegistrationStatus,
    frees_a_seat,
    place_on_confirmation,
)
from advocacy.adapters.sqlite_access import ACCESS_SCHEMA, SQLiteAccessMixin
from advocacy.adapters.sqlite_activities import ACTIVITY_SCHEMA, SQLiteActivityMixin
from advocacy.adapters.sqlite_advocates import ADVOCATE_SCHEMA, SQLiteAdvocateMixin
from advocacy.adapters.sqlite_forum_operations import FORUM_OPERATIONS_SCHEMA, SQLiteForumOperationsMixin
from advocacy.adapters.sqlite_demand import DEMAND_SCHEMA, SQLiteDemandMixin
from advocacy.adapters.sqlite_rewards import REWARDS_SCHEMA, SQLiteRewardsMixin
from advocacy.ports.store import Store

SCHEMA = """
CREATE TABLE IF NOT EXISTS forums (
    forum_id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    format TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    duration_minutes INTEGER NOT NULL,
    capacity INTEGER NOT NULL,
    status TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    industry TEXT NOT NULL DEFAULT '',
    product TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL DEFAULT '',
    chaperoned INTEGER NOT NULL DEFAULT 0,
    host_emails TEXT NOT NULL DEFAULT '[]',
    host_names TEXT NOT NULL DEFAULT '[]',
    join_url TEXT NOT NULL DEFAULT '',
    recording_url TEXT NOT NULL DEFAULT '',
    host_override_reason TEXT NOT NULL DEFAULT '',
    sequence INTEGER NOT NULL DEFAULT 0,
    confirmed_count INTEGER NOT NULL DEFAULT 0,
    waitlist_count INTEGER NOT NULL DEFAULT 0,
    arrival_counter INTEGER NOT NULL DEFAULT 0,
    created_at TEXT,
    updated_at TEXT
);
CREATE INDEX IF NOT EXISTS forums_by_status_and_start ON forums (status, starts_at);

CREATE TABLE IF NOT EXISTS registrations (
    forum_id TEXT NOT NULL REFERENCES forums (forum_id),
    registration_id TEXT NOT NULL,
    email TEXT NOT NULL,
    email_key TEXT NOT NULL,
    name TEXT NOT NULL,
    company TEXT NOT NULL,
    job_title TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    opportunity_id TEXT NOT NULL DEFAULT '',
    sales_rep_email TEXT NOT NULL DEFAULT '',
    questions TEXT NOT NULL DEFAULT '',
    consent_at TEXT,
    confirmed_at TEXT,
    cancelled_at TEXT,
    promoted_at TEXT,
    arrival INTEGER,
    attended INTEGER,
    opportunity_amount INTEGER,
    feedback_rating INTEGER,
    feedback_comment TEXT NOT NULL DEFAULT '',
    feedback_at TEXT,
    PRIMARY KEY (forum_id, registration_id)
);
CREATE UNIQUE INDEX IF NOT EXISTS one_active_registration_per_person ON registrations (forum_id, email_key)
    WHERE status IN ('pending_confirmation', 'confirmed', 'waitlisted');
CREATE INDEX IF NOT EXISTS registrations_by_status ON registrations (forum_id, status, arrival);
CREATE INDEX IF NOT EXISTS pending_by_deadline ON registrations (status, expires_at);

CREATE TABLE IF NOT EXISTS advocates (
    email_key TEXT PRIMARY KEY,
    profile TEXT NOT NULL
);
"""

FORUM_DETAIL_COLUMNS = (
    "title", "format", "starts_at", "time_zone", "duration_minutes", "capacity", "status", "description",
    "industry", "product", "region", "language", "chaperoned", "host_emails", "host_names", "join_url",
    "recording_url", "host_override_reason", "sequence", "created_at", "updated_at",
)
REGISTRATION_COLUMNS = (
    "forum_id", "registration_id", "email", "email_key", "name", "company", "job_title", "time_zone", "status",
    "created_at", "expires_at", "opportunity_id", "sales_rep_email", "questions", "consent_at", "confirmed_at",
    "cancelled_at", "promoted_at", "arrival", "attended", "opportunity_amount", "feedback_rating", "feedback_comment",
    "feedback_at",
)
# Columns added after the first release, with their definitions, so older local files gain them.
ADDED_REGISTRATION_COLUMNS = {
    "attended": "INTEGER",
    "opportunity_amount": "INTEGER",
    "feedback_rating": "INTEGER",
    "feedback_comment": "TEXT NOT NULL DEFAULT ''",
    "feedback_at": "TEXT",
}
ADDED_FORUM_COLUMNS = {"host_override_reason": "TEXT NOT NULL DEFAULT ''"}


def _text(instant: datetime | None) -> str | None:
    return instant.isoformat() if instant else None


def _instant(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


class SQLiteStore(SQLiteDemandMixin, SQLiteAccessMixin, SQLiteActivityMixin, SQLiteForumOperationsMixin, SQLiteRewardsMixin, SQLiteAdvocateMixin, Store):
    """A store in one SQLite file; safe for the threads of one local server process."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connection() as connection:
            connection.execute("PRAGMA journal_mode = WAL")
            connection.executescript(SCHEMA + ACCESS_SCHEMA + ACTIVITY_SCHEMA + FORUM_OPERATIONS_SCHEMA + DEMAND_SCHEMA + REWARDS_SCHEMA + ADVOCATE_SCHEMA)
            self._add_missing_columns(connection)

    @staticmethod
    def _add_missing_columns(connection: sqlite3.Connection) -> None:
        for table, added in (("registrations", ADDED_REGISTRATION_COLUMNS), ("forums", ADDED_FORUM_COLUMNS)):
            existing = {row["name"] for row in connection.execute(f"PRAGMA table_info({table})")}
            for column, definition in added.items():
                if column not in existing:
                    connection.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        # One short-lived connection per operation keeps threads apart; WAL lets readers run
        # while a writer holds the lock, and the timeout makes writers queue instead of failing.
        connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        connection.row_factory = sqlite3.Row
        try:
            yield connection
        finally:
            connection.close()

    @contextmanager
    def _write_transaction(self) -> Iterator[sqlite3.Connection]:
        with self._connection() as connection:
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")

    # Forums

    def save_forum(self, forum: Forum) -> None:
        values = self._forum_values(forum)
        assignments = ", ".join(f"{column} = excluded.{column}" for column in FORUM_DETAIL_COLUMNS)
        columns = ("forum_id", *FORUM_DETAIL_COLUMNS)
        with self._write_transaction() as connection:
            connection.execute(
                f"INSERT INTO forums ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
                f"ON CONFLICT (forum_id) DO UPDATE SET {assignments}",
                [forum.forum_id, *values],
            )

    def get_forum(self, forum_id: str) -> Forum | None:
        with self._connection() as connection:
            row = connection.execute("SELECT * FROM forums WHERE forum_id = ?", (forum_id,)).fetchone()
        return self._forum_from_row(row) if row else None

    def list_upcoming_forums(self, now: datetime, limit: int = 500) -> list[Forum]:
        with self._connection() as connection:
            rows = connection.execute(
                "SELECT * FROM forums WHERE status = ? AND starts_at > ? ORDER BY starts_at, forum_id LIMIT ?",
                (ForumStatus.PUBLISHED.value, _text(now), limit),
            ).fetchall()
        return [self._forum_from_row(row) for row in rows]

    # Registrations

    def add_registration(self, registration: Registration, now: datetime) -> tuple[Registration, bool]:
        with self._write_transaction() as connection:
            row = connection.execute(
                "SELECT * FROM registrations WHERE forum_id = ? AND email_key = ? "
                "AND status IN ('pending_confirmation', 'confirmed', 'waitlisted')",
                (registration.forum_id, registration.email_key),
            ).fetchone()
            if row:
                existing = self._registration_from_row(row)
                if not existing.has_lapsed(now):
                    return existing, False
                self._set_status(connection, existing.expired())
            self._insert_registration(connection, registration)
        return registration, True

    def get_registration(self, forum_id: str, registration_id: str) -> Registration | None:
        with self._connection() as connection:
            row = self._registration_row(connection, forum_id, registration_id)
        return self._registration_from_row(row) if row else None

    def confirm_registration(self, forum_id: str, registration_id: str, now: datetime) -> Registration:
        with self._write_transaction() as connection:
            registration = self._require_registration(connection, forum_id, registration_id)
            if registration.status in (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED):
                return registration
            if registration.status in (RegistrationStatus.CANCELLED, RegistrationStatus.EXPIRED):
                raise RegistrationCancelled(
                    f"This registration was {registration.status.value.replace('_', ' ')}; register again from the forum page.",
                )
            lapsed = registration.has_lapsed(now)
            if lapsed:
                self._set_status(connection, registration.expired())
            else:
                placed = self._place(connection, registration, now)
        # Raised after the transaction commits, so the expiry is recorded.
        if lapsed:
            raise RegistrationExpired(
                "The confirmation link expired before it was used; register again from the forum page."
            )
        return placed

    def _place(self, connection: sqlite3.Connection, registration: Registration, now: datetime) -> Registration:
        forum_id = registration.forum_id
        forum_row = connection.execute("SELECT * FROM forums WHERE forum_id = ?", (forum_id,)).fetchone()
        forum = self._forum_from_row(forum_row)
        arrival = forum_row["arrival_counter"] + 1
        placed = place_on_confirmation(forum, registration, now, arrival)
        counter = "confirmed_count" if placed.status is RegistrationStatus.CONFIRMED else "waitlist_count"
        connection.execute(
            f"UPDATE forums SET arrival_counter = ?, {counter} = {counter} + 1 WHERE forum_id = ?",
            (arrival, forum_id),
        )
        self._set_status(connection, placed)
        return placed

    def cancel_registration(
        self, forum_id: str, registration_id: str, now: datetime
    ) -> tuple[Registration, Registration | None]:
        with self._write_transaction() as connection:
            registration = self._require_registration(connection, forum_id, registration_id)
            if registration.status in (RegistrationStatus.CANCELLED, RegistrationStatus.EXPIRED):
                return registration, None

            cancelled = registration.cancelled(now)
            self._set_status(connection, cancelled)
            if registration.status is RegistrationStatus.WAITLISTED:
                connection.execute(
                    "UPDATE forums SET waitlist_count = waitlist_count - 1 WHERE forum_id = ?", (forum_id,)
                )
            if not frees_a_seat(registration):
                return cancelled, None

            first_waitlisted = connection.execute(
                "SELECT * FROM registrations WHERE forum_id = ? AND status = 'waitlisted' ORDER BY arrival LIMIT 1",
                (forum_id,),
            ).fetchone()
            if first_waitlisted is None:
                connection.execute(
                    "UPDATE forums SET confirmed_count = confirmed_count - 1 WHERE forum_id = ?", (forum_id,)
                )
                return cancelled, None
            promoted = self._registration_from_row(first_waitlisted).promoted(now)
            self._set_status(connection, promoted)
            connection.execute("UPDATE forums SET waitlist_count = waitlist_count - 1 WHERE forum_id = ?", (forum_id,))
        return cancelled, promoted

    def list_registrations(self, forum_id: str) -> list[Registration]:
        with self._connection() as connection:
            rows = connection.execute(
                "SELECT * FROM registrations WHERE forum_id = ? ORDER BY created_at, registration_id", (forum_id,)
            ).fetchall()
        return [self._registration_from_row(row) for row in rows]

    def list_waitlist(self, forum_id: str) -> list[Registration]:
        with self._connection() as connection:
            rows = connection.execute(
                "SELECT * FROM registrations WHERE forum_id = ? AND status = 'waitlisted' ORDER BY arrival",
                (forum_id,),
            ).fetchall()
        return [self._registration_from_row(row) for row in rows]

    def expire_registrations(self, now: datetime, limit: int = 100) -> list[Registration]:
        with self._write_transaction() as connection:
            rows = connection.execute(
                "SELECT * FROM registrations WHERE status = 'pending_confirmation' AND expires_at <= ? "
                "ORDER BY expires_at LIMIT ?",
                (_text(now), limit),
            ).fetchall()
            expired = [self._registration_from_row(row).expired() for row in rows]
            for registration in expired:
                self._set_status(connection, registration)
        return expired

    # Rows

    @staticmethod
    def _forum_values(forum: Forum) -> list:
        return [
            forum.title, forum.format.value, _text(forum.starts_at), forum.time_zone, forum.duration_minutes,
            forum.capacity, forum.status.value, forum.description, forum.industry, forum.product, forum.region,
            forum.language, int(forum.chaperoned), json.dumps(list(forum.host_emails)),
            json.dumps(list(forum.host_names), ensure_ascii=False), forum.join_url, forum.recording_url,
            forum.host_override_reason, forum.sequence, _text(forum.created_at), _text(forum.updated_at),
        ]

    @staticmethod
    def _forum_from_row(row: sqlite3.Row) -> Forum:
        return Forum(
            forum_id=row["forum_id"],
            title=row["title"],
            format=ForumFormat(row["format"]),
            starts_at=_instant(row["starts_at"]),
            time_zone=row["time_zone"],
            duration_minutes=row["duration_minutes"],
            capacity=row["capacity"],
            status=ForumStatus(row["status"]),
            description=row["description"],
            industry=row["industry"],
            product=row["product"],
            region=row["region"],
            language=row["language"],
            chaperoned=bool(row["chaperoned"]),
            host_emails=tuple(json.loads(row["host_emails"])),
            host_names=tuple(json.loads(row["host_names"])),
            join_url=row["join_url"],
            recording_url=row["recording_url"],
            host_override_reason=row["host_override_reason"],
            sequence=row["sequence"],
            confirmed_count=row["confirmed_count"],
            waitlist_count=row["waitlist_count"],
            created_at=_instant(row["created_at"]),
            updated_at=_instant(row["updated_at"]),
        )

    @staticmethod
    def _registration_from_row(row: sqlite3.Row) -> Registration:
        return Registration(
            registration_id=row["registration_id"],
            forum_id=row["forum_id"],
            email=row["email"],
            name=row["name"],
            company=row["company"],
            job_title=row["job_title"],
            time_zone=row["time_zone"],
            status=RegistrationStatus(row["status"]),
            created_at=_instant(row["created_at"]),
            expires_at=_instant(row["expires_at"]),
            opportunity_id=row["opportunity_id"],
            sales_rep_email=row["sales_rep_email"],
            questions=row["questions"],
            consent_at=_instant(row["consent_at"]),
            confirmed_at=_instant(row["confirmed_at"]),
            cancelled_at=_instant(row["cancelled_at"]),
            promoted_at=_instant(row["promoted_at"]),
            arrival=row["arrival"],
            attended=None if row["attended"] is None else bool(row["attended"]),
            opportunity_amount=row["opportunity_amount"],
            feedback_rating=row["feedback_rating"],
            feedback_comment=row["feedback_comment"],
            feedback_at=_instant(row["feedback_at"]),
        )

    @staticmethod
    def _registration_values(registration: Registration) -> list:
        r = registration
        return [
            r.forum_id, r.registration_id, r.email, r.email_key, r.name, r.company, r.job_title, r.time_zone,
            r.status.value, _text(r.created_at), _text(r.expires_at), r.opportunity_id, r.sales_rep_email,
            r.questions, _text(r.consent_at), _text(r.confirmed_at), _text(r.cancelled_at), _text(r.promoted_at),
            r.arrival, None if r.attended is None else int(r.attended), r.opportunity_amount, r.feedback_rating,
            r.feedback_comment, _text(r.feedback_at),
        ]

    def _insert_registration(self, connection: sqlite3.Connection, registration: Registration) -> None:
        connection.execute(
            f"INSERT INTO registrations ({', '.join(REGISTRATION_COLUMNS)}) "
            f"VALUES ({', '.join('?' * len(REGISTRATION_COLUMNS))})",
            self._registration_values(registration),
        )

    def _set_status(self, connection: sqlite3.Connection, registration: Registration) -> None:
        connection.execute(
            "UPDATE registrations SET status = ?, confirmed_at = ?, cancelled_at = ?, promoted_at = ?, arrival = ? "
            "WHERE forum_id = ? AND registration_id = ?",
            (
                registration.status.value, _text(registration.confirmed_at), _text(registration.cancelled_at),
                _text(registration.promoted_at), registration.arrival, registration.forum_id,
                registration.registration_id,
            ),
        )

    @staticmethod
    def _registration_row(connection: sqlite3.Connection, forum_id: str, registration_id: str):
        return connection.execute(
            "SELECT * FROM registrations WHERE forum_id = ? AND registration_id = ?", (forum_id, registration_id)
        ).fetchone()

    def _require_registration(self, connection, forum_id: str, registration_id: str) -> Registration:
        row = self._registration_row(connection, forum_id, registration_id)
        if row is None:
            raise RegistrationNotFound(
                f"No registration {registration_id!r} for forum {forum_id!r}; check the link in your email."
            )
        return self._registration_from_row(row)

