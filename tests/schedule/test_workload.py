"""Workload per ISO week (pure): hours are spread over working days and never lost."""

import datetime
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clientfolio.schedule.workload import (
    Booking,
    across_projects,
    week_of,
    weekly_load,
    working_days,
)

D = datetime.date


def weekdays(day):
    return day.weekday() < 5


def test_a_two_week_task_splits_its_hours_by_working_days():
    # given 80 hours over Monday 5 Oct 2026 to Friday 16 Oct (10 working days)
    loads = weekly_load(
        [Booking("li", Fraction(80), D(2026, 10, 5), D(2026, 10, 16))], weekdays
    )

    # then each week carries 40 hours and nothing is over capacity
    assert loads["li"].weeks == {(2026, 41): 40, (2026, 42): 40}
    assert loads["li"].over == []


def test_overlapping_tasks_overallocate_a_week():
    bookings = [
        Booking("li", Fraction(40), D(2026, 10, 5), D(2026, 10, 9)),
        Booking("li", Fraction(16), D(2026, 10, 8), D(2026, 10, 9)),
    ]
    load = weekly_load(bookings, weekdays)["li"]
    assert load.weeks == {(2026, 41): 56}
    assert load.over == [(2026, 41)]


def test_a_milestone_books_its_hours_on_its_day():
    load = weekly_load(
        [Booking("li", Fraction(2), D(2026, 10, 10), D(2026, 10, 10))], weekdays
    )
    assert load["li"].weeks == {(2026, 41): 2}


def test_negative_hours_are_refused():
    with pytest.raises(ValueError, match="negative"):
        weekly_load(
            [Booking("li", Fraction(-1), D(2026, 10, 5), D(2026, 10, 5))], weekdays
        )


dates = st.dates(min_value=D(2025, 1, 1), max_value=D(2027, 12, 31))
bookings = st.lists(
    st.builds(
        lambda person, hours, start, span: Booking(
            person, Fraction(hours), start, start + datetime.timedelta(days=span)
        ),
        st.sampled_from(["li", "wang", "zhang"]),
        st.integers(min_value=0, max_value=500),
        dates,
        st.integers(min_value=0, max_value=60),
    ),
    max_size=20,
)
holidays = st.frozensets(dates, max_size=40)


@given(bookings, holidays)
def test_every_assigned_hour_is_booked_exactly_once(items, off):
    # given any bookings and a calendar with some holidays
    def is_working(day):
        return day.weekday() < 5 and day not in off

    loads = weekly_load(items, is_working)

    # then each person's weekly hours add up to their assigned hours
    for person in {b.person for b in items}:
        assigned = sum((b.hours for b in items if b.person == person), Fraction(0))
        booked = loads[person].total if person in loads else Fraction(0)
        assert booked == assigned


@given(bookings, holidays)
def test_hours_fall_only_in_weeks_with_working_days_of_the_task(items, off):
    def is_working(day):
        return day.weekday() < 5 and day not in off

    loads = weekly_load(items, is_working)
    for person, load in loads.items():
        allowed = set()
        for b in items:
            if b.person != person or not b.hours:
                continue
            days = working_days(b.start, b.finish, is_working)
            allowed |= {week_of(d) for d in days} or {week_of(b.start)}
        assert set(load.weeks) <= allowed
        assert all(hours > 0 for hours in load.weeks.values())
        assert load.over == sorted(w for w, h in load.weeks.items() if h > 40)


# --- across projects -------------------------------------------------------------------


def test_a_person_spread_over_projects_is_over_though_no_project_is():
    week = [Booking("li", Fraction(30), D(2026, 10, 5), D(2026, 10, 9))]
    loads = {"A": weekly_load(week, weekdays), "B": weekly_load(week, weekdays)}
    assert loads["A"]["li"].over == []

    cross = across_projects(loads)

    assert cross["li"].weeks == {(2026, 41): Fraction(60)}
    assert cross["li"].over == [(2026, 41)]
    assert cross["li"].projects == {
        "A": {(2026, 41): Fraction(30)},
        "B": {(2026, 41): Fraction(30)},
    }


@settings(max_examples=50)
@given(st.lists(bookings, min_size=1, max_size=4), holidays)
def test_across_projects_adds_each_projects_hours_exactly(per_project, off):
    def is_working(day):
        return day.weekday() < 5 and day not in off

    loads = {n: weekly_load(items, is_working) for n, items in enumerate(per_project)}
    cross = across_projects(loads)
    for person, load in cross.items():
        expected = sum(
            (loads[p][person].total for p in loads if person in loads[p]), Fraction(0)
        )
        assert load.total == expected
        for week, hours in load.weeks.items():
            assert hours == sum(h.get(week, 0) for h in load.projects.values())
        assert load.over == sorted(w for w, h in load.weeks.items() if h > 40)
    kept = [(2026, 1), (2026, 2)]
    for load in across_projects(loads, kept).values():
        assert set(load.weeks) <= set(kept)
