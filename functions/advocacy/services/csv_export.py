"""CSV files for spreadsheets: UTF-8 with a byte-order mark, and no cell a spreadsheet would run.

Excel reads UTF-8 only with the byte-order mark. A text cell starting with =, +, -, @, a tab or
a carriage return can run as a formula, so such text gets a leading apostrophe, which
spreadsheets show as plain text. Numbers are written as numbers, so a negative amount stays a
negative number.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def to_csv(header: list[str], rows: Iterable[Iterable[object]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralize(name) for name in header])
    for row in rows:
        writer.writerow(["" if value is None else neutralize(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
