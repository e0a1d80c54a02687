"""Tracking the plan: named baselines, the team's weekly workload, and "my tasks" across
projects where assignees report status and progress."""

from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from clientfolio.core.models import User
from clientfolio.core.permissions import Action, scope
from clientfolio.core.rendering import render_list
from clientfolio.core.views import PermissionMixin
from clientfolio.projects.models import Membership, Project
from clientfolio.schedule import services, summaries, workload
from clientfolio.schedule.forms import BaselineForm
from clientfolio.schedule.models import Assignment, Baseline, Task
from clientfolio.schedule.views.common import ScheduleMixin, TaskRow

__all__ = ["BaselineListView", "MyTasksView", "PeopleWorkloadView", "WorkloadView"]


class BaselineListView(ScheduleMixin, View):
    """The project's saved baselines; saving a new one snapshots the current plan."""

    folder_model = "schedule.baseline"
    template_name = "schedule/baselines.html"

    def context(self, form=None) -> dict:
        context = self.folder_context()
        from clientfolio.core.permissions import can

        can_add = can(
            self.request.user, Action.ADD, self.folder_model, project=self.project
        )
        return {
            **context,
            "baselines": list(
                Baseline.objects.filter(project=self.project)
                .select_related("created_by")
                .annotate(task_count=Count("tasks"))
            ),
            "form": form or (BaselineForm() if can_add else None),
            "can_add": can_add,
            "schedule": self.schedule_settings(),
        }

    def get(self, request, pk):
        return render(request, self.template_name, self.context())

    def post(self, request, pk):
        from django.core.exceptions import PermissionDenied

        if not self.context()["can_add"]:
            raise PermissionDenied
        form = BaselineForm(request.POST)
        if form.is_valid():
            try:
                baseline = services.save_baseline(
                    self.project,
                    form.cleaned_data["name"],
                    user=request.user,
                    note=form.cleaned_data.get("note", ""),
                )
            except services.PlanError as error:
                form.add_error(
                    error.field if error.field in form.fields else None, error.message
                )
            else:
                messages.success(
                    request, _("Baseline “%(name)s” saved.") % {"name": baseline.name}
                )
                return redirect("schedule:baselines", pk=pk)
        return render(request, self.template_name, self.context(form), status=400)


class WorkloadView(ScheduleMixin, View):
    """Each person's hours on this project per ISO week against 40 h capacity."""

    folder_model = "schedule.assignment"
    max_weeks = 53

    def get(self, request, pk):
        rows = list(
            Assignment.objects.filter(
                task__project=self.project, task__start__isnull=False
            ).values_list("user_id", "hours", "task__start", "task__finish")
        )
        bookings = [
            workload.Booking(user_id, Fraction(hours), start, finish or start)
            for user_id, hours, start, finish in rows
            if start is not None
        ]
        loads: dict = {}
        if bookings:
            first = min(b.start for b in bookings)
            last = max(b.finish for b in bookings)
            info = services.calendar_for(
                self.project, years=range(first.year, last.year + 1)
            )
            loads = workload.weekly_load(bookings, info.calendar.is_workday)
        users = User.objects.in_bulk(list(loads))
        weeks = sorted({week for load in loads.values() for week in load.weeks})
        truncated = len(weeks) > self.max_weeks
        weeks = weeks[: self.max_weeks]
        people = []
        for user_id, load in sorted(
            loads.items(), key=lambda item: str(users.get(item[0], ""))
        ):
            people.append(
                {
                    "user": users.get(user_id),
                    "total": float(load.total),
                    "over_count": len(load.over),
                    "cells": [
                        {
                            "hours": float(load.weeks.get(week, 0)),
                            "over": load.weeks.get(week, 0) > load.capacity,
                        }
                        for week in weeks
                    ],
                }
            )
        context = {
            **self.folder_context(),
            "weeks": [
                {
                    "label": f"W{w:02d}",
                    "year": y,
                    "monday": date.fromisocalendar(y, w, 1),
                }
                for y, w in weeks
            ],
            "people": people,
            "capacity": int(workload.DEFAULT_CAPACITY),
            "truncated": truncated,
        }
        return render(request, "schedule/workload.html", context)


class PeopleWorkloadView(PermissionMixin, View):
    """People × weeks: the hours assigned to each person over every project the viewer
    may see, against 40 h a week, with each person's projects one click away.
    ``?project=`` keeps the people of one project's team (with all their visible
    hours); ``?from=`` (a date) and ``?weeks=`` (4 to 26) choose the weeks."""

    model = Assignment
    default_weeks = 12

    def get(self, request):
        today = timezone.localdate()
        start = _date_param(request.GET.get("from")) or today
        weeks = _int_param(request.GET.get("weeks"), self.default_weeks, 4, 26)
        project = None
        people = None
        if request.GET.get("project", "").isdigit():
            project = get_object_or_404(
                scope(request.user, Project.objects.all()), pk=request.GET["project"]
            )
            people = set(
                Membership.objects.filter(project=project).values_list(
                    "user_id", flat=True
                )
            )
        result = summaries.people_workload(
            scope(request.user, Assignment.objects.all()),
            start,
            weeks,
            people=people,
        )
        first = date.fromisocalendar(*result.weeks[0], 1)
        rows = []
        for user_id, load in sorted(
            result.loads.items(), key=lambda item: str(result.users.get(item[0], ""))
        ):
            projects = sorted(
                load.projects.items(),
                key=lambda item: str(getattr(result.projects.get(item[0]), "code", "")),
            )
            rows.append(
                {
                    "user": result.users.get(user_id),
                    "id": user_id,
                    "total": float(load.total),
                    "over_count": len(load.over),
                    "project_count": len(projects),
                    "cells": [
                        _cell(load.weeks.get(w), load.capacity) for w in result.weeks
                    ],
                    "projects": [
                        {
                            "project": result.projects.get(project_id),
                            "cells": [float(hours.get(w, 0)) for w in result.weeks],
                        }
                        for project_id, hours in projects
                    ],
                }
            )
        step = timedelta(days=7 * weeks)
        context = {
            "people": rows,
            "weeks": [
                {
                    "label": f"W{w:02d}",
                    "monday": date.fromisocalendar(y, w, 1),
                    "current": workload.week_of(today) == (y, w),
                }
                for y, w in result.weeks
            ],
            "capacity": int(workload.DEFAULT_CAPACITY),
            "project": project,
            "weeks_count": weeks,
            "first": first,
            "previous": first - step,
            "next": first + step,
            "today": today,
            "over_people": sum(1 for r in rows if r["over_count"]),
        }
        return render(request, "schedule/people_workload.html", context)


def _cell(hours: Fraction | None, capacity: Fraction) -> dict[str, Any]:
    hours = hours or Fraction(0)
    return {"hours": float(hours), "over": hours > capacity}


def _date_param(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return None


def _int_param(value: str | None, default: int, low: int, high: int) -> int:
    if not (value or "").isdigit():
        return default
    return min(max(int(value or default), low), high)


class MyTasksView(PermissionMixin, View):
    """Open tasks the user owns or is assigned to, in every project; overdue first."""

    model = Task

    def get(self, request):
        user = request.user
        assigned = Assignment.objects.filter(task=OuterRef("pk"), user_id=user.pk)
        tasks = (
            scope(
                user,
                Task.objects.filter(is_summary=False)
                .exclude(status=Task.Status.DONE)
                .filter(Q(owner_id=user.pk) | Exists(assigned)),
            )
            .select_related("owner", "project", "project__client")
            .order_by(F("finish").asc(nulls_last=True), "project_id", "wbs_sort")
        )
        page = Paginator(tasks, 50).get_page(request.GET.get("page"))
        on_page = [task.pk for task in page.object_list]
        changeable = set(
            scope(user, Task.objects.filter(pk__in=on_page), Action.CHANGE).values_list(
                "pk", flat=True
            )
        )
        today = timezone.localdate()
        rows: list[dict[str, Any]] = []
        for task in page.object_list:
            row = TaskRow(task, 0)
            row.overdue = bool(task.finish and task.finish < today)
            rows.append({"row": row, "can_change": task.pk in changeable})
        context = {
            "page": page,
            "rows": rows,
            "today": today,
            "statuses": Task.Status.choices,
            "overdue_count": sum(1 for r in rows if r["row"].overdue),
        }
        return render_list(
            request,
            "schedule/my_tasks.html",
            "schedule/partials/my_tasks_table.html",
            context,
        )
