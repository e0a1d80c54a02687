"""The interactive Gantt chart: the page, its data (JSON) and the edits made by dragging
(move, resize, progress), which go through ``services.update_task`` like every edit."""

from datetime import date

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views import View

from clientfolio.core import parsers
from clientfolio.core.locking import StaleVersion
from clientfolio.core.permissions import Action
from clientfolio.schedule import grid, services
from clientfolio.schedule.gantt import chosen_baseline, gantt_data
from clientfolio.schedule.models import Baseline, Task
from clientfolio.schedule.views.common import ScheduleMixin

__all__ = ["GanttDataView", "GanttUpdateView", "GanttView"]


def _texts() -> dict[str, str]:
    return {
        "task": _("Task"),
        "start": _("Start"),
        "finish": _("Finish"),
        "duration": _("Duration"),
        "days": _("working days"),
        "float": _("Total float"),
        "critical": pgettext("critical path", "Critical"),
        "baseline": _("Baseline"),
        "progress": pgettext("task", "Progress"),
        "today": _("Today"),
        "makeup": _("Make-up workday"),
        "day": _("Day"),
        "week": _("Week"),
        "month": _("Month"),
        "stale": _(
            "Someone else changed this task while you were editing it. Nothing was saved; the chart has been reloaded."
        ),
        "error": _("The change was not saved."),
        "saved": _("Saved; the schedule was recomputed."),
        "loading": _("Loading…"),
        "empty": _("No tasks yet: add tasks in the task list first."),
        "month_format": _("%(year)s-%(month)s"),
        "show_tasks": _("Show task names"),
        "hide_tasks": _("Hide task names"),
        "undone": _("Undone: %(label)s"),
    }


class GanttView(ScheduleMixin, View):
    """The Gantt page; the chart itself is drawn by ``clientfolio/gantt.js`` from
    ``gantt_data``."""

    def get(self, request, pk):
        baselines = list(
            Baseline.objects.filter(project=self.project).values("id", "name")
        )
        baseline = chosen_baseline(self.project, request.GET.get("baseline"))
        data_url = reverse("schedule:gantt_data", kwargs={"pk": pk})
        if baseline is not None:
            data_url += f"?baseline={baseline.pk}"
        context = {
            **self.folder_context(),
            "plan_warnings": services.plan_warnings(self.schedule_settings()),
            "baselines": baselines,
            "baseline": baseline,
            "gantt_config": {
                "data": data_url,
                "update": reverse("schedule:gantt_update", kwargs={"pk": pk}),
                "undo": reverse("plan-grid-undo", kwargs={"pk": pk}),
                "editable": self.folder_context()["can_edit_plan"],
                "language": getattr(request, "LANGUAGE_CODE", "en"),
                "text": _texts(),
            },
        }
        return render(request, "schedule/gantt.html", context)


class GanttDataView(ScheduleMixin, View):
    """The chart's data as JSON (see ``schedule.gantt.gantt_data``)."""

    def get(self, request, pk):
        baseline = chosen_baseline(self.project, request.GET.get("baseline"))
        response = JsonResponse(gantt_data(self.project, baseline))
        response["Cache-Control"] = "no-store"
        return response


def _error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


class GanttUpdateView(ScheduleMixin, View):
    """One edit from the chart, as JSON ``{"task", "version", "action", "value"}``:

    - ``move``: ``value`` is the new start date; the task gets the constraint "start no
      earlier than" that date;
    - ``resize``: ``value`` is the duration in working days;
    - ``progress``: ``value`` is the percent complete.

    Answers 200 with the task's new dates and version, 400 with a message for bad input
    (nothing saved), 409 when the task changed since the chart was loaded.
    """

    folder_action = Action.CHANGE
    http_method_names = ["post"]

    def post(self, request, pk):
        try:
            payload = parsers.loads(request.body or b"{}")
        except ValueError:
            payload = request.POST.dict()
        if not isinstance(payload, dict):
            return _error(_("The request is not valid."))
        try:
            task_id = int(str(payload.get("task")))
            version = int(str(payload.get("version")))
        except (TypeError, ValueError):
            return _error(_("The request is not valid."))
        task = get_object_or_404(
            Task.objects.select_related("parent"), project=self.project, pk=task_id
        )
        task.project = self.project
        if task.is_summary:
            return _error(_("Summary tasks take their dates from their subtasks."))
        before = grid.snapshot([task])
        had_constraint = (task.constraint, task.constraint_date)
        problem = _apply(task, payload.get("action"), payload.get("value"))
        if problem:
            return _error(problem)
        try:
            task.clean_fields(exclude=["project", "parent", "owner"])
            task.clean()
        except ValidationError as error:
            return _error(" ".join(error.messages))
        try:
            task = services.update_task(task, version, actor=request.user)
        except StaleVersion:
            return _error(
                _(
                    "Someone else changed this task while you were editing it. Nothing was saved."
                ),
                409,
            )
        except services.PlanError as error:
            return _error(error.message)
        notice = ""
        if (task.constraint, task.constraint_date) != had_constraint:
            notice = _(
                "Moving “%(name)s” gave it the constraint “start no earlier than "
                "%(date)s”: it no longer moves earlier with its predecessors."
            ) % {"name": task.name, "date": task.constraint_date}
        labels = {
            "move": _("Move “%(name)s” on the Gantt"),
            "resize": _("Change the duration of “%(name)s” on the Gantt"),
            "progress": _("Record the progress of “%(name)s” on the Gantt"),
        }
        change = grid.record_change(
            self.project,
            request.user,
            labels[str(payload.get("action"))] % {"name": task.name},
            before,
        )
        return JsonResponse(
            {
                "notice": notice,
                "undo": {"id": change.pk, "label": change.label} if change else None,
                "id": task.pk,
                "version": task.version,
                "start": task.start.isoformat() if task.start else None,
                "finish": task.finish.isoformat() if task.finish else None,
                "duration": task.duration,
                "percent": task.percent_complete,
            }
        )


def _apply(task: Task, action: object, value: object) -> str | None:
    """Apply one chart edit to ``task`` in memory; a message when the input is bad."""
    if action == "move":
        try:
            day = date.fromisoformat(str(value))
        except ValueError:
            return _("Enter a valid date.")
        task.constraint = Task.Constraint.SNET
        task.constraint_date = day
        return None
    if action in ("resize", "progress"):
        try:
            number = int(str(value))
        except ValueError:
            return _("Enter a whole number.")
        if action == "resize":
            if task.is_milestone:
                return _("A milestone has no duration.")
            if not 1 <= number <= 5000:
                return _("The duration must be between 1 and 5000 working days.")
            task.duration = number
        else:
            if not 0 <= number <= 100:
                return _("The progress must be between 0 and 100 %.")
            task.percent_complete = number
        return None
    return _("Unknown change.")
