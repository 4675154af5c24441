"""Shared parts of the spreadsheet imports: decoding, header checks and problems by row and column.

Teams export these files from Excel or a CRM, so a byte-order mark, CRLF line ends and stray
spaces around values are normal and accepted. Row numbers count the header as row 1, as the
spreadsheet shows them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column!r}: {self.message}"


@dataclass
class ImportReport:
    """What an import did, or why it did nothing."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    merged: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class InvalidFile(Exception):
    """The file cannot be read as the expected CSV at all; nothing was imported."""


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidFile(
            f"The file is not UTF-8 text (byte {error.start} cannot be decoded). "
            "In Excel, save it with 'CSV UTF-8 (Comma delimited)'."
        ) from None


def read_rows(data: bytes, required_columns: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (row number, values by column) after checking that every required column exists."""
    reader = csv.DictReader(io.StringIO(decode(data), newline=""))
    header = [name.strip() for name in (reader.fieldnames or [])]
    missing = [name for name in required_columns if name not in header]
    if missing:
        raise InvalidFile(
            f"The file has no column {', '.join(repr(name) for name in missing)}. "
            f"The first row must name the columns: {', '.join(required_columns)}."
        )
    reader.fieldnames = header
    for index, row in enumerate(reader, start=2):
        if not any((value or "").strip() for key, value in row.items() if key is not None):
            continue
        yield index, {key: (value or "").strip() for key, value in row.items() if key is not None}
