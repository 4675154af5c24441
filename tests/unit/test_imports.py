"""Spreadsheet imports: the demo files, problems by row and column, all-or-nothing, idempotence."""

from __future__ import annotations

from pathlib import Path

import pytest

from advocacy.adapters.sqlite_store import SQLiteStore
from advocacy.domain.advocates import AdvocateStatus
from advocacy.services.calendar_import import import_calendar
from advocacy.services.csv_import import InvalidFile
from advocacy.services.roster_import import import_roster
from tests.factories import NOW

DEMO = Path(__file__).resolve().parents[2] / "localdev" / "demo_data"
CALENDAR = (DEMO / "forum-calendar-2027-h1.csv").read_bytes()
ROSTER = (DEMO / "advocate-roster.csv").read_bytes()


@pytest.fixture
def store(tmp_path):
    return SQLiteStore(tmp_path / "portal.sqlite3")


def _with_row_changed(data: bytes, row_number: int, old: str, new: str) -> bytes:
    lines = data.decode("utf-8-sig").split("\r\n")
    lines[row_number - 1] = lines[row_number - 1].replace(old, new)
    return ("\ufeff" + "\r\n".join(lines)).encode("utf-8")


def test_demo_files_have_byte_order_mark_and_crlf():
    assert CALENDAR.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in CALENDAR


def test_import_calendar_demo_creates_ten_forums(store):
    import_roster(store, ROSTER)

    report = import_calendar(store, CALENDAR, NOW)

    assert report.problems == []
    assert report.created == 10
    assert len(store.list_upcoming_forums(NOW)) == 10


def test_import_calendar_names_host_from_roster(store):
    import_roster(store, ROSTER)
    import_calendar(store, CALENDAR, NOW)

    forum = store.list_upcoming_forums(NOW)[0]

    assert forum.host_names == ("Dana Whitfield",)


def test_import_calendar_again_changes_nothing(store):
    import_calendar(store, CALENDAR, NOW)

    report = import_calendar(store, CALENDAR, NOW)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 10)


def test_import_calendar_corrected_row_updates_forum(store):
    import_calendar(store, CALENDAR, NOW)
    corrected = _with_row_changed(CALENDAR, 2, ",60,70,", ",90,70,")

    report = import_calendar(store, corrected, NOW)

    forum = store.list_upcoming_forums(NOW)[0]
    assert (report.created, report.updated) == (0, 1)
    assert forum.duration_minutes == 90
    assert forum.sequence == 1


def test_import_calendar_bad_rows_import_nothing(store):
    broken = _with_row_changed(CALENDAR, 3, "2027-01-27", "27/01/2027")
    broken = _with_row_changed(broken, 6, "Limited group,2027-02-24,08:00,Australia/Sydney,45,3", "Limited group,2027-02-24,08:00,Australia/Sydney,45,9")

    report = import_calendar(store, broken, NOW)

    assert [(problem.row, problem.column) for problem in report.problems] == [(3, "Date"), (6, "Capacity")]
    assert store.list_upcoming_forums(NOW) == []


def test_import_calendar_missing_column_raises(store):
    with pytest.raises(InvalidFile) as raised:
        import_calendar(store, b"Title,Format\r\nx,Reference forum\r\n", NOW)

    assert "Date" in str(raised.value)


def test_import_calendar_not_utf8_raises(store):
    with pytest.raises(InvalidFile) as raised:
        import_calendar(store, "Title,Format\r\nQualité,x\r\n".encode("latin-1"), NOW)

    assert "UTF-8" in str(raised.value)


def test_import_roster_merges_case_duplicates(store):
    report = import_roster(store, ROSTER)

    jonas = store.get_advocate("jonas.kraemer@fabrikwerk.example")
    assert report.merged == 1
    assert report.created == 24
    assert jonas.email == "jonas.kraemer@fabrikwerk.example"
    assert jonas.title == "Werksleiter"


def test_import_roster_carries_status_cap_and_verified(store):
    import_roster(store, ROSTER)

    bjorn = store.get_advocate("bjorn.lindqvist@nordvik-energi.example")

    assert bjorn.status is AdvocateStatus.PAUSED
    assert bjorn.max_activities_per_quarter == 1
    assert bjorn.last_verified.isoformat() == "2026-02-11"


def test_import_roster_malformed_names_every_bad_cell(store):
    broken = _with_row_changed(ROSTER, 2, "Dana.Whitfield@Northwind-Health.example", "dana-at-northwind")
    broken = _with_row_changed(broken, 3, ",Active,Limited group; Site visit,2,2026-06-02,", ",Busy,Limited group; Site visit,two,02.06.2026,")

    report = import_roster(store, broken)

    cells = [(problem.row, problem.column) for problem in report.problems]
    assert cells == [(2, "Email"), (3, "Reference Status"), (3, "Max Activities per Quarter"), (3, "Last Verified")]
    assert store.get_advocate("priya.raman@harbourbank.example") is None


def test_import_roster_derives_region_from_country(store):
    import_roster(store, ROSTER)

    assert store.get_advocate("dana.whitfield@northwind-health.example").region == "North America"
    assert store.get_advocate("haruka.sato@kumo-retail.example").region == "APAC"
    assert store.get_advocate("noura.alsayed@gulfport-logistics.example").region == "EMEA"
