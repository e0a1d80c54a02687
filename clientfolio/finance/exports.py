"""Budget, expenses and time as spreadsheets: Excel (openpyxl, write-only) and CSV in
UTF-8 with a byte-order mark so Excel in Chinese opens it correctly. Cells that a
spreadsheet would run as a formula are defused."""

import io
import itertools
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl import Workbook

from clientfolio.core import exports
from clientfolio.core.exports import safe_cell

__all__ = ["csv_stream", "xlsx"]


def _value(cell: Any) -> Any:
    """Numbers and dates stay typed; anything else becomes (defused) text."""
    if isinstance(cell, (Decimal, int, float, date)):
        return cell
    return safe_cell("" if cell is None else str(cell))


def csv_stream(header: list[str], rows: Iterable[list[Any]]) -> Iterator[bytes]:
    return exports.csv_stream(itertools.chain([header], rows))


def xlsx(title: str, header: list[str], rows: Iterable[list[Any]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(title)[:31])
    sheet.append([str(h) for h in header])
    for row in rows:
        sheet.append([_value(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
