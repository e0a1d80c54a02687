"""The costs part of the benchmark data set: time entries over the existing projects (as
many as ``--tasks``, 200,000 by default), of which the first project (the busiest) gets a
quarter, at most 50,000, plus a tenth of that in expenses (5,000); budget lines for every
project; firm-wide role rates when there are none.

Fast on purpose: rows go in through ``bulk_create`` with no history rows, and time is
priced directly in memory with the pure ``finance.pricing`` rules from the rates and the
project roles loaded once (the same result ``services.create_time_entry`` would store),
instead of one service call per entry. Hours per person and day stay within 24 across
all projects. Deterministic for a given seed and date.
"""

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from clientfolio.finance import pricing
from clientfolio.finance.models import (
    BudgetLine,
    CostCategory,
    Expense,
    Rate,
    TimeEntry,
)
from clientfolio.projects.models import Membership, Project
from clientfolio.schedule.models import Task

__all__ = ["CostScaleCounts", "seed", "seed_from_options"]

ROLE_RATES = {
    "manager": (Decimal("260"), Decimal("680")),
    "member": (Decimal("180"), Decimal("480")),
    "finance": (Decimal("160"), Decimal("400")),
    "viewer": (Decimal("120"), Decimal("300")),
}
HOURS = [Decimal(h) for h in ("2", "3", "4", "4", "6", "7.5", "8")]
EXPENSES = [
    ("travel", "差旅费"),
    ("material", "云资源"),
    ("equipment", "测试设备"),
    ("outsourcing", "外包服务"),
    ("other", "会议费"),
]


@dataclass
class CostScaleCounts:
    time_entries: int = 0
    expenses: int = 0
    budget_lines: int = 0
    biggest: int = 0


def _rate_rows(today: date) -> list[pricing.RateRow]:
    if not Rate.objects.filter(project__isnull=True).exists():
        Rate.objects.bulk_create(
            Rate(
                role=role,
                cost_rate=cost,
                bill_rate=bill,
                valid_from=today - timedelta(days=365 * 10),
            )
            for role, (cost, bill) in ROLE_RATES.items()
        )
    return [
        pricing.RateRow(
            id=r.pk,
            project_id=r.project_id,
            user_id=r.user_id,
            role=r.role,
            cost_rate=r.cost_rate,
            bill_rate=r.bill_rate,
            currency=r.currency,
            valid_from=r.valid_from,
            valid_until=r.valid_until,
        )
        for r in Rate.objects.all()
    ]


def seed(
    *,
    time_entries: int = 200_000,
    biggest: int = 50_000,
    biggest_expenses: int = 5_000,
    batch: int = 5000,
    seed: int = 20260104,
    today: date,
    progress: Callable[[int], Callable[[int], object]] | None = None,
) -> CostScaleCounts:
    """Write time entries, expenses and budget lines for the existing projects."""
    rng = random.Random(seed)
    counts = CostScaleCounts()
    projects = list(Project.objects.order_by("id").only("id", "manager_id"))
    if not projects or time_entries <= 0:
        return counts
    rates = _rate_rows(today)
    teams: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for project_id, user_id, role in Membership.objects.values_list(
        "project_id", "user_id", "role"
    ).order_by("project_id", "user_id"):
        if role in ("manager", "member"):
            teams[project_id].append((user_id, role))
    leaves: dict[int, list[int]] = defaultdict(list)
    phases: dict[int, list[int]] = defaultdict(list)
    for project_id, task_id, parent_id in (
        Task.objects.filter(is_milestone=False)
        .order_by("project_id", "wbs_sort")
        .values_list("project_id", "id", "parent_id")
    ):
        (leaves if parent_id else phases)[project_id].append(task_id)
    biggest = min(biggest, time_entries)
    rest = max(0, time_entries - biggest)
    sizes = [biggest] + [rest // max(1, len(projects) - 1)] * (len(projects) - 1)
    sizes[-1 if len(sizes) > 1 else 0] += time_entries - sum(sizes)
    booked: dict[tuple[int, date], Decimal] = defaultdict(Decimal)
    tick = progress(time_entries) if progress else None
    pending: list[TimeEntry] = []

    def flush() -> None:
        with transaction.atomic():
            TimeEntry.objects.bulk_create(pending, batch_size=batch)
        if tick:
            tick(len(pending))
        pending.clear()

    for project, size in zip(projects, sizes, strict=True):
        team = teams.get(project.pk) or [(project.manager_id, "manager")]
        tasks = leaves.get(project.pk, [])
        # Each person walks back from yesterday over weekdays, 1 to 3 entries a day.
        cursor = {user_id: today - timedelta(days=1) for user_id, _role in team}
        for index in range(size):
            user_id, role = team[index % len(team)]
            hours = rng.choice(HOURS)
            day = cursor[user_id]
            while day.weekday() >= 5 or booked[(user_id, day)] + hours > 24:
                day -= timedelta(days=1)
            booked[(user_id, day)] += hours
            if rng.random() < 0.5:
                cursor[user_id] = day - timedelta(days=1)
            rate = pricing.select_rate(
                rates, project_id=project.pk, user_id=user_id, role=role, day=day
            )
            priced = pricing.price(hours, rate)
            pending.append(
                TimeEntry(
                    project_id=project.pk,
                    task_id=rng.choice(tasks) if tasks and rng.random() < 0.8 else None,
                    user_id=user_id,
                    worked_on=day,
                    hours=hours,
                    billable=rng.random() < 0.85,
                    cost_amount=priced.cost_amount,
                    bill_amount=priced.bill_amount,
                    currency=priced.currency,
                )
            )
            if len(pending) >= batch:
                flush()
        counts.time_entries += size
        counts.biggest = max(counts.biggest, size)
    if pending:
        flush()
    counts.expenses = _expenses(rng, projects, teams, biggest_expenses, batch, today)
    counts.budget_lines = _budget(projects, phases, batch)
    return counts


def _expenses(rng, projects, teams, biggest_expenses, batch, today) -> int:
    rows = []
    now = timezone.now()
    for index, project in enumerate(projects):
        team = teams.get(project.pk) or [(project.manager_id, "manager")]
        for n in range(biggest_expenses if index == 0 else 2):
            category, description = EXPENSES[n % len(EXPENSES)]
            status = rng.choices(
                [
                    Expense.Status.APPROVED,
                    Expense.Status.SUBMITTED,
                    Expense.Status.REJECTED,
                ],
                weights=[7, 2, 1],
            )[0]
            decided = status != Expense.Status.SUBMITTED
            rows.append(
                Expense(
                    project_id=project.pk,
                    category=category,
                    spent_on=today - timedelta(days=rng.randrange(1, 720)),
                    amount=Decimal(rng.randrange(50, 20000)),
                    description=f"{description} {n + 1}",
                    status=status,
                    submitted_by_id=rng.choice(team)[0],
                    decided_by_id=project.manager_id if decided else None,
                    decided_at=now if decided else None,
                    decision_note="缺少发票"
                    if status == Expense.Status.REJECTED
                    else "",
                )
            )
    with transaction.atomic():
        Expense.objects.bulk_create(rows, batch_size=batch)
    return len(rows)


def _budget(projects, phases, batch) -> int:
    rows = []
    for project in projects:
        for task_id in phases.get(project.pk, [])[:4]:
            rows.append(
                BudgetLine(
                    project_id=project.pk,
                    category=CostCategory.LABOR,
                    task_id=task_id,
                    description="阶段人力预算",
                    amount=Decimal("150000"),
                )
            )
        for category, amount in (
            (CostCategory.TRAVEL, "30000"),
            (CostCategory.MATERIAL, "40000"),
            (CostCategory.OUTSOURCING, "80000"),
            (CostCategory.OTHER, "10000"),
        ):
            rows.append(
                BudgetLine(
                    project_id=project.pk,
                    category=category,
                    amount=Decimal(amount),
                )
            )
    with transaction.atomic():
        BudgetLine.objects.bulk_create(rows, batch_size=batch)
    return len(rows)


def seed_from_options(options: dict[str, Any]) -> str:
    """The costs part of ``clientfolio seed-scale``; returns a summary line. As many
    time entries as ``--tasks`` (200,000 by default)."""
    from tqdm import tqdm

    bars = []

    def progress(total: int) -> Callable[[int], object]:
        bar = tqdm(total=total, unit="entry", disable=options.get("verbosity", 1) == 0)
        bars.append(bar)
        return bar.update

    total = options.get("time_entries") or options.get("tasks", 200_000)
    biggest = min(50_000, max(1, total // 4))
    try:
        counts = seed(
            time_entries=total,
            biggest=biggest,
            biggest_expenses=max(1, biggest // 10),
            batch=options.get("batch", 5000),
            seed=options["seed"] + 3,
            today=options["today"],
            progress=progress,
        )
    finally:
        for bar in bars:
            bar.close()
    return (
        f"Seeded {counts.time_entries} time entries, {counts.expenses} expenses and "
        f"{counts.budget_lines} budget lines (the busiest project has "
        f"{counts.biggest} time entries)."
    )
