"""Forms of demand: reference requests, portfolio targets and activities beyond forums."""

from __future__ import annotations

from wtforms import (
    DateField,
    EmailField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
)

from advocacy.domain.activities import ActivityType
from advocacy.domain.demand import RequestStatus
from advocacy.forms import PortalForm


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _segment_field(label: str) -> StringField:
    return StringField(label, filters=[_strip], validators=[Optional(), Length(max=80)])


class ReferenceRequestForm(PortalForm):
    opportunity_id = StringField(
        "Opportunity id",
        filters=[_strip],
        validators=[
            InputRequired("Enter the opportunity id from the CRM."),
            Length(max=40),
            Regexp(r"^[A-Za-z0-9._-]+$", message="Use letters, digits, dots, dashes and underscores."),
        ],
    )
    amount = IntegerField(
        "Amount", validators=[InputRequired("Enter the opportunity's amount in whole units."), NumberRange(min=0, message="Enter 0 or more.")]
    )
    stage = StringField("Stage", filters=[_strip], validators=[InputRequired("Enter the sales stage."), Length(max=60)])
    prospect_company = StringField(
        "Prospect company", filters=[_strip], validators=[InputRequired("Enter the prospect's company."), Length(max=120)]
    )
    needed_by = DateField("Needed by", validators=[InputRequired("Enter the date the reference is needed by, as YYYY-MM-DD.")])
    industry = _segment_field("Industry")
    region = _segment_field("Region")
    product = _segment_field("Product")
    persona = _segment_field("Persona wanted")
    language = _segment_field("Language")
    company_size = _segment_field("Company size")
    notes = TextAreaField("Notes", filters=[_strip], validators=[Optional(), Length(max=2000)])


class SalesRequestForm(ReferenceRequestForm):
    """A sales rep's request: the opportunity plus who is asking, confirmed by email."""

    requester_name = StringField("Your name", filters=[_strip], validators=[InputRequired("Enter your name."), Length(max=120)])
    requester_email = EmailField(
        "Your work email",
        filters=[_strip],
        validators=[
            InputRequired("Enter your company email address."),
            Length(max=254),
            Email("Enter an email address such as name@company.com.", check_deliverability=False),
        ],
    )
    # Honeypot: hidden from people, filled in by bots; the service drops such requests.
    website = StringField("Leave this field empty")


class RequestStatusForm(PortalForm):
    status = SelectField(
        "Status",
        choices=[SelectChoice(status.value, status.value.capitalize()) for status in RequestStatus if status is not RequestStatus.UNCONFIRMED],
        validators=[InputRequired("Choose the new status.")],
    )
    advocate = EmailField("Advocate", filters=[_strip], validators=[Optional(), Email("Enter the advocate's email address.", check_deliverability=False)])
    forum_id = StringField("Forum", filters=[_strip], validators=[Optional(), Length(max=120)])


class TargetForm(PortalForm):
    wanted = IntegerField(
        "Active advocates wanted",
        validators=[InputRequired("Enter how many active advocates the segment needs."), NumberRange(1, 1000, "Enter 1 to 1000.")],
    )
    industry = _segment_field("Industry")
    region = _segment_field("Region")
    product = _segment_field("Product")
    persona = _segment_field("Persona")
    language = _segment_field("Language")


class ActivityForm(PortalForm):
    advocate = EmailField(
        "Advocate's email",
        filters=[_strip],
        validators=[InputRequired("Enter the advocate's email address."), Email("Enter an email address.", check_deliverability=False)],
    )
    activity_type = SelectField(
        "Activity",
        choices=[SelectChoice(kind.value, kind.label) for kind in ActivityType],
        validators=[InputRequired("Choose the kind of activity.")],
    )
    occurred_on = DateField("Date", validators=[InputRequired("Enter the date as YYYY-MM-DD.")])
    opportunity_id = StringField(
        "Opportunity id (optional)",
        filters=[_strip],
        validators=[Optional(), Length(max=40), Regexp(r"^[A-Za-z0-9._-]+$", message="Use letters, digits, dots, dashes and underscores.")],
    )
    amount = IntegerField("Opportunity amount (optional)", validators=[Optional(), NumberRange(min=0, message="Enter 0 or more.")])
    notes = TextAreaField("Notes", filters=[_strip], validators=[Optional(), Length(max=1000)])
    override_reason = StringField(
        "Reason to record it beyond the advocate's availability",
        filters=[_strip],
        validators=[Optional(), Length(max=500)],
    )
