"""The part of the store port that keeps advocates' activities."""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import datetime

from advocacy.domain.activities import Activity


class ActivityStore(ABC):
    @abstractmethod
    def record_activity(self, activity: Activity) -> bool:
        """Store the activity unless one with its id exists; return whether it was stored.

        Atomic: of concurrent calls with one id, exactly one returns True.
        """

    @abstractmethod
    def get_activity(self, activity_id: str) -> Activity | None:
        """Return one activity by id."""

    @abstractmethod
    def list_activities_of(
        self, advocate_email_key: str, since: datetime | None = None, until: datetime | None = None
    ) -> list[Activity]:
        """Return an advocate's activities with ``since <= occurred_at < until``, oldest first."""

    @abstractmethod
    def list_activities_between(self, since: datetime, until: datetime) -> list[Activity]:
        """Return every advocate's activities with ``since <= occurred_at < until``, oldest first."""
