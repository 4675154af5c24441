"""What every API function shares: the resolver, error responses and request parsing."""

from __future__ import annotations

import json

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.exceptions import BadRequestError

from advocacy.bootstrap import Dependencies, build_dependencies
from advocacy.domain import errors

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
}


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


def json_response(status_code: int, body: dict) -> Response:
    return Response(
        status_code=status_code,
        content_type=content_types.APPLICATION_JSON,
        body=body,
        headers={"Cache-Control": "no-store"},
    )


def error_response(error: errors.DomainError) -> Response:
    status = STATUS_BY_ERROR.get(type(error), 400)
    body: dict = {"message": error.message}
    if error.field:
        body["field"] = error.field
    logger.info("Request refused", error=type(error).__name__, status=status)
    return json_response(status, body)


def validation_response(field_errors: dict[str, str]) -> Response:
    names = ", ".join(sorted(field_errors))
    return json_response(
        422,
        {"message": f"Some fields need attention: {names}. Correct them and submit again.", "errors": field_errors},
    )


def json_body(app: APIGatewayHttpResolver) -> dict:
    """Return the request's JSON object, or raise a 400 that says what to send instead."""
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
