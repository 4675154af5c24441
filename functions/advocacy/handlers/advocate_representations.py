"""JSON shapes of advocates, nominations, availability and personal data, as the API returns them."""

from __future__ import annotations

from datetime import date, datetime


from advocacy.domain.activities import Activity
from advocacy.domain.advocates import Advocate, is_stale
from advocacy.domain.availability import Availability
from advocacy.domain.nominations import (
    Nomination,
    Relationship,
    Supporter,
)
from advocacy.handlers.representations import forum_json, utc_text
from advocacy.handlers.rewards_representations import account_json, entry_json, redemption_json
from advocacy.services.advocates import ActivityOverview, DirectoryEntry, PersonalData, StaleProfile
from advocacy.services.csv_import import ImportReport

def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _instant(value: datetime | None) -> str | None:
    return utc_text(value) if value else None


def profile_json(advocate: Advocate, today: date, stale_profile_days: int) -> dict:
    """Return the advocate's own view: profile, preferences and freshness."""
    return {
        "email": advocate.email,
        "first_name": advocate.first_name,
        "last_name": advocate.last_name,
        "name": advocate.display_name,
        "status": advocate.status.value,
        "profile": {
            "title": advocate.title,
            "company": advocate.company,
            "industry": advocate.industry,
            "products": list(advocate.products),
            "use_cases": list(advocate.use_cases),
            "region": advocate.region,
            "country": advocate.country,
            "languages": list(advocate.languages),
            "time_zone": advocate.time_zone,
            "story": advocate.story,
            "persona": advocate.persona,
        },
        "preferences": {
            "activity_types": list(advocate.activities_willing),
            "max_activities_per_quarter": advocate.max_activities_per_quarter,
            "blackouts": [{"first_day": _day(b.first_day), "last_day": _day(b.last_day)} for b in advocate.blackouts],
            "paused": advocate.status.value == "paused",
        },
        "last_verified": _day(advocate.last_verified),
        "stale": is_stale(advocate, today, stale_profile_days),
        "stale_after_days": stale_profile_days,
    }


def availability_json(answer: Availability, on: date) -> dict:
    return {"date": on.isoformat(), "available": answer.available, "reasons": list(answer.reasons)}


def directory_entry_json(entry: DirectoryEntry, today: date, stale_profile_days: int) -> dict:
    body = profile_json(entry.advocate, today, stale_profile_days)
    body["notes"] = entry.advocate.notes
    body["last_activity_at"] = _instant(entry.last_activity_at)
    if entry.availability is not None:
        body["availability"] = {"available": entry.availability.available, "reasons": list(entry.availability.reasons)}
    return body


def stale_profile_json(profile: StaleProfile, today: date) -> dict:
    advocate = profile.advocate
    return {
        "email": advocate.email,
        "name": advocate.display_name,
        "company": advocate.company,
        "status": advocate.status.value,
        "last_verified": _day(advocate.last_verified),
        "days_since_verified": (today - advocate.last_verified).days if advocate.last_verified else None,
        "review_requested_at": _instant(profile.review_requested_at),
    }


def activity_json(activity: Activity) -> dict:
    return {
        "activity_id": activity.activity_id,
        "activity_type": activity.activity_type.value,
        "activity_label": activity.activity_type.label,
        "occurred_at": utc_text(activity.occurred_at),
        "forum_id": activity.forum_id,
        "attending_prospects": activity.attending_prospects,
    }


def overview_json(overview: ActivityOverview, now: datetime) -> dict:
    return {
        "hosting": [forum_json(forum, now) for forum in overview.hosting],
        "upcoming": [activity_json(activity) for activity in overview.upcoming],
        "past": [activity_json(activity) for activity in overview.past],
    }


def _relationship_label(value: str) -> str:
    try:
        return Relationship(value).label
    except ValueError:
        return value


def _supporter_json(supporter: Supporter) -> dict:
    return {
        "source": supporter.source.value,
        "submitted_at": utc_text(supporter.submitted_at),
        "nominator_email": supporter.nominator_email,
        "nominator_name": supporter.nominator_name,
        "relationship": supporter.relationship,
        "relationship_label": _relationship_label(supporter.relationship),
        "reason": supporter.reason,
    }


def nomination_json(nomination: Nomination, now: datetime) -> dict:
    """Return a nomination as admins review it."""
    return {
        "nomination_id": nomination.nomination_id,
        "status": nomination.status.value,
        "source": nomination.source.value,
        "name": nomination.name,
        "email": nomination.email,
        "company": nomination.company,
        "role": nomination.role,
        "products": list(nomination.all_products),
        "activities": list(nomination.all_activities),
        "nominator_email": nomination.nominator_email,
        "nominator_name": nomination.nominator_name,
        "relationship": nomination.relationship,
        "relationship_label": _relationship_label(nomination.relationship),
        "reason": nomination.reason,
        "created_at": utc_text(nomination.created_at),
        "updated_at": utc_text(nomination.updated_at),
        "decided_at": _instant(nomination.decided_at),
        "days_waiting": nomination.days_waiting(now),
        "supporters": [_supporter_json(supporter) for supporter in nomination.supporters],
        "notes": [
            {"author": note.author, "written_at": utc_text(note.written_at), "text": note.text} for note in nomination.notes
        ],
    }


def own_nomination_json(nomination: Nomination) -> dict:
    """Return a nomination as its nominee downloads it, without nominators' and admins' addresses."""
    return {
        "nomination_id": nomination.nomination_id,
        "status": nomination.status.value,
        "source": nomination.source.value,
        "name": nomination.name,
        "email": nomination.email,
        "company": nomination.company,
        "role": nomination.role,
        "products": list(nomination.products),
        "activities": list(nomination.activities),
        "created_at": utc_text(nomination.created_at),
        "consent_at": _instant(nomination.consent_at),
        "decided_at": _instant(nomination.decided_at),
        "reasons_given": [reason for reason in (nomination.reason, *(s.reason for s in nomination.supporters)) if reason],
        "notes": [{"written_at": utc_text(note.written_at), "text": note.text} for note in nomination.notes],
    }


def personal_data_json(data: PersonalData, now: datetime, stale_profile_days: int) -> dict:
    return {
        "exported_at": utc_text(now),
        "advocate": {**profile_json(data.advocate, now.date(), stale_profile_days), "notes_from_roster": data.advocate.notes},
        "activities": [{**activity_json(activity), "notes": activity.notes} for activity in data.activities],
        "hosting": [forum_json(forum, now) for forum in data.hosting],
        "nominations": [own_nomination_json(nomination) for nomination in data.nominations],
        "profile_review_requests": [{"period": period, "requested_at": utc_text(at)} for period, at in data.review_requests],
        "rewards": {
            "account": account_json(data.rewards_account) if data.rewards_account else None,
            "ledger": [entry_json(entry) for entry in data.ledger],
            "redemptions": [redemption_json(redemption) for redemption in data.redemptions],
        },
    }


def import_report_json(report: ImportReport) -> dict:
    message = (
        f"Imported: {report.created} created, {report.updated} updated, {report.unchanged} unchanged, {report.merged} merged."
        if report.ok
        else f"Nothing imported: {len(report.problems)} problem(s) to correct first, listed by row and column."
    )
    return {
        "message": message,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "merged": report.merged,
        "problems": [{"row": problem.row, "column": problem.column, "message": problem.message} for problem in report.problems],
    }
