"""The part of the store port for advocates: profiles, the directory, nominations, reviews, erasure.

Rules that concurrent requests could break are atomic in each adapter: one reviewed nomination
per person (later ones join it), one status change per expected status, one profile review
request per advocate and period.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from datetime import datetime

from advocacy.domain.activities import Activity
from advocacy.domain.advocates import Advocate, AdvocateStatus
from advocacy.domain.nominations import Nomination, NominationNote, NominationStatus


class AdvocateStore(ABC):
    # Profiles and the directory

    @abstractmethod
    def save_advocate(self, advocate: Advocate) -> None:
        """Create or replace an advocate, keyed by the normalized email."""

    @abstractmethod
    def get_advocate(self, email_key: str) -> Advocate | None:
        """Return the advocate with this normalized email."""

    @abstractmethod
    def list_advocates(self, statuses: Iterable[AdvocateStatus] | None = None) -> list[Advocate]:
        """Return the advocates with one of ``statuses`` (all when None), by status then email."""

    @abstractmethod
    def last_activity_of(self, advocate_email_key: str) -> Activity | None:
        """Return the advocate's most recent activity, if any."""

    # Nominations

    @abstractmethod
    def add_nomination(self, nomination: Nomination) -> None:
        """Store an unconfirmed nomination, keyed by its id; it is not in the review queue yet."""

    @abstractmethod
    def get_nomination(self, nomination_id: str) -> Nomination | None:
        """Return one nomination by id, whatever its status."""

    @abstractmethod
    def enqueue_nomination(self, nomination: Nomination, now: datetime) -> tuple[Nomination, bool]:
        """Put a nomination into the review queue, or join it to the person's existing one.

        ``nomination`` is either stored unconfirmed (it then must still be unconfirmed) or new
        (an admin's). Returns ``(queued nomination, True)`` when it became the person's
        nomination with status new, or ``(existing nomination with a new supporter, False)``
        when the normalized email already had one; the submission is then marked joined.
        Atomic: of concurrent submissions for one person exactly one becomes new. A repeated
        call for a submission that is no longer unconfirmed returns the nomination it became
        or joined, with False, and changes nothing.
        """

    @abstractmethod
    def find_nomination(self, email_key: str) -> Nomination | None:
        """Return the person's reviewed nomination (the one others join), if any."""

    @abstractmethod
    def list_nominations(self, status: NominationStatus, limit: int = 200) -> list[Nomination]:
        """Return nominations with this pipeline status, newest first, at most ``limit``."""

    @abstractmethod
    def change_nomination_status(self, nomination: Nomination, expected: NominationStatus) -> Nomination:
        """Store ``nomination`` (with its new status) only if the stored status is still ``expected``.

        Raises NominationStatusConflict when another request changed the status first, and
        NominationNotFound when the nomination does not exist.
        """

    @abstractmethod
    def add_nomination_note(self, nomination_id: str, note: NominationNote, now: datetime) -> Nomination:
        """Append a note to a nomination atomically and return it; raises NominationNotFound."""

    @abstractmethod
    def purge_unconfirmed_nominations(self, now: datetime) -> int:
        """Delete unconfirmed nominations whose confirmation deadline passed; return how many."""

    # Freshness

    @abstractmethod
    def claim_review_request(self, email_key: str, period: str, now: datetime) -> bool:
        """Record that the advocate was asked to review their profile in ``period``.

        Returns False when a request for that advocate and period exists already. Atomic: of
        concurrent claims exactly one returns True.
        """

    @abstractmethod
    def list_review_requests(self, email_key: str) -> list[tuple[str, datetime]]:
        """Return ``(period, requested_at)`` of every review request of the advocate, oldest first."""

    # Personal data

    @abstractmethod
    def list_nominations_of(self, email_key: str) -> list[Nomination]:
        """Return every nomination (any status) whose nominee has this normalized email."""

    @abstractmethod
    def erase_advocate(self, email_key: str, anonymous_key: str) -> None:
        """Remove every personal field of the person with this normalized email.

        Deletes the profile, their nominations, review requests, sign-in records the adapter can
        reach by address, and re-files their activities under ``anonymous_key`` (ids rewritten,
        notes cleared), so counts survive without the person. Safe to run again.
        """
