"""Activities: each time an advocate helps, whatever the kind. Caps, rewards and reports count them.

A one-to-many activity (a forum or a limited group event) is one activity for each host, however
many prospects attend; the attendance is kept for rewards that add a bonus per prospect.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class ActivityType(StrEnum):
    REFERENCE_FORUM = "reference_forum"
    LIMITED_GROUP_EVENT = "limited_group_event"
    ONE_TO_ONE_CALL = "one_to_one_call"
    CASE_STUDY = "case_study"
    SPEAKING = "speaking"
    REVIEW = "review"
    ADVISORY_BOARD = "advisory_board"
    PRESS = "press"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").replace("one to one", "one-to-one").capitalize()


@dataclass(frozen=True)
class Activity:
    """One contribution of one advocate.

    ``activity_id`` is chosen by the caller so that recording the same activity twice is
    harmless: a forum's host activity is ``forum:<forum_id>:<advocate email>``.
    """

    activity_id: str
    advocate_email_key: str
    activity_type: ActivityType
    occurred_at: datetime
    recorded_at: datetime
    forum_id: str = ""
    attending_prospects: int = 0
    opportunity_id: str = ""
    notes: str = ""


def forum_activity_id(forum_id: str, advocate_email_key: str) -> str:
    return f"forum:{forum_id}:{advocate_email_key}"
