"""The part of the store port that signing in needs: links, sessions, admins and rate limits.

Every secret arrives here already hashed. Consuming a link and counting an attempt are atomic
in each adapter, so two requests cannot use one link twice or slip past a limit together.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import datetime

from advocacy.domain.access import Session, SignInLink


class AccessStore(ABC):
    @abstractmethod
    def save_sign_in_link(self, link: SignInLink) -> None:
        """Store a new sign-in link, keyed by its token hash."""

    @abstractmethod
    def consume_sign_in_link(self, token_hash: str, now: datetime) -> SignInLink:
        """Mark the link used and return it, atomically.

        Raises SignInLinkInvalid for an unknown hash, SignInLinkUsed when it was used before,
        and SignInLinkExpired at or after its expiry; the last two leave it unchanged.
        """

    @abstractmethod
    def save_session(self, session: Session) -> None:
        """Store a new session, keyed by its id's hash."""

    @abstractmethod
    def get_session(self, session_hash: str) -> Session | None:
        """Return the session, or None when it does not exist or was deleted."""

    @abstractmethod
    def delete_session(self, session_hash: str) -> None:
        """End one session; deleting a missing session does nothing."""

    @abstractmethod
    def end_sessions_before(self, email_key: str, instant: datetime) -> None:
        """Invalidate every session of this person created before ``instant``."""

    @abstractmethod
    def sessions_valid_after(self, email_key: str) -> datetime | None:
        """Return the instant set by ``end_sessions_before``, if any."""

    @abstractmethod
    def add_admin(self, email_key: str, added_by: str, now: datetime) -> None:
        """Record an admin; adding an existing admin again changes nothing."""

    @abstractmethod
    def is_admin(self, email_key: str) -> bool:
        """Whether an admin recorded with ``add_admin`` has this address."""

    @abstractmethod
    def list_admins(self) -> list[str]:
        """Return the addresses of admins recorded with ``add_admin``, sorted."""

    @abstractmethod
    def count_attempt(self, bucket: str, expires_at: datetime) -> int:
        """Add one attempt to a rate-limit bucket and return the bucket's new count, atomically.

        A bucket names a key and a time window, such as ``sign-in-ip#203.0.113.9#2027-01-05T09``;
        it may be deleted after ``expires_at``.
        """

    @abstractmethod
    def purge_expired_access(self, now: datetime) -> int:
        """Delete links, sessions and rate-limit buckets past their expiry; return how many."""
