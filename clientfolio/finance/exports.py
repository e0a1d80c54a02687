"""Budget, expenses and time as spreadsheets: Excel (openpyxl, write-only) and CSV in
UTF-8 with a byte-order mark so Excel in Chinese opens it correctly. Cells that a
spreadsheet would run as a formula are defused."""

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl import Workbook

__all__ = ["csv_stream", "xlsx"]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _defuse(cell: Any) -> Any:
    if isinstance(cell, (Decimal, int, float, date)):
        return cell
    text = "" if cell is None else str(cell)
    if text and text[0] in "=+-@\t\r" and not text[1:2].isdigit():
        return "'" + text
    return text


def _text(cell: Any) -> str:
    if isinstance(cell, date):
        return cell.isoformat()
    return str(_defuse(cell))


def csv_stream(header: list[str], rows: Iterable[list[Any]]) -> Iterator[bytes]:
    writer = csv.writer(_Echo())
    yield "\ufeff".encode()
    yield writer.writerow([str(h) for h in header]).encode("utf-8")
    for row in rows:
        yield writer.writerow([_text(cell) for cell in row]).encode("utf-8")


def xlsx(title: str, header: list[str], rows: Iterable[list[Any]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(title)[:31])
    sheet.append([str(h) for h in header])
    for row in rows:
        sheet.append([_defuse(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
