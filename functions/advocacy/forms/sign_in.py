"""The forms of signing in and of adding an admin."""

from __future__ import annotations

from wtforms import EmailField, HiddenField
from wtforms.validators import Email, InputRequired, Length

from advocacy.forms import PortalForm
from advocacy.forms.registration import EMAIL_MAX


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class SignInForm(PortalForm):
    email = EmailField(
        "Your email address",
        filters=[_strip],
        validators=[
            InputRequired("Enter the email address the advocacy team knows you by."),
            Length(max=EMAIL_MAX),
            Email("Enter an email address such as name@company.com.", check_deliverability=False),
        ],
        render_kw={"autocomplete": "email"},
    )
    # Where to go after signing in; checked again when the link is used.
    next = HiddenField("Next page", filters=[_strip], validators=[Length(max=500)])


class AdminForm(PortalForm):
    email = EmailField(
        "Email address of the new admin",
        filters=[_strip],
        validators=[
            InputRequired("Enter the email address of the person to make an admin."),
            Length(max=EMAIL_MAX),
            Email("Enter an email address such as name@company.com.", check_deliverability=False),
        ],
    )
