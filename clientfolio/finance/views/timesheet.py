"""The weekly timesheet: one row per (project, task) the user works on, one column per
day of an ISO week, hours in quarter steps. Everything is saved at once or nothing is:
a refused cell keeps the typed value and shows its message."""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from clientfolio.core.permissions import Action, can, scope
from clientfolio.core.relations import visible_ids
from clientfolio.finance import services
from clientfolio.finance.models import TimeEntry
from clientfolio.finance.services import WeekCell, WeekRow
from clientfolio.projects.models import Project
from clientfolio.schedule.models import Assignment, Task

__all__ = ["TimesheetView", "parse_week"]

OPEN = [Project.Status.PROPOSED, Project.Status.ACTIVE, Project.Status.ON_HOLD]
TASKS_PER_PROJECT = 300


def parse_week(value: str | None, today: date) -> date:
    """The Monday of ``2026-W48`` (this week's when missing or malformed)."""
    if value:
        try:
            year, week = value.upper().split("-W")
            return date.fromisocalendar(int(year), int(week), 1)
        except ValueError:
            pass
    return today - timedelta(days=today.weekday())


def week_label(monday: date) -> str:
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


class TimesheetView(View):
    template_name = "finance/timesheet.html"
    request: Any

    def dispatch(self, request, *args, **kwargs):
        if not getattr(request.user, "is_internal", False):
            raise PermissionDenied
        today = timezone.localdate()
        source = request.POST if request.method == "POST" else request.GET
        self.monday = parse_week(source.get("week"), today)
        self.days = [self.monday + timedelta(days=i) for i in range(7)]
        return super().dispatch(request, *args, **kwargs)

    # --- what the grid is made of -----------------------------------------------------------

    def projects(self) -> dict[int, Project]:
        user = self.request.user
        projects = scope(
            user,
            Project.objects.filter(memberships__user=user, status__in=OPEN)
            .distinct()
            .order_by("code"),
        )
        return {
            p.pk: p for p in projects if can(user, Action.ADD, TimeEntry, project=p)
        }

    def entries(self, days: list[date]) -> list[TimeEntry]:
        return list(
            TimeEntry.objects.filter(user=self.request.user, worked_on__in=days)
            .select_related("project", "task")
            .order_by("pk")
        )

    def build_rows(
        self, keys: list[tuple[int, int | None, bool]], projects, entries
    ) -> list[WeekRow]:
        """The rows of ``keys`` (project, task, billable), with the user's ``entries``.

        A task outside the row's project (it moved, or the key was forged) only keeps a
        row that already has entries, and is named only if the user may see it."""
        task_ids = {t for _p, t, _b in keys if t}
        tasks = Task.objects.in_bulk(task_ids)
        by_cell: dict[tuple, list[TimeEntry]] = defaultdict(list)
        with_entries = set()
        for entry in entries:
            by_cell[(entry.project_id, entry.task_id, entry.worked_on)].append(entry)
            with_entries.add((entry.project_id, entry.task_id))
        foreign = {
            (p, t): tasks[t]
            for p, t, _b in keys
            if t in tasks and tasks[t].project_id != p
        }
        seen_tasks = visible_ids(
            self.request.user, Task, {t.pk for t in foreign.values()}
        )
        extra_projects = {
            e.project_id: e.project for e in entries if e.project_id not in projects
        }
        rows = []
        seen = set()
        for project_id, task_id, billable in keys:
            if (project_id, task_id) in seen:
                continue
            project = projects.get(project_id) or extra_projects.get(project_id)
            if project is None:
                continue
            key = (project_id, task_id)
            if key in foreign and key not in with_entries:
                continue
            seen.add(key)
            task = tasks.get(task_id) if task_id else None
            row = WeekRow(
                project=project,
                task=task,
                billable=billable,
                task_shown=key not in foreign or task_id in seen_tasks,
            )
            row.cells = [
                WeekCell(day=day, entries=by_cell.get((project_id, task_id, day), []))
                for day in self.days
            ]
            rows.append(row)
        return rows

    def default_keys(self, projects, entries, copy: bool) -> list[tuple]:
        keys: list[tuple] = [(e.project_id, e.task_id, e.billable) for e in entries]
        if copy:
            last_week = [d - timedelta(days=7) for d in self.days]
            keys += [
                (e.project_id, e.task_id, e.billable) for e in self.entries(last_week)
            ]
        assigned = (
            Assignment.objects.filter(
                user=self.request.user,
                task__project_id__in=list(projects),
                task__is_summary=False,
                task__is_milestone=False,
            )
            .exclude(task__status=Task.Status.DONE)
            .filter(task__start__lte=self.days[-1])
            .exclude(task__finish__lt=self.days[0])
            .order_by("task__project__code", "task__wbs_sort")
            .values_list("task__project_id", "task_id")
        )
        keys += [(p, t, True) for p, t in assigned]
        return keys

    def choices(self, projects) -> list[dict[str, Any]]:
        """Projects with their open tasks, for "add a row"."""
        tasks: dict[int, list[Task]] = defaultdict(list)
        for task in (
            Task.objects.filter(
                project_id__in=list(projects), is_summary=False, is_milestone=False
            )
            .exclude(status=Task.Status.DONE)
            .order_by("project_id", "wbs_sort")
            .only("id", "project_id", "wbs", "name")
        ):
            if len(tasks[task.project_id]) < TASKS_PER_PROJECT:
                tasks[task.project_id].append(task)
        return [{"project": p, "tasks": tasks.get(p.pk, [])} for p in projects.values()]

    def render_grid(self, rows: list[WeekRow], projects, status: int = 200):
        day_totals = []
        for index, day in enumerate(self.days):
            total = Decimal(0)
            for row in rows:
                cell = row.cells[index]
                total += cell.hours if cell.hours is not None else cell.saved_hours
            day_totals.append({"day": day, "total": total, "over": total > 24})
        week_total = sum((Decimal(str(d["total"])) for d in day_totals), Decimal(0))
        url = reverse("finance:timesheet")
        today = timezone.localdate()
        context = {
            "rows": rows,
            "days": self.days,
            "day_totals": day_totals,
            "week_total": week_total,
            "week": week_label(self.monday),
            "prev_url": f"{url}?week={week_label(self.monday - timedelta(days=7))}",
            "next_url": f"{url}?week={week_label(self.monday + timedelta(days=7))}",
            "this_url": url,
            "is_this_week": self.monday <= today <= self.days[-1],
            "today": today,
            "choices": self.choices(projects),
            "has_errors": any(
                row.error or any(c.error for c in row.cells) for row in rows
            ),
        }
        return render(self.request, self.template_name, context, status=status)

    # --- requests ---------------------------------------------------------------------------

    def get(self, request):
        projects = self.projects()
        entries = self.entries(self.days)
        keys = self.default_keys(projects, entries, copy=request.GET.get("copy") == "1")
        return self.render_grid(self.build_rows(keys, projects, entries), projects)

    def posted_rows(self, projects, entries) -> list[WeekRow]:
        data = self.request.POST
        # A task not shown is named by the row's first entry (``WeekRow.task_field``).
        by_entry = {f"e{e.pk}": (e.project_id, e.task_id) for e in entries}
        keys = []
        raw: list[tuple[list[str], bool]] = []
        try:
            count = min(int(data.get("rows", "0")), 500)
        except ValueError:
            count = 0
        for i in range(count):
            project = data.get(f"r{i}-project", "")
            task = data.get(f"r{i}-task", "")
            if not project.isdigit():
                continue
            billable = data.get(f"r{i}-billable") == "on"
            if task in by_entry:
                if by_entry[task][0] != int(project):
                    continue
                task_id = by_entry[task][1]
            else:
                task_id = int(task) if task.isdigit() else None
            keys.append((int(project), task_id, billable))
            raw.append(([data.get(f"r{i}-d{d}", "") for d in range(7)], billable))
        rows = []
        built = {r.key: r for r in self.build_rows(keys, projects, entries)}
        for (project_id, task_id, _b), (values, billable) in zip(
            keys, raw, strict=True
        ):
            row = built.pop((project_id, task_id), None)
            if row is None:
                continue
            row.billable = billable
            for cell, value in zip(row.cells, values, strict=True):
                cell.raw = value.strip().replace(",", ".")
                if not cell.raw:
                    cell.hours = Decimal(0)
                    continue
                try:
                    cell.hours = Decimal(cell.raw)
                    if not cell.hours.is_finite():
                        raise InvalidOperation
                except InvalidOperation:
                    cell.hours = None
                    cell.error = _("Enter a number of hours, e.g. 7.5.")
            rows.append(row)
        return rows

    def post(self, request):
        projects = self.projects()
        entries = self.entries(self.days)
        rows = self.posted_rows(projects, entries)
        action = request.POST.get("action", "save")
        if action in ("add", "copy"):
            extra: list[tuple] = []
            if action == "add":
                project, _sep, task = request.POST.get("new_row", "").partition(":")
                if project.isdigit() and int(project) in projects:
                    extra.append(
                        (int(project), int(task) if task.isdigit() else None, True)
                    )
            else:
                last_week = [d - timedelta(days=7) for d in self.days]
                extra = [
                    (e.project_id, e.task_id, e.billable)
                    for e in self.entries(last_week)
                ]
            shown = {row.key for row in rows}
            extra = [k for k in extra if (k[0], k[1]) not in shown]
            rows += self.build_rows(extra, projects, entries)
            return self.render_grid(rows, projects)
        if not services.save_week(request.user, self.monday, rows):
            return self.render_grid(rows, projects, status=400)
        messages.success(request, _("Timesheet saved."))
        return redirect(
            f"{reverse('finance:timesheet')}?week={week_label(self.monday)}"
        )
