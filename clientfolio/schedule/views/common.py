"""What the schedule pages share: the folder frame with the schedule's own sub-navigation,
the task tree's rows (one query for the tasks, one for the chosen baseline) and the
tree's filters."""

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from django.http import HttpRequest, QueryDict
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clientfolio.core.permissions import Action, can
from clientfolio.projects.folder import FolderMixin
from clientfolio.schedule.forms import TaskFilterForm, TaskStatusForm
from clientfolio.schedule.models import Baseline, BaselineTask, ProjectSchedule, Task

__all__ = ["ScheduleMixin", "TaskRow", "tree_context"]

MODEL = "schedule.task"

# (url name, label, icon, model the user must be allowed to view, action); sections built
# by other parts of the schedule are shown once their URL exists.
SECTIONS = [
    ("schedule:task_list", gettext_lazy("Tasks"), "list-tree", MODEL, Action.VIEW),
    ("schedule:grid", gettext_lazy("Plan grid"), "table", MODEL, Action.VIEW),
    ("schedule:board", gettext_lazy("Board"), "layout-kanban", MODEL, Action.VIEW),
    ("schedule:gantt", gettext_lazy("Gantt"), "timeline", MODEL, Action.VIEW),
    ("schedule:forecast", gettext_lazy("Forecast"), "chart-dots", MODEL, Action.VIEW),
    (
        "schedule:timeline",
        gettext_lazy("Client timeline"),
        "timeline-event",
        MODEL,
        Action.VIEW,
    ),
    (
        "schedule:workload",
        gettext_lazy("Workload"),
        "users-group",
        "schedule.assignment",
        Action.VIEW,
    ),
    (
        "schedule:baselines",
        gettext_lazy("Baselines"),
        "versions",
        "schedule.baseline",
        Action.VIEW,
    ),
    (
        "schedule:calendar",
        gettext_lazy("Calendar"),
        "calendar-cog",
        "schedule.projectschedule",
        Action.CHANGE,
    ),
]


class ScheduleMixin(FolderMixin):
    """Pages of one project's schedule."""

    folder_model = MODEL

    def get_task(self, task_pk: int, queryset=None) -> Task:
        base = (
            queryset
            if queryset is not None
            else Task.objects.select_related("owner", "parent")
        )
        task = get_object_or_404(base.filter(project=self.project), pk=task_pk)
        task.project = self.project
        return task

    def schedule_settings(self) -> ProjectSchedule:
        from clientfolio.schedule import services

        return services.ensure_schedule(self.project)

    def folder_context(self) -> dict[str, Any]:
        context = super().folder_context()
        user = self.request.user
        current = getattr(self.request.resolver_match, "view_name", "") or ""
        sections = []
        for name, label, icon, model, action in SECTIONS:
            if not can(user, action, model, project=self.project):
                continue
            try:
                url = reverse(name, kwargs={"pk": self.project.pk})
            except NoReverseMatch:
                continue
            sections.append(
                {"url": url, "label": label, "icon": icon, "active": current == name}
            )
        context["schedule_sections"] = sections
        context["can_edit_plan"] = can(user, Action.CHANGE, MODEL, project=self.project)
        context["can_add_task"] = can(user, Action.ADD, MODEL, project=self.project)
        context["can_delete_task"] = can(
            user, Action.DELETE, MODEL, project=self.project
        )
        return context


@dataclass
class TaskRow:
    """A task as a row of the tree: its level, and its variance against a baseline."""

    task: Task
    level: int
    start_variance: int | None = None
    finish_variance: int | None = None
    overdue: bool = False

    @property
    def indent(self) -> int:
        return self.level * 20

    @property
    def late(self) -> bool:
        return bool(self.finish_variance and self.finish_variance > 0)

    @property
    def status_form(self) -> TaskStatusForm:
        return TaskStatusForm(
            initial={
                "status": self.task.status,
                "percent_complete": self.task.percent_complete,
                "version": self.task.version,
            }
        )


def filter_query(request: HttpRequest) -> QueryDict:
    """The tree's filters: from the page's own query, or for an htmx request made from
    the tree (an inline edit), from the address the browser shows."""
    if request.method == "GET" and not getattr(request, "htmx", False):
        return request.GET
    current = getattr(getattr(request, "htmx", None), "current_url", None) or ""
    query = QueryDict(mutable=True)
    for key, value in parse_qsl(urlsplit(current).query):
        query.appendlist(key, value)
    if request.method == "GET":
        for key, values in request.GET.lists():
            query.setlist(key, values)
    return query


def _variance(current: date | None, planned: date | None) -> int | None:
    if current is None or planned is None:
        return None
    return (current - planned).days


def tree_context(
    project, query: QueryDict, status_date: date | None = None
) -> dict[str, Any]:
    """The rows of the task tree for ``query``'s filters, with the baselines to choose
    from and the chosen one's variance (calendar days, positive = later than planned).
    A task is overdue when it is not done and finishes before ``status_date`` (today by
    default)."""
    form = TaskFilterForm(query)
    data = form.cleaned_data if form.is_valid() else {}
    tasks = (
        Task.objects.filter(project=project)
        .select_related("owner")
        .order_by("wbs_sort", "id")
    )
    filtering = False
    if data.get("q"):
        tasks = tasks.filter(name__icontains=data["q"])
        filtering = True
    if data.get("status"):
        tasks = tasks.filter(status=data["status"])
        filtering = True
    if data.get("owner"):
        tasks = tasks.filter(owner_id=data["owner"])
        filtering = True
    if data.get("critical"):
        tasks = tasks.filter(is_critical=True)
        filtering = True
    if data.get("milestones"):
        tasks = tasks.filter(is_milestone=True)
        filtering = True
    baselines = list(
        Baseline.objects.filter(project=project).only("id", "name", "created_at")
    )
    baseline = next((b for b in baselines if b.pk == data.get("baseline")), None)
    planned: dict[int, tuple[date | None, date | None]] = {}
    if baseline is not None:
        planned = {
            task_id: (start, finish)
            for task_id, start, finish in BaselineTask.objects.filter(
                baseline=baseline
            ).values_list("task_id", "start", "finish")
        }
    today = status_date or timezone.localdate()
    rows = []
    for task in tasks:
        row = TaskRow(task, task.wbs.count(".") if task.wbs else 0)
        if task.pk in planned:
            row.start_variance = _variance(task.start, planned[task.pk][0])
            row.finish_variance = _variance(task.finish, planned[task.pk][1])
        row.overdue = bool(
            task.finish and task.finish < today and task.status != Task.Status.DONE
        )
        rows.append(row)
    query_string = QueryDict(mutable=True)
    for key in ("q", "status", "owner", "critical", "milestones", "baseline"):
        if query.get(key):
            query_string[key] = str(query.get(key))
    return {
        "rows": rows,
        "filters": {
            key: query.get(key, "")
            for key in ("q", "status", "owner", "critical", "milestones")
        },
        "filtering": filtering,
        "baselines": baselines,
        "baseline": baseline,
        "statuses": Task.Status.choices,
        "query": query_string.urlencode(),
        "today": today,
    }


def unknown_years_warning(settings_row: ProjectSchedule) -> str:
    years = [y for y in settings_row.unknown_years.split(",") if y.strip()]
    if not years:
        return ""
    return _(
        "The holiday arrangement for %(years)s is not published yet; those years are "
        "scheduled on weekdays."
    ) % {"years": _year_ranges([int(y) for y in years if y.strip().isdigit()])}


def _year_ranges(years: list[int]) -> str:
    """``[2029, 2030, 2031, 2035]`` as ``"2029–2031, 2035"``."""
    runs: list[list[int]] = []
    for year in sorted(years):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(
        str(run[0]) if len(run) == 1 else f"{run[0]}–{run[-1]}" for run in runs
    )
