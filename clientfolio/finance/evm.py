"""Earned value management (EVM): how much work was planned, done and paid for.

Pure Python: imports only the standard library. The status date, the working-day
calendar and the tasks are parameters. All amounts are ``Decimal`` in one currency
(convert first, see ``money.RateTable``); nothing here uses ``float``.

Terms (amounts are cumulative up to and including the status date):

- **BAC**, budget at completion: the sum of the tasks' budgets.
- **PV**, planned value: the budget of the work the baseline planned to be done by
  the status date. Each task's budget is spread evenly over the **working days** of
  its baseline (``baseline_start``..``baseline_finish``, both inclusive, as decided by
  ``is_workday``); a working day counts as planned at its end, so on the baseline
  finish a task's PV is its whole budget. A baseline without any working day plans its
  whole budget on ``baseline_finish``.
- **EV**, earned value: the budget of the work actually done,
  ``budget × percent_complete / 100`` summed over the tasks.
- **AC**, actual cost: the costs booked on or before the status date.
- **SV** = EV − PV, schedule variance (negative: behind plan).
- **CV** = EV − AC, cost variance (negative: over cost).
- **SPI** = EV / PV, schedule performance index (< 1: behind plan); ``None`` if PV = 0.
- **CPI** = EV / AC, cost performance index (< 1: over cost); ``None`` if AC = 0.
- **EAC**, estimate at completion: BAC / CPI, i.e. the rest of the work is assumed to
  cost what the work so far did. When CPI is ``None`` or 0 that is undefined, and the
  alternative EAC = AC + (BAC − EV) is used instead: the rest of the work costs its
  budget. ``Indicators.eac_basis`` says which formula was used.
- **ETC** = EAC − AC, estimate to complete.
- **VAC** = BAC − EAC, variance at completion (negative: expected overrun).

Rounding: amounts are quantised to ``AMOUNT_QUANTUM`` (0.01) and ratios to
``RATIO_QUANTUM`` (0.0001), both ``ROUND_HALF_UP``. SV, CV, ETC and VAC are computed
from the already-quantised amounts, so the identities above hold exactly.
"""

from __future__ import annotations

import calendar
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal, localcontext
from typing import Literal, NamedTuple

__all__ = [
    "AMOUNT_QUANTUM",
    "RATIO_QUANTUM",
    "CurvePoint",
    "Indicators",
    "PlannedTask",
    "actual_cost",
    "budget_at_completion",
    "earned_value",
    "indicators",
    "curve_dates",
    "known_progress",
    "planned_value",
    "s_curve",
]

AMOUNT_QUANTUM = Decimal("0.01")
RATIO_QUANTUM = Decimal("0.0001")
_HUNDRED = Decimal(100)
_CONTEXT = Context(prec=28, rounding=ROUND_HALF_EVEN)

IsWorkday = Callable[[date], bool]
Step = Literal["day", "week", "month"]


def _amount(value: Decimal) -> Decimal:
    with localcontext(_CONTEXT):
        return value.quantize(AMOUNT_QUANTUM, rounding=ROUND_HALF_UP)


def _ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    if denominator == 0:
        return None
    with localcontext(_CONTEXT):
        return (numerator / denominator).quantize(RATIO_QUANTUM, rounding=ROUND_HALF_UP)


def _check_decimal(value: Decimal, what: str) -> None:
    if not isinstance(value, Decimal):
        raise TypeError(f"{what} must be a Decimal, got {type(value).__name__}.")
    if not value.is_finite():
        raise ValueError(f"{what} must be finite, got {value}.")


@dataclass(frozen=True, slots=True)
class PlannedTask:
    """A task's budget and baseline dates (both inclusive).

    Raises ``ValueError`` for a negative budget or a finish before the start, and
    ``TypeError`` for a non-``Decimal`` budget.
    """

    id: int
    budget: Decimal
    baseline_start: date
    baseline_finish: date

    def __post_init__(self) -> None:
        _check_decimal(self.budget, f"Budget of task {self.id}")
        if self.budget < 0:
            raise ValueError(f"Budget of task {self.id} is negative: {self.budget}.")
        if self.baseline_finish < self.baseline_start:
            raise ValueError(
                f"Baseline of task {self.id} finishes ({self.baseline_finish}) "
                f"before it starts ({self.baseline_start})."
            )


class _Spread:
    """One task's budget spread over its baseline working days."""

    __slots__ = ("budget", "finish", "workdays")

    def __init__(self, task: PlannedTask, is_workday: IsWorkday) -> None:
        self.budget = task.budget
        self.finish = task.baseline_finish
        days = (task.baseline_finish - task.baseline_start).days + 1
        self.workdays = [
            day
            for day in (task.baseline_start + timedelta(n) for n in range(days))
            if is_workday(day)
        ]

    def planned(self, on: date) -> Decimal:
        if on >= self.finish:
            return self.budget
        done = bisect_right(self.workdays, on)
        if done == 0:
            return Decimal(0)
        with localcontext(_CONTEXT):
            return self.budget * done / len(self.workdays)


def _planned_total(spreads: Iterable[_Spread], on: date) -> Decimal:
    with localcontext(_CONTEXT):
        return _amount(sum((spread.planned(on) for spread in spreads), Decimal(0)))


def budget_at_completion(tasks: Iterable[PlannedTask]) -> Decimal:
    """Return BAC, the sum of the budgets, quantised to ``AMOUNT_QUANTUM``."""
    with localcontext(_CONTEXT):
        return _amount(sum((task.budget for task in tasks), Decimal(0)))


def planned_value(
    tasks: Iterable[PlannedTask], on: date, is_workday: IsWorkday
) -> Decimal:
    """Return PV at the end of ``on``, quantised to ``AMOUNT_QUANTUM``.

    Non-decreasing in ``on``; 0 before the earliest baseline start and equal to
    ``budget_at_completion(tasks)`` from the latest baseline finish on.
    """
    return _planned_total((_Spread(task, is_workday) for task in tasks), on)


def _earned(budget: Decimal, percent: Decimal, task_id: int) -> Decimal:
    _check_decimal(percent, f"Percent complete of task {task_id}")
    if not 0 <= percent <= 100:
        raise ValueError(
            f"Percent complete of task {task_id} must be between 0 and 100, got {percent}."
        )
    with localcontext(_CONTEXT):
        return budget * percent / _HUNDRED


def earned_value(
    tasks: Iterable[PlannedTask], progress: Mapping[int, Decimal]
) -> Decimal:
    """Return EV: ``budget × percent_complete / 100`` summed, quantised to
    ``AMOUNT_QUANTUM``.

    ``progress`` maps task id to percent complete (0..100); a task missing from it is
    at 0 %. Always between 0 and BAC, and equal to BAC when every task is at 100 %.
    Raises ``ValueError`` for a percentage outside 0..100.
    """
    with localcontext(_CONTEXT):
        return _amount(
            sum(
                (
                    _earned(task.budget, progress.get(task.id, Decimal(0)), task.id)
                    for task in tasks
                ),
                Decimal(0),
            )
        )


def actual_cost(costs: Iterable[tuple[date, Decimal]], on: date) -> Decimal:
    """Return AC: the costs dated on or before ``on``, summed and quantised to
    ``AMOUNT_QUANTUM``. Negative costs (credits) are allowed."""
    total = Decimal(0)
    with localcontext(_CONTEXT):
        for day, amount in costs:
            _check_decimal(amount, f"Cost on {day}")
            if day <= on:
                total += amount
    return _amount(total)


@dataclass(frozen=True, slots=True)
class Indicators:
    """The earned-value indicators at one status date (terms: see the module docstring).

    Amounts are quantised to ``AMOUNT_QUANTUM``, ratios to ``RATIO_QUANTUM``.
    """

    bac: Decimal
    pv: Decimal
    ev: Decimal
    ac: Decimal
    sv: Decimal
    cv: Decimal
    spi: Decimal | None
    cpi: Decimal | None
    eac: Decimal
    etc: Decimal
    vac: Decimal
    eac_basis: Literal["cpi", "remaining_at_budget"]


def indicators(bac: Decimal, pv: Decimal, ev: Decimal, ac: Decimal) -> Indicators:
    """Return SV, CV, SPI, CPI, EAC, ETC and VAC from BAC, PV, EV and AC.

    The inputs are quantised to ``AMOUNT_QUANTUM`` first. SPI is ``None`` when PV is 0
    and CPI when AC is 0. EAC is ``BAC × AC / EV`` (= BAC / CPI, from the unrounded
    CPI), or ``AC + (BAC − EV)`` when CPI is ``None`` or 0. Raises ``TypeError`` for a
    non-``Decimal`` input and ``ValueError`` for a negative one.
    """
    for name, value in (("BAC", bac), ("PV", pv), ("EV", ev), ("AC", ac)):
        _check_decimal(value, name)
        if value < 0:
            raise ValueError(f"{name} must not be negative, got {value}.")
    bac, pv, ev, ac = _amount(bac), _amount(pv), _amount(ev), _amount(ac)
    spi = _ratio(ev, pv)
    cpi = _ratio(ev, ac)
    eac_basis: Literal["cpi", "remaining_at_budget"]
    with localcontext(_CONTEXT):
        if ac != 0 and ev != 0:
            eac = _amount(bac * ac / ev)
            eac_basis = "cpi"
        else:
            eac = ac + (bac - ev)
            eac_basis = "remaining_at_budget"
        return Indicators(
            bac=bac,
            pv=pv,
            ev=ev,
            ac=ac,
            sv=ev - pv,
            cv=ev - ac,
            spi=spi,
            cpi=cpi,
            eac=eac,
            etc=eac - ac,
            vac=bac - eac,
            eac_basis=eac_basis,
        )


class CurvePoint(NamedTuple):
    """One point of the S-curve: cumulative PV, EV and AC at the end of ``on``."""

    on: date
    pv: Decimal
    ev: Decimal
    ac: Decimal


def _add_months(start: date, months: int) -> date:
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _curve_dates(start: date, end: date, step: Step) -> list[date]:
    if end < start:
        raise ValueError(f"The curve ends ({end}) before it starts ({start}).")
    if step not in ("day", "week", "month"):
        raise ValueError(f"Step must be 'day', 'week' or 'month', got {step!r}.")
    points: list[date] = []
    n = 0
    while True:
        if step == "month":
            point = _add_months(start, n)
        else:
            point = start + timedelta(n * (1 if step == "day" else 7))
        if point >= end:
            break
        points.append(point)
        n += 1
    points.append(end)
    return points


def s_curve(
    tasks: Sequence[PlannedTask],
    progress_history: Iterable[tuple[date, int, Decimal]],
    costs: Iterable[tuple[date, Decimal]],
    start: date,
    end: date,
    is_workday: IsWorkday,
    step: Step = "week",
) -> list[CurvePoint]:
    """Return cumulative PV, EV and AC for charts, from ``start`` to ``end`` inclusive.

    Points are ``start``, then every ``step`` (a day, 7 days, or a calendar month with
    the day of month clamped to the month's length) and always ``end`` last.
    ``progress_history`` holds ``(date, task_id, percent_complete)`` records; at each
    point a task's progress is its latest record on or before that point (0 before
    the first; the last record wins among records of the same task and date). Each
    point equals ``planned_value``, ``earned_value`` and ``actual_cost`` at its date.
    Raises ``ValueError`` for ``end < start``, an unknown step or a percentage outside
    0..100.
    """
    points = _curve_dates(start, end, step)
    spreads = [_Spread(task, is_workday) for task in tasks]
    budgets = {task.id: task.budget for task in tasks}
    history = sorted(
        (record for record in progress_history if record[1] in budgets),
        key=lambda record: record[0],
    )
    cost_list = sorted(costs, key=lambda cost: cost[0])
    for day, amount in cost_list:
        _check_decimal(amount, f"Cost on {day}")

    earned_by_task: dict[int, Decimal] = {}
    earned_total = Decimal(0)
    cost_total = Decimal(0)
    next_record = next_cost = 0
    curve: list[CurvePoint] = []
    with localcontext(_CONTEXT):
        for point in points:
            while next_record < len(history) and history[next_record][0] <= point:
                _, task_id, percent = history[next_record]
                earned = _earned(budgets[task_id], percent, task_id)
                earned_total += earned - earned_by_task.get(task_id, Decimal(0))
                earned_by_task[task_id] = earned
                next_record += 1
            while next_cost < len(cost_list) and cost_list[next_cost][0] <= point:
                cost_total += cost_list[next_cost][1]
                next_cost += 1
            curve.append(
                CurvePoint(
                    point,
                    _planned_total(spreads, point),
                    _amount(earned_total),
                    _amount(cost_total),
                )
            )
    return curve


def known_progress(
    records: Iterable[tuple[date, int, Decimal]],
    starts: Mapping[int, date],
    finishes: Mapping[int, date],
    on: Sequence[date],
) -> list[tuple[date, int, Decimal]]:
    """Each task's percent complete at each date of ``on``, as far as it is known, as
    ``(date, task_id, percent)`` records for ``s_curve``.

    ``records`` are the progress recorded (its history, and the current value at the
    status date): after a record its value holds until the next one (the last of a day
    wins). ``starts`` and ``finishes`` are the tasks' actual start and finish dates:
    progress is 0 % up to the start and 100 % from the finish, and between the start
    (or finish) and the next thing known it grows linearly with calendar days. Before
    anything is known a task is at 0 %. Without dates a task's curve steps up on its
    records, which is all that is known. Percentages stay within 0..100.
    """
    by_task: dict[int, dict[date, tuple[Decimal, bool]]] = {}
    for day, task_id, percent in sorted(records, key=lambda r: r[0]):
        by_task.setdefault(task_id, {})[day] = (Decimal(percent), False)
    for task_id, day in starts.items():
        anchors = by_task.setdefault(task_id, {})
        # A record on the start day itself says more than "it started".
        anchors.setdefault(day, (Decimal(0), True))
    for task_id, day in finishes.items():
        by_task.setdefault(task_id, {})[day] = (_HUNDRED, True)
    result: list[tuple[date, int, Decimal]] = []
    for task_id, anchors in by_task.items():
        days = sorted(anchors)
        for point in on:
            index = bisect_right(days, point) - 1
            if index < 0:
                continue
            day = days[index]
            value, is_actual = anchors[day]
            if is_actual and index + 1 < len(days) and day < point:
                after = days[index + 1]
                target = anchors[after][0]
                with localcontext(_CONTEXT):
                    value += (target - value) * (point - day).days / (after - day).days
            result.append((point, task_id, min(max(value, Decimal(0)), _HUNDRED)))
    return result


def curve_dates(start: date, end: date, step: Step) -> list[date]:
    """The dates of an S-curve from ``start`` to ``end`` (see ``s_curve``)."""
    return _curve_dates(start, end, step)
