"""Parts every API function shares: the dependency holder, error responses and request parsing."""

from __future__ import annotations

import json

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.exceptions import BadRequestError
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware
from aws_lambda_powertools.shared.cookies import Cookie, SameSite

from advocacy.bootstrap import Dependencies, build_dependencies
from advocacy.domain import advocates, demand, errors, nominations, rewards
from advocacy.domain.access import Principal
from advocacy.ports.store import StoreContention
from advocacy.services import access
from advocacy.services.nominations import NominatorNotEmployee
from advocacy.settings import Settings

logger = Logger(service="advocacy-portal")

# Each domain exception names a situation of the field; this is the status code it means.
STATUS_BY_ERROR: dict[type[errors.DomainError], int] = {
    errors.ForumNotFound: 404,
    errors.RegistrationNotFound: 404,
    errors.RegistrationClosed: 409,
    errors.RegistrationCancelled: 409,
    errors.RegistrationExpired: 410,
    errors.InvalidConfirmationToken: 403,
    errors.InvalidForum: 422,
    errors.SignInLinkInvalid: 400,
    errors.SignInLinkUsed: 409,
    errors.SignInLinkExpired: 410,
    errors.NotSignedIn: 401,
    errors.Forbidden: 403,
    errors.CrossSiteRequest: 403,
    errors.ForumNotEditable: 409,
    errors.FeedbackNotAccepted: 409,
    errors.HostUnavailable: 409,
    errors.TooManyRequests: 429,
    demand.RequestNotFound: 404,
    demand.RequestChangedMeanwhile: 409,
    demand.InvalidRequestChange: 409,
    demand.RequesterNotEmployee: 422,
    demand.AdvocateUnavailable: 409,
    demand.DuplicateTarget: 409,
    advocates.AdvocateNotFound: 404,
    advocates.InvalidPreferences: 422,
    nominations.NominationNotFound: 404,
    nominations.NominationExpired: 410,
    nominations.NominationStatusConflict: 409,
    NominatorNotEmployee: 422,
    rewards.InvalidRewardSettings: 422,
    rewards.NotEnoughPoints: 409,
    rewards.OutOfStock: 409,
    rewards.RewardNotFound: 404,
    rewards.RewardUnavailable: 409,
    rewards.RewardChanged: 409,
    rewards.RedemptionNotFound: 404,
    rewards.RedemptionAlreadyDecided: 409,
    rewards.PointsRulesChanged: 409,
    rewards.AdvocateNotInProgram: 404,
}

SESSION_COOKIE = "portal_session"
# The pages send this header on every state-changing request. A cross-site form cannot set it,
# and a cross-site script cannot either without a CORS preflight that the API refuses.
CSRF_HEADER = "x-portal-csrf"
STATE_CHANGING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class DependencyHolder:
    """Holds the dependencies of one Lambda function, built on first use.

    The local server and tests call ``configure`` to inject a SQLite store, an outbox and a
    fixed clock; in AWS they are built from the environment on the first request.
    """

    def __init__(self):
        self._dependencies: Dependencies | None = None

    def configure(self, dependencies: Dependencies | None) -> None:
        self._dependencies = dependencies

    def get(self) -> Dependencies:
        if self._dependencies is None:
            self._dependencies = build_dependencies()
        return self._dependencies


# One holder per process: in AWS each function builds its own dependencies on first use, and
# locally the server configures all handlers at once.
dependencies = DependencyHolder()


def json_response(status_code: int, body: dict, cookies: list[Cookie] | None = None) -> Response:
    return Response(
        status_code=status_code,
        content_type=content_types.APPLICATION_JSON,
        body=body,
        headers={"Cache-Control": "no-store"},
        cookies=cookies,
    )


def session_cookie(settings: Settings, session_id: str) -> Cookie:
    return Cookie(
        name=SESSION_COOKIE,
        value=session_id,
        path="/",
        secure=settings.secure_cookies,
        http_only=True,
        max_age=int(settings.session_lifetime.total_seconds()),
        same_site=SameSite.LAX_MODE,
    )


def expired_session_cookie(settings: Settings) -> Cookie:
    return Cookie(
        name=SESSION_COOKIE, value="", path="/", secure=settings.secure_cookies, http_only=True, max_age=0,
        same_site=SameSite.LAX_MODE,
    )


def session_id(app: APIGatewayHttpResolver) -> str | None:
    for cookie in app.current_event.cookies or []:
        name, _, value = cookie.partition("=")
        if name.strip() == SESSION_COOKIE and value.strip():
            return value.strip()
    return None


def current_principal(app: APIGatewayHttpResolver, deps: Dependencies) -> Principal | None:
    return access.principal_for(deps, session_id(app))


def check_same_origin(app: APIGatewayHttpResolver, settings: Settings) -> None:
    """Raise CrossSiteRequest unless a state-changing request comes from the portal's own pages."""
    event = app.current_event
    if event.request_context.http.method.upper() not in STATE_CHANGING_METHODS:
        return
    headers = {name.lower(): value for name, value in (event.headers or {}).items()}
    origin = headers.get("origin")
    if origin is not None and origin.rstrip("/") != settings.portal_origin:
        raise errors.CrossSiteRequest(
            f"Requests from {origin} are not accepted; use the portal at {settings.portal_origin}."
        )
    if headers.get(CSRF_HEADER) != "1":
        raise errors.CrossSiteRequest(
            f"The request lacks the {CSRF_HEADER} header that the portal's pages send; reload the page and try again."
        )


def same_origin_middleware():
    """Build a Powertools middleware that applies check_same_origin before every route."""

    def middleware(app: APIGatewayHttpResolver, next_middleware: NextMiddleware) -> Response:
        try:
            check_same_origin(app, dependencies.get().settings)
        except errors.CrossSiteRequest as error:
            return error_response(error)
        return next_middleware(app)

    return middleware


def error_response(error: errors.DomainError) -> Response:
    # The most specific class listed decides, so a subclass inherits its parent's status.
    status = next((STATUS_BY_ERROR[kind] for kind in type(error).__mro__ if kind in STATUS_BY_ERROR), 400)
    body: dict = {"message": error.message}
    if error.field:
        body["field"] = error.field
    logger.info("Request rejected", error=type(error).__name__, status=status)
    return json_response(status, body)


def validation_response(field_errors: dict[str, str]) -> Response:
    names = ", ".join(sorted(field_errors))
    return json_response(
        422,
        {"message": f"Some fields need attention: {names}. Correct them and submit again.", "errors": field_errors},
    )


def json_body(app: APIGatewayHttpResolver) -> dict:
    """Return the request's JSON object, or raise a 400 that names what to send instead."""
    raw = app.current_event.decoded_body or ""
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except json.JSONDecodeError as error:
        raise BadRequestError(f"The request body is not valid JSON ({error.msg} at position {error.pos}).") from None
    if not isinstance(body, dict):
        raise BadRequestError("The request body must be a JSON object, such as {\"name\": \"...\"}.")
    return body


def register_error_handlers(app: APIGatewayHttpResolver) -> None:
    @app.exception_handler(errors.DomainError)
    def handle_domain_error(error: errors.DomainError) -> Response:
        return error_response(error)

    @app.exception_handler(StoreContention)
    def handle_contention(error: StoreContention) -> Response:
        logger.warning("Store contention; request rejected", error=str(error))
        response = json_response(503, {"message": "Many people are registering right now; nothing was changed. Try again in a few seconds."})
        response.headers["Retry-After"] = "2"
        return response


def role_middleware(role):
    """Build a middleware that admits only sessions holding ``role``, after the same-origin check.

    Applied to a whole function's resolver, so no route of that audience can forget it. The
    principal is put in ``app.context["principal"]`` for the route.
    """

    def middleware(app: APIGatewayHttpResolver, next_middleware: NextMiddleware) -> Response:
        deps = dependencies.get()
        try:
            check_same_origin(app, deps.settings)
            principal = access.require(current_principal(app, deps), role)
        except errors.DomainError as error:
            return error_response(error)
        app.append_context(principal=principal)
        return next_middleware(app)

    return middleware
