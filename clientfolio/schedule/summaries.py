"""A project at a glance: progress, schedule status against the baseline, the next
milestone. Built for many projects at once with one query per table, so a page costs
the same for 1 project as for 300: the portal's home (client-visible milestones only),
staff dashboards and the project list."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import F, Q, Sum

from clientfolio.projects.models import Project
from clientfolio.schedule.buffers import milestone_status
from clientfolio.schedule.calendars import build_calendar
from clientfolio.schedule.gantt import STATUS_LABELS, working_days_between
from clientfolio.schedule.models import Baseline, CalendarDay, ProjectSchedule, Task

__all__ = ["Milestone", "ProjectSummary", "summarise"]


@dataclass(frozen=True)
class Milestone:
    """A client-visible milestone as the client reads it."""

    id: int
    name: str
    date: date | None
    is_done: bool


@dataclass
class ProjectSummary:
    """``percent`` is the work done, weighted by duration (None without a plan);
    ``status`` one of ``schedule.buffers.STATUSES``, the project's finish against its
    first baseline in working days and its buffer; ``finish`` the forecast finish."""

    project: Project
    percent: int | None
    status: str
    finish: date | None
    baseline_finish: date | None
    slip_days: int
    next_milestone: Milestone | None

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def health(self) -> str:
        """The colour of the health dot: green, amber, red or grey (UI.md)."""
        return {
            "done": "grey",
            "done_late": "grey",
            "on_track": "green",
            "at_risk": "amber",
            "late": "red",
        }[self.status]


def _calendars(schedules: dict[int, dict[str, Any]], years: range) -> dict[int, Any]:
    """Each project's working calendar; projects on the standard Chinese calendar share
    one (building the statutory holidays is the costly part)."""
    own_days: dict[int, list[tuple[date, str]]] = defaultdict(list)
    for schedule_id, day, kind in CalendarDay.objects.filter(
        schedule_id__in=[row["id"] for row in schedules.values()]
    ).values_list("schedule_id", "day", "kind"):
        own_days[schedule_id].append((day, kind))
    standard = build_calendar(frozenset({0, 1, 2, 3, 4}), years).calendar
    calendars: dict[int, Any] = {}
    for project_id, row in schedules.items():
        weekdays = frozenset(
            int(d) for d in (row["workdays"] or "").split(",") if d.strip().isdigit()
        ) or frozenset({0, 1, 2, 3, 4})
        own = own_days.get(row["id"], [])
        if weekdays == {0, 1, 2, 3, 4} and row["use_statutory_holidays"] and not own:
            calendars[project_id] = standard
            continue
        calendars[project_id] = build_calendar(
            weekdays,
            years,
            statutory=row["use_statutory_holidays"],
            extra_holidays=[d for d, kind in own if kind == CalendarDay.Kind.HOLIDAY],
            extra_workdays=[d for d, kind in own if kind == CalendarDay.Kind.WORKDAY],
        ).calendar
    return calendars


def summarise(
    projects: list[Project], today: date, *, client_visible_only: bool = True
) -> list[ProjectSummary]:
    """The summary of each of ``projects`` (in their order) at ``today``: five queries
    whatever their number. The next milestone is the next one the client sees, unless
    ``client_visible_only`` is false (staff pages)."""
    ids = [project.pk for project in projects]
    work: dict[int, dict[str, Any]] = {
        row["project_id"]: row
        for row in Task.objects.filter(
            project_id__in=ids, parent__isnull=True, is_milestone=False
        )
        .values("project_id")
        .annotate(
            total=Sum("duration"), done=Sum(F("duration") * F("percent_complete"))
        )
        .order_by()
    }
    schedules: dict[int, dict[str, Any]] = {
        row["project_id"]: dict(row)
        for row in ProjectSchedule.objects.filter(project_id__in=ids).values(
            "id",
            "project_id",
            "computed_finish",
            "buffer_days",
            "workdays",
            "use_statutory_holidays",
        )
    }
    baselines: dict[int, date | None] = {}
    for project_id, finish in (
        Baseline.objects.filter(project_id__in=ids)
        .order_by("project_id", "created_at", "id")
        .values_list("project_id", "finish")
    ):
        baselines.setdefault(project_id, finish)
    upcoming: dict[int, Milestone] = {}
    # ``__in`` rather than a bare boolean, so SQLite walks the (project, is_milestone,
    # finish) index instead of every task of the projects.
    milestones = Task.objects.filter(project_id__in=ids, is_milestone__in=[True])
    if client_visible_only:
        milestones = milestones.filter(is_client_visible=True)
    for row in (
        milestones.exclude(status=Task.Status.DONE)
        .order_by("finish", "id")
        .values("id", "project_id", "name", "finish")
    ):
        upcoming.setdefault(
            row["project_id"],
            Milestone(row["id"], row["name"], row["finish"], is_done=False),
        )
    dates = [d for d in [*baselines.values()] if d]
    dates += [
        row["computed_finish"] for row in schedules.values() if row["computed_finish"]
    ]
    years = range(min([*dates, today]).year, max([*dates, today]).year + 1)
    calendars = _calendars(schedules, years)
    summaries = []
    for project in projects:
        totals = work.get(project.pk)
        percent = None
        if totals and totals["total"]:
            percent = round(totals["done"] / totals["total"])
        schedule: dict[str, Any] = schedules.get(project.pk, {})
        finish = project.actual_finish_on or schedule.get("computed_finish")
        baseline_finish = baselines.get(project.pk)
        slip = 0
        if finish and baseline_finish and project.pk in calendars:
            slip = working_days_between(baseline_finish, finish, calendars[project.pk])
        is_done = project.status == Project.Status.COMPLETED
        status = milestone_status(
            is_done=is_done,
            finish=finish,
            today=today,
            slip_days=slip,
            buffer_days=schedule.get("buffer_days") or 0,
        )
        summaries.append(
            ProjectSummary(
                project=project,
                percent=100 if is_done else percent,
                status=status,
                finish=finish,
                baseline_finish=baseline_finish,
                slip_days=slip,
                next_milestone=upcoming.get(project.pk),
            )
        )
    return summaries


# --- workload across projects ---------------------------------------------------------------


@dataclass
class PeopleWorkload:
    """Hours assigned per person and ISO week over the projects a viewer may see:
    ``loads`` by user id (``workload.CrossLoad``, its ``projects`` keyed by project
    id), the ``weeks`` shown, and the ``projects`` (id → Project) behind the hours."""

    weeks: list[tuple[int, int]]
    loads: dict[Any, Any]
    users: dict[Any, Any]
    projects: dict[int, Project]


def people_workload(
    assignments, monday: date, weeks: int, *, people: set[int] | None = None
) -> PeopleWorkload:
    """The weekly load of everyone assigned in ``assignments`` (an ``Assignment``
    queryset already scoped to the viewer) over the ``weeks`` ISO weeks from the week
    of ``monday``: each task's hours spread over its own project's working days, summed
    over projects. ``people`` limits it to those user ids. Four queries however many
    people, projects and tasks."""
    from datetime import timedelta
    from fractions import Fraction

    from clientfolio.core.models import User
    from clientfolio.schedule import workload

    first = monday - timedelta(days=monday.weekday())
    last = first + timedelta(days=7 * weeks - 1)
    shown = [workload.week_of(first + timedelta(days=7 * n)) for n in range(weeks)]
    rows = assignments.filter(
        task__start__isnull=False, task__start__lte=last, hours__gt=0
    ).filter(
        Q(task__finish__gte=first)
        | Q(task__finish__isnull=True, task__start__gte=first)
    )
    if people is not None:
        rows = rows.filter(user_id__in=people)
    bookings: dict[int, list[workload.Booking]] = defaultdict(list)
    for user_id, hours, start, finish, project_id in rows.values_list(
        "user_id", "hours", "task__start", "task__finish", "task__project_id"
    ):
        bookings[project_id].append(
            workload.Booking(user_id, Fraction(hours), start, finish or start)
        )
    spans = [b for project in bookings.values() for b in project]
    if not spans:
        return PeopleWorkload(shown, {}, {}, {})
    years = range(
        min(b.start for b in spans).year, max(b.finish for b in spans).year + 1
    )
    schedules: dict[int, dict[str, Any]] = {
        row["project_id"]: dict(row)
        for row in ProjectSchedule.objects.filter(project_id__in=list(bookings)).values(
            "id", "project_id", "workdays", "use_statutory_holidays"
        )
    }
    calendars = _calendars(schedules, years)
    standard = None
    per_project: dict[Any, Any] = {}
    for project_id, project_bookings in bookings.items():
        calendar = calendars.get(project_id)
        if calendar is None:
            standard = (
                standard or build_calendar(frozenset({0, 1, 2, 3, 4}), years).calendar
            )
            calendar = standard
        per_project[project_id] = workload.weekly_load(
            project_bookings, calendar.is_workday
        )
    loads = workload.across_projects(per_project, shown)
    project_ids = {p for load in loads.values() for p in load.projects}
    return PeopleWorkload(
        shown,
        loads,
        User.objects.in_bulk(list(loads)),
        Project.objects.in_bulk(list(project_ids)),
    )
