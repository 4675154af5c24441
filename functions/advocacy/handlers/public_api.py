"""The public API: the forum calendar, prospects' registrations, and signing in.

Audience: anyone. The calendar and forum pages are open; a registration is read, confirmed or
cancelled only with the token or signature that its emails carry.
"""

from __future__ import annotations

import json

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from advocacy.domain.forums import Forum, ForumFormat
from advocacy.domain.registrations import normalize_email
from advocacy.forms import FormInput, form_errors
from advocacy.forms.registration import RegistrationForm
from advocacy.handlers.http import (
    dependencies,
    json_body,
    json_response,
    register_error_handlers,
    same_origin_middleware,
    validation_response,
)
from advocacy.handlers.representations import forum_json, registration_json
from advocacy.handlers.public_calendar import router as calendar_router
from advocacy.handlers.public_requests import router as requests_router
from advocacy.handlers.public_nominations import router as nominations_router
from advocacy.handlers.sessions import router as sessions_router
from advocacy.services.calendar_filters import FILTERS, matches
from advocacy.services import registrations
from advocacy.services.registrations import RegistrationRequest

logger = Logger(service="advocacy-portal")
app = APIGatewayHttpResolver(enable_validation=True)
register_error_handlers(app)
# Every POST of the public function must come from the portal's own pages, so another site
# cannot make its visitors' browsers register them or send our emails to anyone.
app.use([same_origin_middleware()])
app.include_router(sessions_router)
app.include_router(calendar_router)
app.include_router(requests_router)
app.include_router(nominations_router)



def _hosts(forum: Forum) -> list[dict]:
    store = dependencies.get().store
    hosts = []
    for index, email in enumerate(forum.host_emails):
        advocate = store.get_advocate(normalize_email(email))
        name = forum.host_names[index] if index < len(forum.host_names) else ""
        hosts.append(
            {
                "name": advocate.display_name if advocate else name,
                "title": advocate.title if advocate else "",
                "company": advocate.company if advocate else "",
            }
        )
    return hosts


@app.get("/api/forums", summary="Upcoming published forums, earliest first, with optional filters")
def list_forums() -> Response[dict]:
    deps = dependencies.get()
    event = app.current_event
    wanted = {name: value for name in FILTERS if (value := (event.get_query_string_value(name) or "").strip())}
    month = (event.get_query_string_value("month") or "").strip()
    if "format" in wanted and wanted["format"] not in {member.value for member in ForumFormat}:
        return validation_response({"format": "Choose reference_forum or limited_group_event."})

    now = deps.clock.now()
    upcoming = deps.store.list_upcoming_forums(now)
    selected = [forum for forum in upcoming if matches(forum, wanted, month)]

    options = {name: sorted({getattr(forum, name) for forum in upcoming if getattr(forum, name)}) for name in FILTERS[:-1]}
    options["format"] = [{"value": member.value, "label": member.label} for member in ForumFormat]
    options["month"] = sorted({forum.local_start().strftime("%Y-%m") for forum in upcoming})
    return json_response(
        200, {"forums": [forum_json(forum, now, _hosts(forum)) for forum in selected], "filters": options}
    )


@app.get("/api/forums/<forum_id>", summary="One published forum with its seats left")
def get_forum(forum_id: str) -> Response[dict]:
    deps = dependencies.get()

    forum = registrations.get_published_forum(deps, forum_id)

    return json_response(200, forum_json(forum, deps.clock.now(), _hosts(forum)))


@app.post("/api/forums/<forum_id>/registrations", summary="Register for a forum; the email asks to confirm")
def create_registration(forum_id: str) -> Response[dict]:
    deps = dependencies.get()
    form = RegistrationForm(formdata=FormInput(json_body(app)))
    if not form.validate():
        return validation_response(form_errors(form))
    if form.website.data:
        # A bot filled the hidden field: respond as for a person, but store and send nothing.
        logger.info("Honeypot field filled; registration dropped", forum_id=forum_id)
        return json_response(202, {"registration_id": registrations.new_registration_id(), "message": _check_inbox()})

    request = RegistrationRequest(
        name=form.name.data,
        email=form.email.data,
        company=form.company.data,
        job_title=form.job_title.data,
        time_zone=form.time_zone.data,
        opportunity_id=form.opportunity_id.data or "",
        sales_rep_email=form.sales_rep_email.data or "",
        questions=form.questions.data or "",
    )
    registration = registrations.register(deps, forum_id, request, app.current_event.request_context.http.source_ip)

    return json_response(202, {"registration_id": registration.registration_id, "message": _check_inbox()})


def _check_inbox() -> str:
    return "Check your inbox: we sent you a link to confirm your registration. Your place counts once you confirm."


@app.post(
    "/api/forums/<forum_id>/registrations/<registration_id>/confirm",
    summary="Confirm a registration with the token from the email",
)
def confirm_registration(forum_id: str, registration_id: str) -> Response[dict]:
    deps = dependencies.get()
    token = str(json_body(app).get("token", ""))

    view = registrations.confirm(deps, forum_id, registration_id, token)

    return json_response(200, registration_json(view, deps.clock.now(), _hosts(view.forum)))


@app.get(
    "/api/forums/<forum_id>/registrations/<registration_id>",
    summary="A registration, for the holder of its signed link",
)
def get_registration(forum_id: str, registration_id: str) -> Response[dict]:
    deps = dependencies.get()
    signature = app.current_event.get_query_string_value("signature") or ""

    view = registrations.view_registration(deps, forum_id, registration_id, signature)

    return json_response(200, registration_json(view, deps.clock.now(), _hosts(view.forum)))


@app.post(
    "/api/forums/<forum_id>/registrations/<registration_id>/cancel",
    summary="Cancel a registration with its signed link",
)
def cancel_registration(forum_id: str, registration_id: str) -> Response[dict]:
    deps = dependencies.get()
    signature = str(json_body(app).get("signature", ""))

    view = registrations.cancel(deps, forum_id, registration_id, signature)

    return json_response(200, registration_json(view, deps.clock.now(), _hosts(view.forum)))


@app.get("/api/openapi.json", summary="The OpenAPI document of every function: public, advocate and admin")
def openapi_document() -> Response[str]:
    # Imported here, not at the top, so the public function loads the other handlers only
    # when a client requests the document.
    from advocacy.handlers import admin_api, advocate_api

    document = json.loads(app.get_openapi_json_schema(title="Advocacy portal API", version="1.0.0"))
    for other in (advocate_api.app, admin_api.app):
        part = json.loads(other.get_openapi_json_schema(title="Advocacy portal API", version="1.0.0"))
        document["paths"].update(part.get("paths", {}))
        schemas = part.get("components", {}).get("schemas", {})
        document.setdefault("components", {}).setdefault("schemas", {}).update(schemas)

    return Response(status_code=200, content_type="application/json", body=json.dumps(document))


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)
