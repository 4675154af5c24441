"""Matching, coverage, other activities, reports and CSV exports through the admin API, on both stores."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

import pytest

from advocacy.domain.activities import Activity, ActivityType
from advocacy.domain.advocates import Advocate, AdvocateStatus
from advocacy.domain.forums import ForumFormat
from advocacy.handlers import admin_api
from advocacy.services.csv_export import to_csv
from tests.factories import NOW, make_forum, make_registration
from tests.support.api import call
from tests.support.portal import portal
from tests.support.sessions import SAME_ORIGIN, sign_in

ADMIN = "lead@advocacy.example"


def advocate(email, **details) -> Advocate:
    values = {"first_name": email.split("@")[0].title(), "last_name": "Advocate", "company": "Customer", "status": AdvocateStatus.ACTIVE}
    values.update(details)
    return Advocate(email_key=email, email=email, **values)


ADVOCATES = [
    advocate("payer@health.example", industry="Healthcare", region="APAC", products=("Claims Automation",), persona="IT leader", languages=("English",), max_activities_per_quarter=3),
    advocate("busy@health.example", industry="Healthcare", region="APAC", products=("Claims Automation",), persona="IT leader", max_activities_per_quarter=1),
    advocate("bank@finance.example", industry="Financial Services", region="EMEA", products=("Secure Vault",)),
    advocate("paused@health.example", industry="Healthcare", region="APAC", status=AdvocateStatus.PAUSED),
]


@pytest.fixture(params=["sqlite", "dynamodb"])
def deps(request, tmp_path):
    with portal(request.param, tmp_path, ADVOCACY_ADMIN_EMAILS=ADMIN, ADVOCACY_SUPPLY_TRIGGER="2") as dependencies:
        for item in ADVOCATES:
            dependencies.store.save_advocate(item)
        dependencies.store.record_activity(
            Activity("call:busy:1", "busy@health.example", ActivityType.ONE_TO_ONE_CALL, NOW - timedelta(days=10), NOW)
        )
        yield dependencies


@pytest.fixture
def admin(deps):
    session = sign_in(deps, ADMIN)

    def request(method, path, body=None, query=None):
        return call(admin_api.lambda_handler, method, path, body, query=query, headers=SAME_ORIGIN, session=session)

    return request


REQUEST = {
    "opportunity_id": "OPP-77", "stage": "Evaluation", "prospect_company": "Buyer Health", "needed_by": "2027-02-01",
    "industry": "Healthcare", "region": "APAC", "product": "Claims Automation", "persona": "IT leader",
}


# Routing and matching


def test_request_above_threshold_ranks_advocates_with_reasons(deps, admin):
    response = admin("POST", "/api/admin/requests", {**REQUEST, "amount": 250000})

    routing = response.body["routing"]
    ranked = [advocate["email"] for advocate in routing["advocates"]]
    assert response.status == 201
    assert routing["route"] == "one_to_one"
    assert ranked[0] == "payer@health.example"
    assert "Same industry: Healthcare" in routing["advocates"][0]["reasons"]
    assert ranked.index("busy@health.example") > ranked.index("bank@finance.example")
    assert any(reason.startswith("Over their own cap") for reason in routing["advocates"][ranked.index("busy@health.example")]["reasons"])


def test_request_below_threshold_gets_fitting_forums(deps, admin):
    deps.store.save_forum(make_forum("2027-01-20-claims", industry="Healthcare", region="APAC", forum_format=ForumFormat.REFERENCE_FORUM, capacity=70))
    deps.store.save_forum(make_forum("2027-01-21-banking", industry="Financial Services", region="EMEA"))

    response = admin("POST", "/api/admin/requests", {**REQUEST, "amount": 20000})

    routing = response.body["routing"]
    assert routing["route"] == "one_to_many"
    assert [item["forum"]["forum_id"] for item in routing["forums"]] == ["2027-01-20-claims"]
    assert "opportunity_id=OPP-77" in routing["forums"][0]["registration_url"]


def test_request_invalid_names_fields(deps, admin):
    response = admin("POST", "/api/admin/requests", {**REQUEST, "amount": -1, "needed_by": "soon"})

    assert response.status == 422
    assert {"amount", "needed_by"} <= set(response.body["errors"])


def test_request_done_counts_call_as_activity(deps, admin):
    created = admin("POST", "/api/admin/requests", {**REQUEST, "amount": 250000}).body["request"]
    path = f"/api/admin/requests/{created['request_id']}/status"
    admin("POST", path, {"status": "matched", "advocate": "payer@health.example"})

    done = admin("POST", path, {"status": "done", "advocate": "payer@health.example"})

    assert done.body["request"]["status"] == "done"
    assert [a.activity_type for a in deps.store.list_activities_of("payer@health.example")] == [ActivityType.ONE_TO_ONE_CALL]


def test_request_status_cannot_go_back(deps, admin):
    created = admin("POST", "/api/admin/requests", {**REQUEST, "amount": 250000}).body["request"]
    path = f"/api/admin/requests/{created['request_id']}/status"
    admin("POST", path, {"status": "cancelled"})

    response = admin("POST", path, {"status": "matched"})

    assert response.status == 409
    assert "cancelled" in response.body["message"]


# Supply and coverage


def test_waitlist_over_trigger_suggests_prefilled_forum(deps, admin):
    forum = make_forum("2027-01-20-claims", industry="Healthcare", region="APAC", capacity=2, host_emails=("paused@health.example",))
    deps.store.save_forum(forum)
    for _ in range(4):
        registration = make_registration(forum.forum_id)
        deps.store.add_registration(registration, NOW)
        deps.store.confirm_registration(forum.forum_id, registration.registration_id, NOW)

    suggestions = admin("GET", "/api/admin/supply-suggestions").body["suggestions"]

    assert len(suggestions) == 1
    assert suggestions[0]["advocate"] == "payer@health.example"
    assert suggestions[0]["prefill"]["industry"] == "Healthcare"
    assert suggestions[0]["prefill"]["host_emails"] == "payer@health.example"


def test_target_gap_counts_active_advocates_with_room(deps, admin):
    deps.store.record_activity(Activity("call:payer:1", "payer@health.example", ActivityType.SPEAKING, NOW - timedelta(days=2), NOW))
    deps.store.record_activity(Activity("call:busy:2", "busy@health.example", ActivityType.SPEAKING, NOW - timedelta(days=2), NOW))
    admin("POST", "/api/admin/targets", {"wanted": 5, "industry": "Healthcare", "region": "APAC"})

    coverage = admin("GET", "/api/admin/targets").body["targets"][0]

    # The coming quarter starts 2027-04-01 and looks back to 2027-01-01: payer has room (1 of 3),
    # busy is at their cap (1 of 1), and a paused advocate never counts.
    assert coverage["covered"] == 1
    assert coverage["gap"] == 4
    assert coverage["advocates"] == ["payer@health.example"]


def test_target_invalid_wanted_names_field(deps, admin):
    response = admin("POST", "/api/admin/targets", {"wanted": 0})

    assert response.status == 422
    assert "wanted" in response.body["errors"]


def test_record_other_activity_once(deps, admin):
    body = {"advocate": "bank@finance.example", "activity_type": "case_study", "occurred_on": "2027-01-04", "notes": "Published"}

    first = admin("POST", "/api/admin/activities", body)
    second = admin("POST", "/api/admin/activities", body)

    assert (first.status, second.status) == (201, 200)
    assert len(deps.store.list_activities_of("bank@finance.example")) == 1


def test_record_activity_unknown_advocate_names_field(deps, admin):
    response = admin("POST", "/api/admin/activities", {"advocate": "nobody@x.example", "activity_type": "press", "occurred_on": "2027-01-04"})

    assert response.status == 422
    assert "advocate" in response.body["errors"]


# Influenced revenue


def completed_forum(deps, forum_id, hosts, attendances, starts=datetime(2027, 1, 20, 11, 0)):
    """Hold a forum: ``attendances`` is (email, opportunity id, amount, attended) per confirmed prospect."""
    forum = make_forum(forum_id, capacity=70, forum_format=ForumFormat.REFERENCE_FORUM, local_start=starts, host_emails=hosts, industry="Healthcare", region="North America")
    deps.store.save_forum(forum)
    for email, opportunity, amount, attended in attendances:
        registration = make_registration(forum_id, email=email)
        deps.store.add_registration(registration, NOW)
        deps.store.confirm_registration(forum_id, registration.registration_id, NOW)
        deps.store.set_opportunity(forum_id, registration.registration_id, opportunity, amount)
        deps.store.set_attendance(forum_id, registration.registration_id, attended)
    from advocacy.services import forums

    deps.clock.set(forum.starts_at + timedelta(hours=2))
    forums.complete(deps, forum_id)
    deps.clock.set(NOW)


def test_influence_report_matches_hand_computed_fixture(deps, admin):
    # Forum A, two hosts: OPP-1 shared by two attendees (100,000), OPP-2 absent (50,000 must not count).
    completed_forum(
        deps, "forum-a", ("payer@health.example", "bank@finance.example"),
        [("a1@x.example", "OPP-1", 100000, True), ("a2@x.example", "OPP-1", 100000, True), ("a3@x.example", "OPP-2", 50000, False)],
    )
    # Forum B, one host, in the next quarter: OPP-3 attended (30,000) and OPP-1 again (counts for this forum too).
    completed_forum(
        deps, "forum-b", ("payer@health.example",),
        [("b1@x.example", "OPP-3", 30000, True), ("b2@x.example", "OPP-1", 100000, True)],
        starts=datetime(2027, 4, 14, 11, 0),
    )

    influence = admin("GET", "/api/admin/reports", query={"from": "2027-01-01", "to": "2027-06-30"}).body["influence"]

    assert influence["quarter"] == [{"key": "2027-Q1", "amount": 100000, "count": 1}, {"key": "2027-Q2", "amount": 130000, "count": 2}]
    assert influence["advocate"] == [
        {"key": "bank@finance.example", "amount": 100000, "count": 1},
        {"key": "payer@health.example", "amount": 230000, "count": 3},
    ]
    assert influence["forum"] == [
        {"key": "2027-01-20 Scaling claims processing", "amount": 100000, "count": 1},
        {"key": "2027-04-14 Scaling claims processing", "amount": 130000, "count": 2},
    ]
    assert influence["industry"] == [{"key": "Healthcare", "amount": 230000, "count": 3}]


def test_reports_count_points_issued_this_month(deps, admin):
    admin("POST", "/api/admin/activities", {"advocate": "bank@finance.example", "activity_type": "case_study", "occurred_on": "2027-01-04"})

    health = admin("GET", "/api/admin/reports").body["health"]

    assert health["points_issued"] > 0


def test_reports_list_activity_mix_and_outcomes(deps, admin):
    completed_forum(deps, "forum-a", ("payer@health.example",), [("a1@x.example", "OPP-1", 1000, True), ("a2@x.example", "", None, False)])

    body = admin("GET", "/api/admin/reports", query={"from": "2026-12-01", "to": "2027-03-31"}).body

    assert {"key": "reference_forum", "amount": 0, "count": 1} in body["activities"]
    assert body["forums"][0]["attendance_rate"] == 0.5
    assert body["health"]["advocates_at_cap"] == ["busy@health.example"]


def test_report_invalid_period_names_field(deps, admin):
    response = admin("GET", "/api/admin/reports", query={"from": "2027-05-01", "to": "2027-01-01"})

    assert response.status == 422
    assert "from" in response.body["errors"]


# CSV exports


def read_csv(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def test_export_neutralizes_formulas_and_keeps_values(deps, admin):
    deps.store.save_advocate(advocate("evil@x.example", company="=HYPERLINK(\"http://evil.example\")", title="-2+3", industry="Retail"))

    text = admin("GET", "/api/admin/exports/advocates.csv").body["text"]

    rows = read_csv(text)
    evil = next(row for row in rows if row[0] == "evil@x.example")
    assert evil[3] == "'=HYPERLINK(\"http://evil.example\")"
    assert evil[4] == "'-2+3"
    assert evil[6] == ""
    assert rows[0][0] == "Email"


def test_export_registrations_reads_back(deps, admin):
    completed_forum(deps, "forum-a", ("payer@health.example",), [("Zoë@x.example", "OPP-1", 120000, True)])

    rows = read_csv(admin("GET", "/api/admin/exports/registrations.csv", query={"from": "2027-01-01", "to": "2027-01-31"}).body["text"])

    assert rows[1][5] == "Zoë@x.example"
    assert rows[1][9] == "120000"
    assert rows[1][11] == "yes"


def test_report_csv_influence_reads_back(deps, admin):
    completed_forum(deps, "forum-a", ("payer@health.example",), [("a1@x.example", "OPP-1", 100000, True)])

    rows = read_csv(admin("GET", "/api/admin/reports/influence-quarter.csv", query={"from": "2027-01-01", "to": "2027-03-31"}).body["text"])

    assert rows == [["Quarter", "Influenced amount", "Opportunities"], ["2027-Q1", "100000", "1"]]


def test_unknown_report_returns_404(deps, admin):
    response = admin("GET", "/api/admin/reports/secrets.csv")

    assert response.status == 404


def test_to_csv_keeps_negative_numbers_and_neutralizes_text():
    data = to_csv(["Value", "Text"], [(-42, "-42"), (3.5, "@SUM(A1)"), (0, "\t=1")])

    rows = list(csv.reader(io.StringIO(data.decode("utf-8")[1:], newline="")))

    assert rows[1] == ["-42", "'-42"]
    assert rows[2] == ["3.5", "'@SUM(A1)"]
    assert rows[3] == ["0", "'\t=1"]


def test_request_ranks_advocate_without_calls_as_unavailable(deps, admin):
    deps.store.save_advocate(advocate("forums-only@health.example", industry="Healthcare", region="APAC", activities_willing=("Reference forum",)))

    ranked = admin("POST", "/api/admin/requests", {**REQUEST, "amount": 250000}).body["routing"]["advocates"]

    forums_only = next(item for item in ranked if item["email"] == "forums-only@health.example")
    assert forums_only["available"] is False
    assert "Has not agreed to one-to-one calls" in forums_only["reasons"]


def test_record_activity_in_future_names_date(deps, admin):
    response = admin("POST", "/api/admin/activities", {"advocate": "bank@finance.example", "activity_type": "review", "occurred_on": "2031-03-12"})

    assert response.status == 422
    assert "occurred_on" in response.body["errors"]


def test_record_activity_over_cap_needs_reason(deps, admin):
    body = {"advocate": "busy@health.example", "activity_type": "case_study", "occurred_on": "2027-01-04"}

    refused = admin("POST", "/api/admin/activities", body)
    accepted = admin("POST", "/api/admin/activities", {**body, "override_reason": "Agreed with the advocate"})

    assert refused.status == 409
    assert refused.body["field"] == "override_reason"
    assert "Over their own cap" in refused.body["message"]
    assert accepted.status == 201


def test_target_same_segment_other_case_refused(deps, admin):
    admin("POST", "/api/admin/targets", {"wanted": 5, "industry": "Healthcare", "region": "APAC"})

    again = admin("POST", "/api/admin/targets", {"wanted": 3, "industry": "healthcare", "region": "apac"})

    assert again.status == 409
    assert len(admin("GET", "/api/admin/targets").body["targets"]) == 1


def test_request_needed_by_past_names_field(deps, admin):
    response = admin("POST", "/api/admin/requests", {**REQUEST, "amount": 1000, "needed_by": "2020-01-01"})

    assert response.status == 422
    assert "needed_by" in response.body["errors"]
