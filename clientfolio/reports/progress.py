"""Drafting a progress report: the figures of one project for one period, assembled from
the project's data in a fixed number of queries (whatever the project's size).

``draft(project, start, end, today=…)`` returns a JSON-ready dict with one key per
section (``reports.sections.SECTIONS``): dates are ISO strings, amounts and ratios
strings (``Decimal`` printed), counts integers. The figures are measured at ``as_of``,
the period's end or ``today`` if the period is still running.

- progress: percent complete (leaf tasks weighted by duration), its course over the
  last ``SERIES_PERIODS`` periods (planned by the first baseline and actually done,
  ``reports.curves``, from the tasks' history), SPI and CPI from
  finance's earned value at ``as_of`` (``finance.report.cost_summary``: the latest
  baseline's planned value, ``finance.evm``), and the slip in working days of the
  project and of its next milestones against the **first** baseline
  (``schedule.gantt.timeline_data``).
- tasks: work tasks finished in the period, and those planned to start or finish in the
  next one (not done yet).
- milestones: reached in the period, and moved against the first baseline.
- communication: records of the period with decisions (flagged when a client contact
  took part).
- changes: change requests requested or decided in the period, and those still open,
  with their impact on scope, schedule (days) and cost.
- risks: the top open risks by score and the open issues by severity.
- budget (internal): hours and labour cost in the period and in total, budget, actual
  cost and its share of the budget, CPI (CNY).
- waiting: change requests awaiting the client, deliverables to accept, minutes sent to
  client contacts who have not confirmed them.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clientfolio.comms.models import CommRecord, Participant
from clientfolio.finance.models import Expense, TimeEntry
from clientfolio.finance.report import cost_summary
from clientfolio.projects.models import ChangeRequest, Project
from clientfolio.quality.models import Deliverable
from clientfolio.reports import curves
from clientfolio.reports.periods import next_period, period_of
from clientfolio.risks.models import Issue, Risk
from clientfolio.schedule.gantt import timeline_data
from clientfolio.schedule.models import BaselineTask, Task

__all__ = ["LIST_LIMIT", "SECTION_LABELS", "TOP_RISKS", "draft"]

# Rows a section lists (its count says how many there are in all).
LIST_LIMIT = 20
TOP_RISKS = 5
NEXT_MILESTONES = 5
SERIES_PERIODS = 6

SECTION_LABELS = {
    "progress": pgettext_lazy("report section", "Progress"),
    "tasks": pgettext_lazy("report section", "Tasks"),
    "milestones": pgettext_lazy("report section", "Milestones"),
    "communication": pgettext_lazy("report section", "Communication and decisions"),
    "changes": pgettext_lazy("report section", "Change requests"),
    "risks": pgettext_lazy("report section", "Risks and issues"),
    "budget": pgettext_lazy("report section", "Hours and budget (internal)"),
    "waiting": pgettext_lazy("report section", "Waiting for the client"),
}
LABEL_INTERNAL = _("internal only")

OPEN_CHANGES = ("submitted", "evaluating", "awaiting_client")
CLOSED_RISKS = ("closed", "occurred")
OPEN_ISSUES = ("open", "in_progress")
SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3}


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _ratio(value: Decimal | None) -> str | None:
    if value is None:
        return None
    return str(Decimal(value).quantize(Decimal("0.01"), ROUND_HALF_UP))


def _amount(value: Decimal | None) -> str:
    return f"{Decimal(value or 0):.2f}"


def _series(
    project: Project, baseline: Any, period: str, as_of: date
) -> list[dict[str, Any]]:
    """Planned and actual percent at the end of the last periods (two queries)."""
    leaves = Task.objects.filter(project=project, is_summary=False, is_milestone=False)
    weights = dict(leaves.values_list("pk", "duration"))
    planned: dict[int, tuple[date | None, date | None]] = {}
    if baseline is not None:
        planned = {
            task_id: (start, finish)
            for task_id, start, finish in BaselineTask.objects.filter(
                baseline=baseline, task_id__in=list(weights)
            ).values_list("task_id", "start", "finish")
        }
    zone = timezone.get_current_timezone()
    until = timezone.make_aware(datetime.combine(as_of, time.max), zone)
    history = [
        (timezone.localtime(at, zone).date(), task_id, percent or 0)
        for at, task_id, percent in Task.history.filter(  # type: ignore[attr-defined]
            project_id=project.pk, history_date__lte=until
        )
        .filter(is_summary=False, is_milestone=False)
        .order_by("history_date", "history_id")
        .values_list("history_date", "id", "percent_complete")
    ]
    tasks = [
        curves.PlannedTask(task_id, weight or 0, *planned.get(task_id, (None, None)))
        for task_id, weight in weights.items()
    ]
    points = curves.period_ends(as_of, SERIES_PERIODS, period_of, period)
    return [
        {"end": p.on.isoformat(), "planned": p.planned, "actual": p.actual}
        for p in curves.progress_series(tasks, history, points)
    ]


def _progress(project: Project, as_of: date) -> dict[str, Any]:
    leaves = Task.objects.filter(
        project=project, is_summary=False, is_milestone=False
    ).aggregate(weight=Sum("duration"), done=Sum(F("duration") * F("percent_complete")))
    percent = 0
    if leaves["weight"]:
        percent = int(
            (
                Decimal(leaves["done"] or 0) / Decimal(leaves["weight"])
            ).to_integral_value()
        )
    costs = cost_summary(project, as_of)
    indicators = costs.evm.indicators
    timeline = timeline_data(project, all_milestones=True, today=as_of)
    upcoming = sorted(
        (m for m in timeline.milestones if not m.is_done),
        key=lambda m: (m.finish or date.max, m.id),
    )[:NEXT_MILESTONES]
    return {
        "percent_complete": percent,
        "spi": _ratio(indicators.spi if indicators else None),
        "cpi": _ratio(indicators.cpi if indicators else None),
        "evm_baseline": costs.evm.baseline_name,
        "baseline": timeline.baseline.name if timeline.baseline else "",
        "finish": _iso(timeline.finish),
        "baseline_finish": _iso(timeline.baseline_finish),
        "slip_days": timeline.slip_days,
        "milestones": [
            {
                "name": m.name,
                "baseline_finish": _iso(m.baseline_finish),
                "finish": _iso(m.finish),
                "slip_days": m.slip_days,
                "status": m.status,
                "is_client_visible": m.is_client_visible,
            }
            for m in upcoming
        ],
        "_costs": costs,
        "_timeline": timeline,
    }


def _tasks(project: Project, period: str, start: date, end: date) -> dict[str, Any]:
    work = Task.objects.filter(project=project, is_summary=False, is_milestone=False)
    done_q = (Q(status=Task.Status.DONE) | Q(percent_complete__gte=100)) & Q(
        actual_finish__gte=start, actual_finish__lte=end
    )
    next_start, next_end = next_period(period, end)
    planned_q = ~Q(status=Task.Status.DONE) & (
        Q(start__gte=next_start, start__lte=next_end)
        | Q(finish__gte=next_start, finish__lte=next_end)
    )
    done, planned = work.filter(done_q), work.filter(planned_q)
    fields = ("wbs", "name", "start", "finish", "actual_finish", "percent_complete")
    counts = work.aggregate(
        completed=Count("pk", filter=done_q), planned=Count("pk", filter=planned_q)
    )
    return {
        "completed_count": counts["completed"],
        "completed": [
            {"wbs": t["wbs"], "name": t["name"], "finish": _iso(t["actual_finish"])}
            for t in done.order_by("actual_finish", "wbs_sort", "id").values(*fields)[
                :LIST_LIMIT
            ]
        ],
        "next_start": _iso(next_start),
        "next_end": _iso(next_end),
        "planned_count": counts["planned"],
        "planned": [
            {
                "wbs": t["wbs"],
                "name": t["name"],
                "start": _iso(t["start"]),
                "finish": _iso(t["finish"]),
                "percent": t["percent_complete"],
            }
            for t in planned.order_by("start", "wbs_sort", "id").values(*fields)[
                :LIST_LIMIT
            ]
        ],
    }


def _milestones(timeline: Any, start: date, end: date) -> dict[str, Any]:
    reached, moved = [], []
    for m in timeline.milestones:
        row = {
            "name": m.name,
            "finish": _iso(m.finish),
            "baseline_finish": _iso(m.baseline_finish),
            "slip_days": m.slip_days,
            "is_client_visible": m.is_client_visible,
        }
        if m.is_done and m.finish and start <= m.finish <= end:
            reached.append(row)
        elif not m.is_done and m.has_baseline and m.slip_days:
            moved.append(row)
    return {"reached": reached, "moved": moved[:LIST_LIMIT]}


def _communication(project: Project, start: date, end: date) -> dict[str, Any]:
    zone = timezone.get_current_timezone()
    first = timezone.make_aware(datetime.combine(start, time.min), zone)
    after = first + timedelta(days=(end - start).days + 1)
    with_client = Participant.objects.filter(
        record_id=OuterRef("pk"), contact__isnull=False
    )
    rows = (
        CommRecord.objects.filter(
            project=project, occurred_at__gte=first, occurred_at__lt=after
        )
        .exclude(decisions="")
        .annotate(with_client=Exists(with_client))
        .order_by("occurred_at", "id")
        .values("subject", "kind", "occurred_at", "decisions", "with_client")[
            :LIST_LIMIT
        ]
    )
    return {
        "records": [
            {
                "subject": r["subject"],
                "kind": r["kind"],
                "date": _iso(timezone.localtime(r["occurred_at"], zone).date()),
                "decisions": r["decisions"],
                "with_client": r["with_client"],
            }
            for r in rows
        ]
    }


def _changes(project: Project, start: date, end: date) -> dict[str, Any]:
    rows = (
        ChangeRequest.objects.filter(project=project)
        .filter(
            Q(requested_on__gte=start, requested_on__lte=end)
            | Q(decided_on__gte=start, decided_on__lte=end)
            | Q(status__in=OPEN_CHANGES)
        )
        .order_by("number")
        .values(
            "number",
            "title",
            "status",
            "scope_impact",
            "schedule_impact_days",
            "cost_impact",
            "currency",
            "decided_on",
        )[:LIST_LIMIT]
    )
    return {
        "requests": [
            {
                "number": r["number"],
                "title": r["title"],
                "status": r["status"],
                "scope_impact": r["scope_impact"],
                "schedule_impact_days": r["schedule_impact_days"],
                "cost_impact": None
                if r["cost_impact"] is None
                else _amount(r["cost_impact"]),
                "currency": r["currency"],
                "decided_on": _iso(r["decided_on"]),
            }
            for r in rows
        ]
    }


def _risks(project: Project) -> dict[str, Any]:
    risks = (
        Risk.objects.filter(project=project)
        .exclude(status__in=CLOSED_RISKS)
        .order_by("-score", "id")
        .values("title", "level", "score", "status", "response_plan")[:TOP_RISKS]
    )
    issues = list(
        Issue.objects.filter(project=project, status__in=OPEN_ISSUES)
        .order_by("due_on", "id")
        .values("title", "severity", "status", "due_on")[: LIST_LIMIT * 5]
    )
    issues.sort(key=lambda i: SEVERITY_ORDER.get(i["severity"], 9))
    return {
        "risks": [dict(r) for r in risks],
        "issues": [{**i, "due_on": _iso(i["due_on"])} for i in issues[:LIST_LIMIT]],
    }


def _budget(
    project: Project, costs: Any, cpi: str | None, start: date, end: date
) -> dict[str, Any]:
    entries = TimeEntry.objects.filter(project=project).aggregate(
        hours_total=Sum("hours"),
        hours_in_period=Sum(
            "hours", filter=Q(worked_on__gte=start, worked_on__lte=end)
        ),
        cost_in_period=Sum(
            "cost_amount",
            filter=Q(worked_on__gte=start, worked_on__lte=end, currency="CNY"),
        ),
    )
    expenses = Expense.objects.filter(
        project=project,
        status=Expense.Status.APPROVED,
        spent_on__gte=start,
        spent_on__lte=end,
        currency="CNY",
    ).aggregate(total=Sum("amount"))["total"]
    burn = None
    if costs.budget:
        burn = int((costs.actual * 100 / costs.budget).to_integral_value(ROUND_HALF_UP))
    return {
        "currency": "CNY",
        "hours_in_period": _amount(entries["hours_in_period"]),
        "hours_total": _amount(entries["hours_total"]),
        "cost_in_period": _amount(
            (entries["cost_in_period"] or Decimal(0)) + (expenses or Decimal(0))
        ),
        "budget": _amount(costs.budget),
        "actual_cost": _amount(costs.actual),
        "burn_percent": burn,
        "cpi": cpi,
    }


def _waiting(project: Project) -> dict[str, Any]:
    changes = (
        ChangeRequest.objects.filter(project=project, status="awaiting_client")
        .order_by("requested_on", "number")
        .values("number", "title", "requested_on")[:LIST_LIMIT]
    )
    deliverables = (
        Deliverable.objects.filter(project=project, status=Deliverable.Status.SUBMITTED)
        .order_by("due_on", "id")
        .values("name", "due_on")[:LIST_LIMIT]
    )
    minutes = (
        CommRecord.objects.filter(
            project=project,
            minutes_sent_at__isnull=False,
            participants__contact__isnull=False,
            participants__state=Participant.State.PENDING,
        )
        .annotate(pending=Count("participants"))
        .order_by("minutes_sent_at", "id")
        .values("subject", "occurred_at", "pending")[:LIST_LIMIT]
    )
    return {
        "change_requests": [
            {
                "number": c["number"],
                "title": c["title"],
                "since": _iso(c["requested_on"]),
            }
            for c in changes
        ],
        "deliverables": [
            {"name": d["name"], "due_on": _iso(d["due_on"])} for d in deliverables
        ],
        "minutes": [
            {
                "subject": m["subject"],
                "date": _iso(timezone.localdate(m["occurred_at"])),
                "pending": m["pending"],
            }
            for m in minutes
        ],
    }


def draft(
    project: Project,
    period: str,
    start: date,
    end: date,
    *,
    today: date | None = None,
) -> dict[str, Any]:
    """The drafted figures of ``project`` for the ``period`` from ``start`` to ``end``
    (both inclusive), measured at the end of the period or at ``today`` (default: the
    local date) while it runs. JSON-ready; see the module's docstring for the sections."""
    today = today or timezone.localdate()
    as_of = min(end, today)
    progress = _progress(project, as_of)
    costs = progress.pop("_costs")
    timeline = progress.pop("_timeline")
    progress["series"] = _series(project, timeline.baseline, period, as_of)
    if progress["series"]:  # the last point is today's figure, whatever the history
        progress["series"][-1]["actual"] = progress["percent_complete"]
    return {
        "as_of": as_of.isoformat(),
        "period": {"kind": period, "start": start.isoformat(), "end": end.isoformat()},
        "project": {
            "code": project.code,
            "name": project.name,
            "client": project.client.name if project.client_id else "",
        },
        "progress": progress,
        "tasks": _tasks(project, period, start, end),
        "milestones": _milestones(timeline, start, end),
        "communication": _communication(project, start, end),
        "changes": _changes(project, start, end),
        "risks": _risks(project),
        "budget": _budget(project, costs, progress["cpi"], start, end),
        "waiting": _waiting(project),
    }
