"""The advocate API: an approved advocate's own data.

Audience: a signed-in advocate, on their own data only; every route reads the advocate from
the session, never from the request, so no route can reach another advocate's data.
"""

from __future__ import annotations

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from advocacy.domain.access import Role
from advocacy.handlers import advocate_profile, advocate_rewards
from advocacy.handlers.http import register_error_handlers, role_middleware

logger = Logger(service="advocacy-portal")
app = APIGatewayHttpResolver(enable_validation=True)
register_error_handlers(app)
app.use([role_middleware(Role.ADVOCATE)])
app.include_router(advocate_rewards.router)
app.include_router(advocate_profile.router)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)
