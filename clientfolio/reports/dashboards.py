"""What the dashboards show: each project's health with its reasons, percent complete,
next milestone and budget burn, for many projects at once (a fixed number of queries
whatever their number), and the staff member's own work for My work.

Earned value here is the dashboards' quick reading, the same for every project: EV is
the work done (leaf tasks weighted by duration), PV the share of the project's span
(start to the first baseline's finish, else the planned finish) elapsed at today, so
SPI = done / planned; CPI = EV / AC with EV = BAC × done, BAC the budget lines and AC the
approved expenses plus the cost of time entries. The finance tab computes the full
earned value against the baseline's tasks; this reading is what a list can afford and
it says what it is in the reasons.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from clientfolio.clients.models import Feedback, FollowUp
from clientfolio.comms.models import ActionItem
from clientfolio.core.permissions import Action, scope
from clientfolio.core.templatetags.cf import money
from clientfolio.finance.models import BudgetLine, Expense, TimeEntry
from clientfolio.projects.models import ChangeRequest, Membership, Project, ProjectRole
from clientfolio.projects.querysets import OPEN_STATUSES
from clientfolio.reports.health import Health, Reason, Signals, assess
from clientfolio.risks.models import Level, Risk
from clientfolio.schedule.models import Task
from clientfolio.schedule.summaries import ProjectSummary, summarise

__all__ = [
    "HEALTH_LABELS",
    "MyWork",
    "ProjectHealth",
    "my_work",
    "project_health",
    "reason_text",
]

_HUNDRED = Decimal(100)

# What each colour says in words (colour is never the only signal, UI.md).
HEALTH_LABELS = {
    "green": _("On track"),
    "amber": _("At risk"),
    "red": _("Off track"),
    "grey": _("Not judged"),
}


@dataclass
class ProjectHealth:
    """One project as the dashboards show it."""

    project: Project
    summary: ProjectSummary
    health: Health
    signals: Signals
    planned_percent: int | None = None
    budget: Decimal | None = None
    spent: Decimal | None = None

    @cached_property
    def reasons(self) -> list[str]:
        """The reasons in the reader's language (worded when first read: a portfolio of
        hundreds of projects shows the reasons of a few)."""
        return [reason_text(reason, self) for reason in self.health.reasons]

    @property
    def colour(self) -> str:
        return self.health.colour

    @property
    def label(self) -> str:
        return str(HEALTH_LABELS[self.health.colour])

    @property
    def percent(self) -> int | None:
        return self.summary.percent

    @property
    def next_milestone(self) -> Any:
        return self.summary.next_milestone

    @property
    def earned(self) -> Decimal | None:
        """The budgeted value of the work done (EV)."""
        if self.budget is None or self.percent is None:
            return None
        return self.budget * Decimal(self.percent) / _HUNDRED

    @property
    def burn(self) -> int | None:
        """Budget spent, in percent of the budget (None without a budget)."""
        if not self.budget or self.spent is None:
            return None
        return round(self.spent * _HUNDRED / self.budget)


def _sums(queryset: QuerySet, field_name: str, ids: list[int]) -> dict[int, Decimal]:
    return {
        project_id: total
        for project_id, total in queryset.filter(project_id__in=ids)
        .values("project_id")
        .annotate(total=Sum(field_name))
        .values_list("project_id", "total")
        .order_by()
        if total is not None
    }


def _ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    if denominator <= 0:
        return None
    return (numerator / denominator).quantize(Decimal("0.01"))


def _planned_share(project: Project, summary: ProjectSummary, today: date) -> Decimal:
    """The share of the project's span elapsed at ``today`` (0 to 1)."""
    start = project.starts_on
    finish = summary.baseline_finish or project.planned_finish_on
    if not start or not finish or finish < start:
        return Decimal(1) if start and today >= start else Decimal(0)
    span = (finish - start).days + 1
    elapsed = (today - start).days + 1
    return min(Decimal(1), max(Decimal(0), Decimal(elapsed) / Decimal(span)))


def reason_text(reason: Reason, entry: ProjectHealth) -> str:
    """One reason in the reader's language, with the figures behind it."""
    if reason.code == "spi":
        return gettext(
            "Behind schedule: %(done)s%% done where %(planned)s%% of the time has "
            "passed."
        ) % {
            "done": entry.percent or 0,
            "planned": entry.planned_percent or 0,
        }
    if reason.code == "cpi":
        return gettext(
            "Over budget: %(spent)s spent for %(earned)s of budgeted work done."
        ) % {
            "spent": money(entry.spent),
            "earned": money(entry.earned),
        }
    if reason.code == "overdue":
        days = int(reason.value)
        return ngettext(
            "The planned finish passed %(days)s day ago and the work is not done.",
            "The planned finish passed %(days)s days ago and the work is not done.",
            days,
        ) % {"days": days}
    if reason.code == "schedule":
        days = int(reason.value)
        if reason.colour == "red":
            return ngettext(
                "The forecast finish is %(days)s working day after the baseline, "
                "beyond the buffer.",
                "The forecast finish is %(days)s working days after the baseline, "
                "beyond the buffer.",
                days,
            ) % {"days": days}
        return ngettext(
            "The forecast finish is %(days)s working day after the baseline, eating "
            "into the buffer.",
            "The forecast finish is %(days)s working days after the baseline, eating "
            "into the buffer.",
            days,
        ) % {"days": days}
    if reason.code == "risks":
        count = int(reason.value)
        return ngettext(
            "%(count)s high or critical risk is past its review date.",
            "%(count)s high or critical risks are past their review date.",
            count,
        ) % {"count": count}
    count = int(reason.value)
    if reason.colour == "red":
        return ngettext(
            "The client has %(count)s open complaint, of high severity.",
            "The client has %(count)s open complaints, some of high severity.",
            count,
        ) % {"count": count}
    return ngettext(
        "The client has %(count)s open complaint.",
        "The client has %(count)s open complaints.",
        count,
    ) % {"count": count}


def project_health(
    projects: list[Project], today: date, user: Any = None
) -> dict[int, ProjectHealth]:
    """Health, progress, next milestone and budget burn of each of ``projects`` at
    ``today``, by project id: ten queries whatever their number. With ``user``, the
    money (budget, costs, CPI, burn) of a project is read only if the user may see its
    finance figures (``core.permissions.sees_finance``); otherwise it stays unknown."""
    ids = [project.pk for project in projects]
    summaries = summarise(projects, today, client_visible_only=False)
    lines = BudgetLine.objects.filter(project_id__in=ids)
    if user is not None:
        lines = scope(user, lines)
    budgets = _sums(lines, "amount", ids)
    money = list(budgets)
    expenses = _sums(Expense.objects.filter(status="approved"), "amount", money)
    labour = _sums(TimeEntry.objects.all(), "cost_amount", money)
    risks: dict[int, dict[str, int]] = defaultdict(dict)
    for project_id, level, count in (
        Risk.objects.review_overdue(today)
        .filter(project_id__in=ids, level__in=[Level.HIGH, Level.CRITICAL])
        .values("project_id", "level")
        .annotate(n=Count("id"))
        .values_list("project_id", "level", "n")
        .order_by()
    ):
        risks[project_id][level] = count
    complaints: dict[int, tuple[int, int]] = {
        client_id: (total, severe)
        for client_id, total, severe in Feedback.objects.filter(
            client_id__in={project.client_id for project in projects},
            kind=Feedback.Kind.COMPLAINT,
            status__in=[Feedback.Status.OPEN, Feedback.Status.IN_PROGRESS],
        )
        .values("client_id")
        .annotate(
            total=Count("id"),
            severe=Count(
                "id",
                filter=Q(
                    severity__in=[Feedback.Severity.HIGH, Feedback.Severity.CRITICAL]
                ),
            ),
        )
        .values_list("client_id", "total", "severe")
        .order_by()
    }
    result: dict[int, ProjectHealth] = {}
    for project, summary in zip(projects, summaries, strict=True):
        done = (
            Decimal(summary.percent) / _HUNDRED if summary.percent is not None else None
        )
        planned = _planned_share(project, summary, today)
        spi = _ratio(done, planned) if done is not None and planned > 0 else None
        budget = budgets.get(project.pk)
        costs = [c for c in (expenses.get(project.pk), labour.get(project.pk)) if c]
        spent = sum(costs, Decimal(0)) if costs else None
        cpi = None
        if budget and spent and done is not None:
            cpi = _ratio(budget * done, spent)
        total, severe = complaints.get(project.client_id, (0, 0))
        signals = Signals(
            status=project.status,
            spi=spi,
            cpi=cpi,
            # all the work done: the finish is history, whatever the project's status
            schedule_status=summary.status if summary.finish and done != 1 else None,
            slip_days=summary.slip_days,
            overdue_days=(
                (today - summary.finish).days
                if summary.finish and summary.finish < today and done != 1
                else 0
            ),
            overdue_high_risks=risks[project.pk].get(Level.HIGH, 0),
            overdue_critical_risks=risks[project.pk].get(Level.CRITICAL, 0),
            open_complaints=total,
            severe_complaints=severe,
        )
        entry = ProjectHealth(
            project=project,
            summary=summary,
            health=assess(signals),
            signals=signals,
            planned_percent=round(planned * _HUNDRED),
            budget=budget,
            spent=spent,
        )
        result[project.pk] = entry
    return result


# --- My work -----------------------------------------------------------------------


@dataclass
class MyWork:
    """What needs one staff member, section by section; a page shows a section only if
    it has something."""

    overdue_tasks: list[Task]
    week_tasks: list[Task]
    task_count: int
    action_items: list[ActionItem]
    change_requests: list[ChangeRequest]
    expenses: list[Expense]
    follow_ups: list[FollowUp]
    complaints: list[Feedback]
    projects: list[ProjectHealth]

    @property
    def tasks_by_project(self) -> list[tuple[Project, list[Task]]]:
        """This week's tasks (overdue first), grouped by project in order of urgency."""
        groups: dict[int, tuple[Project, list[Task]]] = {}
        for task in [*self.overdue_tasks, *self.week_tasks]:
            groups.setdefault(task.project_id, (task.project, []))[1].append(task)
        return list(groups.values())

    @property
    def is_empty(self) -> bool:
        return not any(
            (
                self.overdue_tasks,
                self.week_tasks,
                self.action_items,
                self.change_requests,
                self.expenses,
                self.follow_ups,
                self.complaints,
                self.projects,
            )
        )


# How many rows a section of My work shows; its heading carries the full count.
SECTION_ROWS = 20


def my_work(user: Any, today: date) -> MyWork:
    """What needs ``user`` today: their open tasks overdue or due this week (by the end
    of Sunday), their open action items, the change requests and expenses waiting for
    their decision, their follow-up visits due within a week and the open complaints of
    their clients, and the projects they manage or work on with their health."""
    week_end = today + timedelta(days=6 - today.weekday())
    tasks = (
        scope(user, Task.objects.all())
        .filter(
            assignments__user=user,
            is_summary=False,
            project__status__in=OPEN_STATUSES,
        )
        .exclude(status=Task.Status.DONE)
        .select_related("project")
        .distinct()
    )
    overdue = list(tasks.filter(finish__lt=today).order_by("finish", "id")[:50])
    week = list(
        tasks.filter(finish__gte=today, finish__lte=week_end).order_by("finish", "id")[
            :50
        ]
    )
    items = list(
        scope(user, ActionItem.objects.all())
        .filter(owner=user)
        .exclude(status__in=["done", "cancelled"])
        .select_related("record", "record__project")
        .order_by("due_on", "id")[:SECTION_ROWS]
    )
    managed = Project.objects.filter(manager=user, status__in=OPEN_STATUSES)
    change_requests = list(
        scope(user, ChangeRequest.objects.all())
        .filter(
            project__in=managed,
            status__in=[
                ChangeRequest.Status.SUBMITTED,
                ChangeRequest.Status.EVALUATING,
            ],
        )
        .select_related("project")
        .order_by("requested_on", "id")[:SECTION_ROWS]
    )
    deciding = Membership.objects.filter(
        user=user, role__in=[ProjectRole.MANAGER, ProjectRole.FINANCE]
    ).values("project_id")
    expenses = list(
        scope(user, Expense.objects.all(), Action.CHANGE)
        .filter(status="submitted", project_id__in=deciding)
        .exclude(submitted_by=user)
        .select_related("project", "submitted_by")
        .order_by("spent_on", "id")[:SECTION_ROWS]
    )
    follow_ups = list(
        scope(user, FollowUp.objects.open())
        .filter(planned_on__lte=today + timedelta(days=7))
        .filter(Q(owner=user) | Q(owner__isnull=True, client__owner=user))
        .select_related("client")
        .order_by("planned_on", "id")[:SECTION_ROWS]
    )
    complaints = list(
        scope(user, Feedback.objects.filter(kind=Feedback.Kind.COMPLAINT))
        .filter(
            status__in=[Feedback.Status.OPEN, Feedback.Status.IN_PROGRESS],
            client__owner=user,
        )
        .select_related("client")
        .order_by("-received_on", "-id")[:SECTION_ROWS]
    )
    mine = list(
        scope(user, Project.objects.filter(status__in=OPEN_STATUSES))
        .filter(Q(manager=user) | Q(memberships__user=user))
        .select_related("client")
        .distinct()
        .order_by("code", "id")[:SECTION_ROWS]
    )
    health = project_health(mine, today, user)
    return MyWork(
        overdue_tasks=overdue,
        week_tasks=week,
        task_count=tasks.count(),
        action_items=items,
        change_requests=change_requests,
        expenses=expenses,
        follow_ups=follow_ups,
        complaints=complaints,
        projects=sorted(
            health.values(), key=lambda entry: (-entry.health.rank, entry.project.code)
        ),
    )
