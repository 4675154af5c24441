"""WTForms classes: the one definition of each form.

The Lambda handlers validate every submission with these classes, and the site's pre-build step
renders their fields into the pages, so labels, limits and required marks cannot drift apart.
"""

from __future__ import annotations

import functools
import re
import zoneinfo
from collections.abc import Iterator, Mapping

from wtforms import EmailField, Form, HiddenField, TextAreaField
from wtforms.validators import InputRequired


class FormInput:
    """A read-only multi-dict over a JSON object or decoded form body, as WTForms expects.

    WTForms reads submissions through ``getlist``; Werkzeug's MultiDict would provide it, but
    Werkzeug is not packaged into Lambda.
    """

    def __init__(self, values: Mapping[str, object]):
        self._values: dict[str, list[str]] = {}
        for key, value in values.items():
            items = value if isinstance(value, list) else [value]
            self._values[key] = [self._as_text(item) for item in items if item is not None]

    @staticmethod
    def _as_text(value: object) -> str:
        if isinstance(value, bool):
            return "y" if value else ""
        return str(value)

    def getlist(self, key: str) -> list[str]:
        return list(self._values.get(key, []))

    def __contains__(self, key: object) -> bool:
        return key in self._values

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


def form_errors(form) -> dict[str, str]:
    """Return the first error of each invalid field, keyed by field name."""
    return {name: messages[0] for name, messages in form.errors.items() if messages}


# Characters that break email headers or hide text: C0 controls, DEL, line and paragraph
# separators, and the bidirectional overrides that make text read backwards.
_FORBIDDEN_IN_LINE = re.compile("[\x00-\x1f\x7f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_FORBIDDEN_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


class PortalForm(Form):
    """A form with the checks every portal form needs beyond its fields' own validators.

    Single-line fields reject control characters, which could inject email headers; text areas
    keep line breaks. Required fields reject text that is only spaces. Email addresses must be
    ASCII, because the mailers write them into headers as they are.
    """

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            # Hidden fields carry values the pages set, such as the path to return to, which
            # their own rules check.
            if field.errors or not isinstance(field.data, str) or isinstance(field, HiddenField):
                continue
            message = self._problem(field)
            if message:
                field.errors = [*field.errors, message]
                valid = False
        return valid

    @staticmethod
    def _problem(field) -> str | None:
        data = field.data
        required = next((v for v in field.validators if isinstance(v, InputRequired)), None)
        if required is not None and not data.strip():
            return required.message or "This field is required."
        pattern = _FORBIDDEN_IN_TEXT if isinstance(field, TextAreaField) else _FORBIDDEN_IN_LINE
        if pattern.search(data):
            return "Remove line breaks, control characters and text-direction marks from this field."
        if isinstance(field, EmailField) and data and not data.isascii():
            # NOTE: internationalized addresses (RFC 6531) are not supported by the mailers yet.
            return "Use an address written in ASCII letters, digits and symbols; accented addresses are not supported."
        return None


@functools.cache
def _time_zones_by_lower_name() -> dict[str, str]:
    return {name.lower(): name for name in zoneinfo.available_timezones()}


def canonical_time_zone(value):
    """Filter: spell a time zone as IANA does, whatever its letter case ("europe/paris" works)."""
    if not isinstance(value, str):
        return value
    stripped = value.strip()
    return _time_zones_by_lower_name().get(stripped.lower(), stripped)
