"""Rewards through the advocate and admin APIs, on both stores, with real API Gateway events."""

from __future__ import annotations

from datetime import timedelta

import pytest

from advocacy.domain.activities import Activity, ActivityType, forum_activity_id
from advocacy.domain.advocates import Advocate, AdvocateStatus
from advocacy.handlers import admin_api, advocate_api
from advocacy.services.rewards import award_for_activity
from tests.factories import NOW, make_forum
from tests.support.api import call, outbox_messages, text_body
from tests.support.portal import portal
from tests.support.sessions import SAME_ORIGIN, sign_in

DANA = "Dana.Whitfield@Northwind.example"
DANA_KEY = DANA.lower()
LEE = "lee@contoso.example"
ADMIN = "lead@advocacy.example"
FORUM = "2027-01-20-claims"
RULES = {
    "reference_forum": 300, "limited_group_event": 200, "one_to_one_call": 100, "case_study": 500, "speaking": 400,
    "review": 150, "advisory_board": 250, "press": 300, "bonus_per_attending_prospect": 0, "bonus_cap": 0,
}


@pytest.fixture(params=["sqlite", "dynamodb"])
def deps(request, tmp_path):
    with portal(request.param, tmp_path, ADVOCACY_ADMIN_EMAILS=ADMIN) as dependencies:
        dependencies.store.save_forum(make_forum(FORUM, title="Scaling claims processing"))
        for email, first_name in ((DANA, "Dana"), (LEE, "Lee")):
            dependencies.store.save_advocate(
                Advocate(
                    email_key=email.lower(), email=email, first_name=first_name, last_name="Advocate",
                    company="Customer", status=AdvocateStatus.ACTIVE,
                )
            )
        yield dependencies


@pytest.fixture
def dana(deps):
    return sign_in(deps, DANA)


@pytest.fixture
def admin(deps):
    return sign_in(deps, ADMIN)


def forum_activity(email_key=DANA_KEY, attending=12, recorded_at=NOW) -> Activity:
    return Activity(
        activity_id=forum_activity_id(FORUM, email_key),
        advocate_email_key=email_key,
        activity_type=ActivityType.LIMITED_GROUP_EVENT if attending <= 4 else ActivityType.REFERENCE_FORUM,
        occurred_at=NOW - timedelta(days=1),
        recorded_at=recorded_at,
        forum_id=FORUM,
        attending_prospects=attending,
    )


def me(path, session, method="GET", body=None, query=None):
    return call(advocate_api.lambda_handler, method, path, body, query=query, headers=SAME_ORIGIN, session=session)


def as_admin(path, session, method="GET", body=None, query=None):
    return call(admin_api.lambda_handler, method, path, body, query=query, headers=SAME_ORIGIN, session=session)


def add_reward(session, **details):
    body = {"name": "Conference pass", "description": "One pass to the user conference", "points": 500, "active": True, **details}
    response = as_admin("/api/admin/rewards/catalog", session, "POST", body)
    assert response.status == 201, response.body
    return response.body["reward"]


def give_points(session, points, email=DANA):
    response = as_admin("/api/admin/rewards/adjustments", session, "POST", {"email": email, "points": points, "reason": "Starting balance"})
    assert response.status == 201, response.body


def mails_of_kind(deps, kind):
    return [message for message in outbox_messages(deps.settings.outbox_dir) if message["X-Portal-Kind"] == kind]


# The whole journey


def test_award_redeem_fulfill_journey(deps, dana, admin):
    reward = add_reward(admin, points=200, stock=5)

    award_for_activity(deps, forum_activity())
    ledger = me("/api/me/rewards/ledger", dana).body["entries"]
    redeemed = me("/api/me/rewards/redemptions", dana, "POST", {"reward_id": reward["reward_id"]})
    pending = as_admin("/api/admin/rewards/redemptions", admin).body["redemptions"]
    fulfilled = as_admin(f"/api/admin/rewards/redemptions/{redeemed.body['redemption']['redemption_id']}/fulfill", admin, "POST", {"note": "Code sent"})
    mine = me("/api/me/rewards/redemptions", dana).body["redemptions"]

    assert ledger[0]["kind"] == "award"
    assert ledger[0]["points"] == 300
    assert "Scaling claims processing" in ledger[0]["description"]
    assert redeemed.status == 201
    assert redeemed.body["balance"] == 100
    assert [item["advocate_email"] for item in pending] == [DANA_KEY]
    assert fulfilled.status == 200
    assert mine[0]["status"] == "fulfilled"
    assert mine[0]["note"] == "Code sent"
    assert len(mails_of_kind(deps, "award")) == 1
    assert len(mails_of_kind(deps, "reward-fulfilled")) == 1


# Awards


def test_repeated_award_books_once(deps, dana):
    first = award_for_activity(deps, forum_activity())
    second = award_for_activity(deps, forum_activity())

    overview = me("/api/me/rewards", dana).body
    assert first.points == 300
    assert second is None
    assert overview["balance"] == 300
    assert len(me("/api/me/rewards/ledger", dana).body["entries"]) == 1
    assert len(mails_of_kind(deps, "award")) == 1


def test_award_email_names_points_and_balance(deps):
    award_for_activity(deps, forum_activity())

    body = text_body(mails_of_kind(deps, "award")[0])
    assert "You earned 300 points" in body
    assert "Your balance is now 300 points" in body


def test_award_adds_capped_bonus(deps, admin):
    as_admin("/api/admin/rewards/rules", admin, "PUT", {**RULES, "bonus_per_attending_prospect": 5, "bonus_cap": 40})

    entry = award_for_activity(deps, forum_activity(attending=31, recorded_at=NOW + timedelta(minutes=1)))

    assert entry.points == 300 + 40


def test_rules_change_applies_to_later_completions(deps, admin):
    as_admin("/api/admin/rewards/rules", admin, "PUT", {**RULES, "reference_forum": 900})

    earlier = award_for_activity(deps, forum_activity(recorded_at=NOW - timedelta(hours=1)))
    later = award_for_activity(deps, forum_activity(email_key=LEE, recorded_at=NOW + timedelta(hours=1)))

    assert earlier.points == 300
    assert later.points == 900
    assert later.rules_version == 1


# Redemptions


def test_redeem_without_enough_points_says_why(deps, dana, admin):
    reward = add_reward(admin, points=500)
    give_points(admin, 300)

    response = me("/api/me/rewards/redemptions", dana, "POST", {"reward_id": reward["reward_id"]})

    assert response.status == 409
    assert response.body["message"] == "Not enough points: the reward costs 500 and your balance is 300."


def test_redeem_out_of_stock_says_why(deps, dana, admin):
    reward = add_reward(admin, points=100, stock=0)
    give_points(admin, 300)

    response = me("/api/me/rewards/redemptions", dana, "POST", {"reward_id": reward["reward_id"]})

    assert response.status == 409
    assert response.body["message"] == "Out of stock."


def test_redeem_inactive_reward_is_refused(deps, dana, admin):
    reward = add_reward(admin, points=100, active=False)
    give_points(admin, 300)

    response = me("/api/me/rewards/redemptions", dana, "POST", {"reward_id": reward["reward_id"]})

    assert response.status == 409


def test_redeem_retry_with_request_id_holds_once(deps, dana, admin):
    reward = add_reward(admin, points=100)
    give_points(admin, 300)
    body = {"reward_id": reward["reward_id"], "request_id": "click-4f9a2b7c"}

    first = me("/api/me/rewards/redemptions", dana, "POST", body)
    again = me("/api/me/rewards/redemptions", dana, "POST", body)

    assert (first.status, again.status) == (201, 200)
    assert again.body["redemption"]["redemption_id"] == first.body["redemption"]["redemption_id"]
    assert me("/api/me/rewards", dana).body["balance"] == 200


def test_redeem_bad_input_names_fields(deps, dana):
    response = me("/api/me/rewards/redemptions", dana, "POST", {"reward_id": "", "request_id": "x"})

    assert response.status == 422
    assert set(response.body["errors"]) == {"reward_id", "request_id"}


def test_redeem_unknown_reward_is_not_found(deps, dana):
    response = me("/api/me/rewards/redemptions", dana, "POST", {"reward_id": "nope"})

    assert response.status == 404


def test_decline_returns_points_and_stock(deps, dana, admin):
    reward = add_reward(admin, points=200, stock=1)
    give_points(admin, 300)
    redemption = me("/api/me/rewards/redemptions", dana, "POST", {"reward_id": reward["reward_id"]}).body["redemption"]

    declined = as_admin(f"/api/admin/rewards/redemptions/{redemption['redemption_id']}/decline", admin, "POST", {"note": "Sold out at the venue"})

    catalog = me("/api/me/rewards/catalog", dana).body["rewards"]
    ledger = me("/api/me/rewards/ledger", dana).body["entries"]
    assert declined.status == 200
    assert me("/api/me/rewards", dana).body["balance"] == 300
    assert catalog[0]["stock"] == 1
    assert ledger[0]["kind"] == "refund"
    assert "Sold out at the venue" in text_body(mails_of_kind(deps, "reward-declined")[0])


def test_decline_without_note_names_field(deps, admin):
    response = as_admin("/api/admin/rewards/redemptions/anything/decline", admin, "POST", {})

    assert response.status == 422
    assert set(response.body["errors"]) == {"note"}


def test_second_decision_is_refused(deps, dana, admin):
    reward = add_reward(admin, points=100)
    give_points(admin, 300)
    redemption_id = me("/api/me/rewards/redemptions", dana, "POST", {"reward_id": reward["reward_id"]}).body["redemption"]["redemption_id"]
    as_admin(f"/api/admin/rewards/redemptions/{redemption_id}/fulfill", admin, "POST", {})

    again = as_admin(f"/api/admin/rewards/redemptions/{redemption_id}/decline", admin, "POST", {"note": "Changed my mind"})

    assert again.status == 409
    assert me("/api/me/rewards", dana).body["balance"] == 200


def test_redemption_list_rejects_unknown_status(deps, admin):
    response = as_admin("/api/admin/rewards/redemptions", admin, query={"status": "lost"})

    assert response.status == 422
    assert set(response.body["errors"]) == {"status"}


# Adjustments


def test_negative_adjustment_below_zero_is_refused(deps, admin):
    give_points(admin, 300)

    response = as_admin("/api/admin/rewards/adjustments", admin, "POST", {"email": DANA, "points": -500, "reason": "Correction"})

    assert response.status == 409
    assert response.body["field"] == "points"
    assert as_admin(f"/api/admin/rewards/advocates/{DANA}", admin).body["balance"] == 300


def test_adjustment_bad_input_names_fields(deps, admin):
    response = as_admin("/api/admin/rewards/adjustments", admin, "POST", {"email": "not-an-address", "points": "ten", "reason": ""})

    assert response.status == 422
    assert set(response.body["errors"]) == {"email", "points", "reason"}


def test_adjustment_of_zero_is_refused(deps, admin):
    response = as_admin("/api/admin/rewards/adjustments", admin, "POST", {"email": DANA, "points": 0, "reason": "Nothing"})

    assert response.status == 422
    assert response.body["field"] == "points"


def test_adjustment_for_unknown_advocate_is_not_found(deps, admin):
    response = as_admin("/api/admin/rewards/adjustments", admin, "POST", {"email": "nobody@else.example", "points": 5, "reason": "Typo"})

    assert response.status == 404


def test_adjustment_reason_shows_in_ledger(deps, dana, admin):
    as_admin("/api/admin/rewards/adjustments", admin, "POST", {"email": DANA, "points": 50, "reason": "Extra prep session"})

    entry = me("/api/me/rewards/ledger", dana).body["entries"][0]
    assert entry["kind"] == "adjustment"
    assert entry["reason"] == "Extra prep session"


# Catalog


def test_catalog_hides_inactive_rewards_from_advocates(deps, dana, admin):
    add_reward(admin, name="Visible")
    add_reward(admin, name="Hidden", active=False)

    names = [reward["name"] for reward in me("/api/me/rewards/catalog", dana).body["rewards"]]
    admin_names = [reward["name"] for reward in as_admin("/api/admin/rewards/catalog", admin).body["rewards"]]
    assert names == ["Visible"]
    assert admin_names == ["Hidden", "Visible"]


def test_update_reward_with_stale_version_is_refused(deps, dana, admin):
    reward = add_reward(admin, points=100, stock=5)
    give_points(admin, 300)
    me("/api/me/rewards/redemptions", dana, "POST", {"reward_id": reward["reward_id"]})

    response = as_admin(
        f"/api/admin/rewards/catalog/{reward['reward_id']}", admin, "PUT",
        {"name": "Pass", "points": 100, "stock": 5, "active": True, "version": reward["version"]},
    )

    assert response.status == 409


def test_update_reward_with_current_version(deps, admin):
    reward = add_reward(admin, points=100, stock=5)

    response = as_admin(
        f"/api/admin/rewards/catalog/{reward['reward_id']}", admin, "PUT",
        {"name": "Pass", "points": 150, "stock": "", "active": True, "version": reward["version"]},
    )

    assert response.status == 200
    assert response.body["reward"]["points"] == 150
    assert response.body["reward"]["stock"] is None
    assert response.body["reward"]["version"] == reward["version"] + 1


def test_add_reward_bad_input_names_fields(deps, admin):
    response = as_admin("/api/admin/rewards/catalog", admin, "POST", {"name": "", "points": 0, "stock": -1})

    assert response.status == 422
    assert set(response.body["errors"]) == {"name", "points", "stock"}


def test_delete_reward_keeps_redemption_name(deps, dana, admin):
    reward = add_reward(admin, points=100)
    give_points(admin, 300)
    me("/api/me/rewards/redemptions", dana, "POST", {"reward_id": reward["reward_id"]})

    deleted = as_admin(f"/api/admin/rewards/catalog/{reward['reward_id']}", admin, "DELETE")

    assert deleted.status == 200
    assert me("/api/me/rewards/redemptions", dana).body["redemptions"][0]["reward_name"] == "Conference pass"


# Rules and tiers


def test_rules_default_before_any_saved(deps, admin):
    rules = as_admin("/api/admin/rewards/rules", admin).body

    assert rules["version"] == 0
    assert rules["points_by_type"]["reference_forum"] == 300


def test_rules_cap_below_bonus_names_field(deps, admin):
    response = as_admin("/api/admin/rewards/rules", admin, "PUT", {**RULES, "bonus_per_attending_prospect": 10, "bonus_cap": 5})

    assert response.status == 422
    assert response.body["field"] == "bonus_cap"


def test_rules_missing_points_name_fields(deps, admin):
    response = as_admin("/api/admin/rewards/rules", admin, "PUT", {"reference_forum": -1})

    assert response.status == 422
    assert set(response.body["errors"]) == set(RULES) - {"bonus_per_attending_prospect", "bonus_cap"}


def test_tiers_show_progress_to_next(deps, dana, admin):
    as_admin("/api/admin/rewards/tiers", admin, "PUT", {"tiers": [{"name": "Member", "threshold": 0}, {"name": "Champion", "threshold": 1000}]})
    give_points(admin, 400)

    overview = me("/api/me/rewards", dana).body

    assert overview["tier"] == {"name": "Member", "threshold": 0}
    assert overview["next_tier"] == {"name": "Champion", "threshold": 1000}
    assert overview["points_to_next_tier"] == 600


def test_spending_keeps_tier(deps, dana, admin):
    reward = add_reward(admin, points=500)
    give_points(admin, 600)

    me("/api/me/rewards/redemptions", dana, "POST", {"reward_id": reward["reward_id"]})

    overview = me("/api/me/rewards", dana).body
    assert overview["balance"] == 100
    assert overview["lifetime"] == 600
    assert overview["tier"]["name"] == "Silver"


def test_tiers_not_starting_at_zero_are_refused(deps, admin):
    response = as_admin("/api/admin/rewards/tiers", admin, "PUT", {"tiers": [{"name": "Member", "threshold": 100}]})

    assert response.status == 422
    assert response.body["field"] == "tiers"


def test_tiers_bad_entries_name_fields(deps, admin):
    response = as_admin("/api/admin/rewards/tiers", admin, "PUT", {"tiers": [{"name": "Member", "threshold": 0}, {"name": "", "threshold": "lots"}]})

    assert response.status == 422
    assert set(response.body["errors"]) == {"tiers-1-name", "tiers-1-threshold"}


# Report and privacy


def test_points_issued_per_quarter(deps, admin):
    award_for_activity(deps, forum_activity())
    give_points(admin, 50)
    as_admin("/api/admin/rewards/adjustments", admin, "POST", {"email": DANA, "points": -20, "reason": "Correction"})

    report = as_admin("/api/admin/rewards/issued", admin, query={"year": "2027"}).body

    first = report["quarters"][0]
    assert [quarter["quarter"] for quarter in report["quarters"]] == ["2027-Q1", "2027-Q2", "2027-Q3", "2027-Q4"]
    assert first["issued"] == 350
    assert first["awarded"] == 300
    assert first["adjusted_down"] == 20
    assert report["quarters"][1]["issued"] == 0


def test_points_issued_rejects_bad_year(deps, admin):
    response = as_admin("/api/admin/rewards/issued", admin, query={"year": "20x7"})

    assert response.status == 422
    assert set(response.body["errors"]) == {"year"}


def test_advocate_sees_only_own_ledger(deps, dana):
    award_for_activity(deps, forum_activity(email_key=LEE.lower()))

    ledger = me("/api/me/rewards/ledger", dana, query={"email": LEE}).body
    overview = me("/api/me/rewards", dana, query={"email": LEE}).body

    assert ledger["entries"] == []
    assert overview["balance"] == 0
