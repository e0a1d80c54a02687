"""The schedule engine: working calendar, critical path, float, progress. Pure, no database.

The property tests draw random working calendars and random acyclic networks (links only
from a lower to a higher task number) and compare the engine with the rules stated in its
docstring and with a brute-force reference that walks the calendar one day at a time.
"""

from datetime import date, timedelta

import holidays
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from clientfolio.schedule.engine import (
    Calendar,
    CycleError,
    Link,
    LinkError,
    ScheduleError,
    TaskError,
    TaskInput,
    TaskSchedule,
    partition_links,
    rollup,
    schedule,
)

WEEKDAYS = Calendar()
MONDAY = date(2026, 1, 5)


def china(year: int) -> Calendar:
    """The Chinese working calendar of ``year`` from the holidays package."""
    official = holidays.China(years=year)
    return Calendar(
        holidays=frozenset(official),
        extra_workdays=frozenset(
            d for d in official.weekend_workdays if d.year == year
        ),
    )


def plan(tasks, links=(), calendar=WEEKDAYS, start=MONDAY, **kwargs):
    return schedule(tasks, links, calendar, project_start=start, **kwargs)


def dates(result: TaskSchedule) -> tuple[date, date]:
    return result.early_start, result.early_finish


# --- calendar ----------------------------------------------------------------------------


def test_the_holidays_package_knows_national_day_and_the_make_up_days_of_2026():
    calendar = china(2026)
    for day in range(1, 8):
        assert not calendar.is_workday(date(2026, 10, day))
    assert calendar.is_workday(date(2026, 9, 20))  # Sunday, make-up day
    assert calendar.is_workday(date(2026, 10, 10))  # Saturday, make-up day
    assert not calendar.is_workday(date(2026, 10, 11))  # an ordinary Sunday


def test_a_five_day_task_from_september_30_2026_finishes_on_october_12():
    # given National Day (October 1-7 off) and the make-up Saturday October 10
    calendar = china(2026)
    # then the five working days are Sep 30, Oct 8, Oct 9, Oct 10 (Saturday) and Oct 12
    assert calendar.add_workdays(date(2026, 9, 30), 4) == date(2026, 10, 12)
    result = plan([TaskInput(1, 5)], calendar=calendar, start=date(2026, 9, 30))
    assert dates(result.tasks[1]) == (date(2026, 9, 30), date(2026, 10, 12))
    assert result.finish == date(2026, 10, 12)


def test_a_task_may_finish_on_a_make_up_saturday():
    result = plan([TaskInput(1, 2)], calendar=china(2026), start=date(2026, 10, 9))
    assert dates(result.tasks[1]) == (date(2026, 10, 9), date(2026, 10, 10))


def test_a_project_starting_on_a_holiday_starts_on_the_next_working_day():
    result = plan([TaskInput(1, 1)], calendar=china(2026), start=date(2026, 10, 1))
    assert dates(result.tasks[1]) == (date(2026, 10, 8), date(2026, 10, 8))
    assert result.start == date(2026, 10, 8)


def test_calendar_steps_over_weekends_in_both_directions():
    friday, saturday = date(2026, 1, 9), date(2026, 1, 10)
    assert WEEKDAYS.next_workday(saturday) == date(2026, 1, 12)
    assert WEEKDAYS.previous_workday(saturday) == friday
    assert WEEKDAYS.next_workday(friday) == WEEKDAYS.previous_workday(friday) == friday
    assert WEEKDAYS.add_workdays(friday, 1) == date(2026, 1, 12)
    assert WEEKDAYS.add_workdays(friday, -5) == date(2026, 1, 2)
    assert WEEKDAYS.add_workdays(saturday, 0) == date(2026, 1, 12)
    assert WEEKDAYS.add_workdays(saturday, -1) == friday
    assert WEEKDAYS.workdays_between(MONDAY, date(2026, 1, 12)) == 5
    assert WEEKDAYS.workdays_between(date(2026, 1, 12), MONDAY) == -5


def test_calendar_refuses_contradictions():
    with pytest.raises(ValueError, match="weekday"):
        Calendar(workdays=frozenset())
    with pytest.raises(ValueError, match="weekday"):
        Calendar(workdays=frozenset({7}))
    with pytest.raises(ValueError, match="both"):
        Calendar(holidays=frozenset({MONDAY}), extra_workdays=frozenset({MONDAY}))


def test_calendars_compare_and_hash_by_value():
    a = Calendar(holidays={MONDAY})  # any iterable is accepted
    a.next_workday(MONDAY)  # builds the cached index, which must not matter
    b = Calendar(holidays=frozenset({MONDAY}))
    assert a == b
    assert hash(a) == hash(b)
    assert "index" not in repr(a)


WINDOW_START = date(2025, 12, 1)


@st.composite
def calendars(draw):
    """A random calendar: some working weekdays, holidays and make-up days in a window."""
    workdays = draw(st.frozensets(st.integers(0, 6), min_size=1))
    window = st.integers(0, 120).map(lambda n: WINDOW_START + timedelta(days=n))
    off = draw(st.frozensets(window, max_size=25))
    on = draw(st.frozensets(window, max_size=10)) - off
    return Calendar(workdays=workdays, holidays=off, extra_workdays=on)


any_day = st.integers(-400, 600).map(lambda n: WINDOW_START + timedelta(days=n))


def naive_next(calendar, day, step=1):
    while not calendar.is_workday(day):
        day += timedelta(days=step)
    return day


@given(calendars(), any_day, st.integers(-40, 40))
def test_calendar_arithmetic_agrees_with_walking_day_by_day(calendar, day, n):
    assert calendar.next_workday(day) == naive_next(calendar, day)
    assert calendar.previous_workday(day) == naive_next(calendar, day, -1)
    walked = naive_next(calendar, day)
    step = 1 if n > 0 else -1
    for _ in range(abs(n)):
        walked = naive_next(calendar, walked + timedelta(days=step), step)
    assert calendar.add_workdays(day, n) == walked
    assert calendar.is_workday(walked)


@given(calendars(), any_day, any_day)
def test_workdays_between_counts_working_days_in_the_half_open_range(calendar, a, b):
    low, high = min(a, b), max(a, b)
    count = sum(
        calendar.is_workday(low + timedelta(days=i)) for i in range((high - low).days)
    )
    assert calendar.workdays_between(a, b) == (count if a <= b else -count)


@given(calendars(), any_day, st.integers(-40, 40))
def test_workdays_between_inverts_add_workdays(calendar, day, n):
    day = calendar.next_workday(day)
    assert calendar.workdays_between(day, calendar.add_workdays(day, n)) == n


# --- links and milestones ----------------------------------------------------------------


def test_a_finish_to_start_successor_starts_on_the_next_working_day():
    result = plan([TaskInput(1, 3), TaskInput(2, 2)], [Link(1, 2)])
    assert dates(result.tasks[1]) == (MONDAY, date(2026, 1, 7))
    assert dates(result.tasks[2]) == (date(2026, 1, 8), date(2026, 1, 9))


@pytest.mark.parametrize(
    ("kind", "lag", "expected"),
    [
        ("FS", 2, (date(2026, 1, 12), date(2026, 1, 13))),  # lag over the weekend
        ("FS", -1, (date(2026, 1, 7), date(2026, 1, 8))),  # a one-day lead
        ("SS", 1, (date(2026, 1, 6), date(2026, 1, 7))),
        ("SS", 3, (date(2026, 1, 8), date(2026, 1, 9))),
        ("FF", 0, (date(2026, 1, 6), date(2026, 1, 7))),
        ("FF", 2, (date(2026, 1, 8), date(2026, 1, 9))),
        ("FF", -1, (MONDAY, date(2026, 1, 6))),
    ],
)
def test_link_kinds_with_lags_and_leads(kind, lag, expected):
    # given a three-day task from Monday January 5 and a two-day successor
    result = plan([TaskInput(1, 3), TaskInput(2, 2)], [Link(1, 2, kind, lag)])
    assert dates(result.tasks[2]) == expected


@pytest.mark.parametrize(
    ("lag", "expected"),
    [
        (0, (date(2026, 1, 8), date(2026, 1, 9))),  # finishes the day before 1 starts
        (2, (date(2026, 1, 12), date(2026, 1, 13))),
        (-2, (date(2026, 1, 6), date(2026, 1, 7))),
    ],
)
def test_start_to_finish_holds_the_finish_against_the_predecessors_start(lag, expected):
    tasks = [TaskInput(1, 1, "snet", date(2026, 1, 12)), TaskInput(2, 2)]
    result = plan(tasks, [Link(1, 2, "SF", lag)])
    assert dates(result.tasks[2]) == expected


def test_a_milestone_after_a_task_sits_on_the_tasks_finish_day():
    tasks = [TaskInput(1, 3), TaskInput(2, 0), TaskInput(3, 1)]
    result = plan(tasks, [Link(1, 2), Link(2, 3)])
    assert dates(result.tasks[2]) == (date(2026, 1, 7), date(2026, 1, 7))
    assert dates(result.tasks[3]) == (date(2026, 1, 8), date(2026, 1, 8))
    assert result.tasks[2].total_float == 0
    assert result.critical_path == (1, 2, 3)


def test_a_milestone_at_the_project_start_is_dated_on_the_start_and_so_is_its_successor():
    result = plan([TaskInput(1, 0), TaskInput(2, 2)], [Link(1, 2)])
    assert dates(result.tasks[1]) == (MONDAY, MONDAY)
    assert dates(result.tasks[2]) == (MONDAY, date(2026, 1, 6))


def test_a_milestone_started_by_a_start_link_sits_on_that_start():
    tasks = [TaskInput(1, 3), TaskInput(2, 0), TaskInput(3, 0), TaskInput(4, 1)]
    links = [Link(1, 2, "SS"), Link(1, 3, "SS", 2), Link(3, 4)]
    result = plan(tasks, links)
    assert result.tasks[2].early_start == MONDAY
    assert result.tasks[3].early_start == date(2026, 1, 7)
    assert result.tasks[4].early_start == date(2026, 1, 7)


def test_a_start_pushing_a_milestone_to_the_same_moment_as_a_finish_wins():
    # task 1 finishes Wednesday; task 2 starts Thursday: the milestone sits on Thursday
    tasks = [
        TaskInput(1, 3),
        TaskInput(2, 1, "snet", date(2026, 1, 8)),
        TaskInput(3, 0),
    ]
    result = plan(tasks, [Link(1, 3), Link(2, 3, "SS")])
    assert result.tasks[3].early_start == date(2026, 1, 8)


def test_float_and_critical_path_of_a_diamond():
    # given 1 -> (2: two days, 3: four days) -> 4
    tasks = [TaskInput(1, 1), TaskInput(2, 2), TaskInput(3, 4), TaskInput(4, 1)]
    links = [Link(1, 2), Link(1, 3), Link(2, 4), Link(3, 4)]
    result = plan(tasks, links)
    assert result.critical_path == (1, 3, 4)
    short = result.tasks[2]
    assert (short.total_float, short.free_float, short.critical) == (2, 2, False)
    assert short.late_start == date(2026, 1, 8)
    assert short.late_finish == date(2026, 1, 9)
    assert result.finish == date(2026, 1, 12)


def test_free_float_is_the_slack_before_the_first_successor_moves():
    # 2 has two days of float in total but none before it would delay 3
    tasks = [TaskInput(1, 5), TaskInput(2, 1), TaskInput(3, 2), TaskInput(4, 1)]
    links = [Link(1, 4), Link(2, 3), Link(3, 4)]
    result = plan(tasks, links)
    assert result.tasks[2].free_float == 0
    assert result.tasks[2].total_float == 2
    assert result.tasks[3].free_float == 2


def test_critical_path_is_listed_in_schedule_order_not_input_order():
    tasks = [TaskInput(30, 1), TaskInput(10, 2), TaskInput(20, 1)]
    result = plan(tasks, [Link(10, 20), Link(20, 30)])
    assert result.critical_path == (10, 20, 30)


def test_an_empty_plan_starts_and_finishes_on_the_project_start():
    result = plan([], start=date(2026, 1, 10))
    assert result.tasks == {}
    assert result.start == result.finish == date(2026, 1, 12)
    assert result.critical_path == ()


def test_task_kind_follows_the_duration():
    assert TaskInput(1, 0).kind == "milestone"
    assert TaskInput(1, 3).kind == "task"


# --- constraints ----------------------------------------------------------------------


def test_start_no_earlier_than_pushes_the_start_to_a_working_day():
    result = plan([TaskInput(1, 2, "snet", date(2026, 1, 10))])
    assert dates(result.tasks[1]) == (date(2026, 1, 12), date(2026, 1, 13))


def test_a_violated_finish_no_later_than_shows_as_negative_float():
    tasks = [TaskInput(1, 5, "fnlt", date(2026, 1, 7)), TaskInput(2, 1)]
    result = plan(tasks, [Link(1, 2)])
    first = result.tasks[1]
    assert first.late_finish == date(2026, 1, 7)
    assert first.total_float == -2
    assert first.critical
    assert result.tasks[2].total_float == 0


def test_a_finish_no_later_than_on_a_weekend_means_the_friday_before():
    tasks = [TaskInput(1, 2, "fnlt", date(2026, 1, 11)), TaskInput(2, 10)]
    result = plan(tasks)
    assert result.tasks[1].late_finish == date(2026, 1, 9)
    assert result.tasks[1].total_float == 3


def test_asap_ignores_a_left_over_constraint_date():
    result = plan([TaskInput(1, 1, "asap", date(2026, 3, 2))])
    assert result.tasks[1].early_start == MONDAY


# --- progress ----------------------------------------------------------------------------

STATUS = date(2026, 1, 14)  # a Wednesday


def test_a_finished_task_keeps_its_actual_dates_and_is_not_critical():
    task = TaskInput(
        1, 5, actual_start=date(2026, 1, 5), actual_finish=date(2026, 1, 8)
    )
    result = plan([task, TaskInput(2, 2)], [Link(1, 2)], status_date=STATUS)
    done = result.tasks[1]
    assert dates(done) == (date(2026, 1, 5), date(2026, 1, 8))
    assert (done.late_start, done.late_finish) == dates(done)
    assert (done.total_float, done.free_float, done.critical) == (0, 0, False)
    # and its unstarted successor waits for the status date
    assert dates(result.tasks[2]) == (STATUS, date(2026, 1, 15))
    assert result.critical_path == (2,)


def test_a_started_task_keeps_its_start_and_plans_its_remaining_work_from_the_status_date():
    task = TaskInput(1, 10, percent_complete=30, actual_start=date(2026, 1, 12))
    result = plan([task], status_date=STATUS)
    # seven days remain: January 14, 15, 16, 19, 20, 21 and 22
    assert dates(result.tasks[1]) == (date(2026, 1, 12), date(2026, 1, 22))


def test_remaining_work_is_rounded_up_to_whole_days():
    task = TaskInput(1, 3, percent_complete=50, actual_start=date(2026, 1, 12))
    result = plan([task], status_date=STATUS)
    assert result.tasks[1].early_finish == date(2026, 1, 15)  # 1.5 days -> 2


def test_progress_without_an_actual_start_keeps_the_planned_start():
    task = TaskInput(1, 4, percent_complete=50)
    result = plan([task], status_date=STATUS)
    assert dates(result.tasks[1]) == (MONDAY, date(2026, 1, 15))


def test_a_finished_task_without_an_actual_start_counts_back_its_duration():
    task = TaskInput(1, 3, actual_finish=date(2026, 1, 12))
    result = plan([task], status_date=STATUS)
    assert dates(result.tasks[1]) == (date(2026, 1, 8), date(2026, 1, 12))


def test_a_milestone_that_happened_is_fixed_on_its_date():
    result = plan([TaskInput(1, 0, actual_finish=date(2026, 1, 6))], status_date=STATUS)
    assert dates(result.tasks[1]) == (date(2026, 1, 6), date(2026, 1, 6))


def test_a_complete_task_without_actual_dates_keeps_its_planned_dates():
    # given a three-day task reported 100 % but never given actual dates, and a status
    # date a week after it was planned to finish
    task = TaskInput(1, 3, percent_complete=100)
    result = plan([task], status_date=STATUS)
    # then it is drawn where it was planned, not finishing on the status date
    assert dates(result.tasks[1]) == (MONDAY, date(2026, 1, 7))
    assert result.tasks[1].total_float == 0
    assert not result.tasks[1].critical


def test_a_complete_task_with_only_an_actual_start_lasts_its_duration():
    task = TaskInput(1, 3, percent_complete=100, actual_start=date(2026, 1, 6))
    result = plan([task], status_date=STATUS)
    assert dates(result.tasks[1]) == (date(2026, 1, 6), date(2026, 1, 8))


def test_a_complete_milestone_without_actual_dates_stays_after_its_predecessor():
    tasks = [
        TaskInput(1, 2, percent_complete=100),
        TaskInput(2, 0, percent_complete=100),
    ]
    result = plan(tasks, [Link(1, 2)], status_date=STATUS)
    assert dates(result.tasks[2]) == (date(2026, 1, 6), date(2026, 1, 6))


def test_work_after_complete_work_still_waits_for_the_status_date():
    tasks = [TaskInput(1, 2, percent_complete=100), TaskInput(2, 1)]
    result = plan(tasks, [Link(1, 2)], status_date=STATUS)
    assert result.tasks[2].early_start == STATUS


def test_without_a_status_date_progress_is_ignored():
    task = TaskInput(
        1,
        5,
        percent_complete=100,
        actual_start=date(2026, 1, 6),
        actual_finish=date(2026, 1, 8),
    )
    result = plan([task])
    assert dates(result.tasks[1]) == (MONDAY, date(2026, 1, 9))


def test_unstarted_tasks_and_milestones_wait_for_the_status_date():
    result = plan([TaskInput(1, 1), TaskInput(2, 0)], status_date=date(2026, 1, 17))
    assert result.tasks[1].early_start == date(2026, 1, 19)
    assert result.tasks[2].early_start == date(2026, 1, 19)


def test_a_started_tasks_finish_is_still_held_by_a_finish_to_finish_link():
    tasks = [
        TaskInput(1, 10),
        TaskInput(2, 4, percent_complete=50, actual_start=date(2026, 1, 6)),
    ]
    result = plan(tasks, [Link(1, 2, "FF")], status_date=date(2026, 1, 7))
    # task 1 waits for the status date and works January 7 to 20; two days remain of 2
    assert dates(result.tasks[1]) == (date(2026, 1, 7), date(2026, 1, 20))
    assert dates(result.tasks[2]) == (date(2026, 1, 6), date(2026, 1, 20))


# --- bad input ---------------------------------------------------------------------------


def test_a_cycle_is_refused_with_the_tasks_in_it_named():
    tasks = [TaskInput(i, 1) for i in (1, 2, 3, 4, 5)]
    links = [Link(1, 2), Link(2, 3), Link(3, 4), Link(4, 2), Link(4, 5)]
    with pytest.raises(CycleError) as caught:
        plan(tasks, links)
    cycle = caught.value.cycle
    assert sorted(cycle) == [2, 3, 4]
    # in link order, from wherever it starts
    start = cycle.index(2)
    assert cycle[start:] + cycle[:start] == (2, 3, 4)
    assert "2" in str(caught.value)
    assert "4" in str(caught.value)


def test_a_two_task_cycle_of_start_links_is_refused():
    with pytest.raises(CycleError, match="7"):
        plan([TaskInput(7, 1), TaskInput(8, 1)], [Link(7, 8, "SS"), Link(8, 7, "SS")])


def test_a_self_link_is_refused():
    with pytest.raises(LinkError, match="itself") as caught:
        plan([TaskInput(1, 1)], [Link(1, 1)])
    assert caught.value.link == Link(1, 1)


@pytest.mark.parametrize(
    ("links", "message"),
    [
        ([Link(1, 9)], "unknown task 9"),
        ([Link(9, 1)], "unknown task 9"),
        ([Link(1, 2), Link(1, 2)], "twice"),
        ([Link(1, 2, "XX")], "kind"),
        ([Link(1, 2, "FS", 1.5)], "lag"),
    ],
)
def test_bad_links_are_refused(links, message):
    with pytest.raises(LinkError, match=message):
        plan([TaskInput(1, 1), TaskInput(2, 1)], links)


def test_two_links_of_different_kinds_between_the_same_tasks_are_allowed():
    result = plan(
        [TaskInput(1, 4), TaskInput(2, 2)], [Link(1, 2, "SS", 1), Link(1, 2, "FF", 1)]
    )
    assert dates(result.tasks[2]) == (date(2026, 1, 8), date(2026, 1, 9))


@pytest.mark.parametrize(
    ("task", "message"),
    [
        (TaskInput(1, -1), "duration"),
        (TaskInput(1, 2.5), "duration"),
        (TaskInput(1, 1, percent_complete=101), "between 0 and 100"),
        (TaskInput(1, 1, percent_complete=-1), "between 0 and 100"),
        (TaskInput(1, 1, percent_complete=float("nan")), "between 0 and 100"),
        (TaskInput(1, 1, "alap"), "unknown constraint"),
        (TaskInput(1, 1, "snet"), "without a date"),
        (
            TaskInput(1, 1, actual_start=MONDAY, actual_finish=date(2026, 1, 2)),
            "before it started",
        ),
    ],
)
def test_bad_tasks_are_refused(task, message):
    with pytest.raises(TaskError, match=message) as caught:
        plan([TaskInput(9, 1), task])
    assert caught.value.task_id == 1


def test_duplicate_task_ids_are_refused():
    with pytest.raises(TaskError, match="twice"):
        plan([TaskInput(1, 1), TaskInput(1, 2)])


def test_every_refusal_is_a_value_error():
    assert issubclass(ScheduleError, ValueError)
    for error in (CycleError, LinkError, TaskError):
        assert issubclass(error, ScheduleError)


# --- roll-up -----------------------------------------------------------------------------


def leaf(task_id, start, finish):
    return TaskSchedule(task_id, start, finish, start, finish, 0, 0, True)


def test_rollup_gives_summaries_their_span_and_duration_weighted_progress():
    # given 1 > (2 > (3, 4), 5) and 6 > 7 (all milestones)
    parent_of = {1: None, 2: 1, 3: 2, 4: 2, 5: 1, 6: None, 7: 6}
    results = {
        3: leaf(3, date(2026, 1, 5), date(2026, 1, 9)),
        4: leaf(4, date(2026, 1, 12), date(2026, 1, 13)),
        5: leaf(5, date(2026, 1, 2), date(2026, 1, 2)),
        7: leaf(7, date(2026, 2, 2), date(2026, 2, 2)),
    }
    durations = {3: 5, 4: 2, 5: 0, 7: 0}
    progress = {3: 100.0, 4: 50.0, 5: 100.0, 7: 40.0}
    rolled = rollup(parent_of, results, durations, progress)
    assert set(rolled) == {1, 2, 6}
    assert rolled[2] == (date(2026, 1, 5), date(2026, 1, 13), pytest.approx(600 / 7))
    assert rolled[1] == (date(2026, 1, 2), date(2026, 1, 13), pytest.approx(600 / 7))
    assert rolled[6] == (date(2026, 2, 2), date(2026, 2, 2), pytest.approx(40.0))


def test_rollup_refuses_a_loop_in_the_tree():
    parent_of = {1: 2, 2: 3, 3: 2}
    with pytest.raises(ScheduleError, match="loops"):
        rollup(parent_of, {1: leaf(1, MONDAY, MONDAY)}, {1: 1}, {})


# --- properties on random networks -------------------------------------------------------


@st.composite
def networks(draw, max_tasks=9, constraints=True):
    """Tasks 1..n, links only from lower to higher numbers (so acyclic)."""
    n = draw(st.integers(1, max_tasks))
    tasks = []
    for i in range(1, n + 1):
        duration = draw(st.integers(0, 5))
        constraint, day = "asap", None
        if constraints and draw(st.integers(0, 5)) == 0:
            constraint = "snet"
            day = WINDOW_START + timedelta(days=draw(st.integers(0, 60)))
        tasks.append(TaskInput(i, duration, constraint, day))
    pairs = draw(
        st.lists(
            st.tuples(st.integers(1, n), st.integers(1, n)).filter(
                lambda p: p[0] < p[1]
            ),
            max_size=2 * n,
            unique=True,
        )
        if n > 1
        else st.just([])
    )
    links = [
        Link(
            a,
            b,
            draw(st.sampled_from(["FS", "FS", "SS", "FF", "SF"])),
            draw(st.integers(-3, 3)),
        )
        for a, b in pairs
    ]
    return tasks, links


starts = st.integers(0, 60).map(lambda n: WINDOW_START + timedelta(days=n))


def reference_early_dates(tasks, links, calendar, project_start):
    """Brute force: positions are instants (day, 0 = start of day / 1 = end of day) on
    working days; every task is moved forward one day (a milestone one instant) at a time
    until all its links hold, and the whole network is swept until nothing moves.

    Working time makes the end of a day equal to the start of the next working day, so a
    task's start satisfies a bound when it is not earlier in working time; a milestone is
    placed at the latest bound itself (a start beats an end at the same moment).
    """

    def step(day, n):
        direction = 1 if n >= 0 else -1
        for _ in range(abs(n)):
            day += timedelta(days=direction)
            while not calendar.is_workday(day):
                day += timedelta(days=direction)
        return day

    def after(day):
        return step(day, 1)

    def not_before(instant, bound):
        if instant >= bound:
            return True
        (day, phase), (bound_day, bound_phase) = instant, bound
        if phase == 0 and bound_phase == 1:  # start of the day after the bound's end
            return day == after(bound_day)
        if phase == 1 and bound_phase == 0:  # end of the day before the bound's start
            return bound_day == after(day)
        return False

    first = project_start
    while not calendar.is_workday(first):
        first += timedelta(days=1)
    by_id = {task.id: task for task in tasks}
    position = {}
    for task in tasks:
        day = first
        if task.constraint == "snet" and task.constraint_date > day:
            day = task.constraint_date
            while not calendar.is_workday(day):
                day += timedelta(days=1)
        position[task.id] = (day, 0)

    def start(task_id):
        return position[task_id]

    def finish(task_id):
        day, phase = position[task_id]
        duration = by_id[task_id].duration
        return (step(day, duration - 1), 1) if duration else (day, phase)

    moved = True
    while moved:
        moved = False
        for task in tasks:
            incoming = [link for link in links if link.successor == task.id]

            def bounds(incoming=incoming):
                result = []
                for link in incoming:
                    source = (
                        finish(link.predecessor)
                        if link.kind in ("FS", "FF")
                        else start(link.predecessor)
                    )
                    shifted = (step(source[0], link.lag), source[1])
                    result.append((link.kind in ("FS", "SS"), shifted))
                return result

            if task.duration:
                while not all(
                    not_before(start(task.id) if on_start else finish(task.id), bound)
                    for on_start, bound in bounds()
                ):
                    position[task.id] = (after(position[task.id][0]), 0)
                    moved = True
            else:
                latest = max([position[task.id]] + [bound for _, bound in bounds()])
                if latest != position[task.id]:
                    position[task.id] = latest
                    moved = True
    return {task.id: (start(task.id)[0], finish(task.id)[0]) for task in tasks}


@given(networks(), calendars(), starts)
def test_the_engine_agrees_with_a_brute_force_reference(network, calendar, start):
    tasks, links = network
    result = plan(tasks, links, calendar, start)
    expected = reference_early_dates(tasks, links, calendar, start)
    assert {i: dates(r) for i, r in result.tasks.items()} == expected


@given(networks(), calendars(), starts, st.integers(0, 200))
def test_work_reported_complete_is_dated_by_the_plan_whatever_the_status_date(
    network, calendar, start, days_later
):
    # given a plan whose every task is reported complete without actual dates
    tasks, links = network
    done = [
        TaskInput(t.id, t.duration, t.constraint, t.constraint_date, 100.0)
        for t in tasks
    ]
    # when it is computed at any status date
    status = start + timedelta(days=days_later)
    result = plan(done, links, calendar, start, status_date=status)
    # then the dates are the plan's (as without progress) and nothing is critical
    planned = plan(tasks, links, calendar, start)
    assert {i: dates(r) for i, r in result.tasks.items()} == {
        i: dates(r) for i, r in planned.tasks.items()
    }
    assert not any(r.critical for r in result.tasks.values())


def working_time(calendar, day, end_of_day):
    """Working days from a fixed origin to the start (or end) of ``day``."""
    return calendar.workdays_between(WINDOW_START, day) + end_of_day


@given(networks(), calendars(), starts)
def test_successors_never_start_or_finish_before_their_links_allow(
    network, calendar, start
):
    tasks, links = network
    result = plan(tasks, links, calendar, start)
    duration = {task.id: task.duration for task in tasks}
    for link in links:
        before, after = result.tasks[link.predecessor], result.tasks[link.successor]
        if link.kind in ("FS", "FF"):
            source = working_time(
                calendar, before.early_finish, duration[link.predecessor] > 0
            )
        else:
            source = working_time(calendar, before.early_start, False)
        if link.kind in ("FS", "SS"):
            target = working_time(calendar, after.early_start, False)
        else:
            target = working_time(calendar, after.early_finish, True)
        if not duration[link.successor]:
            # a milestone may sit at the end of its day
            target = working_time(calendar, after.early_start, True)
        assert target >= source + link.lag


@given(networks(), calendars(), starts)
def test_dates_are_working_days_ordered_and_within_the_project(
    network, calendar, start
):
    tasks, links = network
    result = plan(tasks, links, calendar, start)
    first = calendar.next_workday(start)
    assert result.start == first
    assert result.finish == max(r.early_finish for r in result.tasks.values())
    for task in tasks:
        r = result.tasks[task.id]
        for day in (r.early_start, r.early_finish, r.late_start, r.late_finish):
            assert calendar.is_workday(day)
        assert first <= r.early_start <= r.early_finish <= result.finish
        assert r.early_start <= r.late_start <= r.late_finish <= result.finish
        assert r.early_finish <= r.late_finish
        if task.duration:
            assert (
                calendar.add_workdays(r.early_start, task.duration - 1)
                == r.early_finish
            )
            assert (
                calendar.add_workdays(r.late_start, task.duration - 1) == r.late_finish
            )
            assert (
                calendar.workdays_between(r.early_start, r.late_start) == r.total_float
            )


@given(networks(), calendars(), starts)
def test_without_finish_constraints_float_is_never_negative_and_critical_means_zero(
    network, calendar, start
):
    tasks, links = network
    result = plan(tasks, links, calendar, start)
    assert result.critical_path  # something always finishes last
    for r in result.tasks.values():
        assert 0 <= r.free_float <= r.total_float
        assert r.critical == (r.total_float == 0)
    assert set(result.critical_path) == {
        i for i, r in result.tasks.items() if r.critical
    }
    last = [i for i, r in result.tasks.items() if r.early_finish == result.finish]
    assert any(result.tasks[i].critical for i in last)


@given(networks(constraints=False), calendars(), starts)
def test_the_late_schedule_also_honours_every_link(network, calendar, start):
    tasks, links = network
    result = plan(tasks, links, calendar, start)
    duration = {task.id: task.duration for task in tasks}
    for link in links:
        before, after = result.tasks[link.predecessor], result.tasks[link.successor]
        if not duration[link.predecessor] or not duration[link.successor]:
            continue  # milestones' start or end of day is not visible in a date
        if link.kind in ("FS", "FF"):
            source = working_time(calendar, before.late_finish, True)
        else:
            source = working_time(calendar, before.late_start, False)
        if link.kind in ("FS", "SS"):
            target = working_time(calendar, after.late_start, False)
        else:
            target = working_time(calendar, after.late_finish, True)
        assert target >= source + link.lag


@given(networks(), calendars(), starts, st.integers(0, 40))
def test_a_finish_no_later_than_lowers_float_by_exactly_the_shortfall(
    network, calendar, start, days
):
    tasks, links = network
    last = tasks[-1]
    # a milestone's end-of-day float is not visible in dates
    assume(last.duration > 0 and last.constraint == "asap")
    base = plan(tasks, links, calendar, start)
    deadline = calendar.add_workdays(calendar.next_workday(start), days)
    constrained = [*tasks[:-1], TaskInput(last.id, last.duration, "fnlt", deadline)]
    result = plan(constrained, links, calendar, start)
    before, after = base.tasks[last.id], result.tasks[last.id]
    assert dates(before) == dates(after)  # early dates never move
    shortfall = calendar.workdays_between(deadline, before.late_finish)
    assert after.total_float == before.total_float - max(0, shortfall)


# --- links to tasks the engine is not given -------------------------------------------------


def test_a_link_naming_a_task_of_another_project_is_refused_by_the_engine():
    with pytest.raises(LinkError, match="unknown task 99"):
        plan([TaskInput(1, 2)], [Link(99, 1)])


foreign_ids = st.integers(10_000, 10_050)


@given(
    networks(),
    calendars(),
    starts,
    st.lists(
        st.tuples(foreign_ids, st.booleans(), st.sampled_from("FS SS FF SF".split()))
    ),
)
def test_partitioned_links_schedule_as_if_the_foreign_ones_were_not_there(
    network, calendar, start, foreign
):
    # given a network and links between its tasks and tasks it does not hold
    tasks, links = network
    ids = [task.id for task in tasks]
    strays = [
        Link(other, ids[0], kind) if into else Link(ids[0], other, kind)
        for other, into, kind in foreign
    ]
    mixed = [*strays[: len(strays) // 2], *links, *strays[len(strays) // 2 :]]

    # when they are partitioned by the tasks given
    inside, outside = partition_links(ids, mixed)

    # then the foreign ones are set apart, in order, and the rest schedules as before
    assert inside == list(links)
    assert outside == strays
    assert plan(tasks, inside, calendar, start) == plan(tasks, links, calendar, start)
