"""SQLite tables and operations for sign-in links, sessions, admins and rate limits."""

from __future__ import annotations

from datetime import datetime

from advocacy.domain.access import Session, SignInLink
from advocacy.domain.errors import SignInLinkExpired, SignInLinkInvalid, SignInLinkUsed
from advocacy.ports.access_store import AccessStore

ACCESS_SCHEMA = """
CREATE TABLE IF NOT EXISTS sign_in_links (
    token_hash TEXT PRIMARY KEY,
    email_key TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    next_path TEXT NOT NULL,
    used_at TEXT
);
CREATE TABLE IF NOT EXISTS sessions (
    session_hash TEXT PRIMARY KEY,
    email_key TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS people (
    email_key TEXT PRIMARY KEY,
    sessions_valid_after TEXT
);
CREATE TABLE IF NOT EXISTS admins (
    email_key TEXT PRIMARY KEY,
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS rate_limits (
    bucket TEXT PRIMARY KEY,
    attempts INTEGER NOT NULL,
    expires_at TEXT NOT NULL
);
"""


class SQLiteAccessMixin(AccessStore):
    """Implements AccessStore for SQLiteStore, which provides the connection helpers."""

    def save_sign_in_link(self, link: SignInLink) -> None:
        with self._write_transaction() as connection:
            connection.execute(
                "INSERT INTO sign_in_links (token_hash, email_key, created_at, expires_at, next_path) VALUES (?, ?, ?, ?, ?)",
                (link.token_hash, link.email_key, link.created_at.isoformat(), link.expires_at.isoformat(), link.next_path),
            )

    def consume_sign_in_link(self, token_hash: str, now: datetime) -> SignInLink:
        with self._write_transaction() as connection:
            row = connection.execute("SELECT * FROM sign_in_links WHERE token_hash = ?", (token_hash,)).fetchone()
            if row is None:
                raise SignInLinkInvalid("This sign-in link is not valid. Ask for a new one on the sign-in page.")
            if row["used_at"]:
                raise SignInLinkUsed("This sign-in link was already used. Ask for a new one on the sign-in page.")
            if now >= datetime.fromisoformat(row["expires_at"]):
                raise SignInLinkExpired("This sign-in link has expired. Ask for a new one on the sign-in page.")
            connection.execute("UPDATE sign_in_links SET used_at = ? WHERE token_hash = ?", (now.isoformat(), token_hash))
        return SignInLink(
            token_hash=row["token_hash"],
            email_key=row["email_key"],
            created_at=datetime.fromisoformat(row["created_at"]),
            expires_at=datetime.fromisoformat(row["expires_at"]),
            next_path=row["next_path"],
            used_at=now,
        )

    def save_session(self, session: Session) -> None:
        with self._write_transaction() as connection:
            connection.execute(
                "INSERT INTO sessions (session_hash, email_key, created_at, expires_at) VALUES (?, ?, ?, ?)",
                (session.session_hash, session.email_key, session.created_at.isoformat(), session.expires_at.isoformat()),
            )

    def get_session(self, session_hash: str) -> Session | None:
        with self._connection() as connection:
            row = connection.execute("SELECT * FROM sessions WHERE session_hash = ?", (session_hash,)).fetchone()
        if row is None:
            return None
        return Session(
            session_hash=row["session_hash"],
            email_key=row["email_key"],
            created_at=datetime.fromisoformat(row["created_at"]),
            expires_at=datetime.fromisoformat(row["expires_at"]),
        )

    def delete_session(self, session_hash: str) -> None:
        with self._write_transaction() as connection:
            connection.execute("DELETE FROM sessions WHERE session_hash = ?", (session_hash,))

    def end_sessions_before(self, email_key: str, instant: datetime) -> None:
        with self._write_transaction() as connection:
            connection.execute(
                "INSERT INTO people (email_key, sessions_valid_after) VALUES (?, ?) "
                "ON CONFLICT (email_key) DO UPDATE SET sessions_valid_after = excluded.sessions_valid_after",
                (email_key, instant.isoformat()),
            )
            connection.execute("DELETE FROM sessions WHERE email_key = ? AND created_at < ?", (email_key, instant.isoformat()))

    def sessions_valid_after(self, email_key: str) -> datetime | None:
        with self._connection() as connection:
            row = connection.execute("SELECT sessions_valid_after FROM people WHERE email_key = ?", (email_key,)).fetchone()
        return datetime.fromisoformat(row[0]) if row and row[0] else None

    def add_admin(self, email_key: str, added_by: str, now: datetime) -> None:
        with self._write_transaction() as connection:
            connection.execute(
                "INSERT INTO admins (email_key, added_by, added_at) VALUES (?, ?, ?) ON CONFLICT (email_key) DO NOTHING",
                (email_key, added_by, now.isoformat()),
            )

    def is_admin(self, email_key: str) -> bool:
        with self._connection() as connection:
            return connection.execute("SELECT 1 FROM admins WHERE email_key = ?", (email_key,)).fetchone() is not None

    def list_admins(self) -> list[str]:
        with self._connection() as connection:
            return [row[0] for row in connection.execute("SELECT email_key FROM admins ORDER BY email_key")]

    def count_attempt(self, bucket: str, expires_at: datetime) -> int:
        with self._write_transaction() as connection:
            connection.execute(
                "INSERT INTO rate_limits (bucket, attempts, expires_at) VALUES (?, 1, ?) "
                "ON CONFLICT (bucket) DO UPDATE SET attempts = attempts + 1",
                (bucket, expires_at.isoformat()),
            )
            return connection.execute("SELECT attempts FROM rate_limits WHERE bucket = ?", (bucket,)).fetchone()[0]

    def purge_expired_access(self, now: datetime) -> int:
        """Delete links, sessions and rate-limit buckets past their expiry (DynamoDB uses TTL)."""
        with self._write_transaction() as connection:
            removed = 0
            for table in ("sign_in_links", "sessions", "rate_limits"):
                removed += connection.execute(f"DELETE FROM {table} WHERE expires_at < ?", (now.isoformat(),)).rowcount
        return removed
