"""The one guard of every CSV and Excel export against formula injection.

A spreadsheet program runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and a
tab or carriage return before them) as a formula, so a task named
``=HYPERLINK("http://evil", "点击")`` would become a live link in a file that goes to
the client. ``safe_cell`` prefixes such text with an apostrophe, which makes it plain
text in Excel, LibreOffice and WPS; plain numbers (``-12.5``, ``+86``) are left alone.
Full-width signs (``＝＋－＠``) are defused too: Chinese input methods turn them into
their ASCII forms when a cell is edited.

Every export writes through ``csv_stream``, ``safe_row`` or ``set_cell``; imports read
cells back with ``restore_cell`` so an exported file imports unchanged.
"""

import csv
import re
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

__all__ = ["csv_stream", "restore_cell", "safe_cell", "safe_row", "set_cell"]

TRIGGERS = frozenset("=+-@\t\r\n＝＋－＠")
_NUMBER = re.compile(r"[+-]?(?:\d[\d,]*(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?%?")


def safe_cell(value: Any) -> Any:
    """``value`` with text that a spreadsheet would run as a formula prefixed by an
    apostrophe; anything that is not text (numbers, dates, ``None``) is unchanged."""
    if not isinstance(value, str) or not value or value[0] not in TRIGGERS:
        return value
    if _NUMBER.fullmatch(value):
        return value
    return "'" + value


def restore_cell(value: Any) -> Any:
    """The inverse of ``safe_cell``, for imports of our own exports."""
    if isinstance(value, str) and value[:1] == "'" and value[1:2] in TRIGGERS:
        return value[1:]
    return value


def safe_row(row: Iterable[Any]) -> list[Any]:
    """A row for ``sheet.append`` (openpyxl) or a CSV writer, each cell defused."""
    return [safe_cell(value) for value in row]


def set_cell(sheet: Any, row: int, column: int, value: Any) -> Any:
    """``sheet.cell(row, column, value)`` with ``value`` defused; returns the cell."""
    return sheet.cell(row, column, safe_cell(value))


class _Echo:
    def write(self, value: str) -> str:
        return value


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(safe_cell(value if isinstance(value, str) else str(value)))


def csv_stream(rows: Iterable[Iterable[Any]]) -> Iterator[bytes]:
    """CSV in UTF-8 with a byte-order mark (so Excel in Chinese opens it correctly), one
    line per row, every cell defused; dates in ISO form, ``None`` empty."""
    writer = csv.writer(_Echo())
    yield "\ufeff".encode()
    for row in rows:
        yield writer.writerow([_text(value) for value in row]).encode("utf-8")
