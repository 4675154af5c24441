"""The form a prospect fills in to register for a forum."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from wtforms import BooleanField, EmailField, StringField, TextAreaField
from wtforms.validators import (
    Email,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from advocacy.forms import PortalForm, canonical_time_zone

NAME_MAX = 120
EMAIL_MAX = 254
QUESTIONS_MAX = 2000
OPPORTUNITY_ID_MAX = 40


def _valid_time_zone(form, field) -> None:
    try:
        ZoneInfo(field.data)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            f"Unknown time zone {field.data!r}: choose an IANA name such as Europe/Paris."
        ) from None


CONSENT_MISSING = "Tick the box to agree to the privacy notice; we cannot register you without it."


def _ticked(form, field) -> None:
    if not field.data:
        raise ValidationError(CONSENT_MISSING)


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class RegistrationForm(PortalForm):
    """Name, work email, company, job title, time zone, the deal it belongs to, and questions."""

    name = StringField(
        "Full name",
        filters=[_strip],
        validators=[InputRequired("Enter your full name."), Length(max=NAME_MAX)],
        render_kw={"autocomplete": "name"},
    )
    email = EmailField(
        "Work email",
        filters=[_strip],
        validators=[
            InputRequired("Enter your work email address."),
            Length(max=EMAIL_MAX),
            Email("Enter an email address such as name@company.com.", check_deliverability=False),
        ],
        render_kw={"autocomplete": "email"},
    )
    company = StringField(
        "Company",
        filters=[_strip],
        validators=[InputRequired("Enter your company's name."), Length(max=NAME_MAX)],
        render_kw={"autocomplete": "organization"},
    )
    job_title = StringField(
        "Job title",
        filters=[_strip],
        validators=[InputRequired("Enter your job title."), Length(max=NAME_MAX)],
        render_kw={"autocomplete": "organization-title"},
    )
    time_zone = StringField(
        "Your time zone",
        filters=[canonical_time_zone],
        validators=[InputRequired("Choose your time zone."), Length(max=64), _valid_time_zone],
        description="Used for the times in your emails and calendar invite.",
    )
    opportunity_id = StringField(
        "Opportunity id (optional)",
        filters=[_strip],
        validators=[
            Optional(),
            Length(max=OPPORTUNITY_ID_MAX),
            Regexp(r"^[A-Za-z0-9._-]+$", message="Use only letters, digits, dots, dashes and underscores."),
        ],
        description="If a sales rep sent you here, the deal id they gave you.",
    )
    sales_rep_email = EmailField(
        "Your sales rep's email (optional)",
        filters=[_strip],
        validators=[
            Optional(),
            Length(max=EMAIL_MAX),
            Email("Enter your sales rep's address such as rep@vendor.com.", check_deliverability=False),
        ],
    )
    questions = TextAreaField(
        "Questions for the advocate (optional)",
        filters=[_strip],
        validators=[Optional(), Length(max=QUESTIONS_MAX)],
        description="The advocate sees them before the forum.",
    )
    consent = BooleanField(
        "I agree that my details are used to run this forum, as the privacy notice describes.",
        # "no", "off" and "0" mean no, whatever a client sends, not only an unticked box.
        false_values=(False, "false", "", "no", "off", "0"),
        validators=[InputRequired(CONSENT_MISSING), _ticked],
    )
    # Honeypot: hidden from people by the page's CSS, filled in by form-filling bots. It is not
    # validated here because a bot must get the same answer as a person; the service drops it.
    website = StringField("Leave this field empty")
