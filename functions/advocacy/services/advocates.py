"""Use cases of advocates: self-service profile and preferences, availability, the directory,
freshness, and their personal data.

Every self-service function takes the signed-in advocate's normalized email from the session,
never from the request, so no advocate can read or change another's data.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from aws_lambda_powertools import Logger

from advocacy.bootstrap import Dependencies
from advocacy.domain.access import email_hint
from advocacy.domain.activities import Activity
from advocacy.domain.advocates import (
    Advocate,
    AdvocateNotFound,
    AdvocateStatus,
    Blackout,
    activity_type_key,
    confirmed,
    is_stale,
    paused,
    review_period,
)
from advocacy.domain.availability import Availability, availability, quarter_bounds
from advocacy.domain.forums import Forum
from advocacy.domain.nominations import Nomination
from advocacy.domain.registrations import normalize_email
from advocacy.domain.rewards import LedgerEntry, Redemption, RewardsAccount
from advocacy.services.nominations import render_email

logger = Logger(service="advocacy-portal", child=True)

# Shown in place of an erased host's name on forums they hosted.
ERASED_HOST_NAME = "Former advocate"


def require_advocate(deps: Dependencies, email_key: str) -> Advocate:
    advocate = deps.store.get_advocate(email_key)
    if advocate is None:
        raise AdvocateNotFound(f"No advocate has the address {email_key!r}; check it or import the roster.")
    return advocate


# Self-service


@dataclass(frozen=True)
class ProfileChanges:
    """A validated profile form: every field replaces the stored one."""

    first_name: str
    last_name: str
    title: str
    company: str
    industry: str
    products: tuple[str, ...]
    use_cases: tuple[str, ...]
    region: str
    country: str
    languages: tuple[str, ...]
    time_zone: str
    story: str


@dataclass(frozen=True)
class PreferenceChanges:
    activity_types: tuple[str, ...]
    max_activities_per_quarter: int | None
    blackouts: tuple[Blackout, ...]
    paused: bool


def update_profile(deps: Dependencies, email_key: str, changes: ProfileChanges) -> Advocate:
    advocate = require_advocate(deps, email_key)
    updated = replace(advocate, **changes.__dict__)
    deps.store.save_advocate(updated)
    logger.info("Profile updated", email=email_hint(email_key))
    return updated


def update_preferences(deps: Dependencies, email_key: str, changes: PreferenceChanges) -> Advocate:
    advocate = require_advocate(deps, email_key)
    updated = replace(
        advocate,
        activities_willing=changes.activity_types,
        max_activities_per_quarter=changes.max_activities_per_quarter,
        blackouts=tuple(sorted(changes.blackouts, key=lambda blackout: (blackout.first_day, blackout.last_day))),
    )
    if (advocate.status is AdvocateStatus.PAUSED) != changes.paused:
        updated = paused(updated, changes.paused)
    deps.store.save_advocate(updated)
    logger.info("Preferences updated", email=email_hint(email_key), status=updated.status.value)
    return updated


def confirm_profile(deps: Dependencies, email_key: str) -> Advocate:
    """Record that the advocate checked the profile today ("my profile is still right")."""
    advocate = require_advocate(deps, email_key)
    updated = confirmed(advocate, deps.clock.now().date())
    deps.store.save_advocate(updated)
    logger.info("Profile confirmed", email=email_hint(email_key))
    return updated


@dataclass(frozen=True)
class ActivityOverview:
    """An advocate's published forums still ahead, and their recorded activities."""

    hosting: list[Forum]
    upcoming: list[Activity]
    past: list[Activity]


def activities_of(deps: Dependencies, email_key: str) -> ActivityOverview:
    now = deps.clock.now()
    hosting = [
        forum
        for forum in deps.store.list_upcoming_forums(now)
        if email_key in {normalize_email(host) for host in forum.host_emails}
    ]
    recorded = deps.store.list_activities_of(email_key)
    return ActivityOverview(
        hosting=hosting,
        upcoming=[activity for activity in recorded if activity.occurred_at >= now],
        past=sorted((activity for activity in recorded if activity.occurred_at < now), key=lambda a: a.occurred_at, reverse=True),
    )


# Availability


def availability_on(deps: Dependencies, advocate: Advocate, on: date) -> Availability:
    """Decide whether the advocate can take one more activity on ``on``, reading their rolling quarter.

    For forum host assignment, pass the forum's local start date.
    """
    since, until = quarter_bounds(on)
    activities = deps.store.list_activities_of(advocate.email_key, since=since, until=until)
    return availability(advocate, on, activities, deps.settings.program_cap_per_quarter)


# Directory


@dataclass(frozen=True)
class DirectoryQuery:
    """Filters of the admin directory; empty text and None match everything."""

    industry: str = ""
    product: str = ""
    region: str = ""
    persona: str = ""
    language: str = ""
    activity_type: str = ""
    status: AdvocateStatus | None = None
    available_on: date | None = None


@dataclass(frozen=True)
class DirectoryEntry:
    advocate: Advocate
    last_activity_at: datetime | None
    stale: bool
    availability: Availability | None = None


def _same(left: str, right: str) -> bool:
    return left.strip().casefold() == right.strip().casefold()


def _matches(advocate: Advocate, query: DirectoryQuery) -> bool:
    checks = [
        not query.industry or _same(advocate.industry, query.industry),
        not query.region or _same(advocate.region, query.region),
        not query.persona or _same(advocate.persona, query.persona),
        not query.product or any(_same(product, query.product) for product in advocate.products),
        not query.language or any(_same(language, query.language) for language in advocate.languages),
        not query.activity_type
        or activity_type_key(query.activity_type) in {activity_type_key(kind) for kind in advocate.activities_willing},
    ]
    return all(checks)


def find_advocates(deps: Dependencies, query: DirectoryQuery) -> list[DirectoryEntry]:
    """Return the advocates that match every filter, each with their last activity.

    With ``available_on``, only advocates available that day are returned. Reads one index of
    advocates and filters here, which suits programs of a few thousand advocates.
    """
    statuses = [query.status] if query.status else None
    today = deps.clock.now().date()
    entries = []
    for advocate in deps.store.list_advocates(statuses):
        if not _matches(advocate, query):
            continue
        answer = availability_on(deps, advocate, query.available_on) if query.available_on else None
        if answer is not None and not answer.available:
            continue
        last = deps.store.last_activity_of(advocate.email_key)
        entries.append(
            DirectoryEntry(
                advocate=advocate,
                last_activity_at=last.occurred_at if last else None,
                stale=is_stale(advocate, today, deps.settings.stale_profile_days),
                availability=answer,
            )
        )
    return entries


# Freshness

# Advocates whose profiles are kept current: candidates have no account and retired ones left.
REVIEWED_STATUSES = (AdvocateStatus.ACTIVE, AdvocateStatus.PAUSED)


@dataclass(frozen=True)
class StaleProfile:
    advocate: Advocate
    review_requested_at: datetime | None


def stale_profiles(deps: Dependencies) -> list[StaleProfile]:
    """Return active and paused advocates whose profile is stale, least recently verified first."""
    today = deps.clock.now().date()
    stale = [
        advocate
        for advocate in deps.store.list_advocates(REVIEWED_STATUSES)
        if is_stale(advocate, today, deps.settings.stale_profile_days)
    ]
    stale.sort(key=lambda advocate: (advocate.last_verified or date.min, advocate.email_key))
    profiles = []
    for advocate in stale:
        requests = deps.store.list_review_requests(advocate.email_key)
        profiles.append(StaleProfile(advocate=advocate, review_requested_at=requests[-1][1] if requests else None))
    return profiles


def request_profile_reviews(deps: Dependencies) -> int:
    """Email each stale advocate once per freshness period to review their profile; return how many.

    The store claims the request for the advocate and period before the email goes out, so two
    runs, even overlapping ones, never send the same request twice.
    """
    now = deps.clock.now()
    period = review_period(now.date(), deps.settings.stale_profile_days)
    sent = 0
    for profile in stale_profiles(deps):
        advocate = profile.advocate
        if not deps.store.claim_review_request(advocate.email_key, period, now):
            continue
        deps.mailer.send(_review_email(deps, advocate))
        sent += 1
        logger.info("Profile review requested", email=email_hint(advocate.email_key), period=period)
    return sent


def _review_email(deps: Dependencies, advocate: Advocate):
    url = f"{deps.settings.portal_url}/sign-in/?next=/account/profile/"
    verified = advocate.last_verified.isoformat() if advocate.last_verified else "not yet"
    paragraphs = [
        f"Your advocate profile was last confirmed {verified}. Sales teams match prospects to advocates by it, "
        "so a current profile brings you the conversations that suit you.",
        "Please sign in, check your role, products, languages and availability, and press "
        "\u201cMy profile is still right\u201d or correct what changed. It takes two minutes.",
    ]
    return render_email(
        "profile-review-request", advocate.display_name, advocate.email, "Is your advocate profile still right?", paragraphs,
        ("Review my profile", url),
    )


# Personal data


@dataclass(frozen=True)
class PersonalData:
    """Everything the portal holds about one advocate, for download."""

    advocate: Advocate
    activities: list[Activity]
    nominations: list[Nomination]
    review_requests: list[tuple[str, datetime]]
    hosting: list[Forum]
    rewards_account: RewardsAccount | None = None
    ledger: list[LedgerEntry] = field(default_factory=list)
    redemptions: list[Redemption] = field(default_factory=list)


def personal_data(deps: Dependencies, email_key: str) -> PersonalData:
    advocate = require_advocate(deps, email_key)
    overview = activities_of(deps, email_key)
    return PersonalData(
        advocate=advocate,
        activities=deps.store.list_activities_of(email_key),
        nominations=deps.store.list_nominations_of(email_key),
        review_requests=deps.store.list_review_requests(email_key),
        hosting=overview.hosting,
        rewards_account=deps.store.get_rewards_account(email_key),
        ledger=deps.store.list_ledger(email_key),
        redemptions=deps.store.list_redemptions_of(email_key),
    )


def erase(deps: Dependencies, email_key: str, session_hash: str) -> str:
    """Erase the advocate's personal data everywhere and end their session; return the anonymous key.

    Activities stay under a random ``erased-<hex>`` key, so program counts keep them without
    the person. Forums they host or hosted (the published ones ahead, and those their activities
    name) show a placeholder in place of their name and address.
    """
    require_advocate(deps, email_key)
    anonymous_key = f"erased-{secrets.token_hex(8)}"
    forum_ids = {activity.forum_id for activity in deps.store.list_activities_of(email_key) if activity.forum_id}
    forum_ids |= {forum.forum_id for forum in activities_of(deps, email_key).hosting}

    for forum_id in sorted(forum_ids):
        forum = deps.store.get_forum(forum_id)
        if forum is not None:
            deps.store.save_forum(_without_host(forum, email_key, anonymous_key, deps.clock.now()))
            logger.warning("Erased advocate removed from forum hosts", forum_id=forum_id)
    deps.store.erase_advocate(email_key, anonymous_key)
    deps.store.erase_rewards(email_key, anonymous_key)
    deps.store.delete_session(session_hash)
    logger.info("Advocate erased", anonymous_key=anonymous_key)
    return anonymous_key


def _without_host(forum: Forum, email_key: str, anonymous_key: str, now: datetime) -> Forum:
    emails = list(forum.host_emails)
    names = list(forum.host_names)
    for index, email in enumerate(emails):
        if normalize_email(email) == email_key:
            emails[index] = anonymous_key
            if index < len(names):
                names[index] = ERASED_HOST_NAME
    return replace(forum, host_emails=tuple(emails), host_names=tuple(names), updated_at=now)
