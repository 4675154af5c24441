"""Reference requests from sales reps: asked on a public form, confirmed from an emailed link.

Only addresses in the company's configured domains may ask. The answer to the form is the same
whatever happens, so the form reveals nothing; the confirmation link proves the address. Once
confirmed, the request joins the admins' queue and the rep gets the routing: fitting forums
with registration links below the revenue threshold, word that a call is being matched above.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from urllib.parse import urlencode

from aws_lambda_powertools import Logger

from advocacy import signing
from advocacy.bootstrap import Dependencies
from advocacy.domain.access import email_hint
from advocacy.domain.demand import ReferenceRequest, RequesterNotEmployee, RequestNotFound, RequestStatus, Route
from advocacy.domain.registrations import normalize_email
from advocacy.ports.mail import OutgoingEmail
from advocacy.services import demand
from advocacy.services.notifications import render_message

logger = Logger(service="advocacy-portal", child=True)

CONFIRM_REQUEST = "confirm-reference-request"


def within_limits(deps: Dependencies, address: str, client_ip: str) -> bool:
    """Count one request per address and per client IP in the current rate-limit window."""
    now = deps.clock.now()
    window = deps.settings.rate_limit_window
    window_start = int(now.timestamp() // window.total_seconds())
    address_hash = hashlib.sha256(normalize_email(address).encode("utf-8")).hexdigest()[:24]
    per_address = deps.store.count_attempt(f"request-address#{address_hash}#{window_start}", now + window)
    per_client = deps.store.count_attempt(f"request-client#{client_ip}#{window_start}", now + window)
    return per_address <= deps.settings.sign_in_limit_per_address and per_client <= deps.settings.sign_in_limit_per_client


def submit(deps: Dependencies, request: ReferenceRequest, requester_name: str, client_ip: str) -> None:
    """Store an unconfirmed request and email its link, if the address may ask and no limit is hit."""
    requester = normalize_email(request.requested_by)
    domain = requester.rpartition("@")[2]
    if domain not in deps.settings.company_domains:
        allowed = ", ".join(sorted(deps.settings.company_domains)) or "none configured"
        raise RequesterNotEmployee(
            f"Reference requests come from company addresses ({allowed}); {domain!r} is not one. Ask the advocacy team.",
            field="requester_email",
        )
    if not within_limits(deps, requester, client_ip):
        logger.warning("Reference request dropped by rate limit", email=email_hint(requester))
        return

    stored = demand.create_request(deps, replace(request, requested_by=requester), status=RequestStatus.UNCONFIRMED)

    token = signing.sign(deps.signing_key, CONFIRM_REQUEST, stored.request_id)
    url = f"{deps.settings.portal_url}/reference-request/?{urlencode({'request': stored.request_id, 'token': token})}"
    deps.mailer.send(
        render_message(
            "reference-request-confirmation",
            requester_name,
            request.requested_by,
            f"Confirm your reference request for {stored.prospect_company}",
            [
                f"You asked for a customer reference for {stored.prospect_company} (opportunity {stored.opportunity_id}).",
                "Open the link and press the button on the page to send it to the advocacy team.",
            ],
            ("Confirm my request", url),
        )
    )
    logger.info("Reference request received", request_id=stored.request_id, requester=email_hint(requester))


def confirm(deps: Dependencies, request_id: str, token: str) -> demand.Routing:
    """Queue the request for the admins (once) and return how it is routed."""
    request = deps.store.get_request(request_id)
    if request is None or not signing.verify(deps.signing_key, token, CONFIRM_REQUEST, request_id):
        raise RequestNotFound("This confirmation link is not valid. Open the link from the latest email, or ask again.")

    if request.status is RequestStatus.UNCONFIRMED:
        queued = replace(request, status=RequestStatus.NEW, updated_at=deps.clock.now())
        if deps.store.save_request(queued, expected_status=RequestStatus.UNCONFIRMED):
            request = queued
            routing = demand.route_request(deps, request)
            deps.mailer.send(_routing_email(deps, routing))
            logger.info("Reference request confirmed", request_id=request_id, route=routing.route.value)
            return routing
        request = deps.store.get_request(request_id)
    return demand.route_request(deps, request)


def _routing_email(deps: Dependencies, routing: demand.Routing) -> OutgoingEmail:
    request = routing.request
    if routing.route is Route.ONE_TO_ONE:
        paragraphs = [
            f"Your request for {request.prospect_company} is with the advocacy team, who will match an advocate for a "
            "one-to-one call and contact you.",
        ]
        links: tuple[str, ...] = ()
    else:
        paragraphs = [
            f"Opportunities of this size are served by our one-to-many reference activities. These upcoming ones fit "
            f"{request.prospect_company}; send your prospect a registration link:",
            *[f"{item.forum.title}: {item.registration_url}" for item in routing.forums[:5]],
        ]
        if not routing.forums:
            paragraphs.append("No upcoming activity fits yet; the advocacy team will look for one.")
        links = tuple(item.registration_url for item in routing.forums[:5])
    return render_message(
        "reference-request-routing",
        "",
        request.requested_by,
        f"Your reference request for {request.prospect_company}",
        paragraphs,
        None,
        extra_links=links,
    )
