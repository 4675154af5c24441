"""WTForms classes: the one definition of each form.

The Lambda handlers validate every submission with these classes, and the site's pre-build step
renders their fields into the pages, so labels, limits and required marks cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping


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
