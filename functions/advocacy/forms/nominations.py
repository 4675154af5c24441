"""The forms of nominations: a customer's own, an employee's, an admin's, and the review steps."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    EmailField,
    Field,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import TextInput

from advocacy.domain.activities import ActivityType
from advocacy.domain.nominations import NominationStatus, Relationship
from advocacy.forms import PortalForm
from advocacy.forms.registration import EMAIL_MAX, NAME_MAX

REASON_MAX = 2000
NOTE_MAX = 2000
ITEM_MAX = 120
ITEMS_MAX = 20


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class ListField(Field):
    """A list of short texts: a JSON array, or one text with items separated by commas or semicolons."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, max_items: int = ITEMS_MAX, choices=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.max_items = max_items
        self.choices = choices

    def process_formdata(self, valuelist):
        items: list[str] = []
        for value in valuelist:
            items += [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
        self.data = tuple(dict.fromkeys(items))

    def _value(self):
        return ", ".join(self.data or ())

    def pre_validate(self, form):
        items = self.data or ()
        if len(items) > self.max_items:
            raise ValidationError(f"Name at most {self.max_items} items; this has {len(items)}.")
        too_long = [item for item in items if len(item) > ITEM_MAX]
        if too_long:
            raise ValidationError(f"Keep each item under {ITEM_MAX} characters; {too_long[0][:20]!r}... is longer.")
        if self.choices is not None:
            unknown = [item for item in items if item not in dict(self.choices)]
            if unknown:
                raise ValidationError(
                    f"Unknown choice {unknown[0]!r}; choose from {', '.join(value for value, _ in self.choices)}."
                )


ACTIVITY_CHOICES = [(kind.value, kind.label) for kind in ActivityType]
RELATIONSHIP_CHOICES = [SelectChoice(relationship.value, relationship.label) for relationship in Relationship]


def _email_field(label: str, missing: str) -> EmailField:
    return EmailField(
        label,
        filters=[_strip],
        validators=[
            InputRequired(missing),
            Length(max=EMAIL_MAX),
            Email("Enter an email address such as name@company.com.", check_deliverability=False),
        ],
    )


class NomineeFields(PortalForm):
    """The nominee's fields, shared by every nomination form."""

    name = StringField("Full name", filters=[_strip], validators=[InputRequired("Enter the full name."), Length(max=NAME_MAX)])
    email = _email_field("Work email", "Enter the work email address.")
    company = StringField("Company", filters=[_strip], validators=[InputRequired("Enter the company's name."), Length(max=NAME_MAX)])
    role = StringField("Role", filters=[_strip], validators=[InputRequired("Enter the job title or role."), Length(max=NAME_MAX)])
    products = ListField("Products used", description="Separate several with commas.")
    activities = ListField(
        "Would be willing to",
        choices=ACTIVITY_CHOICES,
        description="The kinds of activity, such as reference_forum or case_study.",
    )
    # Honeypot: hidden from people by the page's CSS, filled in by form-filling bots. It is not
    # validated because a bot must get the same response as a person. The handler drops it.
    website = StringField("Leave this field empty")


class SelfNominationForm(NomineeFields):
    """A customer raising their hand to become an advocate."""

    consent = BooleanField(
        "I agree that the advocacy team stores these details and contacts me about the program.",
        validators=[InputRequired("Tick the box to agree; we cannot consider your nomination without it.")],
    )


class InternalNominationForm(NomineeFields):
    """An employee nominating a customer they work with; the employee confirms by email."""

    nominator_name = StringField(
        "Your name", filters=[_strip], validators=[InputRequired("Enter your name."), Length(max=NAME_MAX)]
    )
    nominator_email = _email_field("Your company email", "Enter your company email address.")
    relationship = SelectField(
        "How you know them",
        choices=RELATIONSHIP_CHOICES,
        validators=[InputRequired("Choose how you know the customer.")],
    )
    reason = TextAreaField(
        "Why they would be a good advocate",
        filters=[_strip],
        validators=[InputRequired("Say in a sentence or two why you nominate them."), Length(max=REASON_MAX)],
    )


class AdminNominationForm(NomineeFields):
    """An admin adding a nomination directly to the queue."""

    relationship = SelectField("How the team knows them", choices=RELATIONSHIP_CHOICES, validators=[Optional()])
    reason = TextAreaField("Reason", filters=[_strip], validators=[Optional(), Length(max=REASON_MAX)])


class NominationStepForm(PortalForm):
    """Moving a nomination to contacted or interviewed, with an optional note."""

    status = SelectField(
        "New status",
        choices=[SelectChoice(status.value, status.value.capitalize()) for status in (NominationStatus.CONTACTED, NominationStatus.INTERVIEWED)],
        validators=[InputRequired("Choose contacted or interviewed; approve and decline have their own buttons.")],
    )
    note = TextAreaField("Note (optional)", filters=[_strip], validators=[Optional(), Length(max=NOTE_MAX)])


class NominationNoteForm(PortalForm):
    note = TextAreaField("Note", filters=[_strip], validators=[InputRequired("Write the note."), Length(max=NOTE_MAX)])


class ApprovalForm(PortalForm):
    note = TextAreaField("Note (optional)", filters=[_strip], validators=[Optional(), Length(max=NOTE_MAX)])


class DeclineForm(PortalForm):
    note = TextAreaField("Note for the team (optional)", filters=[_strip], validators=[Optional(), Length(max=NOTE_MAX)])
    send_message = BooleanField("Send the nominee a kind message")
    message = TextAreaField(
        "Message (optional)",
        filters=[_strip],
        validators=[Optional(), Length(max=REASON_MAX)],
        description="Leave empty for the standard thank-you message.",
    )
