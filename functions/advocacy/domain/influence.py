"""Influenced revenue: which deals a completed forum touched, credited to its hosts.

Every attending prospect's opportunity counts, in full, for each host of the forum, and each
opportunity once per forum even when several attendees belong to it. Registered prospects who
did not attend do not count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from advocacy.domain.forums import Forum
from advocacy.domain.registrations import Registration, RegistrationStatus


@dataclass(frozen=True)
class InfluenceRecord:
    """One opportunity influenced by one advocate at one forum."""

    forum_id: str
    advocate_email_key: str
    opportunity_id: str
    amount: int
    occurred_at: datetime
    industry: str = ""
    region: str = ""

    @property
    def record_id(self) -> str:
        return f"{self.forum_id}:{self.opportunity_id}:{self.advocate_email_key}"


def attendees(registrations: list[Registration]) -> list[Registration]:
    return [r for r in registrations if r.status is RegistrationStatus.CONFIRMED and r.attended]


def influenced_opportunities(registrations: list[Registration]) -> dict[str, int]:
    """Return each attended opportunity once with its amount.

    When attendees of one opportunity give different amounts, the largest counts, because the
    amounts describe one deal and a smaller one is usually an earlier estimate.
    """
    opportunities: dict[str, int] = {}
    for registration in attendees(registrations):
        if not registration.opportunity_id:
            continue
        amount = registration.opportunity_amount or 0
        opportunities[registration.opportunity_id] = max(amount, opportunities.get(registration.opportunity_id, 0))
    return opportunities


def influence_of(forum: Forum, host_email_keys: tuple[str, ...], registrations: list[Registration]) -> list[InfluenceRecord]:
    """Return the influence records a completed forum creates: opportunities times hosts."""
    opportunities = influenced_opportunities(registrations)
    return [
        InfluenceRecord(
            forum_id=forum.forum_id,
            advocate_email_key=host,
            opportunity_id=opportunity_id,
            amount=amount,
            occurred_at=forum.starts_at,
            industry=forum.industry,
            region=forum.region,
        )
        for host in host_email_keys
        for opportunity_id, amount in sorted(opportunities.items())
    ]
