"""Scheduled jobs: EventBridge in AWS, a timer in the local server, or the CLI.

Each job is idempotent, so running it twice or overlapping with itself changes nothing twice.
"""

from __future__ import annotations

from collections.abc import Callable

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from advocacy.bootstrap import Dependencies
from advocacy.handlers.http import dependencies
from advocacy.services import advocates, forum_jobs, nominations, registrations

logger = Logger(service="advocacy-portal")

def purge_expired_access(deps: Dependencies) -> int:
    return deps.store.purge_expired_access(deps.clock.now())


JOBS: dict[str, Callable[[Dependencies], int]] = {
    "expire_registrations": registrations.expire_unconfirmed,
    "purge_expired_access": purge_expired_access,
    "request_profile_reviews": advocates.request_profile_reviews,
    "purge_unconfirmed_nominations": nominations.purge_unconfirmed,
    "send_reminders": forum_jobs.send_reminders,
    "send_thank_yous": forum_jobs.send_thank_yous,
}


class UnknownJob(ValueError):
    pass


def run_job(name: str, deps: Dependencies) -> int:
    """Run one job by name and return how many items it changed."""
    if name not in JOBS:
        raise UnknownJob(f"Unknown job {name!r}; choose one of: {', '.join(sorted(JOBS))}.")
    changed = JOBS[name](deps)
    logger.info("Job finished", job=name, changed=changed)
    return changed


@logger.inject_lambda_context
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    name = event.get("job", "")
    changed = run_job(name, dependencies.get())
    return {"job": name, "changed": changed}
