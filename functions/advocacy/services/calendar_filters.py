"""The calendar's filters, shared by the forum list and the .ics feed."""

from __future__ import annotations

from advocacy.domain.forums import Forum

FILTERS = ("industry", "product", "region", "language", "format")


def matches(forum: Forum, wanted: dict[str, str], month: str) -> bool:
    """Return whether the forum has every requested value, and starts in ``month`` (YYYY-MM) in its own zone."""
    values = {
        "industry": forum.industry,
        "product": forum.product,
        "region": forum.region,
        "language": forum.language,
        "format": forum.format.value,
    }
    if month and forum.local_start().strftime("%Y-%m") != month:
        return False
    return all(values[name] == value for name, value in wanted.items())
