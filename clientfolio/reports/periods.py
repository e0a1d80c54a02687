"""Reporting periods: the week, the two weeks or the month a report covers.

Pure Python: imports only the standard library. Weeks run Monday to Sunday; a
two-week period is the week of ``day`` and the week before it; a month is the calendar
month. Dates are calendar dates, both ends inclusive."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

__all__ = ["BIWEEKLY", "MONTHLY", "PERIODS", "WEEKLY", "next_period", "period_of"]

WEEKLY, BIWEEKLY, MONTHLY = "weekly", "biweekly", "monthly"
PERIODS = (WEEKLY, BIWEEKLY, MONTHLY)


def period_of(kind: str, day: date) -> tuple[date, date]:
    """The first and last day of the ``kind`` period that holds ``day``. Raises
    ``ValueError`` for an unknown kind."""
    if kind == WEEKLY:
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    if kind == BIWEEKLY:
        end = day - timedelta(days=day.weekday()) + timedelta(days=6)
        return end - timedelta(days=13), end
    if kind == MONTHLY:
        last = calendar.monthrange(day.year, day.month)[1]
        return day.replace(day=1), day.replace(day=last)
    raise ValueError(f"Unknown reporting period: {kind!r}")


def next_period(kind: str, end: date) -> tuple[date, date]:
    """The period that follows the one ending on ``end``."""
    following = end + timedelta(days=1)
    if kind == BIWEEKLY:
        return following, following + timedelta(days=13)
    return period_of(kind, following)
