"""The calendar feed sales subscribes to, and prospects' feedback; part of the public function.

Audience: anyone for the feed (it contains no join links or personal data); feedback needs the
registration's signed link.
"""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from advocacy.domain.errors import FeedbackNotAccepted
from advocacy.domain.forums import ForumFormat
from advocacy.domain.registrations import RegistrationStatus
from advocacy.forms import FormInput, form_errors
from advocacy.forms.forums import FeedbackForm
from advocacy.handlers.http import dependencies, json_body, json_response, validation_response
from advocacy.services import calendar_files, registrations
from advocacy.services.calendar_filters import FILTERS, matches

router = Router()


@router.get("/api/calendar.ics", summary="Subscribe to upcoming forums as an iCalendar feed; filters as for /api/forums")
def calendar_feed() -> Response[str]:
    deps = dependencies.get()
    event = router.current_event
    wanted = {name: value for name in FILTERS if (value := (event.get_query_string_value(name) or "").strip())}
    month = (event.get_query_string_value("month") or "").strip()
    if "format" in wanted and wanted["format"] not in {member.value for member in ForumFormat}:
        return validation_response({"format": "Choose reference_forum or limited_group_event."})

    now = deps.clock.now()
    forums = [forum for forum in deps.store.list_upcoming_forums(now) if matches(forum, wanted, month)]

    body = calendar_files.feed(forums, deps.settings.portal_url, now).decode("utf-8")
    return Response(
        status_code=200,
        content_type="text/calendar; charset=utf-8",
        body=body,
        headers={"Content-Disposition": 'inline; filename="forums.ics"', "Cache-Control": "max-age=300"},
    )


@router.post(
    "/api/forums/<forum_id>/registrations/<registration_id>/feedback",
    summary="Rate a forum you attended, with the registration's signed link",
)
def submit_feedback(forum_id: str, registration_id: str) -> Response[dict]:
    deps = dependencies.get()
    body = json_body(router)
    form = FeedbackForm(formdata=FormInput(body))
    if not form.validate():
        return validation_response(form_errors(form))

    view = registrations.view_registration(deps, forum_id, registration_id, str(body.get("signature", "")))
    if view.registration.status is not RegistrationStatus.CONFIRMED or deps.clock.now() < view.forum.starts_at:
        raise FeedbackNotAccepted("Feedback opens after the forum, for prospects who held a seat.")
    stored = deps.store.record_feedback(forum_id, registration_id, form.rating.data, form.comment.data or "", deps.clock.now())

    return json_response(201, {"rating": stored.feedback_rating, "comment": stored.feedback_comment})

