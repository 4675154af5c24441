"""The admin's advocate routes on both stores: roster upload, directory, availability and freshness."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from advocacy.domain.activities import Activity, ActivityType
from advocacy.domain.advocates import Blackout
from advocacy.handlers import admin_api, jobs
from advocacy.services import advocates
from tests.factories import NOW
from tests.support.api import call, outbox_messages
from tests.support.portal import portal
from tests.support.sessions import SAME_ORIGIN, sign_in

ADMIN = "lead@advocacy.example"
ROSTER = (Path(__file__).resolve().parents[2] / "localdev" / "demo_data" / "advocate-roster.csv").read_text(encoding="utf-8-sig")
DANA = "dana.whitfield@northwind-health.example"


@pytest.fixture(params=["sqlite", "dynamodb"])
def deps(request, tmp_path):
    with portal(request.param, tmp_path, ADVOCACY_ADMIN_EMAILS=ADMIN) as dependencies:
        yield dependencies


@pytest.fixture
def admin(deps) -> str:
    return sign_in(deps, ADMIN)


@pytest.fixture
def roster(deps, admin) -> None:
    response = upload(admin, ROSTER)
    assert response.status == 200, response.body


def upload(admin_session, csv_text, mapping=None):
    body = {"csv": csv_text, **({"column_mapping": mapping} if mapping is not None else {})}
    return call(admin_api.lambda_handler, "POST", "/api/admin/roster", body, headers=SAME_ORIGIN, session=admin_session)


def directory(admin_session, **filters):
    return call(admin_api.lambda_handler, "GET", "/api/admin/advocates", query=filters, session=admin_session)


def emails(response) -> list[str]:
    return sorted(entry["email"].lower() for entry in response.body["advocates"])


def record_calls(deps, email_key, *days_ago):
    for days in days_ago:
        deps.store.record_activity(
            Activity(f"call:{email_key}:{days}", email_key, ActivityType.ONE_TO_ONE_CALL, NOW - timedelta(days=days), NOW)
        )


# Roster upload


def test_roster_upload_merges_case_duplicate(deps, admin):
    response = upload(admin, ROSTER)

    assert response.status == 200
    assert (response.body["created"], response.body["merged"]) == (24, 1)


def test_roster_upload_malformed_imports_nothing(deps, admin):
    broken = ROSTER.replace("Dana.Whitfield@Northwind-Health.example", "dana-at-northwind").replace(",Paused,", ",Sleeping,")

    response = upload(admin, broken)

    assert response.status == 422
    assert [(problem["row"], problem["column"]) for problem in response.body["problems"]] == [(2, "Email"), (13, "Reference Status")]
    assert deps.store.list_advocates() == []


def test_roster_upload_with_mapping_imports(deps, admin):
    renamed = ROSTER.replace("Account Name,", "Company,", 1)

    response = upload(admin, renamed, mapping={"Company": "Account Name"})

    assert response.status == 200
    assert deps.store.get_advocate(DANA).company == "Northwind Health"


def test_roster_upload_missing_column_names_csv(deps, admin):
    response = upload(admin, ROSTER.replace("Account Name,", "Company,", 1))

    assert response.status == 422
    assert "Account Name" in response.body["errors"]["csv"]


def test_roster_upload_bad_mapping_names_field(deps, admin):
    response = upload(admin, ROSTER, mapping=["Company"])

    assert response.status == 422
    assert "column_mapping" in response.body["errors"]


# Directory


def test_directory_filters_by_industry(roster, admin):
    response = directory(admin, industry="healthcare")

    assert emails(response) == sorted(
        [
            DANA, "miguel.alvarez@lakeshore-care.example", "lucia.fernandez@clinica-sol.example",
            "daniel.cohen@carmel-health.example", "rahul.mehta@indus-care.example",
        ]
    )


def test_directory_filters_by_product_and_status(roster, admin):
    response = directory(admin, product="Secure Vault", status="paused")

    assert emails(response) == ["bjorn.lindqvist@nordvik-energi.example"]


def test_directory_matches_roster_activity_labels(roster, admin):
    response = directory(admin, activity_type="one_to_one_call", industry="Healthcare")

    assert emails(response) == sorted([DANA, "daniel.cohen@carmel-health.example"])


def test_directory_shows_last_activity(deps, roster, admin):
    record_calls(deps, DANA, 40, 5)

    entries = {entry["email"].lower(): entry for entry in directory(admin, industry="Healthcare").body["advocates"]}

    assert entries[DANA]["last_activity_at"] == "2026-12-31T09:00:00Z"
    assert entries["daniel.cohen@carmel-health.example"]["last_activity_at"] is None


def test_directory_available_on_leaves_out_over_cap(deps, roster, admin):
    record_calls(deps, DANA, 40, 20, 5)

    response = directory(admin, industry="Healthcare", available_on="2027-01-10")

    assert DANA not in emails(response)
    assert "miguel.alvarez@lakeshore-care.example" in emails(response)


def test_directory_invalid_filters_name_fields(roster, admin):
    response = directory(admin, available_on="10/01/2027", status="busy")

    assert response.status == 422
    assert set(response.body["errors"]) == {"available_on", "status"}


# Availability


def test_availability_over_own_cap_gives_reason(deps, roster, admin):
    record_calls(deps, DANA, 40, 20, 5)

    response = call(admin_api.lambda_handler, "GET", f"/api/admin/advocates/{DANA}/availability", query={"on": "2027-01-10"}, session=admin)

    assert response.body["available"] is False
    assert response.body["reasons"] == ["Over their own cap: 3 of 3 activities in the quarter 2026-10-10 to 2027-01-10"]


def test_availability_inside_blackout_gives_reason(deps, roster, admin):
    dana = deps.store.get_advocate(DANA)
    deps.store.save_advocate(replace(dana, blackouts=(Blackout(date(2027, 3, 1), date(2027, 3, 15)),)))

    response = call(admin_api.lambda_handler, "GET", f"/api/admin/advocates/{DANA}/availability", query={"on": "2027-03-10"}, session=admin)

    assert response.body["reasons"] == ["Inside a blackout: 2027-03-01 to 2027-03-15"]


def test_availability_unknown_advocate_is_not_found(roster, admin):
    response = call(admin_api.lambda_handler, "GET", "/api/admin/advocates/nobody@x.example/availability", session=admin)

    assert response.status == 404


# Freshness


def stale_emails(admin_session) -> list[str]:
    response = call(admin_api.lambda_handler, "GET", "/api/admin/stale-profiles", session=admin_session)
    return [profile["email"].lower() for profile in response.body["profiles"]]


def review_requests(deps) -> list:
    return [message for message in outbox_messages(deps.settings.outbox_dir) if message["X-Portal-Kind"] == "profile-review-request"]


def test_stale_profiles_lists_old_active_and_paused(roster, admin):
    stale = stale_emails(admin)

    assert stale[:2] == ["liam.oconnor@southerncross-ins.example", "daniel.cohen@carmel-health.example"]
    assert "bjorn.lindqvist@nordvik-energi.example" in stale
    assert "olu.adeyemi@lagos-grid.example" not in stale
    assert DANA not in stale


def test_review_job_asks_each_stale_advocate(deps, roster, admin):
    sent = jobs.run_job("request_profile_reviews", deps)

    assert sent == len(stale_emails(admin))
    assert sorted(str(message["To"]).split("<")[-1].rstrip(">").lower() for message in review_requests(deps)) == sorted(stale_emails(admin))


def test_review_job_twice_sends_once(deps, roster):
    first = jobs.run_job("request_profile_reviews", deps)

    second = jobs.run_job("request_profile_reviews", deps)

    assert second == 0
    assert len(review_requests(deps)) == first


def test_review_job_overlapping_runs_send_once(deps, roster):
    stale_count = len(advocates.stale_profiles(deps))
    barrier = threading.Barrier(3)
    counts = []

    def run():
        barrier.wait(timeout=30)
        counts.append(jobs.run_job("request_profile_reviews", deps))

    workers = [threading.Thread(target=run) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)

    assert sum(counts) == stale_count
    assert len(review_requests(deps)) == stale_count


def test_review_job_asks_again_next_period(deps, roster):
    jobs.run_job("request_profile_reviews", deps)
    deps.clock.advance(timedelta(days=deps.settings.stale_profile_days))
    stale_then = len(advocates.stale_profiles(deps))

    again = jobs.run_job("request_profile_reviews", deps)

    assert again == stale_then


def test_stale_profile_shows_review_request(deps, roster, admin):
    jobs.run_job("request_profile_reviews", deps)

    response = call(admin_api.lambda_handler, "GET", "/api/admin/stale-profiles", session=admin)

    assert {profile["review_requested_at"] for profile in response.body["profiles"]} == {
        datetime(2027, 1, 5, 9, tzinfo=timezone.utc).isoformat().replace("+00:00", "Z")
    }
