"""The portfolio dashboard for management: the open projects by health and phase, the
milestones that slipped most against their baseline, receivables by client with their
ageing and revenue received, the people loaded beyond their week across projects, the
satisfaction trend (CSAT and NPS per month) and the clients at risk with their signals.

Everything is read through the permission layer (an administrator sees the firm, a
manager their projects; money only where the reader may see it) with a fixed number
of queries whatever the size of the portfolio.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Exists, F, OuterRef, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clientfolio.clients.models import Client, Payment
from clientfolio.core.models import User
from clientfolio.core.permissions import scope
from clientfolio.finance.billing import OPEN_STATUSES as OPEN_INVOICE_STATUSES
from clientfolio.finance.models import Invoice
from clientfolio.projects.models import Project
from clientfolio.reports import satisfaction
from clientfolio.reports.dashboards import ProjectHealth, project_health
from clientfolio.reports.models import Answer, ClientInsight
from clientfolio.schedule.calendars import build_calendar
from clientfolio.schedule.models import Assignment, Baseline, BaselineTask, Task
from clientfolio.schedule.workload import DEFAULT_CAPACITY, working_days

CAPACITY = Decimal(int(DEFAULT_CAPACITY))  # hours a week

__all__ = ["AGEING", "Portfolio", "portfolio"]

# Receivables ageing buckets, by days past the due date (UI: current first).
AGEING = (
    ("current", _("Not yet due"), None, 0),
    ("1_30", _("1–30 days"), 1, 30),
    ("31_60", _("31–60 days"), 31, 60),
    ("61_90", _("61–90 days"), 61, 90),
    ("over_90", _("Over 90 days"), 91, None),
)
TOP = 15
UTILISATION_WEEKS = 4
SATISFACTION_MONTHS = 12
PROJECT_FIELDS = (
    "code",
    "name",
    "client_id",
    "status",
    "phase",
    "starts_on",
    "planned_finish_on",
    "actual_finish_on",
    "manager__username",
    "manager__first_name",
    "manager__last_name",
)
AT_RISK_SHOWN = 10


@dataclass
class SlippedMilestone:
    id: int
    name: str
    project: Project
    baseline_finish: date
    finish: date

    @property
    def slip(self) -> int:
        return (self.finish - self.baseline_finish).days


@dataclass
class Receivable:
    client_id: int
    client_name: str
    currency: str
    buckets: dict[str, Decimal] = field(default_factory=dict)

    @property
    def total(self) -> Decimal:
        return sum(self.buckets.values(), Decimal(0))

    @property
    def overdue(self) -> Decimal:
        return self.total - self.buckets.get("current", Decimal(0))

    def cells(self) -> list[Decimal]:
        return [self.buckets.get(key, Decimal(0)) for key, *_rest in AGEING]


@dataclass
class PersonLoad:
    user: Any
    weeks: list[Decimal]
    projects: list[set[int]]

    @property
    def peak(self) -> Decimal:
        return max(self.weeks) if self.weeks else Decimal(0)

    @property
    def peak_percent(self) -> int:
        return round(self.peak * 100 / CAPACITY)

    @property
    def across_projects(self) -> bool:
        """Over capacity in a week in which the hours come from several projects."""
        return any(
            hours > CAPACITY and len(projects) > 1
            for hours, projects in zip(self.weeks, self.projects, strict=True)
        )

    def cells(self) -> list[tuple[Decimal, int, bool]]:
        capacity = CAPACITY
        return [
            (hours, round(hours * 100 / capacity), hours > capacity)
            for hours in self.weeks
        ]


@dataclass
class Portfolio:
    today: date
    projects: list[ProjectHealth]
    milestones: list[SlippedMilestone]
    receivables: list[Receivable]
    revenue: list[tuple[str, str, Decimal]]
    people: list[PersonLoad]
    weeks: list[date]
    satisfaction: list[satisfaction.PeriodFigures] = field(default_factory=list)
    at_risk: list[ClientInsight] = field(default_factory=list)
    at_risk_total: int = 0

    @property
    def by_health(self) -> dict[str, int]:
        counts = dict.fromkeys(("red", "amber", "green", "grey"), 0)
        for entry in self.projects:
            counts[entry.colour] += 1
        return counts

    @property
    def by_phase(self) -> list[dict[str, Any]]:
        rows: dict[str, dict[str, Any]] = {}
        for value, label in Project.Phase.choices:
            rows[value] = {"phase": str(label), "red": 0, "amber": 0, "green": 0}
            rows[value]["grey"] = 0
        for entry in self.projects:
            rows[entry.project.phase][entry.colour] += 1
        return list(rows.values())

    @property
    def attention(self) -> list[ProjectHealth]:
        """The projects off track or at risk, worst first."""
        return [e for e in self.projects if e.colour in ("red", "amber")]

    @property
    def ageing_totals(self) -> list[Decimal]:
        """The CNY receivables of every client, bucket by bucket."""
        totals = [Decimal(0)] * len(AGEING)
        for row in self.receivables:
            if row.currency == "CNY":
                totals = [a + b for a, b in zip(totals, row.cells(), strict=True)]
        return totals


def _bucket(days_late: int) -> str:
    for key, _label, low, high in AGEING:
        if (low is None or days_late >= low) and (high is None or days_late <= high):
            return key
    return AGEING[-1][0]


def _milestones(projects: list[Project]) -> list[SlippedMilestone]:
    ids = [project.pk for project in projects]
    first: dict[int, int] = {}
    for project_id, baseline_id in (
        Baseline.objects.filter(project_id__in=ids)
        .order_by("project_id", "created_at", "id")
        .values_list("project_id", "id")
    ):
        first.setdefault(project_id, baseline_id)
    by_id = {project.pk: project for project in projects}
    rows = (
        BaselineTask.objects.filter(
            baseline_id__in=list(first.values()),
            task__is_milestone=True,
            finish__isnull=False,
            task__finish__gt=F("finish"),
        )
        .exclude(task__status=Task.Status.DONE)
        .values_list(
            "task_id", "task__name", "task__project_id", "finish", "task__finish"
        )
    )
    slipped = [
        SlippedMilestone(task_id, name, by_id[project_id], baseline, finish)
        for task_id, name, project_id, baseline, finish in rows
        if project_id in by_id and baseline is not None and finish is not None
    ]
    slipped.sort(key=lambda m: (-m.slip, m.finish, m.id))
    return slipped[:TOP]


def _client_names(ids: set[int]) -> dict[int, str]:
    return dict(Client.objects.filter(pk__in=ids).values_list("pk", "name"))


def _receivables(user: Any, today: date) -> list[Receivable]:
    rows: dict[tuple[int, str], Receivable] = {}
    for client_id, currency, due_on, total, paid in (
        scope(user, Invoice.objects.filter(status__in=OPEN_INVOICE_STATUSES))
        .values_list("client_id", "currency", "due_on", "total", "paid_amount")
        .order_by()
    ):
        outstanding = (total or Decimal(0)) - (paid or Decimal(0))
        if outstanding <= 0:
            continue
        row = rows.setdefault(
            (client_id, currency), Receivable(client_id, "", currency)
        )
        key = _bucket((today - due_on).days) if due_on else "current"
        row.buckets[key] = row.buckets.get(key, Decimal(0)) + outstanding
    ranked = sorted(rows.values(), key=lambda r: (-r.overdue, -r.total, r.client_id))
    top = ranked[:TOP]
    names = _client_names({row.client_id for row in top})
    for row in top:
        row.client_name = names.get(row.client_id, "")
    return top


def _revenue(user: Any, today: date) -> list[tuple[str, str, Decimal]]:
    """Payments received in the last twelve months by client, largest first (the
    names are read for those shown only: joining every payment to its client's row
    costs more than the sum)."""
    rows = list(
        scope(user, Payment.objects.filter(received_on__gt=today - timedelta(days=365)))
        .values("contract__client_id", "contract__currency")
        .annotate(total=Sum("amount"))
        .values_list("contract__client_id", "contract__currency", "total")
        .order_by("-total")[:TOP]
    )
    names = _client_names({client_id for client_id, _currency, _total in rows})
    return [
        (names.get(client_id, ""), currency, total)
        for client_id, currency, total in rows
    ]


def _people(
    projects: list[Project], today: date
) -> tuple[list[PersonLoad], list[date]]:
    """Each person's assigned hours in the next ``UTILISATION_WEEKS`` weeks (Monday
    first) over every visible project: an assignment's hours spread evenly over the
    working days of its task, as the project's workload page spreads them."""
    monday = today - timedelta(days=today.weekday())
    end = monday + timedelta(weeks=UTILISATION_WEEKS) - timedelta(days=1)
    calendar = build_calendar(
        frozenset({0, 1, 2, 3, 4}), range(today.year - 2, today.year + 3)
    ).calendar
    weeks: dict[int, list[Decimal]] = defaultdict(
        lambda: [Decimal(0)] * UTILISATION_WEEKS
    )
    spread: dict[int, list[set[int]]] = defaultdict(
        lambda: [set() for _ in range(UTILISATION_WEEKS)]
    )
    rows = (
        Assignment.objects.filter(
            task__project_id__in=[project.pk for project in projects],
            task__is_summary=False,
            task__start__lte=end,
            task__finish__gte=monday,
            hours__gt=0,
        )
        .exclude(task__status=Task.Status.DONE)
        .values_list(
            "user_id", "task__project_id", "task__start", "task__finish", "hours"
        )
    )
    for user_id, project_id, start, finish, hours in rows:
        if start is None or finish is None:
            continue
        days = working_days(start, finish, calendar.is_workday) or [start]
        share = Decimal(hours) / len(days)
        for day in days:
            if monday <= day <= end:
                index = (day - monday).days // 7
                weeks[user_id][index] += share
                spread[user_id][index].add(project_id)
    users = User.objects.in_bulk(list(weeks))
    loads = [
        PersonLoad(
            users[user_id], [h.quantize(Decimal("0.1")) for h in hours], spread[user_id]
        )
        for user_id, hours in weeks.items()
        if user_id in users
    ]
    loads.sort(key=lambda load: (-load.peak, str(load.user)))
    starts = [monday + timedelta(weeks=n) for n in range(UTILISATION_WEEKS)]
    return loads[:TOP], starts


def _satisfaction(user: Any, today: date) -> list[satisfaction.PeriodFigures]:
    """CSAT and NPS per month of the answers the reader may see, over the last
    ``SATISFACTION_MONTHS`` months (this one included); months without answers are
    left out."""
    year, month = today.year, today.month - (SATISFACTION_MONTHS - 1)
    while month < 1:
        year, month = year - 1, month + 12
    zone = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(date(year, month, 1), time.min), zone)
    end = timezone.make_aware(
        datetime.combine(today + timedelta(days=1), time.min), zone
    )
    dimensions = satisfaction.DIMENSIONS
    rows = (
        scope(user, Answer.objects.filter(answered_at__gte=start, answered_at__lt=end))
        .order_by()
        .values_list("answered_at", *dimensions, "nps")
    )
    return satisfaction.trend(
        (
            timezone.localtime(answered_at, zone).date(),
            dict(zip(dimensions, scores, strict=True)),
            nps,
        )
        for answered_at, *scores, nps in rows
    )


def _at_risk(user: Any) -> tuple[list[ClientInsight], int]:
    """The clients at risk the reader may see, largest revenue before first."""
    # ``at_risk__in`` and EXISTS let the database walk the (at_risk, revenue_before)
    # index instead of every client (a bare boolean and IN make SQLite scan clients).
    visible = scope(user, Client.objects.current()).filter(pk=OuterRef("client_id"))
    insights = ClientInsight.objects.filter(at_risk__in=[True]).filter(Exists(visible))
    shown = list(
        insights.select_related("client")
        .only("client_id", "signals", "revenue", "revenue_before", "client__name")
        .order_by("-revenue_before", "-revenue", "client_id")[:AT_RISK_SHOWN]
    )
    return shown, insights.count() if len(shown) == AT_RISK_SHOWN else len(shown)


def portfolio(user: Any, today: date) -> Portfolio:
    """The portfolio ``user`` may see at ``today``."""
    # Only the columns the dashboard reads: building a thousand full rows (with their
    # client and manager) cost more than the queries behind them.
    projects = list(
        scope(user, Project.objects.open())
        .select_related("manager")
        .only(*PROJECT_FIELDS)
        .order_by("code", "id")
    )
    health = project_health(projects, today, user)
    ranked = sorted(
        health.values(), key=lambda e: (-e.health.rank, e.project.code, e.project.pk)
    )
    people, weeks = _people(projects, today)
    at_risk, at_risk_total = _at_risk(user)
    return Portfolio(
        today=today,
        projects=ranked,
        milestones=_milestones(projects),
        receivables=_receivables(user, today),
        revenue=_revenue(user, today),
        people=people,
        weeks=weeks,
        satisfaction=_satisfaction(user, today),
        at_risk=at_risk,
        at_risk_total=at_risk_total,
    )
