"""Predecessors written the way MS Project users type them: ``3``, ``3FS+2``, ``5SS-1d``,
``4FF``, ``2SF+50%``, several separated by commas (``,`` ``，``), ``、`` or ``;``.

Interchange's own small parser for the spreadsheet import; the plan grid has its own in
``schedule`` and the two are to be reconciled (issue 14). Pure Python.

Lags are in working days; ``d``, ``day(s)``, ``天``, ``工作日`` and ``个工作日`` mean days,
``w``, ``wk``, ``week(s)`` and ``周`` five working days, ``%`` a share of the
predecessor's duration.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["NotationError", "Predecessor", "format_predecessors", "parse_predecessors"]

_SEPARATORS = re.compile(r"[,，、;；]")
_ITEM = re.compile(
    r"^\s*(?P<id>\d+)\s*(?P<kind>FS|SS|FF|SF)?\s*"
    r"(?:(?P<sign>[+\-−])\s*(?P<lag>\d+(?:\.\d+)?)\s*(?P<unit>[^\d\s]*)\s*)?$",
    re.IGNORECASE,
)
_DAY_UNITS = {"", "d", "day", "days", "天", "工作日", "个工作日", "edays", "ed"}
_WEEK_UNITS = {"w", "wk", "wks", "week", "weeks", "周", "个工作周", "工作周"}


class NotationError(ValueError):
    """An item the notation does not allow: ``item`` as written, ``code`` why
    (``syntax``, ``unit``)."""

    def __init__(self, item: str, code: str) -> None:
        super().__init__(f"{code}: {item}")
        self.item = item
        self.code = code


@dataclass(frozen=True)
class Predecessor:
    """Task ``row_id`` comes before with a link of ``kind``; ``lag`` working days (a lead
    is negative), or ``percent`` of its duration when given as a percentage."""

    row_id: int
    kind: str = "FS"
    lag: float = 0
    percent: float | None = None


def parse_predecessors(text: str) -> list[Predecessor]:
    """The predecessors in ``text`` ("" gives none). Raises ``NotationError`` for the
    first item it cannot read."""
    result = []
    for raw in _SEPARATORS.split(text or ""):
        item = raw.strip()
        if not item:
            continue
        match = _ITEM.match(item)
        if not match:
            raise NotationError(item, "syntax")
        kind = (match["kind"] or "FS").upper()
        lag: float = 0
        percent = None
        if match["lag"] is not None:
            value = float(match["lag"])
            if match["sign"] in ("-", "−"):
                value = -value
            unit = match["unit"].strip().lower()
            if unit == "%":
                percent = value
            elif unit in _DAY_UNITS:
                lag = value
            elif unit in _WEEK_UNITS:
                lag = value * 5
            else:
                raise NotationError(item, "unit")
        result.append(Predecessor(int(match["id"]), kind, lag, percent))
    return result


def format_predecessors(items: list[Predecessor]) -> str:
    """``items`` as MS Project writes them: ``3``, ``5SS-1d``, ``4FF+2d``, joined by
    commas; a plain finish-to-start link without lag is the bare number."""
    parts = []
    for item in items:
        text = str(item.row_id)
        if item.percent is not None:
            text += f"{item.kind}{item.percent:+g}%"
        elif item.lag:
            text += f"{item.kind}{item.lag:+g}d"
        elif item.kind != "FS":
            text += item.kind
        parts.append(text)
    return ",".join(parts)
