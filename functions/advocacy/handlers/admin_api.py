"""The admin API: running the program.

Audience: signed-in admins only, enforced for every route by the role middleware.
"""

from __future__ import annotations

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from advocacy.domain.access import Role
from advocacy.domain.errors import ForumNotFound
from advocacy.domain.registrations import normalize_email
from advocacy.forms import FormInput, form_errors
from advocacy.forms.sign_in import AdminForm
from advocacy.handlers import admin_advocates, admin_demand, admin_forums, admin_reports, admin_rewards
from advocacy.handlers.http import (
    dependencies,
    json_body,
    json_response,
    register_error_handlers,
    role_middleware,
    validation_response,
)
from advocacy.handlers.representations import advocate_json, admin_registration_json, forum_json
from advocacy.services import access

logger = Logger(service="advocacy-portal")
app = APIGatewayHttpResolver(enable_validation=True)
register_error_handlers(app)
app.use([role_middleware(Role.ADMIN)])
app.include_router(admin_forums.router)
app.include_router(admin_demand.router)
app.include_router(admin_reports.router)
app.include_router(admin_rewards.router)
app.include_router(admin_advocates.router)


@app.get("/api/admin/admins", summary="Everyone who is an admin, and why")
def list_admins() -> Response[dict]:
    deps = dependencies.get()

    configured = sorted(deps.settings.admin_emails)
    added = deps.store.list_admins()

    return json_response(200, {"configured": configured, "added": added})


@app.post("/api/admin/admins", summary="Make someone an admin")
def add_admin() -> Response[dict]:
    deps = dependencies.get()
    form = AdminForm(formdata=FormInput(json_body(app)))
    if not form.validate():
        return validation_response(form_errors(form))

    email_key = access.add_admin(deps, form.email.data, added_by=app.context["principal"].email_key)

    return json_response(201, {"email": email_key})


@app.get("/api/admin/forums/<forum_id>/registrations", summary="A forum's registrations and waitlist")
def list_forum_registrations(forum_id: str) -> Response[dict]:
    deps = dependencies.get()
    forum = deps.store.get_forum(forum_id)
    if forum is None:
        raise ForumNotFound(f"No forum {forum_id!r}; pick one from the calendar.")

    registrations = deps.store.list_registrations(forum_id)
    waitlist = deps.store.list_waitlist(forum_id)

    return json_response(
        200,
        {
            "forum": forum_json(forum, deps.clock.now()),
            "registrations": [admin_registration_json(registration) for registration in registrations],
            "waitlist": [registration.registration_id for registration in waitlist],
            "below_minimum": forum.below_minimum,
        },
    )


@app.get("/api/admin/advocates/<email>", summary="One advocate's profile")
def get_advocate(email: str) -> Response[dict]:
    deps = dependencies.get()

    advocate = deps.store.get_advocate(normalize_email(email))

    if advocate is None:
        return json_response(404, {"message": f"No advocate has the address {email!r}."})
    return json_response(200, advocate_json(advocate))


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)
