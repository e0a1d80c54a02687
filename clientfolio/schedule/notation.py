"""Predecessors, durations and start constraints as MS Project users type them in a grid.

Pure Python: no Django. Rows are the grid's row numbers (1-based, as MS Project's ID
column), lags are **working days** (the engine's unit; a week is five working days).

Predecessors: ``"3"`` (finish-to-start, no lag), ``"3FS+2"``, ``"5SS-1"``, ``"4FF"``,
``"2SF+3d"``, ``"6FS+1w"``, several separated by ``,``, ``、``, ``;`` (or their full-width
forms). Full-width digits, letters and signs are read as their ASCII forms (NFKC), case
and spaces do not matter. A percent lag (``"7FS-20%"``) or an elapsed lag (``"3FS+2ed"``)
is refused: the engine counts lags in whole working days. ``format_predecessors`` writes
the shortest form that ``parse_predecessors`` reads back to the same links.

Errors are ``NotationError`` with a ``code`` (one of ``ERROR_CODES``), the offending
``item`` and ``row``; the caller words them in the user's language.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

__all__ = [
    "ERROR_CODES",
    "KINDS",
    "MAX_DURATION",
    "MAX_LAG",
    "Constraint",
    "NotationError",
    "Predecessor",
    "format_constraint",
    "format_predecessors",
    "normalise",
    "parse_constraint",
    "parse_duration",
    "parse_pasted_rows",
    "parse_predecessors",
]

KINDS = ("FS", "SS", "FF", "SF")
MAX_LAG = 1000
MAX_DURATION = 5000
DAYS_PER_WEEK = 5

ERROR_CODES = frozenset(
    {
        "syntax",  # not a row number with an optional type and lag
        "kind",  # a type other than FS, SS, FF, SF
        "lag",  # a lag that is not a whole number of days or weeks
        "lag_range",  # beyond ±MAX_LAG working days
        "percent_lag",  # "20%": not supported by the engine
        "elapsed_lag",  # "2ed": not supported by the engine
        "unknown_row",  # no such row in the grid
        "self",  # the row names itself
        "duplicate",  # the same row twice
        "duration",  # not a whole number of days or weeks
        "duration_range",  # beyond 0..MAX_DURATION
        "date",  # a constraint that is not a date
    }
)

SEPARATORS = re.compile(r"[,;、，；\n]+")
# After normalising: digits, then an optional type, then an optional signed lag with a unit.
ITEM = re.compile(
    r"^(?P<row>\d+)(?P<kind>[A-Z]{1,3})?(?:(?P<sign>[+-])(?P<lag>[^+-]*))?$"
)
LAG = re.compile(
    r"^(?P<number>\d+(?:\.\d+)?)(?P<unit>|D|DAY|DAYS|天|工作日|个工作日|W|WK|WKS|WEEK|WEEKS|周)$"
)
DURATION = re.compile(
    r"^(?P<number>\d+(?:\.\d+)?)(?P<unit>|D|DAY|DAYS|天|工作日|个工作日|W|WK|WKS|WEEK|WEEKS|周|个周)$"
)
WEEK_UNITS = frozenset({"W", "WK", "WKS", "WEEK", "WEEKS", "周", "个周"})


class NotationError(ValueError):
    """Text the grid cannot read; ``code`` says why (see ``ERROR_CODES``)."""

    def __init__(self, code: str, item: str = "", row: int | None = None) -> None:
        super().__init__(f"{code}: {item}")
        self.code = code
        self.item = item
        self.row = row


@dataclass(frozen=True, order=True)
class Predecessor:
    """One link into a task: from grid row ``row``, of type ``kind``, with ``lag``
    working days (negative for a lead)."""

    row: int
    kind: str = "FS"
    lag: int = 0

    def __str__(self) -> str:
        if self.kind == "FS" and self.lag == 0:
            return str(self.row)
        lag = f"{self.lag:+d}" if self.lag else ""
        return f"{self.row}{self.kind}{lag}"


def normalise(text: str) -> str:
    """``text`` with full-width forms folded (NFKC), other minus signs read as ``-``,
    spaces removed and letters in upper case."""
    folded = unicodedata.normalize("NFKC", text)
    folded = folded.replace("−", "-").replace("–", "-").replace("—", "-")
    return "".join(folded.split()).upper()


def _lag_days(text: str, item: str, row: int) -> int:
    if text.endswith("%"):
        raise NotationError("percent_lag", item, row)
    if text.endswith(("ED", "EW", "EH", "EM")):
        raise NotationError("elapsed_lag", item, row)
    match = LAG.match(text)
    if not match:
        raise NotationError("lag", item, row)
    number = float(match["number"])
    if match["unit"] in WEEK_UNITS:
        number *= DAYS_PER_WEEK
    if number != int(number):
        raise NotationError("lag", item, row)
    return int(number)


def parse_predecessors(
    text: str,
    rows: Collection[int] | Callable[[int], bool] | None = None,
    *,
    own_row: int | None = None,
) -> list[Predecessor]:
    """The links written in ``text``, in the order given.

    ``rows`` is the set of row numbers that exist (or a test for one); a row outside it
    raises ``unknown_row``. ``own_row`` is the row being edited; naming it raises ``self``.
    The same row twice raises ``duplicate``. An empty text is no predecessors.
    """
    exists: Callable[[int], bool]
    if rows is None:
        exists = lambda row: True  # noqa: E731
    elif callable(rows):
        exists = rows
    else:
        exists = rows.__contains__
    result: list[Predecessor] = []
    seen: set[int] = set()
    for raw in SEPARATORS.split(unicodedata.normalize("NFKC", text)):
        item = normalise(raw)
        if not item:
            continue
        match = ITEM.match(item)
        if not match:
            if item.endswith("%"):
                raise NotationError("percent_lag", raw.strip())
            raise NotationError("syntax", raw.strip())
        row = int(match["row"])
        kind = match["kind"] or "FS"
        if kind not in KINDS:
            raise NotationError("kind", raw.strip(), row)
        lag = 0
        if match["sign"]:
            lag = _lag_days(match["lag"], raw.strip(), row)
            if match["sign"] == "-":
                lag = -lag
        if abs(lag) > MAX_LAG:
            raise NotationError("lag_range", raw.strip(), row)
        if own_row is not None and row == own_row:
            raise NotationError("self", raw.strip(), row)
        if not exists(row):
            raise NotationError("unknown_row", raw.strip(), row)
        if row in seen:
            raise NotationError("duplicate", raw.strip(), row)
        seen.add(row)
        result.append(Predecessor(row, kind, lag))
    return result


def format_predecessors(links: Iterable[Predecessor]) -> str:
    """The links as MS Project writes them, in row order: ``"2, 3FS+2, 5SS-1"``."""
    return ", ".join(str(link) for link in sorted(links))


def parse_duration(text: str) -> int:
    """Working days in ``text``: ``"5"``, ``"5d"``, ``"5 天"``, ``"2w"`` (10), ``"0"``
    (a milestone). Raises ``NotationError`` (``duration``, ``duration_range``)."""
    item = normalise(text)
    match = DURATION.match(item)
    if not match:
        raise NotationError("duration", text.strip())
    number = float(match["number"])
    if match["unit"] in WEEK_UNITS:
        number *= DAYS_PER_WEEK
    if number != int(number):
        raise NotationError("duration", text.strip())
    if not 0 <= number <= MAX_DURATION:
        raise NotationError("duration_range", text.strip())
    return int(number)


@dataclass(frozen=True)
class Constraint:
    """A start constraint: ``kind`` is ``"asap"``, ``"snet"`` (start no earlier than) or
    ``"fnlt"`` (finish no later than), with its date (``None`` for ``"asap"``)."""

    kind: str = "asap"
    day: date | None = None


# Words for the two dated constraints, in both languages and MS Project's abbreviations.
CONSTRAINT_WORDS = {
    "SNET": "snet",
    "不早于": "snet",
    "开始不早于": "snet",
    ">=": "snet",
    "≥": "snet",
    "FNLT": "fnlt",
    "不晚于": "fnlt",
    "完成不晚于": "fnlt",
    "<=": "fnlt",
    "≤": "fnlt",
}
ISO_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


def parse_constraint(text: str) -> Constraint:
    """``""`` or ``"ASAP"`` (none), a date (start no earlier than it), or a date after a
    word: ``"SNET 2026-10-12"``, ``"不早于 2026-10-12"``, ``"FNLT 2026-11-02"``,
    ``"不晚于 2026年11月2日"``, ``"≥2026-10-12"``. Raises ``NotationError`` (``date``)."""
    item = normalise(text)
    if item in ("", "ASAP", "越早越好", "-"):
        return Constraint()
    kind = "snet"
    for word in sorted(CONSTRAINT_WORDS, key=len, reverse=True):
        if item.startswith(word):
            kind = CONSTRAINT_WORDS[word]
            item = item[len(word) :].lstrip(":")
            break
    match = ISO_DATE.match(item)
    if not match:
        raise NotationError("date", text.strip())
    try:
        day = date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError as error:
        raise NotationError("date", text.strip()) from error
    return Constraint(kind, day)


def format_constraint(constraint: Constraint, words: Sequence[str] = ("", "")) -> str:
    """``""`` for none, else ``"<word> 2026-10-12"`` with ``words`` = (the word for
    start no earlier than, the word for finish no later than); an empty word for
    "start no earlier than" writes the date alone."""
    if constraint.kind == "asap" or constraint.day is None:
        return ""
    word = words[0] if constraint.kind == "snet" else (words[1] or "FNLT")
    return f"{word} {constraint.day.isoformat()}".strip()


def parse_pasted_rows(text: str) -> list[list[str]]:
    """Rows of cells from a spreadsheet's clipboard (tab-separated, quoted cells may hold
    tabs and line breaks, as Excel writes them). Blank lines are dropped and trailing
    empty cells kept as ``""``; cells are stripped."""
    reader = csv.reader(io.StringIO(text.replace("\r\n", "\n")), delimiter="\t")
    rows = []
    for cells in reader:
        stripped = [cell.strip() for cell in cells]
        if any(stripped):
            rows.append(stripped)
    return rows
