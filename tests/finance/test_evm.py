"""Earned value: PV spread over working days, EV, AC, the indicators and the S-curve.
Pure, no database."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clientfolio.finance import evm
from clientfolio.finance.evm import (
    CurvePoint,
    PlannedTask,
    actual_cost,
    budget_at_completion,
    earned_value,
    indicators,
    planned_value,
    s_curve,
)

MONDAY = date(2026, 1, 5)


def weekdays(day: date) -> bool:
    return day.weekday() < 5


def every_day(day: date) -> bool:
    return True


budgets = st.decimals(min_value=Decimal(0), max_value=Decimal("1000000"), places=2)
percents = st.decimals(min_value=Decimal(0), max_value=Decimal(100), places=1)
calendars = st.sampled_from([weekdays, every_day])


@st.composite
def task_lists(draw):
    count = draw(st.integers(1, 8))
    tasks = []
    for task_id in range(1, count + 1):
        start = MONDAY + timedelta(draw(st.integers(0, 60)))
        finish = start + timedelta(draw(st.integers(0, 40)))
        tasks.append(PlannedTask(task_id, draw(budgets), start, finish))
    return tasks


def test_budget_is_spread_evenly_over_working_days():
    task = PlannedTask(
        1, Decimal("1000"), MONDAY, MONDAY + timedelta(13)
    )  # 10 workdays
    assert planned_value([task], MONDAY - timedelta(1), weekdays) == Decimal("0.00")
    assert planned_value([task], MONDAY, weekdays) == Decimal("100.00")
    friday, saturday = MONDAY + timedelta(4), MONDAY + timedelta(5)
    assert planned_value([task], friday, weekdays) == Decimal("500.00")
    assert planned_value([task], saturday, weekdays) == Decimal("500.00")
    assert planned_value([task], MONDAY + timedelta(13), weekdays) == Decimal("1000.00")


def test_a_baseline_without_working_days_plans_everything_on_its_finish():
    saturday = MONDAY + timedelta(5)
    task = PlannedTask(1, Decimal("300"), saturday, saturday + timedelta(1))
    assert planned_value([task], saturday, weekdays) == Decimal("0.00")
    assert planned_value([task], saturday + timedelta(1), weekdays) == Decimal("300.00")


def test_bad_tasks_are_rejected():
    with pytest.raises(ValueError, match="negative"):
        PlannedTask(1, Decimal(-1), MONDAY, MONDAY)
    with pytest.raises(ValueError, match="before it starts"):
        PlannedTask(1, Decimal(1), MONDAY, MONDAY - timedelta(1))
    with pytest.raises(TypeError):
        PlannedTask(1, 1.0, MONDAY, MONDAY)  # type: ignore[arg-type]


@given(task_lists(), calendars, st.integers(-5, 120), st.integers(0, 30))
def test_planned_value_is_monotonic_and_reaches_bac(tasks, is_workday, offset, later):
    on = MONDAY + timedelta(offset)
    earlier_pv = planned_value(tasks, on, is_workday)
    later_pv = planned_value(tasks, on + timedelta(later), is_workday)
    bac = budget_at_completion(tasks)
    assert Decimal(0) <= earlier_pv <= later_pv <= bac
    last_finish = max(task.baseline_finish for task in tasks)
    assert planned_value(tasks, last_finish, is_workday) == bac
    assert planned_value(tasks, last_finish + timedelta(later), is_workday) == bac


@given(task_lists(), st.data())
def test_earned_value_is_at_most_bac_and_equals_it_at_100_percent(tasks, data):
    progress = {task.id: data.draw(percents) for task in tasks}
    bac = budget_at_completion(tasks)
    assert Decimal(0) <= earned_value(tasks, progress) <= bac
    assert earned_value(tasks, dict.fromkeys(progress, Decimal(100))) == bac
    assert earned_value(tasks, {}) == Decimal(0)


def test_earned_value_rejects_impossible_progress():
    task = PlannedTask(7, Decimal(100), MONDAY, MONDAY)
    with pytest.raises(ValueError, match="between 0 and 100"):
        earned_value([task], {7: Decimal("100.1")})


def test_actual_cost_counts_costs_up_to_the_status_date():
    costs = [(MONDAY, Decimal("10.005")), (MONDAY + timedelta(1), Decimal("5"))]
    assert actual_cost(costs, MONDAY - timedelta(1)) == Decimal("0.00")
    assert actual_cost(costs, MONDAY) == Decimal("10.01")
    assert actual_cost(costs, MONDAY + timedelta(9)) == Decimal("15.01")


def test_indicators_for_a_late_and_over_budget_project():
    result = indicators(Decimal(1000), Decimal(500), Decimal(400), Decimal(500))
    assert result.sv == Decimal(-100)
    assert result.cv == Decimal(-100)
    assert result.spi == Decimal("0.8000")
    assert result.cpi == Decimal("0.8000")
    assert result.eac == Decimal("1250.00")
    assert result.etc == Decimal("750.00")
    assert result.vac == Decimal("-250.00")
    assert result.eac_basis == "cpi"


def test_without_costs_or_plan_the_ratios_are_none():
    result = indicators(Decimal(1000), Decimal(0), Decimal(100), Decimal(0))
    assert result.spi is None
    assert result.cpi is None
    assert result.eac == Decimal(900)
    assert result.eac_basis == "remaining_at_budget"


def test_no_earned_value_yet_falls_back_to_remaining_at_budget():
    result = indicators(Decimal(1000), Decimal(100), Decimal(0), Decimal(50))
    assert result.cpi == Decimal(0)
    assert result.eac == Decimal(1050)
    assert result.eac_basis == "remaining_at_budget"


def test_indicators_reject_negative_amounts():
    with pytest.raises(ValueError, match="AC must not be negative"):
        indicators(Decimal(1), Decimal(1), Decimal(1), Decimal(-1))


amounts = st.decimals(min_value=Decimal(0), max_value=Decimal("10000000"), places=3)


@given(amounts, amounts, amounts, amounts)
def test_indicator_identities(bac, pv, ev, ac):
    result = indicators(bac, pv, ev, ac)
    assert result.sv == result.ev - result.pv
    assert result.cv == result.ev - result.ac
    assert result.etc == result.eac - result.ac
    assert result.vac == result.bac - result.eac
    for value in (result.pv, result.ev, result.ac, result.eac, result.etc, result.vac):
        assert value == value.quantize(Decimal("0.01"))
    if result.eac_basis == "cpi":
        # BAC / CPI computed as BAC × AC / EV: dividing by a rounded-off CPI would
        # add its own error on top of the half-cent of the final rounding.
        exact = result.bac * result.ac / result.ev
        assert abs(result.eac - exact) <= Decimal("0.005")
    else:
        assert result.eac == result.ac + (result.bac - result.ev)


def test_s_curve_points_match_the_single_date_functions():
    tasks = [
        PlannedTask(1, Decimal("1000"), MONDAY, MONDAY + timedelta(11)),
        PlannedTask(2, Decimal("500"), MONDAY + timedelta(7), MONDAY + timedelta(20)),
    ]
    history = [
        (MONDAY + timedelta(3), 1, Decimal(20)),
        (MONDAY + timedelta(10), 1, Decimal(60)),
        (MONDAY + timedelta(10), 2, Decimal(10)),
        (MONDAY + timedelta(20), 99, Decimal(50)),  # not one of these tasks
    ]
    costs = [
        (MONDAY + timedelta(2), Decimal(150)),
        (MONDAY + timedelta(9), Decimal(300)),
    ]
    end = MONDAY + timedelta(24)
    curve = s_curve(tasks, history, costs, MONDAY, end, weekdays)
    assert [point.on for point in curve] == [
        MONDAY + timedelta(n) for n in (0, 7, 14, 21, 24)
    ]
    for point in curve:
        progress = {task_id: pc for day, task_id, pc in history if day <= point.on}
        assert point == CurvePoint(
            point.on,
            planned_value(tasks, point.on, weekdays),
            earned_value(tasks, {k: v for k, v in progress.items() if k != 99}),
            actual_cost(costs, point.on),
        )
    assert curve[-1].pv == Decimal("1500.00")
    assert curve[-1].ev == Decimal("650.00")


def test_s_curve_steps_by_day_and_month():
    daily = s_curve([], [], [], MONDAY, MONDAY + timedelta(2), weekdays, step="day")
    assert len(daily) == 3
    monthly = s_curve(
        [], [], [], date(2026, 1, 31), date(2026, 4, 15), weekdays, "month"
    )
    assert [p.on for p in monthly] == [
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 15),
    ]
    with pytest.raises(ValueError, match="Step"):
        s_curve([], [], [], MONDAY, MONDAY, weekdays, "year")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="before it starts"):
        s_curve([], [], [], MONDAY, MONDAY - timedelta(1), weekdays)


@given(task_lists(), calendars)
def test_s_curve_pv_is_monotonic_and_ends_at_bac(tasks, is_workday):
    end = max(task.baseline_finish for task in tasks)
    curve = s_curve(tasks, [], [], MONDAY, end, is_workday, step="day")
    pvs = [point.pv for point in curve]
    assert pvs == sorted(pvs)
    assert pvs[-1] == budget_at_completion(tasks)


# --- progress as far as it is known (known_progress) ------------------------------------


def test_known_progress_ramps_from_the_actual_start_to_the_first_record():
    on = [date(2026, 3, d) for d in (1, 2, 6, 11, 20)]
    known = evm.known_progress(
        [(date(2026, 3, 11), 7, Decimal(50))], {7: date(2026, 3, 1)}, {}, on
    )
    assert [p for _d, _t, p in known] == [0, 5, 25, 50, 50]


def test_known_progress_steps_between_records_and_reaches_100_at_the_finish():
    on = [date(2026, 3, d) for d in (1, 5, 9, 10, 12)]
    known = evm.known_progress(
        [(date(2026, 3, 5), 1, Decimal(30)), (date(2026, 3, 12), 1, Decimal(100))],
        {},
        {1: date(2026, 3, 10)},
        on,
    )
    assert [(d.day, p) for d, _t, p in known] == [
        (5, 30),
        (9, 30),
        (10, 100),
        (12, 100),
    ]


@settings(max_examples=60)
@given(
    st.lists(
        st.tuples(st.integers(0, 60), st.integers(1, 3), st.integers(0, 100)),
        max_size=8,
    ),
    st.dictionaries(st.integers(1, 3), st.integers(0, 60), max_size=3),
    st.dictionaries(st.integers(1, 3), st.integers(0, 60), max_size=3),
)
def test_known_progress_stays_within_0_and_100_and_keeps_the_last_record(
    records, starts, finishes
):
    base = date(2026, 1, 1)
    on = [base + timedelta(days=n) for n in range(0, 70, 5)]
    rows = [(base + timedelta(days=d), t, Decimal(p)) for d, t, p in records]
    known = evm.known_progress(
        rows,
        {t: base + timedelta(days=d) for t, d in starts.items()},
        {t: base + timedelta(days=d) for t, d in finishes.items()},
        on,
    )
    assert all(0 <= p <= 100 for _d, _t, p in known)
    assert len({(d, t) for d, t, _p in known}) == len(known)
    last = on[-1]
    for task_id in {t for _d, t, _p in rows} - set(finishes) - set(starts):
        latest = max((d, i) for i, (d, t, _p) in enumerate(rows) if t == task_id)
        expected = rows[latest[1]][2]
        assert (last, task_id, expected) in known
