"""Self-service routes of the advocate function: profile, preferences, activities, personal data.

Audience: a signed-in advocate, on their own data only. The advocate function's role middleware
admits only advocates and checks the origin and CSRF header. Every route reads the advocate
from the session, never from the request.
"""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from advocacy.domain.registrations import normalize_email
from advocacy.forms import FormInput, form_errors
from advocacy.forms.advocates import PreferencesForm, ProfileForm
from advocacy.handlers.advocate_representations import (
    overview_json,
    personal_data_json,
    profile_json,
)
from advocacy.handlers.http import dependencies, expired_session_cookie, json_body, json_response, validation_response
from advocacy.services import advocates
from advocacy.services.advocates import PreferenceChanges, ProfileChanges

router = Router()


def _own_profile(advocate) -> Response[dict]:
    deps = dependencies.get()
    return json_response(200, profile_json(advocate, deps.clock.now().date(), deps.settings.stale_profile_days))


@router.get("/api/me/profile", summary="The signed-in advocate's profile, preferences and freshness")
def get_profile() -> Response[dict]:
    deps = dependencies.get()
    principal = router.context["principal"]

    advocate = advocates.require_advocate(deps, principal.email_key)

    return _own_profile(advocate)


@router.put("/api/me/profile", summary="Replace the signed-in advocate's profile fields")
def put_profile() -> Response[dict]:
    deps = dependencies.get()
    principal = router.context["principal"]
    form = ProfileForm(formdata=FormInput(json_body(router)))
    if not form.validate():
        return validation_response(form_errors(form))

    changes = ProfileChanges(
        first_name=form.first_name.data,
        last_name=form.last_name.data or "",
        title=form.title.data,
        company=form.company.data,
        industry=form.industry.data or "",
        products=form.products.data or (),
        use_cases=form.use_cases.data or (),
        region=form.region.data or "",
        country=form.country.data or "",
        languages=form.languages.data or (),
        time_zone=form.time_zone.data or "",
        story=form.story.data or "",
    )
    advocate = advocates.update_profile(deps, principal.email_key, changes)

    return _own_profile(advocate)


@router.put("/api/me/preferences", summary="Replace the signed-in advocate's participation preferences")
def put_preferences() -> Response[dict]:
    deps = dependencies.get()
    principal = router.context["principal"]
    form = PreferencesForm(formdata=FormInput(json_body(router)))
    if not form.validate():
        return validation_response(form_errors(form))

    changes = PreferenceChanges(
        activity_types=form.activity_types.data or (),
        max_activities_per_quarter=form.max_activities_per_quarter.data,
        blackouts=form.blackouts.data or (),
        paused=bool(form.paused.data),
    )
    advocate = advocates.update_preferences(deps, principal.email_key, changes)

    return _own_profile(advocate)


@router.post("/api/me/profile/confirm", summary="Confirm that the profile is still right")
def confirm_profile() -> Response[dict]:
    deps = dependencies.get()
    principal = router.context["principal"]

    advocate = advocates.confirm_profile(deps, principal.email_key)

    return _own_profile(advocate)


@router.get("/api/me/activities", summary="Forums the advocate hosts next, and their upcoming and past activities")
def get_activities() -> Response[dict]:
    deps = dependencies.get()
    principal = router.context["principal"]

    overview = advocates.activities_of(deps, principal.email_key)

    return json_response(200, overview_json(overview, deps.clock.now()))


@router.get("/api/me/data", summary="Download everything the portal holds about the signed-in advocate")
def download_data() -> Response[dict]:
    deps = dependencies.get()
    principal = router.context["principal"]

    data = advocates.personal_data(deps, principal.email_key)

    response = json_response(200, personal_data_json(data, deps.clock.now(), deps.settings.stale_profile_days))
    response.headers["Content-Disposition"] = 'attachment; filename="my-advocate-data.json"'
    return response


@router.post("/api/me/erasure", summary="Erase the signed-in advocate's account and personal data")
def erase_account() -> Response[dict]:
    deps = dependencies.get()
    principal = router.context["principal"]
    typed = str(json_body(router).get("confirm_email", ""))
    if normalize_email(typed) != principal.email_key:
        return validation_response({"confirm_email": "Type your own email address to confirm the erasure."})

    advocates.erase(deps, principal.email_key, principal.session_hash)

    body = {"erased": True, "message": "Your account and personal data are erased. Thank you for your help."}
    return json_response(200, body, cookies=[expired_session_cookie(deps.settings)])
