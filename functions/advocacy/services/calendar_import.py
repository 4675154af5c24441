"""Import a forum calendar from a spreadsheet: every row is checked before anything is saved.

Columns: Title, Format, Date, Start time, Time zone, Duration (min), Capacity, Host email,
Industry, Product, Region, Language, Chaperoned, Description. A forum's id comes from its date and
title, so importing the same file again updates the same forums instead of adding copies.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, time

from advocacy.domain.errors import InvalidForum
from advocacy.domain.forums import Forum, ForumFormat, forum_id_for, new_forum
from advocacy.domain.registrations import normalize_email
from advocacy.ports.store import Store
from advocacy.services.csv_import import ImportReport, Problem, Progress, read_rows

COLUMNS = (
    "Title", "Format", "Date", "Start time", "Time zone", "Duration (min)", "Capacity", "Host email",
    "Industry", "Product", "Region", "Language", "Chaperoned", "Description",
)
FORMATS = {
    "reference forum": ForumFormat.REFERENCE_FORUM,
    "limited group": ForumFormat.LIMITED_GROUP_EVENT,
    "limited group event": ForumFormat.LIMITED_GROUP_EVENT,
}
YES_NO = {"yes": True, "y": True, "true": True, "no": False, "n": False, "false": False, "": False}
COLUMN_OF_FIELD = {
    "title": "Title", "capacity": "Capacity", "time_zone": "Time zone", "start_time": "Start time",
    "duration_minutes": "Duration (min)",
}


def _parse_row(number: int, row: dict[str, str], now: datetime, store: Store, year_shift: int) -> tuple[Forum | None, list[Problem]]:
    problems: list[Problem] = []

    def problem(column: str, message: str) -> None:
        problems.append(Problem(number, column, message))

    forum_format = FORMATS.get(row["Format"].lower())
    if forum_format is None:
        problem("Format", f"{row['Format']!r} is not a format; use 'Reference forum' or 'Limited group'.")
    try:
        day = date.fromisoformat(row["Date"])
        day = _shift_years(day, year_shift)
    except ValueError:
        day = None
        problem("Date", f"{row['Date']!r} is not a date; use YYYY-MM-DD, such as 2027-01-20.")
    try:
        start = time.fromisoformat(row["Start time"])
    except ValueError:
        start = None
        problem("Start time", f"{row['Start time']!r} is not a time; use 24-hour HH:MM, such as 14:30.")
    duration = _whole_number(row["Duration (min)"], "Duration (min)", problem)
    capacity = _whole_number(row["Capacity"], "Capacity", problem)
    chaperoned = YES_NO.get(row["Chaperoned"].lower())
    if chaperoned is None:
        problem("Chaperoned", f"{row['Chaperoned']!r} is not Yes or No.")
    host_email = normalize_email(row["Host email"])
    if "@" not in host_email:
        problem("Host email", f"{row['Host email']!r} is not an email address.")
    if problems:
        return None, problems

    advocate = store.get_advocate(host_email)
    try:
        forum = new_forum(
            forum_id=forum_id_for(row["Title"], day.isoformat()),
            title=row["Title"],
            forum_format=forum_format,
            local_start=datetime.combine(day, start),
            time_zone=row["Time zone"],
            duration_minutes=duration,
            capacity=capacity,
            now=now,
            description=row["Description"],
            industry=row["Industry"],
            product=row["Product"],
            region=row["Region"],
            language=row["Language"],
            chaperoned=chaperoned,
            host_emails=(host_email,),
            host_names=(advocate.display_name,) if advocate else (),
        )
    except InvalidForum as error:
        problem(COLUMN_OF_FIELD.get(error.field or "", error.field or "row"), error.message)
        return None, problems
    return forum, problems


def _whole_number(text: str, column: str, problem) -> int | None:
    try:
        return int(text)
    except ValueError:
        problem(column, f"{text!r} is not a whole number.")
        return None


def _shift_years(day: date, years: int) -> date:
    if years == 0:
        return day
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def import_calendar(
    store: Store,
    data: bytes,
    now: datetime,
    progress: Progress | None = None,
    year_shift: int = 0,
    on_update: Callable[[Forum, Forum], None] | None = None,
) -> ImportReport:
    """Validate every row, then save all forums, or none when any row has a problem.

    ``year_shift`` moves every date by whole years; the demo data uses it so that its calendar
    is always in the future. ``on_update(before, after)`` runs for each existing forum the file
    changed, so the caller can send registrants and hosts the updated invite.
    """
    report = ImportReport()
    forums: list[Forum] = []
    rows = list(read_rows(data, COLUMNS))
    seen: dict[str, int] = {}
    for number, row in rows:
        forum, problems = _parse_row(number, row, now, store, year_shift)
        report.problems.extend(problems)
        if forum is None:
            continue
        if not forum.is_upcoming(now):
            # A yearly spreadsheet keeps rows of forums already held: leave those as they are.
            if store.get_forum(forum.forum_id) is not None:
                report.unchanged += 1
                continue
            report.problems.append(
                Problem(number, "Date", f"{forum.local_start():%Y-%m-%d %H:%M} is in the past; import only upcoming forums.")
            )
            continue
        if forum.forum_id in seen:
            report.problems.append(
                Problem(number, "Title", f"Same title and date as row {seen[forum.forum_id]}; give each forum its own row.")
            )
            continue
        seen[forum.forum_id] = number
        forums.append(forum)
    if report.problems:
        return report

    for index, forum in enumerate(forums, start=1):
        changed = _save(store, forum, report)
        if changed and on_update:
            on_update(*changed)
        if progress:
            progress(index, len(forums))
    return report


def _save(store: Store, forum: Forum, report: ImportReport) -> tuple[Forum, Forum] | None:
    """Create or update one forum; return (before, after) when an existing forum changed."""
    existing = store.get_forum(forum.forum_id)
    if existing is None:
        store.save_forum(forum)
        report.created += 1
        return None
    # Keep what the import does not own: status, links, counts and the creation time.
    updated = replace(
        forum,
        status=existing.status,
        join_url=existing.join_url,
        recording_url=existing.recording_url,
        created_at=existing.created_at,
        confirmed_count=existing.confirmed_count,
        waitlist_count=existing.waitlist_count,
        sequence=existing.sequence,
        updated_at=existing.updated_at,
    )
    if updated == existing:
        report.unchanged += 1
        return None
    after = replace(updated, sequence=existing.sequence + 1, updated_at=forum.updated_at)
    store.save_forum(after)
    report.updated += 1
    return existing, after
