"""Rewards routes of the admin function: redemptions, adjustments, catalog, rules, tiers, report.

Audience: signed-in admins only (the admin function's role middleware checks every route).
"""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from advocacy.domain.activities import ActivityType
from advocacy.domain.registrations import normalize_email
from advocacy.domain.rewards import RedemptionStatus, Tier
from advocacy.forms import FormInput, form_errors
from advocacy.forms.rewards import (
    AdjustmentForm,
    DeclineForm,
    FulfillForm,
    PointsRulesForm,
    RewardForm,
    RewardUpdateForm,
    TiersForm,
    tiers_form_errors,
    tiers_form_input,
)
from advocacy.handlers.http import dependencies, json_body, json_response, validation_response
from advocacy.handlers.rewards_representations import (
    account_json,
    entry_json,
    quarter_json,
    redemption_json,
    reward_json,
    rules_json,
    tier_json,
)
from advocacy.services import rewards

router = Router()
# Oldest year the quarterly report accepts; earlier years hold no ledger entries.
FIRST_REPORT_YEAR = 2000


# Redemptions


@router.get("/api/admin/rewards/redemptions", summary="Redemption requests by status, oldest first (pending by default)")
def list_redemptions() -> Response[dict]:
    deps = dependencies.get()
    status_text = router.current_event.get_query_string_value("status", RedemptionStatus.PENDING.value)
    if status_text not in {status.value for status in RedemptionStatus}:
        choices = ", ".join(status.value for status in RedemptionStatus)
        return validation_response({"status": f"Unknown status {status_text!r}; use one of {choices}."})

    redemptions = deps.store.list_redemptions(RedemptionStatus(status_text))

    return json_response(200, {"redemptions": [redemption_json(redemption, for_admin=True) for redemption in redemptions]})


@router.post("/api/admin/rewards/redemptions/<redemption_id>/fulfill", summary="Fulfill a pending redemption")
def fulfill(redemption_id: str) -> Response[dict]:
    deps = dependencies.get()
    form = FulfillForm(formdata=FormInput(json_body(router)))
    if not form.validate():
        return validation_response(form_errors(form))

    admin = router.context["principal"].email_key
    redemption = rewards.fulfill_redemption(deps, redemption_id, admin, form.note.data or "")

    return json_response(200, {"redemption": redemption_json(redemption, for_admin=True)})


@router.post("/api/admin/rewards/redemptions/<redemption_id>/decline", summary="Decline a pending redemption and return its points")
def decline(redemption_id: str) -> Response[dict]:
    deps = dependencies.get()
    form = DeclineForm(formdata=FormInput(json_body(router)))
    if not form.validate():
        return validation_response(form_errors(form))

    admin = router.context["principal"].email_key
    redemption = rewards.decline_redemption(deps, redemption_id, admin, form.note.data)

    return json_response(200, {"redemption": redemption_json(redemption, for_admin=True)})


# Advocates' points


@router.get("/api/admin/rewards/advocates/<email>", summary="One advocate's balance, tier and ledger")
def get_advocate_points(email: str) -> Response[dict]:
    deps = dependencies.get()
    email_key = normalize_email(email)

    overview = rewards.rewards_overview(deps, email_key)
    entries = deps.store.list_ledger(email_key)

    return json_response(
        200,
        {
            "email": email_key,
            **account_json(overview.account),
            "tier": tier_json(overview.standing.tier),
            "entries": [entry_json(entry, for_admin=True) for entry in entries],
        },
    )


@router.post("/api/admin/rewards/adjustments", summary="Add or deduct points by hand, with a reason")
def adjust() -> Response[dict]:
    deps = dependencies.get()
    form = AdjustmentForm(formdata=FormInput(json_body(router)))
    if not form.validate():
        return validation_response(form_errors(form))

    admin = router.context["principal"].email_key
    entry, account = rewards.adjust_points(deps, form.email.data, form.points.data, form.reason.data, admin)

    return json_response(201, {"entry": entry_json(entry, for_admin=True), **account_json(account)})


# Catalog


@router.get("/api/admin/rewards/catalog", summary="The whole catalog, active or not")
def list_catalog() -> Response[dict]:
    deps = dependencies.get()

    catalog = deps.store.list_rewards()

    return json_response(200, {"rewards": [reward_json(reward, for_admin=True) for reward in catalog]})


@router.post("/api/admin/rewards/catalog", summary="Add a reward to the catalog")
def add_reward() -> Response[dict]:
    deps = dependencies.get()
    form = RewardForm(formdata=FormInput(json_body(router)))
    if not form.validate():
        return validation_response(form_errors(form))

    reward = rewards.add_reward(
        deps, form.name.data, form.description.data or "", form.points.data, form.stock.data, form.active.data
    )

    return json_response(201, {"reward": reward_json(reward, for_admin=True)})


@router.put("/api/admin/rewards/catalog/<reward_id>", summary="Change a reward, unless it changed since it was loaded")
def update_reward(reward_id: str) -> Response[dict]:
    deps = dependencies.get()
    form = RewardUpdateForm(formdata=FormInput(json_body(router)))
    if not form.validate():
        return validation_response(form_errors(form))

    reward = rewards.update_reward(
        deps, reward_id, form.version.data, form.name.data, form.description.data or "", form.points.data,
        form.stock.data, form.active.data,
    )

    return json_response(200, {"reward": reward_json(reward, for_admin=True)})


@router.delete("/api/admin/rewards/catalog/<reward_id>", summary="Remove a reward; its redemptions keep its name")
def delete_reward(reward_id: str) -> Response[dict]:
    deps = dependencies.get()

    rewards.delete_reward(deps, reward_id)

    return json_response(200, {"deleted": reward_id})


# Rules, tiers and report


@router.get("/api/admin/rewards/rules", summary="The points rules in effect now")
def get_rules() -> Response[dict]:
    deps = dependencies.get()

    rules = rewards.current_rules(deps)

    return json_response(200, rules_json(rules))


@router.put("/api/admin/rewards/rules", summary="Save new points rules for activities completed from now on")
def save_rules() -> Response[dict]:
    deps = dependencies.get()
    form = PointsRulesForm(formdata=FormInput(json_body(router)))
    if not form.validate():
        return validation_response(form_errors(form))

    points_by_type = {activity_type: form[activity_type.value].data for activity_type in ActivityType}
    admin = router.context["principal"].email_key
    rules = rewards.save_rules(
        deps, points_by_type, form.bonus_per_attending_prospect.data or 0, form.bonus_cap.data or 0, admin
    )

    return json_response(200, rules_json(rules))


@router.get("/api/admin/rewards/tiers", summary="The tiers, lowest threshold first")
def get_tiers() -> Response[dict]:
    deps = dependencies.get()

    tiers = rewards.current_tiers(deps)

    return json_response(200, {"tiers": [tier_json(tier) for tier in tiers]})


@router.put("/api/admin/rewards/tiers", summary="Replace the tiers")
def save_tiers() -> Response[dict]:
    deps = dependencies.get()
    form = TiersForm(formdata=FormInput(tiers_form_input(json_body(router))))
    if not form.validate():
        return validation_response(tiers_form_errors(form))

    submitted = tuple(Tier(entry.form.name.data, entry.form.threshold.data) for entry in form.tiers.entries)
    tiers = rewards.save_tiers(deps, submitted, router.context["principal"].email_key)

    return json_response(200, {"tiers": [tier_json(tier) for tier in tiers]})


@router.get("/api/admin/rewards/issued", summary="Points booked per quarter of a year (default: the current year)")
def points_issued() -> Response[dict]:
    deps = dependencies.get()
    current_year = deps.clock.now().year
    year_text = router.current_event.get_query_string_value("year", str(current_year))
    if not year_text.isdigit() or not FIRST_REPORT_YEAR <= int(year_text) <= current_year + 1:
        return validation_response({"year": f"Enter a year from {FIRST_REPORT_YEAR} to {current_year + 1}."})

    quarters = rewards.points_per_quarter(deps, int(year_text))

    return json_response(200, {"year": int(year_text), "quarters": [quarter_json(quarter) for quarter in quarters]})
