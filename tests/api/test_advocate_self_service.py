"""An advocate's self-service through the API on both stores: profile, preferences, confirming,
activities, downloading and erasing their data."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime, timedelta, timezone

import pytest
from advocacy.domain.activities import Activity, ActivityType, forum_activity_id
from advocacy.domain.advocates import Advocate, AdvocateStatus
from advocacy.domain.nominations import Nomination, NominationSource, NominationStatus
from advocacy.handlers import advocate_api, public_api
from advocacy.services import rewards

from tests.factories import NOW, make_forum
from tests.support.api import call, outbox_messages
from tests.support.portal import portal
from tests.support.sessions import SAME_ORIGIN, sign_in

EMAIL = "Zephyrine.Quill@Northwind.example"
EMAIL_KEY = EMAIL.lower()
PROFILE = {
    "first_name": "Zephyrine", "last_name": "Quill", "title": "VP Operations", "company": "Northwind Health",
    "industry": "Healthcare", "products": ["Claims Automation", "Interop Hub"], "use_cases": "Claims intake, Prior authorization",
    "region": "North America", "country": "United States", "languages": ["English", "Spanish"],
    "time_zone": "America/New_York", "story": "We handle claims in half the time.",
}


@pytest.fixture(params=["sqlite", "dynamodb"])
def deps(request, tmp_path):
    with portal(request.param, tmp_path) as dependencies:
        dependencies.store.save_advocate(
            Advocate(email_key=EMAIL_KEY, email=EMAIL, first_name="Zephyrine", last_name="Quill", company="Northwind Health",
                     status=AdvocateStatus.ACTIVE, last_verified=date(2026, 3, 1))
        )
        yield dependencies


@pytest.fixture
def session(deps) -> str:
    return sign_in(deps, EMAIL)


def me(method, path, session, body=None):
    return call(advocate_api.lambda_handler, method, path, body, headers=SAME_ORIGIN, session=session)


# Profile


def test_profile_shows_stale_roster_profile(session):
    response = me("GET", "/api/me/profile", session)

    assert response.status == 200
    assert response.body["email"] == EMAIL
    assert response.body["last_verified"] == "2026-03-01"
    assert response.body["stale"] is True


def test_profile_update_replaces_fields(deps, session):
    response = me("PUT", "/api/me/profile", session, PROFILE)

    stored = deps.store.get_advocate(EMAIL_KEY)
    assert response.status == 200
    assert response.body["profile"]["use_cases"] == ["Claims intake", "Prior authorization"]
    assert stored.languages == ("English", "Spanish")
    assert stored.story == "We handle claims in half the time."


def test_profile_update_invalid_names_each_field(session):
    response = me("PUT", "/api/me/profile", session, {**PROFILE, "first_name": "", "title": "", "time_zone": "Mars/Olympus"})

    assert response.status == 422
    assert set(response.body["errors"]) == {"first_name", "title", "time_zone"}


def test_profile_update_needs_csrf_header(deps, session):
    response = call(advocate_api.lambda_handler, "PUT", "/api/me/profile", PROFILE, headers={}, session=session)

    assert response.status == 403
    assert deps.store.get_advocate(EMAIL_KEY).story == ""


def test_confirm_profile_makes_it_fresh(deps, session):
    response = me("POST", "/api/me/profile/confirm", session)

    assert response.body["last_verified"] == NOW.date().isoformat()
    assert response.body["stale"] is False


# Preferences


def test_preferences_set_cap_and_blackout(deps, session):
    body = {"activity_types": ["reference_forum", "one_to_one_call"], "max_activities_per_quarter": 2,
            "blackouts": ["2027-03-01/2027-03-15"]}

    response = me("PUT", "/api/me/preferences", session, body)

    assert response.status == 200
    assert response.body["preferences"]["max_activities_per_quarter"] == 2
    assert response.body["preferences"]["blackouts"] == [{"first_day": "2027-03-01", "last_day": "2027-03-15"}]
    assert deps.store.get_advocate(EMAIL_KEY).activities_willing == ("reference_forum", "one_to_one_call")


def test_preferences_invalid_names_each_field(session):
    body = {"activity_types": ["juggling"], "max_activities_per_quarter": 40, "blackouts": ["2027-03-15/2027-03-01"]}

    response = me("PUT", "/api/me/preferences", session, body)

    assert response.status == 422
    assert set(response.body["errors"]) == {"activity_types", "max_activities_per_quarter", "blackouts"}


def test_preferences_pause_and_resume(deps, session):
    paused = me("PUT", "/api/me/preferences", session, {"paused": True})
    after_pause = deps.store.get_advocate(EMAIL_KEY).status
    resumed = me("PUT", "/api/me/preferences", session, {"paused": False})

    assert paused.body["preferences"]["paused"] is True
    assert after_pause is AdvocateStatus.PAUSED
    assert resumed.body["status"] == "active"


def test_preferences_empty_cap_removes_own_cap(deps, session):
    me("PUT", "/api/me/preferences", session, {"max_activities_per_quarter": 2})

    me("PUT", "/api/me/preferences", session, {"max_activities_per_quarter": None})

    assert deps.store.get_advocate(EMAIL_KEY).max_activities_per_quarter is None


# Activities


def _record_forum_hosted(deps) -> None:
    forum = make_forum("2027-02-10-claims", local_start=datetime(2027, 2, 10, 11, 0), host_emails=(EMAIL,), host_names=("Zephyrine Quill",))
    deps.store.save_forum(forum)
    deps.store.record_activity(
        Activity(forum_activity_id("2026-12-01-old", EMAIL_KEY), EMAIL_KEY, ActivityType.REFERENCE_FORUM,
                 datetime(2026, 12, 1, 16, tzinfo=timezone.utc), NOW, forum_id="2026-12-01-old", attending_prospects=20,
                 notes="Zephyrine answered every question")
    )


def test_activities_list_hosting_and_past(deps, session):
    _record_forum_hosted(deps)

    response = me("GET", "/api/me/activities", session)

    assert [forum["forum_id"] for forum in response.body["hosting"]] == ["2027-02-10-claims"]
    assert [activity["forum_id"] for activity in response.body["past"]] == ["2026-12-01-old"]
    assert response.body["upcoming"] == []


# Personal data


def test_data_download_holds_everything(deps, session):
    _record_forum_hosted(deps)
    deps.store.add_nomination(
        Nomination("n1", EMAIL_KEY, EMAIL, "Zephyrine Quill", "Northwind Health", "VP", NominationSource.SELF,
                   NominationStatus.UNCONFIRMED, NOW, NOW, expires_at=NOW + timedelta(days=2))
    )

    rewards.adjust_points(deps, EMAIL_KEY, 50, "Thank you for the case study", "lead@advocacy.example")

    response = me("GET", "/api/me/data", session)

    assert response.status == 200
    assert [entry["points"] for entry in response.body["rewards"]["ledger"]][-1] == 50
    assert response.headers["Content-Disposition"] == 'attachment; filename="my-advocate-data.json"'
    assert response.body["advocate"]["email"] == EMAIL
    assert [activity["notes"] for activity in response.body["activities"]] == ["Zephyrine answered every question"]
    assert [nomination["nomination_id"] for nomination in response.body["nominations"]] == ["n1"]


# Erasure

PERSONAL = (EMAIL_KEY, "Zephyrine", "Quill", "half the time")


def _items_naming_the_person(deps) -> list[str]:
    """Return each stored row or item that still contains a personal value, as text."""
    store = deps.store
    if hasattr(store, "table_name"):
        # A test may Scan; the application never does.
        rows = [json.dumps(item, ensure_ascii=False) for item in store.client.scan(TableName=store.table_name)["Items"]]
    else:
        connection = sqlite3.connect(store.path)
        try:
            tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            rows = [f"{table}: {row!r}" for table in tables for row in connection.execute(f"SELECT * FROM {table}")]
        finally:
            connection.close()
    return [row for row in rows if any(value.lower() in row.lower() for value in PERSONAL)]


def _erase(session):
    return me("POST", "/api/me/erasure", session, {"confirm_email": EMAIL.upper()})


def test_erasure_needs_own_address(deps, session):
    response = me("POST", "/api/me/erasure", session, {"confirm_email": "someone@else.example"})

    assert response.status == 422
    assert "confirm_email" in response.body["errors"]
    assert deps.store.get_advocate(EMAIL_KEY) is not None


def test_erasure_ends_session(deps, session):
    response = _erase(session)

    after = me("GET", "/api/me/profile", session)
    assert response.status == 200
    assert any(cookie.startswith("portal_session=;") for cookie in response.cookies)
    assert after.status == 401


def test_erasure_stops_sign_in(deps, session):
    _erase(session)
    before = len(outbox_messages(deps.settings.outbox_dir))

    call(public_api.lambda_handler, "POST", "/api/sign-in", {"email": EMAIL}, headers=SAME_ORIGIN)

    assert len(outbox_messages(deps.settings.outbox_dir)) == before


def test_erasure_leaves_no_personal_field(deps, session):
    me("PUT", "/api/me/profile", session, PROFILE)
    _record_forum_hosted(deps)
    rewards.adjust_points(deps, EMAIL_KEY, 50, "Thank you for the case study", "lead@advocacy.example")
    deps.store.add_nomination(
        Nomination("n1", EMAIL_KEY, EMAIL, "Zephyrine Quill", "Northwind Health", "VP", NominationSource.SELF,
                   NominationStatus.UNCONFIRMED, NOW, NOW, expires_at=NOW + timedelta(days=2))
    )
    deps.store.claim_review_request(EMAIL_KEY, "2026-12-01", NOW)
    assert _items_naming_the_person(deps) != []

    _erase(session)

    leftovers = _items_naming_the_person(deps)
    assert leftovers == []


def test_erasure_keeps_anonymous_counts(deps, session):
    _record_forum_hosted(deps)

    _erase(session)

    forum = deps.store.get_forum("2027-02-10-claims")
    (anonymous_key,) = forum.host_emails
    assert forum.host_names == ("Former advocate",)
    assert anonymous_key.startswith("erased-")
    assert [activity.attending_prospects for activity in deps.store.list_activities_of(anonymous_key)] == [20]
