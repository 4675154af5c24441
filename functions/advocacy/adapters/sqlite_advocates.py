"""SQLite tables and operations for advocates, the directory, nominations and profile reviews.

Tables:

- ``advocates`` (declared in sqlite_store.py): ``email_key`` and the profile as a JSON document.
- ``nominations``: one row per submission, the whole nomination as a JSON document beside the
  columns that queries use. A partial unique index allows one reviewed nomination per person
  (statuses other than unconfirmed and joined), so the first confirmed one is the one others join.
- ``profile_review_requests``: one row per advocate and freshness period.

Every change that depends on a read runs in one ``BEGIN IMMEDIATE`` transaction.
"""

from __future__ import annotations

import json
import sqlite3
import types
from collections.abc import Iterable
from dataclasses import fields, is_dataclass, replace
from datetime import date, datetime
from enum import Enum
from functools import cache
from typing import Any, Union, get_args, get_origin, get_type_hints

from advocacy.domain.activities import Activity
from advocacy.domain.advocates import Advocate, AdvocateStatus
from advocacy.domain.nominations import (
    Nomination,
    NominationNotFound,
    NominationNote,
    NominationStatus,
    NominationStatusConflict,
    queued,
)
from advocacy.ports.advocate_store import AdvocateStore

ADVOCATE_SCHEMA = """
CREATE TABLE IF NOT EXISTS nominations (
    nomination_id TEXT PRIMARY KEY,
    email_key TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT,
    document TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS one_reviewed_nomination_per_person ON nominations (email_key)
    WHERE status NOT IN ('unconfirmed', 'joined');
CREATE INDEX IF NOT EXISTS nominations_by_status ON nominations (status, created_at);
CREATE TABLE IF NOT EXISTS profile_review_requests (
    email_key TEXT NOT NULL,
    period TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    PRIMARY KEY (email_key, period)
);
"""
# Statuses of submissions that are not the person's reviewed nomination.
UNREVIEWED = ("unconfirmed", "joined")


# Documents: dataclasses as JSON-ready values and back, nested records and tuples included


def document_of(value: Any) -> Any:
    if is_dataclass(value):
        return {field.name: document_of(getattr(value, field.name)) for field in fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, tuple):
        return [document_of(element) for element in value]
    return value


def record_of(record_type: type, document: dict) -> Any:
    """Build ``record_type`` from a document; a missing key takes the field's default."""
    hints = _hints(record_type)
    return record_type(**{name: _typed(hint, document[name]) for name, hint in hints.items() if name in document})


@cache
def _hints(record_type: type) -> dict[str, Any]:
    hints = get_type_hints(record_type)
    return {field.name: hints[field.name] for field in fields(record_type)}


def _typed(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    if get_origin(hint) in (Union, types.UnionType):
        hint = next(argument for argument in get_args(hint) if argument is not type(None))
    if get_origin(hint) is tuple:
        element = get_args(hint)[0]
        return tuple(_typed(element, item) for item in value)
    if is_dataclass(hint):
        return record_of(hint, value)
    if hint is datetime:
        return datetime.fromisoformat(value)
    if hint is date:
        return date.fromisoformat(value)
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint(value)
    return value


def _nomination(row: sqlite3.Row) -> Nomination:
    return record_of(Nomination, json.loads(row["document"]))


def _advocate(row: sqlite3.Row) -> Advocate:
    return record_of(Advocate, json.loads(row["profile"]))


class SQLiteAdvocateMixin(AdvocateStore):
    """Implements AdvocateStore for SQLiteStore, which provides the connection helpers."""

    # Profiles and the directory

    def save_advocate(self, advocate: Advocate) -> None:
        with self._write_transaction() as connection:
            connection.execute(
                "INSERT INTO advocates (email_key, profile) VALUES (?, ?) "
                "ON CONFLICT (email_key) DO UPDATE SET profile = excluded.profile",
                (advocate.email_key, json.dumps(document_of(advocate), ensure_ascii=False)),
            )

    def get_advocate(self, email_key: str) -> Advocate | None:
        with self._connection() as connection:
            row = connection.execute("SELECT profile FROM advocates WHERE email_key = ?", (email_key,)).fetchone()
        return _advocate(row) if row else None

    def list_advocates(self, statuses: Iterable[AdvocateStatus] | None = None) -> list[Advocate]:
        with self._connection() as connection:
            rows = connection.execute("SELECT profile FROM advocates ORDER BY email_key").fetchall()
        advocates = [_advocate(row) for row in rows]
        if statuses is not None:
            wanted = list(statuses)
            advocates = [advocate for advocate in advocates if advocate.status in wanted]
        return sorted(advocates, key=lambda advocate: (advocate.status.value, advocate.email_key))

    def last_activity_of(self, advocate_email_key: str) -> Activity | None:
        activities = self.list_activities_of(advocate_email_key)
        return activities[-1] if activities else None

    # Nominations

    def add_nomination(self, nomination: Nomination) -> None:
        with self._write_transaction() as connection:
            self._put_nomination(connection, nomination)

    def get_nomination(self, nomination_id: str) -> Nomination | None:
        with self._connection() as connection:
            row = connection.execute("SELECT document FROM nominations WHERE nomination_id = ?", (nomination_id,)).fetchone()
        return _nomination(row) if row else None

    def enqueue_nomination(self, nomination: Nomination, now: datetime) -> tuple[Nomination, bool]:
        with self._write_transaction() as connection:
            row = connection.execute("SELECT document FROM nominations WHERE nomination_id = ?", (nomination.nomination_id,)).fetchone()
            stored = _nomination(row) if row else None
            if stored is None and nomination.status is NominationStatus.UNCONFIRMED:
                raise NominationNotFound(f"No nomination {nomination.nomination_id!r}; submit the form again.")
            if stored is not None and stored.status is not NominationStatus.UNCONFIRMED:
                return self._outcome_of(connection, stored), False

            existing_row = connection.execute(
                f"SELECT document FROM nominations WHERE email_key = ? AND status NOT IN {UNREVIEWED}",
                (nomination.email_key,),
            ).fetchone()
            if existing_row is None:
                entry = queued(nomination, now)
                self._put_nomination(connection, entry)
                return entry, True

            existing = _nomination(existing_row)
            joined = replace(existing, supporters=existing.supporters + (nomination.as_supporter(),), updated_at=now)
            self._put_nomination(connection, joined)
            self._put_nomination(
                connection,
                replace(nomination, status=NominationStatus.JOINED, joined_to=existing.nomination_id, confirmed_at=now, updated_at=now, expires_at=None),
            )
            return joined, False

    def _outcome_of(self, connection: sqlite3.Connection, stored: Nomination) -> Nomination:
        if stored.status is not NominationStatus.JOINED:
            return stored
        row = connection.execute("SELECT document FROM nominations WHERE nomination_id = ?", (stored.joined_to,)).fetchone()
        return _nomination(row) if row else stored

    def find_nomination(self, email_key: str) -> Nomination | None:
        with self._connection() as connection:
            row = connection.execute(
                f"SELECT document FROM nominations WHERE email_key = ? AND status NOT IN {UNREVIEWED}", (email_key,)
            ).fetchone()
        return _nomination(row) if row else None

    def list_nominations(self, status: NominationStatus, limit: int = 200) -> list[Nomination]:
        with self._connection() as connection:
            rows = connection.execute(
                "SELECT document FROM nominations WHERE status = ? ORDER BY created_at DESC, nomination_id DESC LIMIT ?",
                (status.value, limit),
            ).fetchall()
        return [_nomination(row) for row in rows]

    def change_nomination_status(self, nomination: Nomination, expected: NominationStatus) -> Nomination:
        with self._write_transaction() as connection:
            row = connection.execute("SELECT document FROM nominations WHERE nomination_id = ?", (nomination.nomination_id,)).fetchone()
            if row is None:
                raise NominationNotFound(f"No nomination {nomination.nomination_id!r}; reload the list of nominations.")
            stored = _nomination(row)
            if stored.status is not expected:
                raise NominationStatusConflict(
                    f"Nomination {nomination.nomination_id!r} is {stored.status.value} now, not {expected.value}; "
                    "someone changed it meanwhile. Reload it and try again.",
                    field="status",
                )
            # Only the status fields change, so notes added meanwhile are kept.
            changed = replace(stored, status=nomination.status, updated_at=nomination.updated_at, decided_at=nomination.decided_at)
            self._put_nomination(connection, changed)
        return changed

    def add_nomination_note(self, nomination_id: str, note: NominationNote, now: datetime) -> Nomination:
        with self._write_transaction() as connection:
            row = connection.execute("SELECT document FROM nominations WHERE nomination_id = ?", (nomination_id,)).fetchone()
            if row is None:
                raise NominationNotFound(f"No nomination {nomination_id!r}; reload the list of nominations.")
            noted = replace(_nomination(row), notes=_nomination(row).notes + (note,), updated_at=now)
            self._put_nomination(connection, noted)
        return noted

    def purge_unconfirmed_nominations(self, now: datetime) -> int:
        with self._write_transaction() as connection:
            return connection.execute(
                "DELETE FROM nominations WHERE status = 'unconfirmed' AND expires_at <= ?", (now.isoformat(),)
            ).rowcount

    def list_nominations_of(self, email_key: str) -> list[Nomination]:
        with self._connection() as connection:
            rows = connection.execute(
                "SELECT document FROM nominations WHERE email_key = ? ORDER BY created_at, nomination_id", (email_key,)
            ).fetchall()
        return [_nomination(row) for row in rows]

    @staticmethod
    def _put_nomination(connection: sqlite3.Connection, nomination: Nomination) -> None:
        connection.execute(
            "INSERT INTO nominations (nomination_id, email_key, status, created_at, expires_at, document) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (nomination_id) DO UPDATE SET "
            "email_key = excluded.email_key, status = excluded.status, created_at = excluded.created_at, "
            "expires_at = excluded.expires_at, document = excluded.document",
            (
                nomination.nomination_id,
                nomination.email_key,
                nomination.status.value,
                nomination.created_at.isoformat(),
                nomination.expires_at.isoformat() if nomination.expires_at else None,
                json.dumps(document_of(nomination), ensure_ascii=False),
            ),
        )

    # Freshness

    def claim_review_request(self, email_key: str, period: str, now: datetime) -> bool:
        with self._write_transaction() as connection:
            cursor = connection.execute(
                "INSERT INTO profile_review_requests (email_key, period, requested_at) VALUES (?, ?, ?) "
                "ON CONFLICT (email_key, period) DO NOTHING",
                (email_key, period, now.isoformat()),
            )
            return cursor.rowcount == 1

    def list_review_requests(self, email_key: str) -> list[tuple[str, datetime]]:
        with self._connection() as connection:
            rows = connection.execute(
                "SELECT period, requested_at FROM profile_review_requests WHERE email_key = ? ORDER BY requested_at, period",
                (email_key,),
            ).fetchall()
        return [(row["period"], datetime.fromisoformat(row["requested_at"])) for row in rows]

    # Personal data

    def erase_advocate(self, email_key: str, anonymous_key: str) -> None:
        # A rate-limit bucket names the address between '#' separators.
        bucket_pattern = "%#" + email_key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "#%"
        with self._write_transaction() as connection:
            connection.execute(
                "UPDATE activities SET advocate_email_key = ?, activity_id = replace(activity_id, ?, ?), notes = '' "
                "WHERE advocate_email_key = ?",
                (anonymous_key, email_key, anonymous_key, email_key),
            )
            for table in ("advocates", "nominations", "profile_review_requests", "sessions", "sign_in_links", "people"):
                connection.execute(f"DELETE FROM {table} WHERE email_key = ?", (email_key,))
            connection.execute("DELETE FROM rate_limits WHERE bucket LIKE ? ESCAPE '\\'", (bucket_pattern,))
