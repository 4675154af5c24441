"""The store port: every read and write the services make, each a key lookup or one bounded query.

Both adapters (SQLite locally, DynamoDB in AWS) pass the same contract suite in
``tests/contract``. Rules that concurrent requests could break (one seat per confirmed
registration up to the capacity, one active registration per person and forum, waitlist order)
are enforced atomically inside the adapter, never by a read followed by a write in a service.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import datetime

from advocacy.domain.advocates import Advocate
from advocacy.domain.forums import Forum
from advocacy.domain.registrations import Registration
from advocacy.ports.access_store import AccessStore
from advocacy.ports.advocate_store import AdvocateStore
from advocacy.ports.activity_store import ActivityStore
from advocacy.ports.forum_operations_store import ForumOperationsStore
from advocacy.ports.demand_store import DemandStore
from advocacy.ports.rewards_store import RewardsStore


class StoreContention(RuntimeError):
    """Concurrent requests kept changing the same records, so the adapter gave up retrying.

    Nothing was changed; the caller may try again shortly.
    """


class Store(DemandStore, AccessStore, ActivityStore, ForumOperationsStore, RewardsStore, AdvocateStore, ABC):
    """Persistence of forums, registrations and advocates; the base classes add the other concepts."""

    # Forums

    @abstractmethod
    def save_forum(self, forum: Forum) -> None:
        """Create a forum or replace its details; its seat counts are kept, never overwritten."""

    @abstractmethod
    def get_forum(self, forum_id: str) -> Forum | None:
        """Return the forum with its current seat counts, whatever its status."""

    @abstractmethod
    def list_upcoming_forums(self, now: datetime, limit: int = 500) -> list[Forum]:
        """Return published forums starting after ``now``, earliest first, at most ``limit``."""

    # Registrations

    @abstractmethod
    def add_registration(self, registration: Registration, now: datetime) -> tuple[Registration, bool]:
        """Store a new pending registration unless the person already has one for the forum.

        Returns ``(registration, True)`` when stored, or ``(existing, False)`` when the same
        normalized email already holds an active registration for the forum. A pending
        registration whose confirmation deadline passed does not count as active: it is marked
        expired and the new one replaces it.
        """

    @abstractmethod
    def get_registration(self, forum_id: str, registration_id: str) -> Registration | None:
        """Return one registration by its forum and id."""

    @abstractmethod
    def confirm_registration(self, forum_id: str, registration_id: str, now: datetime) -> Registration:
        """Confirm a pending registration: a seat while the forum has one, else the waitlist.

        Confirming an already confirmed or waitlisted registration returns it unchanged. Raises
        RegistrationNotFound, RegistrationExpired (and marks it expired) when the deadline
        passed, or RegistrationCancelled when it was cancelled or expired earlier.
        """

    @abstractmethod
    def cancel_registration(
        self, forum_id: str, registration_id: str, now: datetime
    ) -> tuple[Registration, Registration | None]:
        """Cancel a registration and, if it held a seat, promote the first waitlisted one.

        Returns the cancelled registration and the promoted one, if any. Cancelling twice
        returns the cancelled registration and no promotion. Raises RegistrationNotFound.
        """

    @abstractmethod
    def list_registrations(self, forum_id: str) -> list[Registration]:
        """Return every registration of a forum, oldest first."""

    @abstractmethod
    def list_waitlist(self, forum_id: str) -> list[Registration]:
        """Return the waitlisted registrations of a forum in arrival order."""

    @abstractmethod
    def expire_registrations(self, now: datetime, limit: int = 100) -> list[Registration]:
        """Mark pending registrations whose deadline passed as expired; return those changed."""

    # Advocates

    @abstractmethod
    def save_advocate(self, advocate: Advocate) -> None:
        """Create or replace an advocate, keyed by the normalized email."""

    @abstractmethod
    def get_advocate(self, email_key: str) -> Advocate | None:
        """Return the advocate with this normalized email."""
