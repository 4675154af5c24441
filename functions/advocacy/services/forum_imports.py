"""Imports for a held forum: the meeting tool's participant report and the deals of registrants.

Rows are matched to registrations by email address (trimmed, any letter case). Every row is
checked first; a file with problems changes nothing and the admin sees each problem by row
and column.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email

from advocacy.bootstrap import Dependencies
from advocacy.domain.registrations import RegistrationStatus, normalize_email
from advocacy.services.csv_import import InvalidFile, Problem, decode
from advocacy.services.forums import require_forum

# Meeting tools name the address column differently: Zoom "User Email", Teams "Email", and so on.
EMAIL_COLUMNS = ("Email", "User Email", "E-mail", "Attendee Email", "Email Address")


@dataclass
class AttendanceReport:
    attended: int = 0
    absent: int = 0
    unmatched: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class OpportunityReport:
    updated: int = 0
    problems: list[Problem] = field(default_factory=list)


def _rows(data: bytes) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    reader = csv.DictReader(io.StringIO(decode(data), newline=""))
    header = [name.strip() for name in reader.fieldnames or []]
    reader.fieldnames = header
    rows = []
    for number, row in enumerate(reader, start=2):
        values = {key: (value or "").strip() for key, value in row.items() if key is not None}
        if any(values.values()):
            rows.append((number, values))
    return header, rows


def _email_column(header: list[str]) -> str:
    for name in header:
        if name.lower() in {column.lower() for column in EMAIL_COLUMNS}:
            return name
    raise InvalidFile(f"The file has no email column; name one of its columns {', '.join(repr(c) for c in EMAIL_COLUMNS)}.")


def _valid_email(text: str) -> bool:
    try:
        validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def import_attendance(deps: Dependencies, forum_id: str, data: bytes) -> AttendanceReport:
    """Mark confirmed registrants listed in the report as attended and the others as absent."""
    require_forum(deps, forum_id)
    header, rows = _rows(data)
    column = _email_column(header)
    report = AttendanceReport()
    present: set[str] = set()
    for number, row in rows:
        if not _valid_email(row[column]):
            report.problems.append(Problem(number, column, f"{row[column]!r} is not an email address."))
            continue
        present.add(normalize_email(row[column]))
    if report.problems:
        return report

    confirmed = [r for r in deps.store.list_registrations(forum_id) if r.status is RegistrationStatus.CONFIRMED]
    known = {registration.email_key for registration in confirmed}
    for registration in confirmed:
        attended = registration.email_key in present
        deps.store.set_attendance(forum_id, registration.registration_id, attended)
        if attended:
            report.attended += 1
        else:
            report.absent += 1
    # Hosts, moderators and guests who joined without a confirmed registration.
    report.unmatched = sorted(present - known)
    return report


AMOUNT = re.compile(r"^[^\d-]*(-?[\d,. ]+)$")


def _amount(text: str) -> int | None:
    """Read an amount such as 120000, 120,000 or $120,000.00 as whole units; None when invalid."""
    match = AMOUNT.match(text.strip())
    if not match:
        return None
    digits = match.group(1).replace(",", "").replace(" ", "")
    try:
        value = float(digits)
    except ValueError:
        return None
    return int(round(value)) if value >= 0 else None


def import_opportunities(deps: Dependencies, forum_id: str, data: bytes) -> OpportunityReport:
    """Set the opportunity id and amount of registrations, matched by email."""
    require_forum(deps, forum_id)
    header, rows = _rows(data)
    column = _email_column(header)
    for required in ("Opportunity ID", "Amount"):
        if required not in header:
            raise InvalidFile(f"The file has no column {required!r}; it needs {column!r}, 'Opportunity ID' and 'Amount'.")
    by_email = {r.email_key: r for r in deps.store.list_registrations(forum_id) if r.status is not RegistrationStatus.EXPIRED}
    report = OpportunityReport()
    updates = []
    for number, row in rows:
        registration = by_email.get(normalize_email(row[column]))
        if registration is None:
            report.problems.append(Problem(number, column, f"No registration for {row[column]!r} at this forum."))
        if not re.fullmatch(r"[A-Za-z0-9._-]{1,40}", row["Opportunity ID"]):
            report.problems.append(Problem(number, "Opportunity ID", "Use 1 to 40 letters, digits, dots, dashes or underscores."))
        amount = _amount(row["Amount"]) if row["Amount"] else None
        if row["Amount"] and amount is None:
            report.problems.append(Problem(number, "Amount", f"{row['Amount']!r} is not an amount of 0 or more."))
        if registration is not None:
            updates.append((registration.registration_id, row["Opportunity ID"], amount))
    if report.problems:
        return report

    for registration_id, opportunity_id, amount in updates:
        deps.store.set_opportunity(forum_id, registration_id, opportunity_id, amount)
        report.updated += 1
    return report
