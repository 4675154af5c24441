"""Nominations: how a customer becomes an advocate, from the first hand raised to the decision.

A customer nominates themself, or an employee (customer success, account team, support,
product) nominates them. Either way the submission counts once someone confirms it from an
emailed link: the nominee for a self-nomination, the employee for an internal one. An admin's
nomination needs no confirmation.

People are told apart by their normalized email. The first confirmed nomination of a person is
the one the advocacy team reviews; every later one joins it as a supporter, whatever its status,
and the answer to the submitter is the same in both cases.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from advocacy.domain.errors import DomainError


class NominationStatus(StrEnum):
    UNCONFIRMED = "unconfirmed"
    NEW = "new"
    CONTACTED = "contacted"
    INTERVIEWED = "interviewed"
    APPROVED = "approved"
    DECLINED = "declined"
    # A confirmed submission for a person who already had a nomination; it lives on as a
    # supporter of that one and is not reviewed on its own.
    JOINED = "joined"


# The statuses of the review pipeline, in order, as admins list them.
PIPELINE = (
    NominationStatus.NEW,
    NominationStatus.CONTACTED,
    NominationStatus.INTERVIEWED,
    NominationStatus.APPROVED,
    NominationStatus.DECLINED,
)
OPEN_STATUSES = frozenset({NominationStatus.NEW, NominationStatus.CONTACTED, NominationStatus.INTERVIEWED})
DECIDED_STATUSES = frozenset({NominationStatus.APPROVED, NominationStatus.DECLINED})

# Forward moves only: a step may be skipped, and a decision is final.
NEXT_STATUSES = {
    NominationStatus.NEW: frozenset(
        {NominationStatus.CONTACTED, NominationStatus.INTERVIEWED, NominationStatus.APPROVED, NominationStatus.DECLINED}
    ),
    NominationStatus.CONTACTED: frozenset(
        {NominationStatus.INTERVIEWED, NominationStatus.APPROVED, NominationStatus.DECLINED}
    ),
    NominationStatus.INTERVIEWED: frozenset({NominationStatus.APPROVED, NominationStatus.DECLINED}),
}


class NominationSource(StrEnum):
    SELF = "self"
    EMPLOYEE = "employee"
    ADMIN = "admin"


class Relationship(StrEnum):
    """How an employee knows the customer they nominate."""

    CUSTOMER_SUCCESS = "customer_success"
    ACCOUNT_TEAM = "account_team"
    SUPPORT = "support"
    PRODUCT = "product"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "customer_success": "Customer success manager",
            "account_team": "Account team",
            "support": "Support",
            "product": "Product",
            "other": "Other",
        }[self.value]


class NominationNotFound(DomainError):
    """No nomination has the requested id, or the confirmation link does not match it."""


class NominationExpired(DomainError):
    """The nomination was not confirmed in time, so it lapsed."""


class NominationStatusConflict(DomainError):
    """The requested status change does not follow the pipeline, or another admin changed it first."""


@dataclass(frozen=True)
class Supporter:
    """A later submission for the same person, kept with the nomination it joined."""

    source: NominationSource
    submitted_at: datetime
    nominator_email: str = ""
    nominator_name: str = ""
    relationship: str = ""
    reason: str = ""
    products: tuple[str, ...] = ()
    activities: tuple[str, ...] = ()


@dataclass(frozen=True)
class NominationNote:
    author: str
    written_at: datetime
    text: str


@dataclass(frozen=True)
class Nomination:
    """One person put forward as an advocate, with the review's progress.

    ``email_key`` is the nominee's trimmed, lower-case address; ``email`` keeps their spelling.
    ``nominator_*`` fields are empty for a self-nomination.
    """

    nomination_id: str
    email_key: str
    email: str
    name: str
    company: str
    role: str
    source: NominationSource
    status: NominationStatus
    created_at: datetime
    updated_at: datetime
    products: tuple[str, ...] = ()
    activities: tuple[str, ...] = ()
    nominator_email: str = ""
    nominator_name: str = ""
    relationship: str = ""
    reason: str = ""
    consent_at: datetime | None = None
    expires_at: datetime | None = None
    confirmed_at: datetime | None = None
    decided_at: datetime | None = None
    joined_to: str = ""
    supporters: tuple[Supporter, ...] = ()
    notes: tuple[NominationNote, ...] = ()

    def has_lapsed(self, now: datetime) -> bool:
        return self.status is NominationStatus.UNCONFIRMED and self.expires_at is not None and now >= self.expires_at

    def days_waiting(self, now: datetime) -> int:
        """Whole days from submission to the decision, or to ``now`` while still open."""
        end = self.decided_at or now
        return max((end - self.created_at).days, 0)

    def as_supporter(self) -> Supporter:
        return Supporter(
            source=self.source,
            submitted_at=self.created_at,
            nominator_email=self.nominator_email,
            nominator_name=self.nominator_name,
            relationship=self.relationship,
            reason=self.reason,
            products=self.products,
            activities=self.activities,
        )

    @property
    def all_products(self) -> tuple[str, ...]:
        """Products named by this nomination and every supporter, each once, in order."""
        return tuple(dict.fromkeys(self.products + tuple(p for s in self.supporters for p in s.products)))

    @property
    def all_activities(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.activities + tuple(a for s in self.supporters for a in s.activities)))


def queued(nomination: Nomination, now: datetime) -> Nomination:
    """Put a confirmed (or admin-made) nomination into the review queue as new."""
    return replace(nomination, status=NominationStatus.NEW, confirmed_at=now, updated_at=now, expires_at=None)


def check_transition(nomination: Nomination, target: NominationStatus) -> None:
    """Raise NominationStatusConflict unless ``target`` follows ``nomination.status`` in the pipeline."""
    allowed = NEXT_STATUSES.get(nomination.status, frozenset())
    if target not in allowed:
        choices = ", ".join(sorted(status.value for status in allowed)) or "none: the decision is final"
        raise NominationStatusConflict(
            f"A {nomination.status.value} nomination cannot become {target.value}; next steps: {choices}.",
            field="status",
        )


def moved(nomination: Nomination, target: NominationStatus, now: datetime) -> Nomination:
    """Return the nomination in ``target``, after check_transition allowed the move."""
    check_transition(nomination, target)
    decided_at = now if target in DECIDED_STATUSES else None
    return replace(nomination, status=target, updated_at=now, decided_at=decided_at)
