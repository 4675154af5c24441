"""Import the advocate roster exported from a CRM: all rows are checked before anything is saved.

Contacts whose email addresses differ only in letter case are one person: the first row keeps its
values, later rows fill its blanks and add their products and activities.

A CRM export may name the columns differently: a column mapping (the file's header to ours, such
as ``{"E-mail": "Email"}``) renames them before the check, and problems name the file's column.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from dataclasses import replace
from datetime import date

from email_validator import EmailNotValidError, validate_email

from advocacy.domain.advocates import Advocate, AdvocateStatus
from advocacy.domain.regions import region_of_country
from advocacy.domain.registrations import normalize_email
from advocacy.ports.store import Store
from advocacy.services.csv_import import ImportReport, InvalidFile, Problem, Progress, decode, read_rows

COLUMNS = (
    "First Name", "Last Name", "Email", "Account Name", "Title", "Industry", "Billing Country", "Products",
    "Persona", "Reference Status", "Activities Willing", "Max Activities per Quarter", "Last Verified", "Notes",
)
STATUSES = {status.value: status for status in AdvocateStatus}


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(";") if part.strip())


def _parse_row(number: int, row: dict[str, str]) -> tuple[Advocate | None, list[Problem]]:
    problems: list[Problem] = []
    email = row["Email"]
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as error:
        problems.append(Problem(number, "Email", f"{email!r} is not a valid email address ({error})."))
    if not (row["First Name"] or row["Last Name"]):
        problems.append(Problem(number, "First Name", "A contact needs a first or last name."))
    status = STATUSES.get(row["Reference Status"].lower())
    if status is None:
        problems.append(
            Problem(number, "Reference Status", f"{row['Reference Status']!r} is not one of: Candidate, Active, Paused, Retired.")
        )
    cap = None
    if row["Max Activities per Quarter"]:
        try:
            cap = int(row["Max Activities per Quarter"])
            if cap < 0:
                raise ValueError
        except ValueError:
            problems.append(
                Problem(number, "Max Activities per Quarter", f"{row['Max Activities per Quarter']!r} is not a whole number of 0 or more.")
            )
    verified = None
    if row["Last Verified"]:
        try:
            verified = date.fromisoformat(row["Last Verified"])
        except ValueError:
            problems.append(Problem(number, "Last Verified", f"{row['Last Verified']!r} is not a date; use YYYY-MM-DD."))
    if problems:
        return None, problems
    return (
        Advocate(
            email_key=normalize_email(email),
            email=email,
            first_name=row["First Name"],
            last_name=row["Last Name"],
            company=row["Account Name"],
            title=row["Title"],
            industry=row["Industry"],
            country=row["Billing Country"],
            region=region_of_country(row["Billing Country"]),
            products=_split(row["Products"]),
            persona=row["Persona"],
            status=status,
            activities_willing=_split(row["Activities Willing"]),
            max_activities_per_quarter=cap,
            last_verified=verified,
            notes=row["Notes"],
        ),
        [],
    )


def _merge(first: Advocate, later: Advocate) -> Advocate:
    filled = {
        name: getattr(later, name)
        for name in ("title", "industry", "country", "persona", "notes", "company")
        if not getattr(first, name)
    }
    return replace(
        first,
        **filled,
        products=tuple(dict.fromkeys(first.products + later.products)),
        activities_willing=tuple(dict.fromkeys(first.activities_willing + later.activities_willing)),
        max_activities_per_quarter=first.max_activities_per_quarter
        if first.max_activities_per_quarter is not None
        else later.max_activities_per_quarter,
        last_verified=max(filter(None, (first.last_verified, later.last_verified)), default=None),
    )


def _header(data: bytes) -> list[str]:
    first_row = next(csv.reader(io.StringIO(decode(data), newline="")), [])
    return [name.strip() for name in first_row]


def _mapped_rows(data: bytes, column_mapping: Mapping[str, str]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield rows with the file's columns renamed to ours, after checking the mapping and the header."""
    unknown = sorted(set(column_mapping.values()) - set(COLUMNS))
    if unknown:
        raise InvalidFile(
            f"The column mapping names {', '.join(repr(name) for name in unknown)}, which the roster does not have. "
            f"Map the file's columns to: {', '.join(COLUMNS)}."
        )
    renamed = {name: column_mapping.get(name, name) for name in _header(data)}
    missing = [name for name in COLUMNS if name not in renamed.values()]
    if missing:
        raise InvalidFile(
            f"The file has no column for {', '.join(repr(name) for name in missing)}. "
            "Name it in the first row, or map one of the file's columns to it."
        )
    for number, row in read_rows(data, ()):
        yield number, {renamed.get(name, name): value for name, value in row.items()}


def import_roster(
    store: Store, data: bytes, progress: Progress | None = None, column_mapping: Mapping[str, str] | None = None
) -> ImportReport:
    """Validate every row, merge case-only duplicates, then save all advocates or none.

    ``column_mapping`` maps the file's column names to the roster's; columns it leaves out keep
    their names. ``progress`` is called with (saved, total) after each advocate is saved.
    """
    report = ImportReport()
    advocates: dict[str, Advocate] = {}
    file_column = {ours: theirs for theirs, ours in (column_mapping or {}).items()}
    rows = _mapped_rows(data, column_mapping) if column_mapping else read_rows(data, COLUMNS)
    for number, row in rows:
        advocate, problems = _parse_row(number, row)
        report.problems.extend(replace(problem, column=file_column.get(problem.column, problem.column)) for problem in problems)
        if advocate is None:
            continue
        if advocate.email_key in advocates:
            advocates[advocate.email_key] = _merge(advocates[advocate.email_key], advocate)
            report.merged += 1
        else:
            advocates[advocate.email_key] = advocate
    if report.problems:
        return report

    for index, advocate in enumerate(advocates.values(), start=1):
        existing = store.get_advocate(advocate.email_key)
        merged = _keep_self_service(existing, advocate) if existing else advocate
        if existing == merged:
            report.unchanged += 1
        else:
            store.save_advocate(merged)
            if existing is None:
                report.created += 1
            else:
                report.updated += 1
        if progress:
            progress(index, len(advocates))
    return report


def _keep_self_service(existing: Advocate, imported: Advocate) -> Advocate:
    """Keep what only the portal contains (the advocate's own entries), so a re-import does not wipe them."""
    return replace(
        imported,
        # The advocate's own choice wins over the region derived from the roster's country.
        region=existing.region or imported.region,
        use_cases=existing.use_cases,
        languages=existing.languages,
        time_zone=existing.time_zone,
        story=existing.story,
        blackouts=existing.blackouts,
    )
