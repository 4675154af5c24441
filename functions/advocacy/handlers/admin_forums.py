"""Admin routes that plan and run forums, part of the admin function (admins only)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.exceptions import BadRequestError

from advocacy.domain.forums import Forum, ForumFormat, forum_id_for, new_forum
from advocacy.domain.influence import attendees, influenced_opportunities
from advocacy.domain.registrations import RegistrationStatus
from advocacy.forms import FormInput, form_errors
from advocacy.forms.forums import ForumForm, OutcomeForm, RecordingForm
from advocacy.handlers.http import dependencies, json_body, json_response, validation_response
from advocacy.handlers.representations import admin_registration_json, forum_json
from advocacy.services import forum_imports, forums
from advocacy.services.calendar_import import import_calendar
from advocacy.services.csv_export import to_csv
from advocacy.services.csv_import import InvalidFile

router = Router()


def _forum_from_form(form: ForumForm, forum_id: str | None, now: datetime) -> Forum:
    hosts = tuple(address.strip() for address in (form.host_emails.data or "").split(",") if address.strip())
    return new_forum(
        forum_id=forum_id or forum_id_for(form.title.data, form.date.data.isoformat()),
        title=form.title.data,
        forum_format=ForumFormat(form.format.data),
        local_start=datetime.combine(form.date.data, form.start_time.data),
        time_zone=form.time_zone.data,
        duration_minutes=form.duration_minutes.data,
        capacity=form.capacity.data,
        now=now,
        description=form.description.data or "",
        industry=form.industry.data or "",
        product=form.product.data or "",
        region=form.region.data or "",
        language=form.language.data or "",
        chaperoned=bool(form.chaperoned.data),
        host_emails=hosts,
        join_url=form.join_url.data or "",
        recording_url=form.recording_url.data or "",
    )


def _admin_forum_json(forum: Forum) -> dict:
    now = dependencies.get().clock.now()
    return {
        **forum_json(forum, now),
        "host_emails": list(forum.host_emails),
        "join_url": forum.join_url,
        "recording_url": forum.recording_url,
        "sequence": forum.sequence,
        "confirmed_count": forum.confirmed_count,
        "waitlist_count": forum.waitlist_count,
        "below_minimum": forum.below_minimum,
        "host_override_reason": forum.host_override_reason,
    }


def _csv_payload() -> bytes:
    """Return the uploaded CSV: a text/csv body, or a JSON object's ``csv`` field."""
    event = router.current_event
    content_type = (event.headers or {}).get("content-type", "")
    raw = event.decoded_body or ""
    if "json" in content_type:
        text = json.loads(raw or "{}").get("csv", "") if raw.strip() else ""
    else:
        text = raw
    if not text.strip():
        raise BadRequestError("Send the CSV file as the request body, or as {\"csv\": \"...\"}.")
    return text.encode("utf-8")


def _problems_response(problems, noun: str) -> Response[dict]:
    return json_response(
        422,
        {
            "message": f"Nothing was imported: {len(problems)} problem(s) in the {noun}. Correct them and import again.",
            "problems": [{"row": p.row, "column": p.column, "message": p.message} for p in problems],
        },
    )


@router.get("/api/admin/forums", summary="Forums of every status in a period (default: 90 days back, a year ahead)")
def list_forums() -> Response[dict]:
    deps = dependencies.get()
    now = deps.clock.now()
    event = router.current_event
    try:
        since = datetime.fromisoformat(event.get_query_string_value("from") or (now - timedelta(days=90)).isoformat())
        until = datetime.fromisoformat(event.get_query_string_value("to") or (now + timedelta(days=365)).isoformat())
    except ValueError:
        return validation_response({"from": "Use ISO-8601 instants such as 2027-01-01T00:00:00+00:00 for from and to."})

    listed = deps.store.list_forums(since, until)

    return json_response(200, {"forums": [_admin_forum_json(forum) for forum in listed]})


@router.post("/api/admin/forums", summary="Create a forum as a draft")
def create_forum() -> Response[dict]:
    deps = dependencies.get()
    form = ForumForm(formdata=FormInput(json_body(router)))
    if not form.validate():
        return validation_response(form_errors(form))

    forum = forums.create(deps, _forum_from_form(form, None, deps.clock.now()), form.host_override_reason.data or "")

    return json_response(201, _admin_forum_json(forum))


@router.post("/api/admin/forums/import", summary="Import a calendar CSV: all rows or none")
def import_forums() -> Response[dict]:
    deps = dependencies.get()
    data = _csv_payload()

    try:
        report = import_calendar(
            deps.store, data, deps.clock.now(), on_update=lambda before, after: forums.announce_import_update(deps, before, after)
        )
    except InvalidFile as error:
        return json_response(422, {"message": str(error), "problems": []})

    if not report.ok:
        return _problems_response(report.problems, "calendar")
    return json_response(200, {"created": report.created, "updated": report.updated, "unchanged": report.unchanged})


@router.get("/api/admin/forums/<forum_id>", summary="A forum with its registrations, waitlist, questions, outcome")
def get_forum(forum_id: str) -> Response[dict]:
    deps = dependencies.get()
    forum = forums.require_forum(deps, forum_id)

    registrations = deps.store.list_registrations(forum_id)
    waitlist = deps.store.list_waitlist(forum_id)
    influence = deps.store.list_influence_of_forum(forum_id)

    rated = [r for r in registrations if r.feedback_rating]
    return json_response(
        200,
        {
            "forum": _admin_forum_json(forum),
            "registrations": [admin_registration_json(r) for r in registrations],
            "waitlist": [admin_registration_json(r) for r in waitlist],
            "questions": [
                {"name": r.name, "company": r.company, "job_title": r.job_title, "questions": r.questions}
                for r in registrations
                if r.questions and r.status in (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)
            ],
            "warnings": (
                [f"Only {forum.confirmed_count} confirmed prospect(s): a limited group event needs at least 2."]
                if forum.below_minimum
                else []
            ),
            "attendance": {"attended": len(attendees(registrations)), "confirmed": forum.confirmed_count},
            "influence": {
                "opportunities": [{"opportunity_id": key, "amount": value} for key, value in sorted(influenced_opportunities(registrations).items())],
                "records": [
                    {"advocate": record.advocate_email_key, "opportunity_id": record.opportunity_id, "amount": record.amount}
                    for record in influence
                ],
                "total_per_host": sum(influenced_opportunities(registrations).values()),
            },
            "feedback": {
                "count": len(rated),
                "average_rating": round(sum(r.feedback_rating for r in rated) / len(rated), 2) if rated else None,
                "answers": [{"rating": r.feedback_rating, "comment": r.feedback_comment} for r in rated],
            },
        },
    )


@router.put("/api/admin/forums/<forum_id>", summary="Edit or reschedule a forum; registrants get updated invites")
def edit_forum(forum_id: str) -> Response[dict]:
    deps = dependencies.get()
    form = ForumForm(formdata=FormInput(json_body(router)))
    if not form.validate():
        return validation_response(form_errors(form))

    forum = forums.edit(deps, forum_id, _forum_from_form(form, forum_id, deps.clock.now()), form.host_override_reason.data or "")

    return json_response(200, _admin_forum_json(forum))


@router.post("/api/admin/forums/<forum_id>/publish", summary="Publish a draft forum to the calendar")
def publish_forum(forum_id: str) -> Response[dict]:
    forum = forums.publish(dependencies.get(), forum_id)

    return json_response(200, _admin_forum_json(forum))


@router.post("/api/admin/forums/<forum_id>/unpublish", summary="Take a forum without registrations off the calendar")
def unpublish_forum(forum_id: str) -> Response[dict]:
    forum = forums.unpublish(dependencies.get(), forum_id)

    return json_response(200, _admin_forum_json(forum))


@router.post("/api/admin/forums/<forum_id>/cancel", summary="Cancel a forum; registrants and hosts are told")
def cancel_forum(forum_id: str) -> Response[dict]:
    forum = forums.cancel(dependencies.get(), forum_id)

    return json_response(200, _admin_forum_json(forum))


@router.post("/api/admin/forums/<forum_id>/complete", summary="Complete a held forum: host activities and influence")
def complete_forum(forum_id: str) -> Response[dict]:
    forum, influence = forums.complete(dependencies.get(), forum_id)

    return json_response(200, {**_admin_forum_json(forum), "influence_records": len(influence)})


@router.post("/api/admin/forums/<forum_id>/recording", summary="Add or change the recording link, also after completion")
def set_recording(forum_id: str) -> Response[dict]:
    deps = dependencies.get()
    form = RecordingForm(formdata=FormInput(json_body(router)))
    if not form.validate():
        return validation_response(form_errors(form))

    forum = forums.set_recording(deps, forum_id, form.recording_url.data)

    return json_response(200, _admin_forum_json(forum))


@router.post("/api/admin/forums/<forum_id>/attendance", summary="Import the meeting tool's participant report (CSV)")
def import_attendance(forum_id: str) -> Response[dict]:
    deps = dependencies.get()
    data = _csv_payload()

    try:
        report = forum_imports.import_attendance(deps, forum_id, data)
    except InvalidFile as error:
        return json_response(422, {"message": str(error), "problems": []})

    if report.problems:
        return _problems_response(report.problems, "participant report")
    return json_response(200, {"attended": report.attended, "absent": report.absent, "unmatched": report.unmatched})


@router.post("/api/admin/forums/<forum_id>/opportunities", summary="Import registrants' opportunities (CSV: Email, Opportunity ID, Amount)")
def import_opportunities(forum_id: str) -> Response[dict]:
    deps = dependencies.get()
    data = _csv_payload()

    try:
        report = forum_imports.import_opportunities(deps, forum_id, data)
    except InvalidFile as error:
        return json_response(422, {"message": str(error), "problems": []})

    if report.problems:
        return _problems_response(report.problems, "opportunity file")
    return json_response(200, {"updated": report.updated})


@router.get("/api/admin/forums/<forum_id>/briefing.csv", summary="The host's briefing: questions submitted in advance")
def briefing(forum_id: str) -> Response[bytes]:
    deps = dependencies.get()
    forum = forums.require_forum(deps, forum_id)

    rows = [
        (r.name, r.company, r.job_title, r.questions)
        for r in deps.store.list_registrations(forum_id)
        if r.questions and r.status in (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)
    ]

    return Response(
        status_code=200,
        content_type="text/csv; charset=utf-8",
        body=to_csv(["Name", "Company", "Job title", "Questions"], rows).decode("utf-8"),
        headers={"Content-Disposition": f'attachment; filename="briefing-{forum.forum_id}.csv"', "Cache-Control": "no-store"},
    )


@router.put("/api/admin/forums/<forum_id>/registrations/<registration_id>", summary="Record attendance and the deal")
def set_outcome(forum_id: str, registration_id: str) -> Response[dict]:
    deps = dependencies.get()
    body = json_body(router)
    form = OutcomeForm(formdata=FormInput(body))
    if not form.validate():
        return validation_response(form_errors(form))

    if "attended" in body:
        forums.set_attendance(deps, forum_id, registration_id, bool(form.attended.data))
    if "opportunity_id" in body or "opportunity_amount" in body:
        forums.set_opportunity(deps, forum_id, registration_id, form.opportunity_id.data or "", form.opportunity_amount.data)

    registration = deps.store.get_registration(forum_id, registration_id)
    return json_response(200, admin_registration_json(registration))
