"""Demo data: the sample roster and forum calendar that ship with the repository.

The calendar is dated 2027. Whoever runs the portal later still sees upcoming forums because
the loader moves every date forward by whole years until the first forum is in the future.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from advocacy.bootstrap import Dependencies
from advocacy.services.calendar_import import COLUMNS, import_calendar
from advocacy.services.csv_import import read_rows
from advocacy.services.roster_import import import_roster

DEMO_DIR = Path(__file__).resolve().parent / "demo_data"
CALENDAR = DEMO_DIR / "forum-calendar-2027-h1.csv"
ROSTER = DEMO_DIR / "advocate-roster.csv"


def year_shift(calendar: bytes, now: datetime) -> int:
    """Return how many whole years to add so the earliest forum date lies after ``now``."""
    first = min(date.fromisoformat(row["Date"]) for _, row in read_rows(calendar, COLUMNS))
    shift = 0
    while first.replace(year=first.year + shift) <= now.date():
        shift += 1
    return shift


def load(deps: Dependencies, echo=print) -> None:
    roster = ROSTER.read_bytes()
    calendar = CALENDAR.read_bytes()
    now = deps.clock.now()

    roster_report = import_roster(deps.store, roster)
    shift = year_shift(calendar, now)
    calendar_report = import_calendar(deps.store, calendar, now, year_shift=shift)

    for report, name in ((roster_report, "roster"), (calendar_report, "calendar")):
        if not report.ok:
            raise RuntimeError(f"The demo {name} failed to import: {report.problems[0]}")
    moved = f", dates moved {shift} year(s) ahead" if shift else ""
    echo(f"Demo data loaded: {calendar_report.created + calendar_report.updated + calendar_report.unchanged} forums, "
         f"{roster_report.created + roster_report.updated + roster_report.unchanged} advocates{moved}.")


def load_once(deps: Dependencies, echo=print) -> None:
    """Load the demo data on the first start only, so later edits are not overwritten."""
    marker = deps.settings.var_dir / "demo-loaded"
    if marker.exists():
        return
    load(deps, echo)
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(f"{deps.clock.now().isoformat()}\n", encoding="utf-8")
