"""The forms admins fill in to plan a forum and to record its outcome, and prospects' feedback."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    URL,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from advocacy.domain.forums import ForumFormat
from advocacy.forms import PortalForm, canonical_time_zone


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _valid_time_zone(form, field) -> None:
    try:
        ZoneInfo(field.data)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(f"Unknown time zone {field.data!r}: use an IANA name such as Europe/Berlin.") from None


def _host_emails(form, field) -> None:
    for address in field.data.split(","):
        # An erased advocate stays on their forums under an anonymous "erased-..." key.
        if address.strip() and "@" not in address and not address.strip().startswith("erased-"):
            raise ValidationError(f"{address.strip()!r} is not an email address; separate hosts with commas.")


class ForumForm(PortalForm):
    title = StringField("Title", filters=[_strip], validators=[InputRequired("Enter a title."), Length(max=200)])
    format = SelectField(
        "Format",
        choices=[SelectChoice(member.value, member.label) for member in ForumFormat],
        validators=[InputRequired("Choose a format.")],
    )
    description = TextAreaField("Description", filters=[_strip], validators=[Optional(), Length(max=4000)])
    industry = StringField("Industry", filters=[_strip], validators=[Optional(), Length(max=80)])
    product = StringField("Product", filters=[_strip], validators=[Optional(), Length(max=80)])
    region = StringField("Region", filters=[_strip], validators=[Optional(), Length(max=80)])
    language = StringField("Language", filters=[_strip], validators=[Optional(), Length(max=40)])
    date = DateField("Date", validators=[InputRequired("Enter the date as YYYY-MM-DD.")])
    start_time = TimeField("Start time", validators=[InputRequired("Enter the start time as HH:MM (24-hour).")])
    time_zone = StringField(
        "Time zone", filters=[canonical_time_zone], validators=[InputRequired("Enter the event's IANA time zone."), _valid_time_zone]
    )
    duration_minutes = IntegerField(
        "Duration (minutes)",
        validators=[InputRequired("Enter the duration in minutes."), NumberRange(15, 480, "Use 15 to 480 minutes.")],
    )
    capacity = IntegerField(
        "Capacity", validators=[InputRequired("Enter how many prospects can take part."), NumberRange(1, 1000)]
    )
    host_emails = StringField(
        "Host advocates' email addresses",
        filters=[_strip],
        validators=[Optional(), Length(max=500), _host_emails],
        description="Separate several hosts with commas.",
    )
    chaperoned = BooleanField("Someone from our company attends")
    join_url = URLField(
        "Join link", filters=[_strip], validators=[Optional(), URL(message="Enter a full link such as https://meet.example/abc.")]
    )
    recording_url = URLField(
        "Recording link", filters=[_strip], validators=[Optional(), URL(message="Enter a full link such as https://video.example/abc.")]
    )
    host_override_reason = StringField(
        "Reason to schedule a host beyond their availability",
        filters=[_strip],
        validators=[Optional(), Length(max=500)],
    )


class RecordingForm(PortalForm):
    recording_url = URLField(
        "Recording link",
        filters=[_strip],
        validators=[InputRequired("Enter the recording's link."), URL(message="Enter a full link such as https://video.example/abc.")],
    )


class OutcomeForm(PortalForm):
    """One registration's outcome, as the admin records it after the forum."""

    attended = BooleanField("Attended")
    opportunity_id = StringField(
        "Opportunity id",
        filters=[_strip],
        validators=[Optional(), Length(max=40), Regexp(r"^[A-Za-z0-9._-]+$", message="Use letters, digits, dots, dashes and underscores.")],
    )
    opportunity_amount = IntegerField(
        "Opportunity amount", validators=[Optional(), NumberRange(min=0, message="Enter an amount of 0 or more.")]
    )


class FeedbackForm(PortalForm):
    rating = IntegerField(
        "How useful was the forum? (1 to 5)",
        validators=[InputRequired("Choose a rating from 1 to 5."), NumberRange(1, 5, "Choose a rating from 1 to 5.")],
    )
    comment = TextAreaField("Comments (optional)", filters=[_strip], validators=[Optional(), Length(max=2000)])
