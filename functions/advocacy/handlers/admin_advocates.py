"""Admin routes for advocates: the nomination review, the directory, freshness and the roster.

Audience: signed-in admins only; the admin function's role middleware checks the role, origin
and CSRF header before every route.
"""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from advocacy.domain.advocates import AdvocateStatus
from advocacy.domain.nominations import PIPELINE, NominationStatus
from advocacy.domain.registrations import normalize_email
from advocacy.forms import FormInput, form_errors
from advocacy.forms.advocates import AvailabilityForm, DirectoryForm, RosterUploadForm
from advocacy.forms.nominations import AdminNominationForm, ApprovalForm, DeclineForm, NominationNoteForm, NominationStepForm
from advocacy.handlers.advocate_representations import (
    availability_json,
    directory_entry_json,
    import_report_json,
    nomination_json,
    profile_json,
    stale_profile_json,
)
from advocacy.handlers.http import dependencies, json_body, json_response, validation_response
from advocacy.handlers.public_nominations import nomination_request
from advocacy.services import advocates, nominations
from advocacy.services.advocates import DirectoryQuery
from advocacy.services.csv_import import InvalidFile
from advocacy.services.roster_import import import_roster

router = Router()


def _query_values() -> dict:
    return dict(router.current_event.query_string_parameters or {})


# Nominations


@router.get("/api/admin/nominations", summary="Nominations with one review status, newest first")
def list_nominations() -> Response[dict]:
    deps = dependencies.get()
    status = _query_values().get("status", NominationStatus.NEW.value)
    if status not in {member.value for member in PIPELINE}:
        return validation_response({"status": f"Choose one of: {', '.join(member.value for member in PIPELINE)}."})

    queue = nominations.list_queue(deps, NominationStatus(status))

    now = deps.clock.now()
    return json_response(200, {"status": status, "nominations": [nomination_json(nomination, now) for nomination in queue]})


@router.post("/api/admin/nominations", summary="Add a nomination to the review queue as an admin")
def add_nomination() -> Response[dict]:
    deps = dependencies.get()
    form = AdminNominationForm(formdata=FormInput(json_body(router)))
    if not form.validate():
        return validation_response(form_errors(form))

    nomination = nominations.nominate_as_admin(deps, nomination_request(form), router.context["principal"].email_key)

    return json_response(201, nomination_json(nomination, deps.clock.now()))


@router.get("/api/admin/nominations/<nomination_id>", summary="One nomination with its notes and supporters")
def get_nomination(nomination_id: str) -> Response[dict]:
    deps = dependencies.get()

    nomination = nominations.require_nomination(deps, nomination_id)

    return json_response(200, nomination_json(nomination, deps.clock.now()))


@router.post("/api/admin/nominations/<nomination_id>/status", summary="Mark a nomination contacted or interviewed")
def move_nomination(nomination_id: str) -> Response[dict]:
    deps = dependencies.get()
    form = NominationStepForm(formdata=FormInput(json_body(router)))
    if not form.validate():
        return validation_response(form_errors(form))

    admin = router.context["principal"].email_key
    nomination = nominations.move(deps, nomination_id, NominationStatus(form.status.data), form.note.data or "", admin)

    return json_response(200, nomination_json(nomination, deps.clock.now()))


@router.post("/api/admin/nominations/<nomination_id>/notes", summary="Add a note to a nomination")
def add_note(nomination_id: str) -> Response[dict]:
    deps = dependencies.get()
    form = NominationNoteForm(formdata=FormInput(json_body(router)))
    if not form.validate():
        return validation_response(form_errors(form))

    nomination = nominations.add_note(deps, nomination_id, form.note.data, router.context["principal"].email_key)

    return json_response(200, nomination_json(nomination, deps.clock.now()))


@router.post("/api/admin/nominations/<nomination_id>/approve", summary="Approve: create the advocate and send a welcome")
def approve_nomination(nomination_id: str) -> Response[dict]:
    deps = dependencies.get()
    form = ApprovalForm(formdata=FormInput(json_body(router)))
    if not form.validate():
        return validation_response(form_errors(form))

    admin = router.context["principal"].email_key
    nomination, advocate = nominations.approve(deps, nomination_id, form.note.data or "", admin)

    now = deps.clock.now()
    return json_response(
        200,
        {
            "nomination": nomination_json(nomination, now),
            "advocate": profile_json(advocate, now.date(), deps.settings.stale_profile_days),
        },
    )


@router.post("/api/admin/nominations/<nomination_id>/decline", summary="Decline, optionally with a kind message")
def decline_nomination(nomination_id: str) -> Response[dict]:
    deps = dependencies.get()
    form = DeclineForm(formdata=FormInput(json_body(router)))
    if not form.validate():
        return validation_response(form_errors(form))

    admin = router.context["principal"].email_key
    nomination = nominations.decline(
        deps, nomination_id, form.note.data or "", bool(form.send_message.data), form.message.data or "", admin
    )

    return json_response(200, nomination_json(nomination, deps.clock.now()))


# Directory and freshness


@router.get("/api/admin/advocates", summary="Find advocates by attributes, status and availability on a date")
def find_advocates() -> Response[dict]:
    deps = dependencies.get()
    form = DirectoryForm(formdata=FormInput(_query_values()))
    if not form.validate():
        return validation_response(form_errors(form))

    query = DirectoryQuery(
        industry=form.industry.data or "",
        product=form.product.data or "",
        region=form.region.data or "",
        persona=form.persona.data or "",
        language=form.language.data or "",
        activity_type=form.activity_type.data or "",
        status=AdvocateStatus(form.status.data) if form.status.data else None,
        available_on=form.available_on.data,
    )
    entries = advocates.find_advocates(deps, query)

    today = deps.clock.now().date()
    days = deps.settings.stale_profile_days
    return json_response(200, {"advocates": [directory_entry_json(entry, today, days) for entry in entries]})


@router.get("/api/admin/advocates/<email>/availability", summary="Whether an advocate can take an activity on a date, and why not")
def get_availability(email: str) -> Response[dict]:
    deps = dependencies.get()
    form = AvailabilityForm(formdata=FormInput(_query_values()))
    if not form.validate():
        return validation_response(form_errors(form))

    on = form.on.data or deps.clock.now().date()
    advocate = advocates.require_advocate(deps, normalize_email(email))
    answer = advocates.availability_on(deps, advocate, on)

    return json_response(200, {"email": advocate.email, **availability_json(answer, on)})


@router.get("/api/admin/stale-profiles", summary="Active and paused advocates whose profile is stale")
def list_stale_profiles() -> Response[dict]:
    deps = dependencies.get()

    profiles = advocates.stale_profiles(deps)

    today = deps.clock.now().date()
    return json_response(
        200,
        {"stale_after_days": deps.settings.stale_profile_days, "profiles": [stale_profile_json(profile, today) for profile in profiles]},
    )


# Roster


@router.post("/api/admin/roster", summary="Import an advocate roster CSV: all rows or none")
def import_roster_csv() -> Response[dict]:
    deps = dependencies.get()
    body = json_body(router)
    form = RosterUploadForm(formdata=FormInput({"csv": body.get("csv")}))
    if not form.validate():
        return validation_response(form_errors(form))
    mapping = body.get("column_mapping") or {}
    if not isinstance(mapping, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()):
        return validation_response({"column_mapping": "Give an object from the file's column names to the roster's, such as {\"E-mail\": \"Email\"}."})

    try:
        report = import_roster(deps.store, form.csv.data.encode("utf-8"), column_mapping=mapping)
    except InvalidFile as error:
        return validation_response({"csv": str(error)})

    return json_response(200 if report.ok else 422, import_report_json(report))
