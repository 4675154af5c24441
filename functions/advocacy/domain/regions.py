"""Sales regions of countries, so a roster without a region column still matches by region.

The regions are the ones the forum calendar uses. A country missing from the table gets no
region, and the advocate can set one on their profile.
"""

from __future__ import annotations

NORTH_AMERICA = "North America"
LATIN_AMERICA = "LATAM"
EMEA = "EMEA"
APAC = "APAC"

_REGIONS = {
    NORTH_AMERICA: ("United States", "USA", "US", "Canada"),
    LATIN_AMERICA: ("Mexico", "Brazil", "Argentina", "Chile", "Colombia", "Peru", "Uruguay", "Costa Rica"),
    EMEA: (
        "United Kingdom", "UK", "Ireland", "Germany", "France", "Spain", "Portugal", "Italy", "Netherlands",
        "Belgium", "Luxembourg", "Switzerland", "Austria", "Sweden", "Norway", "Denmark", "Finland", "Iceland",
        "Poland", "Czech Republic", "Czechia", "Hungary", "Romania", "Greece", "Turkey", "Israel",
        "United Arab Emirates", "Saudi Arabia", "Qatar", "Egypt", "Morocco", "South Africa", "Nigeria", "Ghana",
        "Kenya",
    ),
    APAC: (
        "Japan", "China", "Hong Kong", "Taiwan", "South Korea", "Korea", "Singapore", "Malaysia", "Indonesia",
        "Thailand", "Vietnam", "Philippines", "India", "Australia", "New Zealand",
    ),
}
_REGION_OF_COUNTRY = {country.lower(): region for region, countries in _REGIONS.items() for country in countries}


def region_of_country(country: str) -> str:
    """Return the sales region of a country name as CRMs write it, or "" when unknown."""
    return _REGION_OF_COUNTRY.get(country.strip().lower(), "")
