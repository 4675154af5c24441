"""Admin routes for demand: reference requests, matching, supply, targets, other activities.

Part of the admin function: every route needs an admin session.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, time, timezone

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from advocacy.domain.activities import Activity, ActivityType
from advocacy.domain.demand import Coverage, Match, ReferenceRequest, RequestStatus, Target
from advocacy.domain.registrations import normalize_email
from advocacy.forms import FormInput, form_errors
from advocacy.forms.demand import ActivityForm, ReferenceRequestForm, RequestStatusForm, TargetForm
from advocacy.handlers.http import dependencies, json_body, json_response, validation_response
from advocacy.handlers.representations import forum_json, utc_text
from advocacy.services import demand

router = Router()


def _request_json(request: ReferenceRequest) -> dict:
    return {
        "request_id": request.request_id,
        "opportunity_id": request.opportunity_id,
        "amount": request.amount,
        "stage": request.stage,
        "prospect_company": request.prospect_company,
        "needed_by": request.needed_by.isoformat(),
        "requested_by": request.requested_by,
        "industry": request.industry,
        "region": request.region,
        "product": request.product,
        "persona": request.persona,
        "language": request.language,
        "company_size": request.company_size,
        "status": request.status.value,
        "advocate": request.advocate_email_key,
        "forum_id": request.forum_id,
        "notes": request.notes,
        "created_at": utc_text(request.created_at),
    }


def _match_json(match: Match) -> dict:
    advocate = match.advocate
    return {
        "email": advocate.email,
        "name": advocate.display_name,
        "company": advocate.company,
        "title": advocate.title,
        "score": match.score,
        "available": match.available,
        "reasons": match.reasons,
        "last_activity": utc_text(match.last_activity) if match.last_activity else None,
    }


def _routing_json(request: ReferenceRequest) -> dict:
    deps = dependencies.get()
    routing = demand.route_request(deps, request)
    now = deps.clock.now()
    return {
        "route": routing.route.value,
        "threshold": deps.settings.one_to_one_threshold,
        "advocates": [_match_json(match) for match in routing.advocates],
        "forums": [
            {"forum": forum_json(item.forum, now), "reasons": item.reasons, "registration_url": item.registration_url}
            for item in routing.forums
        ],
    }


def _coverage_json(item: Coverage) -> dict:
    return {
        "target_id": item.target.target_id,
        "label": item.target.label,
        "segment": item.target.segment(),
        "wanted": item.target.wanted,
        "covered": item.covered,
        "gap": item.gap,
        "advocates": item.advocates,
        "demand_registrations": item.demand_registrations,
        "demand_requests": item.demand_requests,
    }


@router.post("/api/admin/requests", summary="Ask for a reference for an opportunity; the answer routes it")
def create_request() -> Response[dict]:
    deps = dependencies.get()
    form = ReferenceRequestForm(formdata=FormInput(json_body(router)))
    if not form.validate():
        return validation_response(form_errors(form))
    if form.needed_by.data < deps.clock.now().date():
        return validation_response({"needed_by": "The date has passed; enter the date the reference is still needed by."})

    request = demand.create_request(
        deps,
        ReferenceRequest(
            request_id="",
            opportunity_id=form.opportunity_id.data,
            amount=form.amount.data,
            stage=form.stage.data,
            prospect_company=form.prospect_company.data,
            needed_by=form.needed_by.data,
            requested_by=router.context["principal"].email_key,
            created_at=deps.clock.now(),
            industry=form.industry.data or "",
            region=form.region.data or "",
            product=form.product.data or "",
            persona=form.persona.data or "",
            language=form.language.data or "",
            company_size=form.company_size.data or "",
            notes=form.notes.data or "",
        ),
    )

    return json_response(201, {"request": _request_json(request), "routing": _routing_json(request)})


@router.get("/api/admin/requests", summary="Reference requests in one status (default: new), newest first")
def list_requests() -> Response[dict]:
    deps = dependencies.get()
    raw = router.current_event.get_query_string_value("status") or RequestStatus.NEW.value
    if raw not in {status.value for status in RequestStatus}:
        return validation_response({"status": f"Choose one of: {', '.join(status.value for status in RequestStatus)}."})

    requests = deps.store.list_requests(RequestStatus(raw))

    return json_response(200, {"requests": [_request_json(request) for request in requests]})


@router.get("/api/admin/requests/<request_id>", summary="A request with ranked advocates or fitting forums")
def get_request(request_id: str) -> Response[dict]:
    request = demand.require_request(dependencies.get(), request_id)

    return json_response(200, {"request": _request_json(request), "routing": _routing_json(request)})


@router.post("/api/admin/requests/<request_id>/status", summary="Move a request on: matched, scheduled, done or cancelled")
def change_request_status(request_id: str) -> Response[dict]:
    deps = dependencies.get()
    form = RequestStatusForm(formdata=FormInput(json_body(router)))
    if not form.validate():
        return validation_response(form_errors(form))

    request = demand.update_status(
        deps, request_id, RequestStatus(form.status.data), normalize_email(form.advocate.data or ""), form.forum_id.data or ""
    )

    return json_response(200, {"request": _request_json(request)})


@router.get("/api/admin/targets", summary="Portfolio targets with coverage, gap and demand for the coming quarter")
def list_targets() -> Response[dict]:
    coverage = demand.coverage(dependencies.get())

    return json_response(200, {"targets": [_coverage_json(item) for item in coverage]})


@router.post("/api/admin/targets", summary="Set a portfolio target for a segment")
def create_target() -> Response[dict]:
    deps = dependencies.get()
    form = TargetForm(formdata=FormInput(json_body(router)))
    if not form.validate():
        return validation_response(form_errors(form))

    target = demand.save_target(
        deps,
        Target(
            target_id="",
            wanted=form.wanted.data,
            created_at=deps.clock.now(),
            industry=form.industry.data or "",
            region=form.region.data or "",
            product=form.product.data or "",
            persona=form.persona.data or "",
            language=form.language.data or "",
        ),
    )

    return json_response(201, {"target_id": target.target_id, "label": target.label, "wanted": target.wanted})


@router.delete("/api/admin/targets/<target_id>", summary="Remove a portfolio target")
def delete_target(target_id: str) -> Response[dict]:
    dependencies.get().store.delete_target(target_id)

    return json_response(200, {"deleted": target_id})


@router.get("/api/admin/supply-suggestions", summary="New activities to offer where demand outgrows supply")
def supply_suggestions() -> Response[dict]:
    suggestions = demand.supply_suggestions(dependencies.get())

    return json_response(
        200,
        {
            "suggestions": [
                {"reason": item.reason, "segment": item.segment, "advocate": item.advocate.email, "prefill": item.prefill}
                for item in suggestions
            ]
        },
    )


def _override_note(reason: str | None) -> str:
    return f"(Recorded beyond availability: {reason})" if reason else ""


@router.post("/api/admin/activities", summary="Record an activity beyond forums, such as a call or a case study")
def record_activity() -> Response[dict]:
    deps = dependencies.get()
    form = ActivityForm(formdata=FormInput(json_body(router)))
    if not form.validate():
        return validation_response(form_errors(form))
    advocate_key = normalize_email(form.advocate.data)
    advocate = deps.store.get_advocate(advocate_key)
    if advocate is None:
        return validation_response({"advocate": f"No advocate has the address {form.advocate.data!r}."})
    if form.occurred_on.data > deps.clock.now().date():
        return validation_response({"occurred_on": "Record activities that took place: choose today or an earlier date."})
    demand.check_availability(deps, advocate, form.occurred_on.data, form.override_reason.data or "")

    occurred_at = datetime.combine(form.occurred_on.data, time(12, 0), tzinfo=timezone.utc)
    # The id comes from what was recorded, so submitting the same form twice records it once.
    fingerprint = hashlib.sha256(
        f"{advocate_key}|{form.activity_type.data}|{form.occurred_on.data}|{form.opportunity_id.data}|{form.notes.data}".encode()
    ).hexdigest()[:16]
    activity = Activity(
        activity_id=f"manual:{fingerprint}",
        advocate_email_key=advocate_key,
        activity_type=ActivityType(form.activity_type.data),
        occurred_at=occurred_at,
        recorded_at=deps.clock.now(),
        opportunity_id=form.opportunity_id.data or "",
        notes=" ".join(part for part in (form.notes.data or "", _override_note(form.override_reason.data)) if part),
    )
    stored = demand.record_activity(deps, activity, influenced_amount=form.amount.data)

    return json_response(201 if stored else 200, {"activity_id": activity.activity_id, "recorded": stored})
