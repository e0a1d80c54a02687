"""Workload: each person's assigned hours per ISO week against their capacity.

Pure Python (no Django), so it is property-tested and benchmarked alone. An assignment's
hours are spread evenly over the working days of its task (start to finish, inclusive);
a task without a working day in its span (a milestone, or a span of holidays) books all
its hours on its start date. Hours are exact fractions, so a person's weekly hours always
add up to the hours assigned.
"""

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction

__all__ = [
    "DEFAULT_CAPACITY",
    "Booking",
    "CrossLoad",
    "PersonLoad",
    "across_projects",
    "Week",
    "week_of",
    "weekly_load",
    "working_days",
]

DEFAULT_CAPACITY = Fraction(40)  # hours per week

Week = tuple[int, int]  # (ISO year, ISO week)


@dataclass(frozen=True)
class Booking:
    """Hours a person is assigned on a task that runs from ``start`` to ``finish``."""

    person: Hashable
    hours: Fraction
    start: date
    finish: date


@dataclass
class PersonLoad:
    """One person's hours per ISO week; ``over`` lists the weeks above capacity."""

    person: Hashable
    capacity: Fraction
    weeks: dict[Week, Fraction] = field(default_factory=dict)

    @property
    def total(self) -> Fraction:
        return sum(self.weeks.values(), Fraction(0))

    @property
    def over(self) -> list[Week]:
        return sorted(w for w, hours in self.weeks.items() if hours > self.capacity)


def week_of(day: date) -> Week:
    iso = day.isocalendar()
    return (iso[0], iso[1])


def working_days(
    start: date, finish: date, is_working: Callable[[date], bool]
) -> list[date]:
    """The working days from ``start`` to ``finish`` inclusive (empty if reversed)."""
    days = []
    day = start
    while day <= finish:
        if is_working(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def weekly_load(
    bookings: Iterable[Booking],
    is_working: Callable[[date], bool],
    *,
    capacity: Callable[[Hashable], Fraction] | None = None,
) -> dict[Hashable, PersonLoad]:
    """Each person's hours per ISO week, by person.

    ``is_working`` says whether a date is a working day of the calendar; ``capacity``
    gives a person's weekly hours (``DEFAULT_CAPACITY`` when omitted). Bookings with no
    hours are left out; negative hours raise ``ValueError``.
    """
    loads: dict[Hashable, dict[Week, Fraction]] = defaultdict(
        lambda: defaultdict(Fraction)
    )
    for booking in bookings:
        hours = Fraction(booking.hours)
        if hours < 0:
            raise ValueError("negative hours")
        if hours == 0:
            continue
        days: Sequence[date] = working_days(booking.start, booking.finish, is_working)
        weeks = loads[booking.person]
        if not days:
            weeks[week_of(booking.start)] += hours
            continue
        share = hours / len(days)
        for day in days:
            weeks[week_of(day)] += share
    return {
        person: PersonLoad(
            person,
            capacity(person) if capacity else DEFAULT_CAPACITY,
            dict(sorted(weeks.items())),
        )
        for person, weeks in loads.items()
    }


@dataclass
class CrossLoad:
    """One person's hours per ISO week summed over several projects, with each
    project's share (``projects[project][week]``); ``over`` lists the weeks whose sum
    is above capacity, though no project alone may be."""

    person: Hashable
    capacity: Fraction
    weeks: dict[Week, Fraction] = field(default_factory=dict)
    projects: dict[Hashable, dict[Week, Fraction]] = field(default_factory=dict)

    @property
    def total(self) -> Fraction:
        return sum(self.weeks.values(), Fraction(0))

    @property
    def over(self) -> list[Week]:
        return sorted(w for w, hours in self.weeks.items() if hours > self.capacity)


def across_projects(
    loads: Mapping[Hashable, Mapping[Hashable, PersonLoad]],
    weeks: Iterable[Week] | None = None,
    *,
    capacity: Callable[[Hashable], Fraction] | None = None,
) -> dict[Hashable, CrossLoad]:
    """Each person's load over all projects, from ``loads`` (project → ``weekly_load``
    of that project, each on its own calendar). Only ``weeks`` are kept when given;
    people without hours in them are left out. A person's weekly hours are the sum of
    their projects' hours that week, exactly."""
    keep = None if weeks is None else set(weeks)
    result: dict[Hashable, CrossLoad] = {}
    for project, people in loads.items():
        for person, load in people.items():
            hours = {
                week: h
                for week, h in load.weeks.items()
                if h and (keep is None or week in keep)
            }
            if not hours:
                continue
            cross = result.get(person)
            if cross is None:
                cross = result[person] = CrossLoad(
                    person, capacity(person) if capacity else DEFAULT_CAPACITY
                )
            cross.projects[project] = hours
            for week, h in hours.items():
                cross.weeks[week] = cross.weeks.get(week, Fraction(0)) + h
    for cross in result.values():
        cross.weeks = dict(sorted(cross.weeks.items()))
    return result
