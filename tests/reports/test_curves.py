"""The pure progress series of a report's chart: planned by the baseline, actual from
the tasks' recorded percent, duration-weighted."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from clientfolio.reports import curves
from clientfolio.reports.periods import period_of

DAY = date(2026, 11, 2)

tasks = st.lists(
    st.builds(
        lambda i, w, s, n: curves.PlannedTask(
            i, w, DAY + timedelta(s), DAY + timedelta(s + n)
        ),
        st.integers(1, 50),
        st.integers(0, 20),
        st.integers(0, 30),
        st.integers(0, 20),
    ),
    max_size=8,
    unique_by=lambda t: t.id,
)


@settings(max_examples=40)
@given(
    tasks,
    st.lists(
        st.tuples(st.integers(0, 60), st.integers(1, 50), st.integers(0, 100)),
        max_size=20,
    ),
)
def test_the_planned_share_only_grows_and_every_figure_is_a_percent(plan, records):
    history = [(DAY + timedelta(d), task_id, p) for d, task_id, p in records]
    points = [DAY + timedelta(n * 7) for n in range(10)]
    series = curves.progress_series(plan, history, points)
    assert [p.on for p in series] == points
    planned = [p.planned for p in series if p.planned is not None]
    assert planned == sorted(planned)
    assert all(p.actual is None or 0 <= p.actual <= 100 for p in series)
    assert all(0 <= p <= 100 for p in planned)


def test_planned_and_actual_of_two_tasks():
    plan = [
        curves.PlannedTask(1, 5, date(2026, 11, 2), date(2026, 11, 6)),
        curves.PlannedTask(2, 5, date(2026, 11, 9), date(2026, 11, 13)),
    ]
    history = [(date(2026, 11, 6), 1, 100), (date(2026, 11, 11), 2, 40)]
    points = [date(2026, 11, 1), date(2026, 11, 8), date(2026, 11, 11)]
    series = curves.progress_series(plan, history, points)
    # before the first record the history says nothing
    assert [(p.planned, p.actual) for p in series] == [(0, None), (50, 50), (80, 70)]


def test_the_period_ends_step_back_one_period_at_a_time():
    ends = curves.period_ends(date(2026, 11, 11), 3, period_of, "weekly")
    assert ends == [date(2026, 11, 1), date(2026, 11, 8), date(2026, 11, 11)]
