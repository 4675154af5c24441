"""The part of the store port that runs forums after they are published.

Attendance, opportunities and feedback change single fields of a registration with one
conditional write each. Influence records and notification claims are keyed so that a retry or
a second run of a job stores and sends nothing twice.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import datetime

from advocacy.domain.forums import Forum
from advocacy.domain.influence import InfluenceRecord
from advocacy.domain.registrations import Registration


class ForumOperationsStore(ABC):
    @abstractmethod
    def list_forums(self, since: datetime, until: datetime) -> list[Forum]:
        """Return forums of every status starting in ``[since, until)``, earliest first."""

    @abstractmethod
    def set_attendance(self, forum_id: str, registration_id: str, attended: bool) -> Registration:
        """Record whether a prospect attended; raise RegistrationNotFound for an unknown one."""

    @abstractmethod
    def set_opportunity(
        self, forum_id: str, registration_id: str, opportunity_id: str, opportunity_amount: int | None
    ) -> Registration:
        """Record the deal a registration belongs to; raise RegistrationNotFound for an unknown one."""

    @abstractmethod
    def record_feedback(
        self, forum_id: str, registration_id: str, rating: int, comment: str, now: datetime
    ) -> Registration:
        """Store a confirmed prospect's feedback once; raise FeedbackNotAccepted on a second try."""

    @abstractmethod
    def record_influence(self, record: InfluenceRecord) -> bool:
        """Store the record unless one with its id exists; return whether it was stored."""

    @abstractmethod
    def list_influence_of_forum(self, forum_id: str) -> list[InfluenceRecord]:
        """Return a forum's influence records, by advocate then opportunity."""

    @abstractmethod
    def list_influence_between(self, since: datetime, until: datetime) -> list[InfluenceRecord]:
        """Return influence records of forums held in ``[since, until)``, oldest first."""

    @abstractmethod
    def claim_notification(self, key: str, now: datetime) -> bool:
        """Claim the right to send the notification named ``key``; only the first claim wins."""
