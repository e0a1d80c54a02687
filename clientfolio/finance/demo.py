"""Demo costs for the demo projects, written through finance.services so time is priced
as the application prices it: exchange rates, firm-wide and project rates, budget lines
by category (labor per WBS phase), six weeks of time for the team and expenses in every
status.

The first project (客户数据平台一期) is the one in trouble: its travel budget is over 90 %
spent and its labor runs well ahead of the progress (CPI below 0.9), so the finance
overview has alerts to show. The others are budgeted a little above their earned value.
"""

import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Sum

from clientfolio.finance import services
from clientfolio.finance.models import (
    BudgetLine,
    CostCategory,
    ExchangeRate,
    Expense,
    Rate,
    TimeEntry,
)
from clientfolio.projects.models import Project, ProjectRole
from clientfolio.schedule.models import Assignment, Task

__all__ = ["load"]

WEEKS = 6
DAY_LIMIT = Decimal("8")

ROLE_RATES = {
    ProjectRole.MANAGER: ("260", "680"),
    ProjectRole.MEMBER: ("180", "480"),
    ProjectRole.FINANCE: ("160", "400"),
    ProjectRole.VIEWER: ("120", "300"),
}

EXPENSES_CN = [
    ("travel", "客户现场差旅（高铁+酒店）", "携程商旅"),
    ("travel", "需求调研出差", "东方航空"),
    ("material", "测试服务器租用", "阿里云"),
    ("equipment", "开发用显示器", "京东企业购"),
    ("other", "项目启动会场地", "会议中心"),
    ("outsourcing", "UI 设计外包首付款", "设计工作室"),
]
EXPENSES_EN = [
    ("travel", "On-site workshop travel", "British Airways"),
    ("travel", "Client visit, hotel", "Marriott"),
    ("material", "Test environment hosting", "AWS"),
    ("equipment", "Tablets for user testing", "Apple"),
    ("other", "Kick-off venue", "Conference centre"),
    ("outsourcing", "Design agency, first instalment", "Studio North"),
]


OTHER_LINES = {
    CostCategory.MATERIAL: ("软件许可与云资源", "Licences and cloud"),
    CostCategory.EQUIPMENT: ("设备", "Equipment"),
    CostCategory.OUTSOURCING: ("外包设计", "Outsourced design"),
    CostCategory.OTHER: ("不可预见费", "Contingency"),
}


def _chinese(project: Project) -> bool:
    return "\u4e00" <= project.name[0] <= "\u9fff"


def load(today: date, seed: int = 20261128) -> dict[str, int]:
    """Costs for every demo project. Returns counts."""
    rng = random.Random(seed)
    _exchange_rates(today)
    _firm_rates(today)
    counts = {"budget lines": 0, "time entries": 0, "expenses": 0}
    projects = list(
        Project.objects.exclude(status=Project.Status.PROPOSED).order_by("id")
    )
    booked: dict[tuple[int, date], Decimal] = defaultdict(Decimal)
    for index, project in enumerate(projects):
        troubled = index == 0
        if troubled:
            services.create_rate(
                Rate(
                    project=project,
                    role=ProjectRole.MEMBER,
                    cost_rate=Decimal("220"),
                    bill_rate=Decimal("560"),
                    valid_from=today - timedelta(days=365),
                )
            )
        counts["time entries"] += _time(project, today, rng, booked)
        counts["expenses"] += _expenses(project, today, rng, troubled)
        counts["budget lines"] += _budget(project, troubled)
    return counts


def _exchange_rates(today: date) -> None:
    # Firm-wide tables survive a reload of the projects (``demo --force``): keep them.
    if ExchangeRate.objects.exists():
        return
    start = today - timedelta(days=365)
    for currency, rate in (("USD", "7.1000"), ("EUR", "7.7500"), ("HKD", "0.9100")):
        services.create_exchange_rate(
            ExchangeRate(
                from_currency=currency,
                to_currency="CNY",
                rate=Decimal(rate),
                valid_from=start,
            )
        )
    services.create_exchange_rate(
        ExchangeRate(
            from_currency="USD",
            to_currency="CNY",
            rate=Decimal("7.1800"),
            valid_from=today - timedelta(days=30),
        )
    )


def _firm_rates(today: date) -> None:
    if Rate.objects.filter(project__isnull=True).exists():
        return
    start = today - timedelta(days=365)
    for role, (cost, bill) in ROLE_RATES.items():
        services.create_rate(
            Rate(
                role=role,
                cost_rate=Decimal(cost),
                bill_rate=Decimal(bill),
                valid_from=start,
            )
        )


def _time(
    project: Project,
    today: date,
    rng: random.Random,
    booked: dict[tuple[int, date], Decimal],
) -> int:
    """Weekdays of the last six weeks (from the project's start) for the manager and
    the members, on the tasks they are assigned to when those were under way."""
    team = [
        m.user
        for m in project.memberships.select_related("user")
        if m.role in (ProjectRole.MANAGER, ProjectRole.MEMBER)
    ]
    tasks_of: dict[int, list[Task]] = defaultdict(list)
    for assignment in Assignment.objects.filter(task__project=project).select_related(
        "task"
    ):
        tasks_of[assignment.user_id].append(assignment.task)
    first = max(project.starts_on or today, today - timedelta(weeks=WEEKS))
    last = today - timedelta(days=1)
    created = 0
    day = first
    while day <= last:
        if day.weekday() < 5:
            for user in team:
                free = DAY_LIMIT - booked[(user.pk, day)]
                hours = min(free, Decimal(rng.choice([4, 6, 6, 7, 7.5, 8])))
                if hours <= 0 or rng.random() < 0.1:
                    continue
                running = [
                    t
                    for t in tasks_of.get(user.pk, [])
                    if t.start and t.finish and t.start <= day <= t.finish
                ]
                services.create_time_entry(
                    TimeEntry(
                        project=project,
                        user=user,
                        task=rng.choice(running) if running else None,
                        worked_on=day,
                        hours=hours,
                        billable=rng.random() < 0.85,
                        note="" if rng.random() < 0.7 else _note(project, rng),
                    )
                )
                booked[(user.pk, day)] += hours
                created += 1
        day += timedelta(days=1)
    return created


def _note(project: Project, rng: random.Random) -> str:
    if _chinese(project):
        return rng.choice(["需求沟通会", "代码评审", "缺陷修复", "接口联调"])
    return rng.choice(["Client call", "Code review", "Bug fixing", "Integration"])


def _expenses(project: Project, today: date, rng: random.Random, troubled: bool) -> int:
    members = list(
        project.memberships.filter(
            role__in=[ProjectRole.MEMBER, ProjectRole.MANAGER]
        ).select_related("user")
    )
    if not members:
        return 0
    manager = project.manager
    catalogue = EXPENSES_CN if _chinese(project) else EXPENSES_EN
    plan = [
        *(["approved"] * 4),
        "submitted",
        "submitted",
        "rejected",
    ]
    created = 0
    for index, status in enumerate(plan):
        category, description, vendor = catalogue[index % len(catalogue)]
        amount = Decimal(rng.randrange(300, 9000 if troubled else 4000))
        if troubled and category == "travel" and status == "approved":
            amount = Decimal("9600")  # two of them: 19,200 of a 20,000 budget
        expense = services.submit_expense(
            Expense(
                project=project,
                category=category,
                spent_on=today - timedelta(days=rng.randrange(1, 40)),
                amount=amount,
                currency="CNY" if _chinese(project) or index % 3 else "USD",
                description=description,
                vendor=vendor,
            ),
            user=rng.choice(members).user,
        )
        if status == "approved":
            services.approve_expense(expense, expense.version, user=manager)
        elif status == "rejected":
            services.reject_expense(
                expense,
                expense.version,
                user=manager,
                note="缺少发票，请补充后重新提交。"
                if _chinese(project)
                else "The invoice is missing; add it and submit again.",
            )
        created += 1
    return created


def _budget(project: Project, troubled: bool) -> int:
    """Labor by WBS phase, and the other categories, sized against what the project has
    earned so far (too little for the troubled project)."""
    leaves = list(
        Task.objects.filter(project=project, is_summary=False).values_list(
            "duration", "percent_complete"
        )
    )
    weight = sum(max(d, 1) for d, _p in leaves) or 1
    progress = Decimal(sum(max(d, 1) * p for d, p in leaves)) / Decimal(weight) / 100
    actual = services.total_cost(project)
    if progress > 0 and actual > 0:
        factor = Decimal("0.65") if troubled else Decimal("1.12")
        total = (actual * factor / progress).quantize(Decimal("1000"))
    else:
        total = Decimal("400000")
    spent = dict(
        Expense.objects.filter(project=project, status=Expense.Status.APPROVED)
        .order_by()
        .values_list("category")
        .annotate(total=Sum("amount"))
    )
    chinese = _chinese(project)
    phases = list(
        Task.objects.filter(project=project, parent__isnull=True).order_by("wbs_sort")
    )
    shares = {
        CostCategory.MATERIAL: Decimal("0.06"),
        CostCategory.EQUIPMENT: Decimal("0.04"),
        CostCategory.OUTSOURCING: Decimal("0.08"),
        CostCategory.OTHER: Decimal("0.02"),
    }
    lines: list[BudgetLine] = []
    labor = total * Decimal("0.75")
    for phase in phases:
        lines.append(
            BudgetLine(
                project=project,
                category=CostCategory.LABOR,
                task=phase,
                description=f"{phase.name}{'人力' if chinese else ' – people'}",
                amount=(labor / max(len(phases), 1)).quantize(Decimal("0.01")),
            )
        )

    def planned(category: str, share: Decimal) -> Decimal:
        amount = total * share
        if not troubled:  # the others keep a margin on every category
            amount = max(amount, spent.get(category, Decimal(0)) * Decimal("1.4"))
        return amount.quantize(Decimal("100"))

    travel = Decimal("20000") if troubled else planned("travel", Decimal("0.05"))
    lines.append(
        BudgetLine(
            project=project,
            category=CostCategory.TRAVEL,
            description="差旅" if chinese else "Travel",
            amount=travel.quantize(Decimal("0.01")),
        )
    )
    for category, share in shares.items():
        lines.append(
            BudgetLine(
                project=project,
                category=category,
                description=OTHER_LINES[category][0 if chinese else 1],
                amount=planned(category, share),
            )
        )
    for line in lines:
        services.create_budget_line(line)
    return len(lines)
