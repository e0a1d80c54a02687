"""The project's finance overview: budget against actual cost, billing, earned value.

Everything is aggregated by the database (``SUM … GROUP BY``); Python only combines the
grouped rows, so a project with 50,000 time entries costs the same handful of queries as
one with ten.

Definitions
- **Budget**: the project's budget lines. **Actual**: approved expenses plus the stored
  ``cost_amount`` of time entries (labour). Amounts are shown in CNY (the reporting
  currency): dated amounts (expenses, time) convert at the rate valid on their date,
  budget lines at the rate valid on the status date. An amount whose
  rate is missing is left out and named in ``warnings``.
- **By WBS branch**: a top-level task of the plan and everything below it. Budget lines
  and costs without a task, or on a task deleted since, go to the "unassigned" row.
- **EVM** (see ``finance.evm``): task budgets are the budget lines tied to a task. A line
  tied to a *summary* task is treated as that summary's own budget: it is planned over
  the summary's baseline span and earned by the summary's own percent complete (which
  the schedule rolls up from its children); it is not spread down to the children.
  Lines without a task are planned over the whole baseline span of the project and
  earned by the project's progress (the leaf tasks' percent complete weighted by their
  baseline duration). A budgeted task missing from the baseline (added later) is planned
  over the project's baseline span. PV uses the latest baseline and the project's
  working calendar; AC is every actual cost up to the status date.
- **Alerts**: spending above 90 % of the budget of a category or WBS branch; CPI below 0.9.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clientfolio.core.money import (
    DEFAULT_CURRENCY,
    MissingRate,
    RateTable,
    round_money,
)
from clientfolio.finance import billing, evm
from clientfolio.finance.models import (
    BudgetLine,
    CostCategory,
    Expense,
    Invoice,
    TimeEntry,
)

__all__ = [
    "CostSummary",
    "Overview",
    "Row",
    "alerts",
    "build_overview",
    "cost_summary",
    "load_rate_table",
    "project_earned_value",
    "project_status_date",
]

REPORTING = DEFAULT_CURRENCY
ALERT_SHARE = Decimal("0.9")
CPI_ALERT = Decimal("0.9")
UNASSIGNED = 0
ZERO = Decimal(0)


def load_rate_table() -> RateTable:
    """The dated exchange rates as a ``money.RateTable`` (one query)."""
    from clientfolio.finance.services import rate_table

    return rate_table()


@dataclass
class Row:
    key: Any
    label: str
    budget: Decimal = ZERO
    actual: Decimal = ZERO
    wbs: str = ""

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.actual

    @property
    def percent(self) -> Decimal | None:
        if not self.budget:
            return None
        return (self.actual * 100 / self.budget).quantize(Decimal("0.1"))

    @property
    def bar(self) -> int:
        """Width of the progress bar (0..100)."""
        return int(min(self.percent or (100 if self.actual else 0), Decimal(100)))

    @property
    def level(self) -> str:
        percent = self.percent
        if percent is None:
            return "danger" if self.actual else "secondary"
        if percent >= 100:
            return "danger"
        if percent >= 90:
            return "warning"
        return "success"


@dataclass
class _Converter:
    table: RateTable
    today: date
    warnings: set[str] = field(default_factory=set)

    def cny(
        self, amount: Decimal | None, currency: str, on: date | None = None
    ) -> Decimal:
        if not amount:
            return ZERO
        if currency == REPORTING:
            return amount
        day = on or self.today
        try:
            return self.table.rate(currency, REPORTING, day) * amount
        except MissingRate:
            self.warnings.add(
                str(
                    _("No exchange rate %(currency)s → CNY on %(date)s: left out.")
                    % {"currency": currency, "date": day.isoformat()}
                )
            )
            return ZERO


@dataclass
class _Costs:
    """Grouped costs of the project, in CNY."""

    by_day: dict[date, Decimal]
    by_category: dict[str, Decimal]
    by_task: dict[int, Decimal]
    budget_by_category: dict[str, Decimal]
    budget_by_task: dict[int, Decimal]


def _costs(project, conv: _Converter) -> _Costs:
    by_day: dict[date, Decimal] = defaultdict(Decimal)
    by_category: dict[str, Decimal] = defaultdict(Decimal)
    by_task: dict[int, Decimal] = defaultdict(Decimal)
    for day, category, task_id, currency, total in (
        Expense.objects.filter(project=project, status=Expense.Status.APPROVED)
        .values_list("spent_on", "category", "task_id", "currency")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        amount = conv.cny(total, currency, day)
        by_day[day] += amount
        by_category[category] += amount
        by_task[task_id or UNASSIGNED] += amount
    # Time entries: by day for the dated conversion and the curves, and by task for
    # the WBS branches. Grouping by day and task at once would return about one row
    # per entry on a busy project, so CNY time is summed by task alone and only time in
    # other currencies is grouped by day and task (to convert at its own date).
    entries = TimeEntry.objects.filter(project=project).order_by()
    for day, currency, total in entries.values_list("worked_on", "currency").annotate(
        total=Sum("cost_amount")
    ):
        amount = conv.cny(total, currency, day)
        by_day[day] += amount
        by_category[CostCategory.LABOR] += amount
    for task_id, total in (
        entries.filter(currency=REPORTING)
        .values_list("task_id")
        .annotate(total=Sum("cost_amount"))
    ):
        by_task[task_id or UNASSIGNED] += total
    for day, task_id, currency, total in (
        entries.exclude(currency=REPORTING)
        .values_list("worked_on", "task_id", "currency")
        .annotate(total=Sum("cost_amount"))
    ):
        by_task[task_id or UNASSIGNED] += conv.cny(total, currency, day)
    budget_by_category: dict[str, Decimal] = defaultdict(Decimal)
    budget_by_task: dict[int, Decimal] = defaultdict(Decimal)
    for category, task_id, currency, total in (
        BudgetLine.objects.filter(project=project)
        .values_list("category", "task_id", "currency")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        amount = conv.cny(total, currency)
        budget_by_category[category] += amount
        budget_by_task[task_id or UNASSIGNED] += amount
    return _Costs(by_day, by_category, by_task, budget_by_category, budget_by_task)


@dataclass(frozen=True)
class _Task:
    id: int
    parent_id: int | None
    wbs: str
    name: str
    percent: int
    is_summary: bool
    start: date | None = None
    finish: date | None = None
    actual_start: date | None = None
    actual_finish: date | None = None


def _tasks(project) -> dict[int, _Task]:
    from clientfolio.schedule.models import Task

    return {
        row[0]: _Task(*row)
        for row in Task.objects.filter(project=project).values_list(
            "id",
            "parent_id",
            "wbs",
            "name",
            "percent_complete",
            "is_summary",
            "start",
            "finish",
            "actual_start",
            "actual_finish",
        )
    }


def _branch_of(tasks: dict[int, _Task]) -> dict[int, int]:
    """Task id → id of its top-level ancestor."""
    roots: dict[int, int] = {}
    for task in tasks.values():
        current, seen = task, 0
        while (
            current.parent_id is not None and current.parent_id in tasks and seen < 50
        ):
            current = tasks[current.parent_id]
            seen += 1
        roots[task.id] = current.id
    return roots


def _wbs_key(wbs: str) -> tuple:
    return (
        tuple(int(p) if p.isdigit() else 0 for p in wbs.split(".")) if wbs else (9999,)
    )


def _category_rows(costs: _Costs) -> list[Row]:
    rows = []
    for value, label in CostCategory.choices:
        budget = costs.budget_by_category.get(value, ZERO)
        actual = costs.by_category.get(value, ZERO)
        if budget or actual:
            rows.append(Row(value, str(label), _money(budget), _money(actual)))
    return rows


def _branch_rows(costs: _Costs, tasks: dict[int, _Task]) -> list[Row]:
    roots = _branch_of(tasks)
    rows: dict[int, Row] = {}

    def row_for(task_id: int) -> Row:
        root = roots.get(task_id, UNASSIGNED)
        if root not in rows:
            task = tasks.get(root)
            rows[root] = (
                Row(root, task.name, wbs=task.wbs)
                if task
                else Row(UNASSIGNED, str(_("Unassigned (no WBS task)")))
            )
        return rows[root]

    for task_id, amount in costs.budget_by_task.items():
        row_for(task_id).budget += amount
    for task_id, amount in costs.by_task.items():
        row_for(task_id).actual += amount
    for row in rows.values():
        row.budget, row.actual = _money(row.budget), _money(row.actual)
    return sorted(
        (row for row in rows.values() if row.budget or row.actual),
        key=lambda row: (row.key == UNASSIGNED, _wbs_key(row.wbs)),
    )


def _money(amount: Decimal) -> Decimal:
    return round_money(amount, REPORTING)


# --- billing -----------------------------------------------------------------------------------


@dataclass
class BillingTotals:
    currency: str
    invoiced: Decimal = ZERO
    received: Decimal = ZERO
    overdue: Decimal = ZERO
    overdue_count: int = 0
    drafts: int = 0

    @property
    def outstanding(self) -> Decimal:
        return self.invoiced - self.received

    @property
    def received_percent(self) -> int:
        if not self.invoiced:
            return 0
        return int(self.received * 100 / self.invoiced)


def billing_totals(project, today: date | None = None) -> list[BillingTotals]:
    """Invoiced (issued, not void), received and outstanding per currency (one query)."""
    totals: dict[str, BillingTotals] = {}
    rows = (
        billing.with_overdue(Invoice.objects.filter(project=project), today)
        .values_list("currency", "status", "is_overdue_db")
        .annotate(total=Sum("total"), paid=Sum("paid_amount"), n=Count("id"))
        .order_by()
    )
    for currency, status, overdue, total, paid, count in rows:
        entry = totals.setdefault(currency, BillingTotals(currency))
        if status == Invoice.Status.DRAFT:
            entry.drafts += count
            continue
        if status == Invoice.Status.VOID:
            continue
        entry.invoiced += total or ZERO
        entry.received += paid or ZERO
        if overdue:
            entry.overdue += (total or ZERO) - (paid or ZERO)
            entry.overdue_count += count
    return sorted(totals.values(), key=lambda t: (t.currency != REPORTING, t.currency))


# --- earned value ------------------------------------------------------------------------------


@dataclass
class EvmResult:
    indicators: evm.Indicators | None
    missing: list[str]
    baseline_name: str = ""
    curve: list[evm.CurvePoint] = field(default_factory=list)
    status_date: date | None = None


@dataclass
class _Plan:
    tasks: list[evm.PlannedTask]
    progress: dict[int, Decimal]
    baseline_name: str
    start: date
    finish: date
    missing: list[str]
    # How the budget on no task earns: task id → weight (its baseline working days).
    weights: dict[int, Decimal] = field(default_factory=dict)


def _plan(project, costs: _Costs, tasks: dict[int, _Task]) -> _Plan | None | list[str]:
    from clientfolio.schedule.models import Baseline, BaselineTask

    missing: list[str] = []
    baseline = (
        Baseline.objects.filter(project=project).order_by("-created_at", "-id").first()
    )
    budgets = {k: v for k, v in costs.budget_by_task.items() if v}
    if baseline is None:
        missing.append(
            str(
                _(
                    "No baseline: save a baseline of the schedule to measure planned "
                    "value (PV) and schedule variance."
                )
            )
        )
    if not budgets:
        missing.append(
            str(
                _(
                    "No budget: add budget lines (ideally tied to WBS tasks) to measure "
                    "planned and earned value."
                )
            )
        )
    if missing:
        return missing
    assert baseline is not None
    spans: dict[int, tuple[date, date, int]] = {
        task_id: (start, finish, duration)
        for task_id, start, finish, duration in BaselineTask.objects.filter(
            baseline=baseline, start__isnull=False, finish__isnull=False
        ).values_list("task_id", "start", "finish", "duration")
        if start is not None and finish is not None
    }
    if not spans:
        return [str(_("The latest baseline has no scheduled tasks."))]
    start = min(s for s, _f, _d in spans.values())
    finish = max(f for _s, f, _d in spans.values())
    progress: dict[int, Decimal] = {}
    planned: list[evm.PlannedTask] = []
    for task_id, budget in budgets.items():
        if task_id == UNASSIGNED or task_id not in tasks:
            continue
        task_start, task_finish, _duration = spans.get(task_id, (start, finish, 0))
        planned.append(
            evm.PlannedTask(task_id, budget, task_start, max(task_start, task_finish))
        )
        progress[task_id] = Decimal(tasks[task_id].percent)
    unassigned = sum(
        (v for k, v in budgets.items() if k == UNASSIGNED or k not in tasks), ZERO
    )
    weights: dict[int, Decimal] = {}
    if unassigned:
        weights = {
            task.id: Decimal(max(spans[task.id][2], 1))
            for task in tasks.values()
            if not task.is_summary and task.id in spans
        }
        planned.append(evm.PlannedTask(UNASSIGNED, unassigned, start, finish))
        progress[UNASSIGNED] = _weighted(
            weights, {t: Decimal(tasks[t].percent) for t in weights}
        )
    return _Plan(planned, progress, baseline.name, start, finish, [], weights)


def _weighted(weights: dict[int, Decimal], percents: dict[int, Decimal]) -> Decimal:
    """The progress of the budget on no task: the tasks' progress weighted by their
    baseline working days."""
    total = sum(weights.values(), ZERO)
    if not total:
        return ZERO
    return sum((w * percents.get(t, ZERO) for t, w in weights.items()), ZERO) / total


def _is_workday(project, start: date, finish: date):
    from clientfolio.schedule.services import calendar_for

    info = calendar_for(project, years=range(start.year, finish.year + 1))
    return info.calendar.is_workday


def _progress_history(project, task_ids: set[int]) -> list[tuple[date, int, Decimal]]:
    from clientfolio.schedule.models import Task

    history = Task.history.model  # type: ignore[attr-defined]
    rows = (
        history.objects.filter(project_id=project.pk, id__in=task_ids)
        .values_list("history_date", "id", "percent_complete")
        .order_by("history_date", "history_id")
    )
    return [
        (
            timezone.localdate(at) if timezone.is_aware(at) else at.date(),
            task_id,
            Decimal(p),
        )
        for at, task_id, p in rows
    ]


def _known_history(
    project,
    plan: _Plan,
    tasks: dict[int, _Task],
    today: date,
    segments: list[tuple[date, date]],
    step: evm.Step,
) -> list[tuple[date, int, Decimal]]:
    """Each task's progress at each point of the curve as far as it is known: its
    recorded history, the current value at the status date, and its actual start and
    finish (``evm.known_progress``). A task with progress but no actual start is taken
    to have started on its scheduled start, and one at 100 % without an actual finish
    to have finished on its scheduled finish, as MS Project sets actuals from % complete;
    neither after the status date."""
    ids = set(plan.progress) - {UNASSIGNED}
    records = _progress_history(project, ids)
    records += [(today, t, p) for t, p in plan.progress.items() if t != UNASSIGNED]
    starts: dict[int, date] = {}
    finishes: dict[int, date] = {}
    for task_id in ids | set(plan.weights):
        task = tasks.get(task_id)
        if task is None:
            continue
        start = task.actual_start or (task.start if task.percent > 0 else None)
        if start is not None and start <= today:
            starts[task_id] = start
        finish = (task.actual_finish or task.finish) if task.percent >= 100 else None
        if finish is not None and finish <= today:
            finishes[task_id] = finish
    points = sorted(
        {day for first, last in segments for day in evm.curve_dates(first, last, step)}
    )
    points = [day for day in points if day <= today]
    weighted_ids = set(plan.weights) - ids
    if weighted_ids:
        # Tasks without a budget of their own still earn the budget on no task.
        records += _progress_history(project, weighted_ids)
        records += [(today, t, Decimal(tasks[t].percent)) for t in weighted_ids]
    known = evm.known_progress(records, starts, finishes, points)
    if plan.weights:
        by_point: dict[date, dict[int, Decimal]] = defaultdict(dict)
        for day, task_id, percent in known:
            by_point[day][task_id] = percent
        known = [(d, t, p) for d, t, p in known if t in ids]
        known += [
            (day, UNASSIGNED, _weighted(plan.weights, by_point.get(day, {})))
            for day in points
        ]
    return known


def earned_value(
    project, costs: _Costs, tasks: dict[int, _Task], today: date, *, curve: bool
) -> EvmResult:
    plan = _plan(project, costs, tasks)
    if not isinstance(plan, _Plan):
        return EvmResult(None, plan or [], status_date=today)
    is_workday = _is_workday(project, plan.start, max(plan.finish, today))
    bac = evm.budget_at_completion(plan.tasks)
    pv = evm.planned_value(plan.tasks, today, is_workday)
    ev = evm.earned_value(plan.tasks, plan.progress)
    ac = evm.actual_cost(costs.by_day.items(), today)
    result = EvmResult(
        evm.indicators(bac, pv, ev, max(ac, ZERO)),
        [],
        plan.baseline_name,
        status_date=today,
    )
    if curve:
        start = min([plan.start, *costs.by_day.keys()])
        end = max(plan.finish, today)
        step: evm.Step = "week" if (end - start).days <= 26 * 7 else "month"
        # Two segments, so the status date is a point of the curve.
        segments = [(start, end)]
        if start < today < end:
            segments = [(start, today), (today, end)]
        history = _known_history(project, plan, tasks, today, segments, step)
        for first, last in segments:
            points = evm.s_curve(
                plan.tasks,
                history,
                costs.by_day.items(),
                first,
                last,
                is_workday,
                step,
            )
            result.curve.extend(points[1:] if result.curve else points)
    return result


# --- the page ---------------------------------------------------------------------------------


@dataclass
class Overview:
    today: date
    categories: list[Row]
    branches: list[Row]
    total: Row
    billing: list[BillingTotals]
    evm: EvmResult
    warnings: list[str]
    charts: dict[str, Any]


def _burn_chart(costs: _Costs, total_budget: Decimal, today: date) -> dict[str, Any]:
    """Cumulative actual cost against the total budget: by week when the costs span four
    months or less, else by month; the line starts at zero before the first cost."""
    if not costs.by_day:
        return {"labels": [], "actual": [], "budget": str(total_budget)}
    first = min(costs.by_day)
    last = max(max(costs.by_day), today)
    weekly = (last - first).days <= 120

    def bucket(day: date) -> date:
        if weekly:
            return day - timedelta(days=day.weekday())
        return day.replace(day=1)

    def step(day: date) -> date:
        if weekly:
            return day + timedelta(days=7)
        return date(day.year + day.month // 12, day.month % 12 + 1, 1)

    sums: dict[date, Decimal] = defaultdict(Decimal)
    for day, amount in costs.by_day.items():
        sums[bucket(day)] += amount
    current = bucket(first)
    before = (
        current - timedelta(days=7)
        if weekly
        else (current - timedelta(days=1)).replace(day=1)
    )
    labels = [before.isoformat() if weekly else before.strftime("%Y-%m")]
    values, running = ["0"], ZERO
    while current <= last:
        running += sums.get(current, ZERO)
        labels.append(current.isoformat() if weekly else current.strftime("%Y-%m"))
        values.append(str(_money(running)))
        current = step(current)
    return {"labels": labels, "actual": values, "budget": str(total_budget)}


def _curve_chart(result: EvmResult, today: date) -> dict[str, Any]:
    points = result.curve
    return {
        "labels": [p.on.isoformat() for p in points],
        "pv": [str(p.pv) for p in points],
        "ev": [str(p.ev) if p.on <= today else None for p in points],
        "ac": [str(p.ac) if p.on <= today else None for p in points],
        "today": today.isoformat(),
    }


def project_status_date(project) -> date | None:
    """The status date the project's schedule measures progress at, when one is set."""
    from clientfolio.schedule.models import ProjectSchedule

    return (
        ProjectSchedule.objects.filter(project=project)
        .values_list("status_date", flat=True)
        .first()
    )


def project_earned_value(project, status_date: date | None = None) -> EvmResult:
    """Earned value with its S-curve at ``status_date``: by default the schedule's
    status date, else today."""
    status_date = status_date or project_status_date(project) or timezone.localdate()
    conv = _Converter(load_rate_table(), status_date)
    return earned_value(
        project, _costs(project, conv), _tasks(project), status_date, curve=True
    )


@dataclass
class CostSummary:
    """A project's budget and actual cost in CNY and its earned value at a status
    date, without the S-curve: what a progress report needs."""

    budget: Decimal
    actual: Decimal
    evm: EvmResult


def cost_summary(project, status_date: date) -> CostSummary:
    """Budget, actual cost (both in CNY, all time) and earned value at ``status_date``
    in a fixed number of queries (the overview's figures without its charts)."""
    conv = _Converter(load_rate_table(), status_date)
    costs = _costs(project, conv)
    result = earned_value(project, costs, _tasks(project), status_date, curve=False)
    return CostSummary(
        sum(costs.budget_by_category.values(), ZERO),
        sum(costs.by_category.values(), ZERO),
        result,
    )


def build_overview(
    project, status_date: date | None = None, *, today: date | None = None
) -> Overview:
    """Everything the finance overview page shows, in a fixed number of queries.

    Costs and earned value are measured at ``status_date``: by default the schedule's
    status date when one is set, else ``today``. Billing (what is overdue) is as of
    ``today``."""
    today = today or timezone.localdate()
    status_date = status_date or project_status_date(project) or today
    conv = _Converter(load_rate_table(), status_date)
    costs = _costs(project, conv)
    tasks = _tasks(project)
    categories = _category_rows(costs)
    branches = _branch_rows(costs, tasks)
    total = Row(
        "total",
        str(_("Total")),
        sum((r.budget for r in categories), ZERO),
        sum((r.actual for r in categories), ZERO),
    )
    result = earned_value(project, costs, tasks, status_date, curve=True)
    charts = {
        "burn": _burn_chart(costs, total.budget, today),
        "curve": _curve_chart(result, status_date),
        "categories": [
            {"name": r.label, "budget": str(r.budget), "actual": str(r.actual)}
            for r in categories
        ],
    }
    return Overview(
        today,
        categories,
        branches,
        total,
        billing_totals(project, today),
        result,
        sorted(conv.warnings),
        charts,
    )


@dataclass(frozen=True)
class Alert:
    level: str
    message: str


def alerts(project, today: date | None = None) -> list[Alert]:
    """Spending above 90 % of a category's or WBS branch's budget, and CPI below 0.9."""
    today = today or timezone.localdate()
    if not BudgetLine.objects.filter(project=project).exists():
        return []
    conv = _Converter(load_rate_table(), today)
    costs = _costs(project, conv)
    tasks = _tasks(project)
    found: list[Alert] = []
    for kind, rows in (
        (_("budget for %(name)s"), _category_rows(costs)),
        (_("budget of WBS branch %(name)s"), _branch_rows(costs, tasks)),
    ):
        for row in rows:
            if row.key == UNASSIGNED:  # its costs already count in their category
                continue
            if row.budget and row.actual >= row.budget * ALERT_SHARE:
                name = f"{row.wbs} {row.label}".strip()
                found.append(
                    Alert(
                        "danger" if row.actual >= row.budget else "warning",
                        str(
                            _("Spending has reached %(percent)s %% of the %(what)s.")
                            % {"percent": row.percent, "what": kind % {"name": name}}
                        ),
                    )
                )
    result = earned_value(project, costs, tasks, today, curve=False)
    cpi = result.indicators.cpi if result.indicators else None
    if cpi is not None and cpi < CPI_ALERT:
        found.append(
            Alert(
                "danger",
                str(
                    _(
                        "Cost performance index (CPI) is %(cpi)s: the work done cost more "
                        "than its budget."
                    )
                    % {"cpi": cpi.quantize(Decimal("0.01"))}
                ),
            )
        )
    return found
