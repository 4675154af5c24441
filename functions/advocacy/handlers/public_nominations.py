"""Nomination routes of the public function: a customer's own, an employee's, and confirmation.

Audience: anyone. A submission counts only once the emailed link confirms it. Every
submission gets the same response, so the response never reveals whether someone is known. These
routes use no cookie, so they need no CSRF header.
"""

from __future__ import annotations

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from advocacy.forms import FormInput, form_errors
from advocacy.forms.nominations import InternalNominationForm, NomineeFields, SelfNominationForm
from advocacy.handlers.http import dependencies, json_body, json_response, validation_response
from advocacy.services import nominations
from advocacy.services.nominations import NominationRequest

logger = Logger(service="advocacy-portal", child=True)
router = Router()

CHECK_INBOX = (
    "Thank you. We sent a link to confirm the nomination to {whom}; the advocacy team sees it once "
    "it is confirmed. Check the spam folder if it does not arrive."
)


def nomination_request(form: NomineeFields) -> NominationRequest:
    """Build the service's request from any validated nomination form."""
    employee = isinstance(form, InternalNominationForm)
    return NominationRequest(
        name=form.name.data,
        email=form.email.data,
        company=form.company.data,
        role=form.role.data,
        products=form.products.data or (),
        activities=form.activities.data or (),
        nominator_email=form.nominator_email.data if employee else "",
        nominator_name=form.nominator_name.data if employee else "",
        relationship=(form.relationship.data or "") if hasattr(form, "relationship") else "",
        reason=(form.reason.data or "") if hasattr(form, "reason") else "",
    )


@router.post("/api/nominations", summary="Nominate yourself as an advocate; the email asks to confirm")
def nominate_self() -> Response[dict]:
    deps = dependencies.get()
    form = SelfNominationForm(formdata=FormInput(json_body(router)))
    if not form.validate():
        return validation_response(form_errors(form))
    answer = {"message": CHECK_INBOX.format(whom="your address")}
    if form.website.data:
        # A bot filled the hidden field: respond as to a person, store and send nothing.
        logger.info("Honeypot field filled; nomination dropped")
        return json_response(202, answer)

    client_ip = router.current_event.request_context.http.source_ip
    nominations.nominate_self(deps, nomination_request(form), client_ip)

    return json_response(202, answer)


@router.post("/api/nominations/internal", summary="Nominate a customer as an employee; the email asks you to confirm")
def nominate_internal() -> Response[dict]:
    deps = dependencies.get()
    form = InternalNominationForm(formdata=FormInput(json_body(router)))
    if not form.validate():
        return validation_response(form_errors(form))
    answer = {"message": CHECK_INBOX.format(whom="your company address")}
    if form.website.data:
        logger.info("Honeypot field filled; nomination dropped")
        return json_response(202, answer)

    client_ip = router.current_event.request_context.http.source_ip
    nominations.nominate_internal(deps, nomination_request(form), client_ip)

    return json_response(202, answer)


@router.post("/api/nominations/confirm", summary="Confirm a nomination with the token from the email")
def confirm_nomination() -> Response[dict]:
    deps = dependencies.get()
    body = json_body(router)

    nominations.confirm(deps, str(body.get("nomination_id", "")), str(body.get("token", "")))

    return json_response(200, {"message": "Thank you: the nomination is confirmed and the advocacy team will review it."})
