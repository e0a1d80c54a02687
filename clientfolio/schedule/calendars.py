"""Working calendars: weekdays, Chinese statutory holidays and make-up workdays (调休) from
the ``holidays`` package, and the project's own exceptions, as an ``engine.Calendar``.

The ``holidays`` package is released monthly and knows each year's holiday arrangement
once the State Council publishes it. For a year it does not know yet, the fixed holidays
are still used but the make-up workdays are missing; such years are reported so pages can
warn, and scheduling never fails because of them.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import holidays
from django.utils import timezone, translation

from clientfolio.schedule.engine import Calendar

__all__ = ["CalendarInfo", "build_calendar", "holiday_names", "known_years"]


def known_years() -> frozenset[int]:
    """Years whose arrangement (holidays and make-up workdays) the package knows."""
    try:
        from holidays.countries.china import ChinaStaticHolidays

        return frozenset(ChinaStaticHolidays.special_public_holidays)
    except (ImportError, AttributeError):  # a future layout of the package
        this_year = timezone.localdate().year
        workdays = holidays.China(years=range(2000, this_year + 2)).weekend_workdays
        return frozenset(day.year for day in workdays)


@dataclass(frozen=True)
class CalendarInfo:
    calendar: Calendar
    unknown_years: tuple[int, ...]


def build_calendar(
    weekdays: frozenset[int],
    years: Iterable[int],
    *,
    statutory: bool = True,
    extra_holidays: Iterable[date] = (),
    extra_workdays: Iterable[date] = (),
) -> CalendarInfo:
    """The calendar for ``years``: ``weekdays`` work, statutory holidays and make-up
    workdays apply when ``statutory``, then the project's own exceptions win.

    The same arguments give the same (immutable) calendar object, so its working-day
    index, built on first use, serves every later computation of the process: for the
    centuries a 10,000-task plan's calendar spans, building it took about 60 ms of
    every grid edit (issue 14)."""
    return _built(
        frozenset(weekdays),
        tuple(sorted(set(years))),
        statutory,
        frozenset(extra_holidays),
        frozenset(extra_workdays),
    )


@lru_cache(maxsize=32)
def _built(
    weekdays: frozenset[int],
    years: tuple[int, ...],
    statutory: bool,
    extra_holidays: frozenset[date],
    extra_workdays: frozenset[date],
) -> CalendarInfo:
    off: set[date] = set()
    on: set[date] = set()
    unknown: tuple[int, ...] = ()
    if statutory and years:
        statutory_off, statutory_on, unknown = _statutory(tuple(years))
        off, on = set(statutory_off), set(statutory_on)
    own_off = set(extra_holidays)
    own_on = set(extra_workdays)
    off = (off | own_off) - own_on
    on = (on | own_on) - own_off
    return CalendarInfo(
        Calendar(
            workdays=frozenset(weekdays),
            holidays=frozenset(off),
            extra_workdays=frozenset(on),
        ),
        unknown,
    )


@lru_cache(maxsize=64)
def _statutory(
    years: tuple[int, ...],
) -> tuple[frozenset[date], frozenset[date], tuple[int, ...]]:
    """The statutory holidays, make-up workdays and unknown years of ``years``: the
    costly part of a calendar (tens of milliseconds), the same for every project and
    request of a process, so it is computed once per set of years."""
    china = holidays.China(years=list(years))
    known = known_years()
    return (
        frozenset(china.keys()),
        frozenset(china.weekend_workdays),
        tuple(y for y in years if y not in known),
    )


def holiday_names(years: Iterable[int]) -> dict[date, str]:
    """Names of the statutory holidays in the active language (for calendars and charts)."""
    language = (
        "zh_CN" if translation.get_language() in ("zh-hans", "zh-cn") else "en_US"
    )
    return dict(holidays.China(years=sorted(set(years)), language=language).items())
