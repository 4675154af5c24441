"""Roster import with a column mapping, as a CRM export with its own header names needs."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from advocacy.adapters.sqlite_store import SQLiteStore
from advocacy.domain.advocates import AdvocateStatus, Blackout
from advocacy.services.csv_import import InvalidFile
from advocacy.services.roster_import import import_roster

DEMO = Path(__file__).resolve().parents[2] / "localdev" / "demo_data"
ROSTER = (DEMO / "advocate-roster.csv").read_bytes()
CRM_NAMES = {"Email": "E-mail Address", "Account Name": "Company", "Reference Status": "Advocate Status"}
MAPPING = {crm: ours for ours, crm in CRM_NAMES.items()}


@pytest.fixture
def store(tmp_path):
    return SQLiteStore(tmp_path / "portal.sqlite3")


def crm_export(data: bytes = ROSTER) -> bytes:
    """Return the roster with some header names changed, as another CRM names them."""
    text = data.decode("utf-8-sig")
    header, rest = text.split("\r\n", 1)
    names = [CRM_NAMES.get(name, name) for name in header.split(",")]
    return ("\ufeff" + ",".join(names) + "\r\n" + rest).encode("utf-8")


def test_import_mapped_export_creates_advocates(store):
    report = import_roster(store, crm_export(), column_mapping=MAPPING)

    assert report.problems == []
    assert report.created == 24
    assert report.merged == 1


def test_import_mapped_export_reads_mapped_columns(store):
    import_roster(store, crm_export(), column_mapping=MAPPING)

    dana = store.get_advocate("dana.whitfield@northwind-health.example")

    assert dana.company == "Northwind Health"
    assert dana.status is AdvocateStatus.ACTIVE


def test_import_export_without_mapping_names_missing_columns(store):
    with pytest.raises(InvalidFile) as raised:
        import_roster(store, crm_export())

    assert "Email" in str(raised.value)


def test_import_mapping_to_unknown_column_raises(store):
    with pytest.raises(InvalidFile) as raised:
        import_roster(store, crm_export(), column_mapping={**MAPPING, "Company": "Firm"})

    assert "'Firm'" in str(raised.value)


def test_import_mapping_still_missing_column_raises(store):
    with pytest.raises(InvalidFile) as raised:
        import_roster(store, crm_export(), column_mapping={"E-mail Address": "Email"})

    assert "'Account Name'" in str(raised.value)


def test_import_mapped_problem_names_file_column(store):
    broken = crm_export(ROSTER.replace(b"Dana.Whitfield@Northwind-Health.example", b"dana-at-northwind"))

    report = import_roster(store, broken, column_mapping=MAPPING)

    assert [(problem.row, problem.column) for problem in report.problems] == [(2, "E-mail Address")]
    assert store.get_advocate("priya.raman@harbourbank.example") is None


def test_import_reports_progress_per_advocate(store):
    calls = []

    import_roster(store, ROSTER, progress=lambda done, total: calls.append((done, total)))

    assert calls[0] == (1, 24)
    assert calls[-1] == (24, 24)


def test_reimport_keeps_advocate_entries(store):
    import_roster(store, ROSTER)
    dana = store.get_advocate("dana.whitfield@northwind-health.example")
    store.save_advocate(replace(dana, story="We cut claim times.", blackouts=(Blackout(date(2027, 3, 1), date(2027, 3, 5)),)))

    report = import_roster(store, ROSTER)

    kept = store.get_advocate("dana.whitfield@northwind-health.example")
    assert report.unchanged == 24
    assert kept.story == "We cut claim times."
    assert kept.blackouts == (Blackout(date(2027, 3, 1), date(2027, 3, 5)),)

