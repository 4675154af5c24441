"""Sales reps' reference requests; part of the public function.

Audience: anyone may submit the form, but only a company address gets the confirmation link,
and only that link queues the request.
"""

from __future__ import annotations

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from advocacy.domain.demand import ReferenceRequest
from advocacy.forms import FormInput, form_errors
from advocacy.forms.demand import SalesRequestForm
from advocacy.handlers.http import dependencies, json_body, json_response, validation_response
from advocacy.handlers.representations import forum_json
from advocacy.services import sales_requests

logger = Logger(service="advocacy-portal")
router = Router()

SENT = "Check your inbox: open the link we sent to confirm your request. It then goes to the advocacy team."


@router.post("/api/reference-requests", summary="A sales rep asks for a reference; the email confirms it")
def submit_request() -> Response[dict]:
    deps = dependencies.get()
    form = SalesRequestForm(formdata=FormInput(json_body(router)))
    if not form.validate():
        return validation_response(form_errors(form))
    if form.needed_by.data < deps.clock.now().date():
        return validation_response({"needed_by": "The date has passed; enter the date the reference is still needed by."})
    if form.website.data:
        logger.info("Honeypot field filled; reference request dropped")
        return json_response(202, {"message": SENT})

    request = ReferenceRequest(
        request_id="",
        opportunity_id=form.opportunity_id.data,
        amount=form.amount.data,
        stage=form.stage.data,
        prospect_company=form.prospect_company.data,
        needed_by=form.needed_by.data,
        requested_by=form.requester_email.data,
        created_at=deps.clock.now(),
        industry=form.industry.data or "",
        region=form.region.data or "",
        product=form.product.data or "",
        persona=form.persona.data or "",
        language=form.language.data or "",
        company_size=form.company_size.data or "",
        notes=form.notes.data or "",
    )
    sales_requests.submit(deps, request, form.requester_name.data, router.current_event.request_context.http.source_ip)

    return json_response(202, {"message": SENT})


@router.post("/api/reference-requests/<request_id>/confirm", summary="Confirm a reference request from the emailed link")
def confirm_request(request_id: str) -> Response[dict]:
    deps = dependencies.get()
    token = str(json_body(router).get("token", ""))

    routing = sales_requests.confirm(deps, request_id, token)

    now = deps.clock.now()
    return json_response(
        200,
        {
            "status": routing.request.status.value,
            "route": routing.route.value,
            "prospect_company": routing.request.prospect_company,
            "forums": [
                {"forum": forum_json(item.forum, now), "reasons": item.reasons, "registration_url": item.registration_url}
                for item in routing.forums
            ],
        },
    )
