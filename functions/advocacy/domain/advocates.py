"""Advocates: customers who agreed to speak to prospects, as the roster describes them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class AdvocateStatus(StrEnum):
    CANDIDATE = "candidate"
    ACTIVE = "active"
    PAUSED = "paused"
    RETIRED = "retired"


@dataclass(frozen=True)
class Advocate:
    """An advocate's profile; ``email_key`` (trimmed, lower case) identifies them."""

    email_key: str
    email: str
    first_name: str
    last_name: str
    company: str
    title: str = ""
    industry: str = ""
    country: str = ""
    products: tuple[str, ...] = ()
    persona: str = ""
    status: AdvocateStatus = AdvocateStatus.CANDIDATE
    activities_willing: tuple[str, ...] = ()
    max_activities_per_quarter: int | None = None
    last_verified: date | None = None
    notes: str = ""

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()
