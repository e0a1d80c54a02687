"""CSV files as the tools people leave write them, read into a header and rows.

Encodings: UTF-8 with or without a BOM, UTF-16 with a BOM, and GBK / GB18030 (what
Excel and WPS on a Chinese Windows save as "CSV"). The separator is a comma, a
semicolon or a tab, guessed from the header line; quotes are always ``"``. Rows are
numbered the way a spreadsheet shows them: the header is row 1 and a cell holding line
breaks does not move the numbers on. Cells are read back through
``core.exports.restore_cell``, so our own exports (which prefix formula-looking text
with an apostrophe) import unchanged; formula-looking text in other files stays text:
nothing here or downstream evaluates a cell, and every export defuses it again.

Helpers shared by the readers of such files (``jira``, ``asana``): headers found by
name, repeated columns (Jira writes one ``Comment`` column per comment), dates, working
days. Pure Python.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from clientfolio.core.exports import restore_cell

__all__ = [
    "MAX_COLUMNS",
    "MAX_ROWS",
    "NotATable",
    "Table",
    "decode",
    "non_empty",
    "parse_date",
    "parse_datetime",
    "read_csv",
    "split_list",
    "workdays_between",
]

MAX_ROWS = 20_000
MAX_COLUMNS = 1_000  # a Jira "all fields" export of a large site has several hundred
MAX_CELL = 100_000


class NotATable(ValueError):
    """Bytes that are not a CSV text file: ``code`` is ``encoding``, ``not_text``,
    ``malformed``, ``empty``, ``too_many_rows`` or ``too_many_columns``."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def decode(data: bytes) -> str:
    """The text of ``data``: UTF-8 (BOM or not), UTF-16 with a BOM, else GB18030 (a
    superset of GBK and GB2312). Raises ``NotATable("encoding")``."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise NotATable("encoding") from error
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as error:
        raise NotATable("encoding") from error


@dataclass
class Table:
    """A header and the data rows, each ``(row number, cells)``; cells stripped, rows
    padded to the header's width."""

    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)

    def columns(self, *names: str) -> list[int]:
        """Indexes of the columns whose header is one of ``names`` (case, spaces and
        full-width forms do not matter), in file order."""
        wanted = {_fold(name) for name in names}
        return [i for i, label in enumerate(self.header) if _fold(label) in wanted]

    def column(self, *names: str) -> int | None:
        """The first column named one of ``names`` (in the order of ``names``)."""
        for name in names:
            found = self.columns(name)
            if found:
                return found[0]
        return None

    def has(self, *names: str) -> bool:
        return bool(self.columns(*names))

    def folded_header(self) -> set[str]:
        return {_fold(label) for label in self.header}


def _fold(label: str) -> str:
    return " ".join(label.replace("\ufeff", "").split()).casefold()


def _delimiter(first_line: str) -> str:
    counts = {sep: first_line.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def read_csv(data: bytes) -> Table:
    """The table in ``data``: the first non-blank record is the header. Raises
    ``NotATable`` for bytes that are not CSV text or pass the limits."""
    text = decode(data)
    if "\x00" in text:
        raise NotATable("not_text")
    if not text.strip():
        raise NotATable("empty")
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    try:
        for number, record in enumerate(reader, start=1):
            if len(record) > MAX_COLUMNS:
                raise NotATable("too_many_columns", limit=MAX_COLUMNS)
            cells = [_cell(value) for value in record]
            if header is None:
                if any(cells):
                    header = cells
                    header_number = number
                continue
            if not any(cells):
                continue
            if number - header_number > MAX_ROWS:
                raise NotATable("too_many_rows", limit=MAX_ROWS)
            cells += [""] * (len(header) - len(cells))
            rows.append((number - header_number + 1, cells))
    except csv.Error as error:
        raise NotATable("malformed", detail=str(error)[:120]) from error
    if header is None:
        raise NotATable("empty")
    return Table(header, rows)


def _cell(value: str) -> str:
    return str(restore_cell(value)).strip()[:MAX_CELL]


def split_list(text: str) -> list[str]:
    """The items of a list cell (``a, b``, ``a;b``, ``a、b``), stripped, blanks left out."""
    return [item.strip() for item in re.split(r"[,，;；、\n]", text) if item.strip()]


def workdays_between(start: date, finish: date) -> int:
    """Monday-to-Friday days from ``start`` to ``finish``, both counted (0 when finish is
    before start); the duration a start and a due date give before the project's own
    calendar is applied."""
    if finish < start:
        return 0
    days = (finish - start).days + 1
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    for offset in range(rest):
        if (start + timedelta(days=weeks * 7 + offset)).weekday() < 5:
            count += 1
    return count


# Month names as Jira writes them in its users' languages: "Dec", "12月", "十二月".
_MONTHS = {
    **{
        name: index
        for index, name in enumerate(
            (
                "jan",
                "feb",
                "mar",
                "apr",
                "may",
                "jun",
                "jul",
                "aug",
                "sep",
                "oct",
                "nov",
                "dec",
            ),
            start=1,
        )
    },
    **{f"{index}月": index for index in range(1, 13)},
    **{
        f"{name}月": index
        for index, name in enumerate(
            (
                "一",
                "二",
                "三",
                "四",
                "五",
                "六",
                "七",
                "八",
                "九",
                "十",
                "十一",
                "十二",
            ),
            start=1,
        )
    },
}
_DAY_MONTH_YEAR = re.compile(
    r"^(?P<day>\d{1,2})[/\-. ](?P<month>[^/\-. \d][^/\-. ]*|\d{1,2}月)[/\-. ](?P<year>\d{2}|\d{4})"
    r"(?:\s+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::\d{2})?\s*(?P<half>AM|PM|上午|下午)?)?$",
    re.IGNORECASE,
)


def parse_datetime(text: str) -> datetime | None:
    """A date and time as Jira, Asana and spreadsheets write them: ISO 8601
    (``2026-12-04``, ``2026-12-04T10:15:00.000+0800``), ``2026/12/04 10:15``, Jira's
    ``04/Dec/26 10:15 AM`` in English or Chinese (``04/十二月/26 10:15 上午``), and
    ``2026年12月4日``. ``None`` for an empty or unreadable text. The wall-clock time as
    written, labelled UTC whatever the file's zone: plans are in days and the time of
    day is only shown."""
    text = text.strip()
    if not text:
        return None
    iso = text.replace("/", "-")
    try:
        value = datetime.fromisoformat(iso.replace("Z", "+00:00"))
        return value.replace(tzinfo=UTC)
    except ValueError:
        pass
    match = re.match(r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})", iso)
    if match:
        try:
            year, month, day, hour, minute = (int(g) for g in match.groups())
            return datetime(year, month, day, hour, minute, tzinfo=UTC)
        except ValueError:
            return None
    match = re.match(r"^(\d{4})年(\d{1,2})月(\d{1,2})日", text)
    if match:
        try:
            return datetime(int(match[1]), int(match[2]), int(match[3]), tzinfo=UTC)
        except ValueError:
            return None
    match = _DAY_MONTH_YEAR.match(text)
    if match:
        found = _MONTHS.get(match["month"].casefold()[:3])
        if found is None:
            return None
        month = found
        year = int(match["year"])
        year += 2000 if year < 100 else 0
        hour, minute = int(match["hour"] or 0), int(match["minute"] or 0)
        if match["half"] and match["half"].upper() in ("PM", "下午") and hour < 12:
            hour += 12
        if match["half"] and match["half"].upper() in ("AM", "上午") and hour == 12:
            hour = 0
        try:
            return datetime(year, month, int(match["day"]), hour, minute, tzinfo=UTC)
        except ValueError:
            return None
    return None


def parse_date(text: str) -> date | None:
    value = parse_datetime(text)
    return value.date() if value else None


def non_empty(values: Iterable[str]) -> list[str]:
    return [value for value in values if value]
