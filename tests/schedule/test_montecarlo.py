"""The Monte Carlo forecast: reproducible, ordered percentiles, and exact when estimates
have no spread. Pure, no database."""

import math
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clientfolio.schedule import montecarlo
from clientfolio.schedule.engine import (
    Calendar,
    CycleError,
    Link,
    ScheduleError,
    TaskError,
    TaskInput,
    schedule,
)
from clientfolio.schedule.montecarlo import PROJECT, forecast
from tests.schedule.test_engine import calendars, china, networks, starts

MONDAY = date(2026, 1, 5)
TASKS = [
    TaskInput(1, 5),
    TaskInput(2, 3),
    TaskInput(3, 4),
    TaskInput(4, 0),  # milestone after 2 and 3
    TaskInput(5, 2),
]
LINKS = [Link(1, 2), Link(1, 3, "SS", 2), Link(2, 4), Link(3, 4), Link(4, 5)]
ESTIMATES = {1: (3, 5, 12), 2: (2, 3, 8), 3: (4, 4, 4), 5: (1, 2, 6)}


def run(**changes):
    arguments = {
        "project_start": MONDAY,
        "estimates": ESTIMATES,
        "milestones": [4],
        "planned": {PROJECT: date(2026, 1, 23), 4: date(2026, 1, 16)},
        "runs": 2000,
        "seed": 7,
    }
    arguments.update(changes)
    return forecast(TASKS, LINKS, Calendar(), **arguments)


def test_the_same_seed_gives_the_same_forecast():
    assert run() == run()


def test_percentiles_are_ordered_and_probabilities_are_shares():
    result = run()
    assert set(result.finishes) == {PROJECT, 4}
    for finish in result.finishes.values():
        assert finish.p50 <= finish.p80 <= finish.p95
        assert finish.probability is not None
        assert 0 <= finish.probability <= 1
    assert result.finishes[4].p95 <= result.project.p95
    assert result.runs == 2000


def test_estimates_without_spread_reproduce_the_deterministic_schedule():
    flat = {task.id: (task.duration,) * 3 for task in TASKS if task.duration}
    result = run(estimates=flat, runs=50)
    plan = schedule(TASKS, LINKS, Calendar(), project_start=MONDAY)
    assert result.project.p50 == result.project.p95 == plan.finish
    milestone = result.finishes[4]
    assert milestone.p50 == milestone.p95 == plan.tasks[4].early_finish


def test_the_probability_of_a_planned_date_is_the_share_of_runs_finishing_by_it():
    plan = schedule(TASKS, LINKS, Calendar(), project_start=MONDAY)
    flat = {task.id: (task.duration,) * 3 for task in TASKS if task.duration}
    on_time = run(estimates=flat, planned={PROJECT: plan.finish}, runs=10)
    assert on_time.project.probability == 1.0
    a_day_early = Calendar().add_workdays(plan.finish, -1)
    late = run(estimates=flat, planned={PROJECT: a_day_early}, runs=10)
    assert late.project.probability == 0.0
    # and a date after P95 is met in at least 95% of the runs
    spread = run()
    after = run(planned={PROJECT: spread.project.p95})
    assert after.project.probability >= 0.95


def test_a_key_without_a_planned_date_has_no_probability():
    result = run(planned={})
    assert result.project.planned is None
    assert result.project.probability is None


def test_longer_pessimistic_estimates_never_finish_earlier():
    base = run()
    slower = run(estimates={**ESTIMATES, 1: (3, 5, 30)})
    assert slower.project.p95 >= base.project.p95


def test_a_chinese_calendar_keeps_forecasts_on_working_days():
    calendar = china(2026)
    result = forecast(
        TASKS,
        LINKS,
        calendar,
        project_start=date(2026, 9, 21),
        estimates=ESTIMATES,
        milestones=[4],
        planned={},
        seed=3,
        runs=500,
    )
    for finish in result.finishes.values():
        for day in (finish.p50, finish.p80, finish.p95):
            assert calendar.is_workday(day)


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        ({"estimates": {1: (6, 5, 12)}}, TaskError, "optimistic"),
        ({"estimates": {1: (0, 5, 12)}}, TaskError, "optimistic"),
        ({"estimates": {99: (1, 2, 3)}}, TaskError, "unknown task 99"),
        ({"estimates": {4: (1, 2, 3)}}, TaskError, "milestone"),
        ({"milestones": [99]}, TaskError, "99"),
        ({"planned": {5: MONDAY}}, ScheduleError, "not forecast"),
        ({"runs": 0}, ScheduleError, "runs"),
    ],
)
def test_bad_input_is_refused(changes, error, message):
    with pytest.raises(error, match=message):
        run(**changes)


def test_a_cycle_is_refused_as_by_the_engine():
    with pytest.raises(CycleError):
        forecast(
            [TaskInput(1, 1), TaskInput(2, 1)],
            [Link(1, 2), Link(2, 1)],
            Calendar(),
            project_start=MONDAY,
            estimates={},
            milestones=[],
            planned={},
            seed=1,
        )


def simpson(f, a, b, steps=2000):
    h = (b - a) / steps
    total = f(a) + f(b)
    total += sum((4 if i % 2 else 2) * f(a + i * h) for i in range(1, steps))
    return total * h / 3


@pytest.mark.parametrize(("a", "b"), [(1, 1), (2, 2), (1.8, 4.2), (5, 1), (3.4, 2.6)])
@pytest.mark.parametrize("x", [0.05, 0.3, 0.5, 0.77, 0.99])
def test_the_beta_cdf_matches_numerical_integration(a, b, x):
    norm = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b))
    expected = simpson(lambda t: norm * t ** (a - 1) * (1 - t) ** (b - 1), 0, x)
    assert montecarlo._beta_cdf(x, a, b) == pytest.approx(expected, abs=1e-6)


def test_a_pert_table_draws_each_whole_duration_with_its_probability():
    # PERT(2, 4, 10) has shapes 2 and 4; rounded: P(d <= k) = I((k + 0.5 - 2) / 8; 2, 4)
    table = montecarlo._pert_table(2, 4, 10)
    assert len(table) == 1 << 16
    assert table == sorted(table)
    for k in range(2, 10):
        share = sum(1 for v in table if v <= 2 * k) / len(table)
        expected = montecarlo._beta_cdf((k + 0.5 - 2) / 8, 2, 4)
        assert share == pytest.approx(expected, abs=1 / (1 << 16))
    mean = sum(table) / 2 / len(table)
    assert mean == pytest.approx((2 + 4 * 4 + 10) / 6, abs=0.05)


@settings(max_examples=40)
@given(networks(), calendars(), starts)
def test_on_random_networks_zero_spread_forecasts_equal_the_schedule(
    network, calendar, start
):
    tasks, links = network
    plan = schedule(tasks, links, calendar, project_start=start)
    milestones = [task.id for task in tasks]
    flat = {task.id: (task.duration,) * 3 for task in tasks if task.duration}
    result = forecast(
        tasks,
        links,
        calendar,
        project_start=start,
        estimates=flat,
        milestones=milestones,
        planned={PROJECT: plan.finish},
        runs=3,
        seed=0,
    )
    assert result.project.p50 == result.project.p95 == plan.finish
    assert result.project.probability == 1.0
    for task_id in milestones:
        assert result.finishes[task_id].p50 == plan.tasks[task_id].early_finish


@settings(max_examples=40)
@given(networks(), calendars(), starts, st.integers(0, 2**32))
def test_on_random_networks_percentiles_are_ordered(network, calendar, start, seed):
    tasks, links = network
    estimates = {
        task.id: (task.duration, task.duration + 1, task.duration + 4)
        for task in tasks
        if task.duration
    }
    result = forecast(
        tasks,
        links,
        calendar,
        project_start=start,
        estimates=estimates,
        milestones=[],
        planned={},
        runs=200,
        seed=seed,
    )
    project = result.project
    assert project.p50 <= project.p80 <= project.p95
    if all(link.kind == "FS" for link in links):
        # (with FF and SF links a longer task may start earlier: no such bound then)
        optimistic = schedule(tasks, links, calendar, project_start=start)
        assert optimistic.finish <= project.p50
