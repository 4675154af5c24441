"""Rewards routes of the advocate function: balance, tier, ledger, catalog and redemptions.

Audience: a signed-in advocate (the advocate function's role middleware checks every route).
Every route reads the advocate from the session, never from the request, so no route can show
or spend another advocate's points.
"""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from advocacy.forms import FormInput, form_errors
from advocacy.forms.rewards import RedeemForm
from advocacy.handlers.http import dependencies, json_body, json_response, validation_response
from advocacy.handlers.rewards_representations import (
    entry_json,
    overview_json,
    redemption_json,
    reward_json,
)
from advocacy.services import rewards

router = Router()


@router.get("/api/me/rewards", summary="The signed-in advocate's balance, lifetime points and tier")
def get_rewards() -> Response[dict]:
    deps = dependencies.get()
    principal = router.context["principal"]

    overview = rewards.rewards_overview(deps, principal.email_key)

    return json_response(200, overview_json(overview))


@router.get("/api/me/rewards/ledger", summary="Every change to the signed-in advocate's points, newest first")
def get_ledger() -> Response[dict]:
    deps = dependencies.get()
    principal = router.context["principal"]

    entries = deps.store.list_ledger(principal.email_key)

    return json_response(200, {"entries": [entry_json(entry) for entry in entries]})


@router.get("/api/me/rewards/catalog", summary="The rewards an advocate can redeem now")
def get_catalog() -> Response[dict]:
    deps = dependencies.get()

    catalog = rewards.active_catalog(deps)

    return json_response(200, {"rewards": [reward_json(reward) for reward in catalog]})


@router.get("/api/me/rewards/redemptions", summary="The signed-in advocate's redemption requests, newest first")
def list_redemptions() -> Response[dict]:
    deps = dependencies.get()
    principal = router.context["principal"]

    redemptions = deps.store.list_redemptions_of(principal.email_key)

    return json_response(200, {"redemptions": [redemption_json(redemption) for redemption in redemptions]})


@router.post("/api/me/rewards/redemptions", summary="Redeem a reward: hold its points until an admin decides")
def redeem() -> Response[dict]:
    deps = dependencies.get()
    principal = router.context["principal"]
    form = RedeemForm(formdata=FormInput(json_body(router)))
    if not form.validate():
        return validation_response(form_errors(form))

    redemption, created = rewards.redeem_reward(deps, principal.email_key, form.reward_id.data, form.request_id.data or "")

    account = deps.store.get_rewards_account(principal.email_key)
    body = {"redemption": redemption_json(redemption), "balance": account.balance, "created": created}
    return json_response(201 if created else 200, body)
