"""The Kanban board of a project's tasks by status, and the status and progress update
that its drag and drop, and "my tasks", post."""

from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from clientfolio.core.locking import StaleVersion
from clientfolio.core.permissions import Action, scope
from clientfolio.schedule import services
from clientfolio.schedule.forms import TaskStatusForm
from clientfolio.schedule.models import Task
from clientfolio.schedule.views.common import ScheduleMixin, TaskRow

__all__ = ["BoardView", "TaskStatusView"]


class BoardView(ScheduleMixin, View):
    """Columns To do / In progress / Blocked / Done with the project's work tasks."""

    def get(self, request, pk):
        tasks = (
            Task.objects.filter(project=self.project, is_summary=False)
            .select_related("owner")
            .order_by("finish", "wbs_sort", "id")
        )
        columns: dict[str, list[Task]] = {value: [] for value in Task.Status.values}
        for task in tasks:
            columns[task.status].append(task)
        context = {
            **self.folder_context(),
            "columns": [
                {"status": value, "label": label, "tasks": columns[value]}
                for value, label in Task.Status.choices
            ],
        }
        return render(request, "schedule/board.html", context)


class TaskStatusView(ScheduleMixin, View):
    """A new status or % complete for one task (POST with ``version``).

    Answers JSON to the board's script, the "my tasks" row to htmx, and a redirect
    otherwise; a stale version is 409 with the saved status."""

    folder_action = Action.CHANGE

    def post(self, request, pk, task_pk):
        task = self.get_task(
            task_pk,
            scope(
                request.user,
                Task.objects.select_related("owner", "project", "project__client"),
                Action.CHANGE,
            ),
        )
        form = TaskStatusForm(request.POST)
        notice, status = "", 200
        if task.is_summary:
            notice, status = (
                _("A summary task's progress comes from its subtasks."),
                400,
            )
        elif not form.is_valid():
            notice, status = (
                _("Choose a valid status and a percentage from 0 to 100."),
                400,
            )
        else:
            data = form.cleaned_data
            if data.get("status"):
                if (
                    data["status"] != Task.Status.DONE
                    and task.status == Task.Status.DONE
                ):
                    task.percent_complete = min(task.percent_complete, 99)
                    task.actual_finish = None
                task.status = data["status"]
            if data.get("percent_complete") is not None and (
                not data.get("status")
                or data["percent_complete"] != task.percent_complete
            ):
                task.percent_complete = data["percent_complete"]
            try:
                task = services.update_task(
                    task, data.get("version"), actor=request.user
                )
            except StaleVersion as stale:
                task = get_object_or_404(
                    Task.objects.select_related("owner", "project"), pk=task_pk
                )
                notice, status = str(stale.message), 409
        if request.headers.get("Accept", "").startswith("application/json"):
            return JsonResponse(
                {
                    "status": task.status,
                    "percent_complete": task.percent_complete,
                    "version": task.version,
                    "message": notice,
                },
                status=status,
            )
        if request.htmx:
            context = {
                "row": TaskRow(task, 0),
                "notice": notice,
                "project": task.project,
                "can_change": True,
            }
            return render(
                request, "schedule/partials/my_task_row.html", context, status=status
            )
        if notice:
            from django.contrib import messages

            messages.error(request, notice)
        if request.POST.get("view") == "mine":
            return redirect("schedule:my_tasks")
        return redirect("schedule:board", pk=pk)
