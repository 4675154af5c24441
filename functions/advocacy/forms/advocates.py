"""The forms of advocate self-service, the admin directory and the roster upload."""

from __future__ import annotations

from datetime import date

from wtforms import (
    BooleanField,
    DateField,
    Field,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import TextInput

from advocacy.domain.advocates import AdvocateStatus, Blackout, InvalidPreferences
from advocacy.forms import PortalForm, canonical_time_zone
from advocacy.forms.nominations import ACTIVITY_CHOICES, ListField
from advocacy.forms.registration import NAME_MAX, _valid_time_zone

STORY_MAX = 2000
MAX_PER_QUARTER = 12
BLACKOUTS_MAX = 24


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _text(label: str, required: str | None = None) -> StringField:
    validators = [InputRequired(required)] if required else [Optional()]
    return StringField(label, filters=[_strip], validators=[*validators, Length(max=NAME_MAX)])


class BlackoutListField(Field):
    """Blackout date ranges as ISO 8601 intervals, such as ``2027-03-01/2027-03-15``."""

    widget = TextInput()

    def process_formdata(self, valuelist):
        self.data = None
        self.raw_ranges = [part.strip() for value in valuelist for part in value.split(",") if part.strip()]

    def _value(self):
        return ", ".join(f"{blackout.first_day}/{blackout.last_day}" for blackout in (self.data or ()))

    def pre_validate(self, form):
        ranges = getattr(self, "raw_ranges", [])
        if len(ranges) > BLACKOUTS_MAX:
            raise ValidationError(f"Set at most {BLACKOUTS_MAX} blackouts; remove past ones first.")
        blackouts = []
        for text in ranges:
            first, separator, last = text.partition("/")
            try:
                if not separator:
                    raise ValueError
                blackouts.append(Blackout(date.fromisoformat(first.strip()), date.fromisoformat(last.strip())))
            except ValueError:
                raise ValidationError(f"{text!r} is not a date range; write it as 2027-03-01/2027-03-15.") from None
            except InvalidPreferences as error:
                raise ValidationError(error.message) from None
        self.data = tuple(blackouts)


class ProfileForm(PortalForm):
    """The advocate's profile, as sales teams and admins see it when they match advocates."""

    first_name = _text("First name", "Enter your first name.")
    last_name = _text("Last name")
    title = _text("Job title", "Enter your job title.")
    company = _text("Company", "Enter your company's name.")
    industry = _text("Industry")
    products = ListField("Products you use", description="Separate several with commas.")
    use_cases = ListField("Use cases", description="What you use the products for; separate several with commas.")
    region = _text("Region", None)
    country = _text("Country")
    languages = ListField("Languages you speak with prospects", max_items=10)
    time_zone = StringField(
        "Time zone",
        filters=[canonical_time_zone],
        validators=[Optional(), Length(max=64), _valid_time_zone],
        description="An IANA name such as Europe/Paris, used to schedule your activities.",
    )
    story = TextAreaField(
        "Your story in a few sentences",
        filters=[_strip],
        validators=[Optional(), Length(max=STORY_MAX)],
        description="What problem you solved and what changed; shown to the advocacy team.",
    )


class PreferencesForm(PortalForm):
    """Participation preferences: activity types, a cap per quarter, blackouts and a pause."""

    activity_types = ListField("Activities you take part in", choices=ACTIVITY_CHOICES)
    max_activities_per_quarter = IntegerField(
        "At most this many activities per quarter",
        validators=[Optional(), NumberRange(min=0, max=MAX_PER_QUARTER, message=f"Choose a number from 0 to {MAX_PER_QUARTER}.")],
        description="Leave empty for no cap of your own; the program's cap still applies.",
    )
    blackouts = BlackoutListField("Dates you are not available", description="Ranges such as 2027-03-01/2027-03-15.")
    paused = BooleanField("Pause: take no activities until I resume")


class DirectoryForm(PortalForm):
    """Filters of the admin directory, read from the query string."""

    industry = _text("Industry")
    product = _text("Product")
    region = _text("Region")
    persona = _text("Persona")
    language = _text("Language")
    activity_type = _text("Activity type")
    status = SelectField(
        "Status",
        choices=[SelectChoice("", "Any")] + [SelectChoice(status.value, status.value.capitalize()) for status in AdvocateStatus],
        validators=[Optional()],
    )
    available_on = DateField("Available on", validators=[Optional()], description="A date such as 2027-03-10.")


class AvailabilityForm(PortalForm):
    on = DateField("Date", validators=[Optional()], description="A date such as 2027-03-10; today when left out.")


class RosterUploadForm(PortalForm):
    """A roster CSV as text, and how its columns map to the roster's."""

    csv = TextAreaField("Roster CSV", validators=[InputRequired("Paste or upload the CSV exported from the CRM.")])
