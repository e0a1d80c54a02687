"""The task tree: the list with filters and baseline variance, inline edits of a row,
adding tasks and milestones, the task page, moving (indent, outdent, up, down) and
deleting."""

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from clientfolio.core import history
from clientfolio.core.deletion import REFUSALS, refusal_message
from clientfolio.core.locking import StaleVersion
from clientfolio.core.models import User
from clientfolio.core.permissions import Action
from clientfolio.core.rendering import render_list
from clientfolio.core.views import conflict_response
from clientfolio.schedule import services
from clientfolio.schedule.forms import (
    DependencyForm,
    TaskForm,
    TaskInlineForm,
)
from clientfolio.schedule.models import Assignment, Dependency, Task
from clientfolio.schedule.views.common import (
    ScheduleMixin,
    TaskRow,
    filter_query,
    tree_context,
    unknown_years_warning,
)

__all__ = [
    "TaskCreateView",
    "TaskDeleteView",
    "TaskDetailView",
    "TaskListView",
    "TaskMoveView",
    "TaskRowView",
]


class TaskListView(ScheduleMixin, View):
    """The WBS tree with dates, progress, float and variance against a chosen baseline."""

    def get(self, request, pk):
        return render_list(
            request,
            "schedule/task_list.html",
            "schedule/partials/task_table.html",
            self.list_context(),
        )

    def list_context(self) -> dict[str, Any]:
        settings_row = self.schedule_settings()
        return {
            **self.folder_context(),
            **tree_context(
                self.project, filter_query(self.request), settings_row.status_date
            ),
            "schedule": settings_row,
            "unknown_years": unknown_years_warning(settings_row),
            "plan_warnings": services.plan_warnings(settings_row),
            "team": list(User.objects.on_team(self.project).active()),
        }


def render_rows(view: ScheduleMixin, request, *, status: int = 200) -> HttpResponse:
    """The whole table body again (dates move when one task changes)."""
    settings_row = view.schedule_settings()
    context = {
        **view.folder_context(),
        **tree_context(view.project, filter_query(request), settings_row.status_date),
    }
    response = render(
        request, "schedule/partials/task_rows.html", context, status=status
    )
    response["HX-Retarget"] = "#task-rows"
    response["HX-Reswap"] = "outerHTML"
    return response


class TaskRowView(ScheduleMixin, View):
    """A row of the tree as a small form (GET), saved in place (POST)."""

    folder_action = Action.CHANGE

    def get(self, request, pk, task_pk):
        task = self.get_task(task_pk)
        if request.GET.get("cancel"):
            row = TaskRow(task, task.wbs.count("."))
            return render(
                request,
                "schedule/partials/task_row.html",
                {**self.folder_context(), "row": row},
            )
        form = TaskInlineForm(instance=task, project=self.project)
        return self.form_row(task, form)

    def form_row(self, task: Task, form, *, notice: str = "", status: int = 200):
        context = {
            **self.folder_context(),
            "row": TaskRow(task, task.wbs.count(".")),
            "form": form,
            "notice": notice,
        }
        return render(
            request=self.request,
            template_name="schedule/partials/task_row_form.html",
            context=context,
            status=status,
        )

    def post(self, request, pk, task_pk):
        task = self.get_task(task_pk)
        form = TaskInlineForm(request.POST, instance=task, project=self.project)
        if not form.is_valid():
            return self.form_row(task, form, status=400)
        try:
            services.update_task(
                form.save(commit=False),
                form.cleaned_data.get("version"),
                actor=request.user,
            )
        except StaleVersion:
            fresh = self.get_task(task_pk)
            data = request.POST.copy()
            data["version"] = fresh.version
            form = TaskInlineForm(data, instance=fresh, project=self.project)
            form.is_valid()
            return self.form_row(
                fresh,
                form,
                notice=_(
                    "Someone else changed this task while you were editing it. Nothing "
                    "was saved: the form now holds your input on top of their version; "
                    "save again to overwrite, or cancel to see theirs."
                ),
                status=409,
            )
        except services.PlanError as error:
            form.add_error(None, error.message)
            return self.form_row(task, form, status=400)
        if request.htmx:
            return render_rows(self, request)
        messages.success(request, _("Saved."))
        return redirect("schedule:task_list", pk=pk)


class TaskCreateView(ScheduleMixin, View):
    """Add a task or a milestone, at the top level or under a parent (``?parent=``)."""

    folder_action = Action.ADD
    template_name = "schedule/task_form.html"

    def parent(self, source) -> Task | None:
        parent_pk = source.get("parent")
        if parent_pk and str(parent_pk).isdigit():
            return self.get_task(int(parent_pk))
        return None

    def context(self, form, parent, milestone: bool) -> dict[str, Any]:
        return {
            **self.folder_context(),
            "form": form,
            "parent": parent,
            "milestone": milestone,
        }

    def get(self, request, pk):
        parent = self.parent(request.GET)
        milestone = request.GET.get("milestone") == "1"
        form = TaskForm(
            project=self.project,
            initial={"is_milestone": milestone, "duration": 0 if milestone else 1},
        )
        return render(
            request, self.template_name, self.context(form, parent, milestone)
        )

    def post(self, request, pk):
        parent = self.parent(request.POST)
        form = TaskForm(request.POST, project=self.project)
        milestone = request.POST.get("is_milestone") in ("on", "true", "1")
        context = self.context(form, parent, milestone)
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        task = form.save(commit=False)
        task.project = self.project
        task.parent = parent
        try:
            services.create_task(task, actor=request.user)
        except services.PlanError as error:
            form.add_error(
                error.field if error.field in form.fields else None, error.message
            )
            return render(request, self.template_name, context, status=400)
        messages.success(request, _("%(name)s added.") % {"name": task})
        return redirect("schedule:task_list", pk=pk)


class TaskDetailView(ScheduleMixin, View):
    """A task with every field, its assignees and its links in and out."""

    template_name = "schedule/task_detail.html"

    def detail_context(
        self, task: Task, form=None, dependency_form=None
    ) -> dict[str, Any]:
        context = self.folder_context()
        if context["can_edit_plan"] and form is None:
            form = TaskForm(instance=task, project=self.project)
        assignments = {
            a.user_id: a
            for a in Assignment.objects.filter(task=task).select_related("user")
        }
        team = list(User.objects.on_team(self.project).active())
        return {
            **context,
            "task": task,
            "form": form,
            # Only links inside the project: the other end of a link to another
            # project's task may be outside the reader's scope, and the schedule
            # ignores such a link anyway (the plan's warning counts it).
            "incoming": list(
                Dependency.objects.within(self.project)
                .filter(successor=task)
                .select_related("predecessor")
            ),
            "outgoing": list(
                Dependency.objects.within(self.project)
                .filter(predecessor=task)
                .select_related("successor")
            ),
            "dependency_form": dependency_form
            or DependencyForm(project=self.project, initial={"successor": task.pk}),
            "assignees": [
                {"user": user, "assignment": assignments.get(user.pk)} for user in team
            ],
            "kinds": Dependency.Kind.choices,
            "history_entries": history.entries_for(
                [Task.history.filter(id=task.pk)], limit=10
            ),
        }

    def get(self, request, pk, task_pk):
        task = self.get_task(task_pk)
        return render(request, self.template_name, self.detail_context(task))

    def post(self, request, pk, task_pk):
        if not self.folder_context()["can_edit_plan"]:
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        task = self.get_task(task_pk)
        form = TaskForm(request.POST, instance=task, project=self.project)
        if not form.is_valid():
            return render(
                request, self.template_name, self.detail_context(task, form), status=400
            )
        try:
            services.update_task(
                form.save(commit=False),
                form.cleaned_data.get("version"),
                actor=request.user,
            )
        except StaleVersion as stale:
            fresh = self.get_task(task_pk)
            return conflict_response(
                request,
                self.template_name,
                self.detail_context(fresh, form),
                form,
                stale.current,
            )
        except services.PlanError as error:
            form.add_error(
                error.field if error.field in form.fields else None, error.message
            )
            task = self.get_task(task_pk)
            return render(
                request, self.template_name, self.detail_context(task, form), status=400
            )
        messages.success(request, _("Saved."))
        return redirect("schedule:task_detail", pk=pk, task_pk=task_pk)


class TaskMoveView(ScheduleMixin, View):
    """Indent, outdent, move up or down one task (POST ``direction``)."""

    folder_action = Action.CHANGE

    def post(self, request, pk, task_pk):
        task = self.get_task(task_pk)
        direction = request.POST.get("direction", "")
        version = request.POST.get("version", "")
        siblings = list(
            Task.objects.filter(project=self.project, parent_id=task.parent_id)
            .order_by("position", "id")
            .only("id", "parent_id", "position", "project_id")
        )
        index = next(i for i, s in enumerate(siblings) if s.pk == task.pk)
        parent, position = task.parent, index
        if direction == "up" and index > 0:
            position = index - 1
        elif direction == "down" and index < len(siblings) - 1:
            position = index + 1
        elif direction == "indent" and index > 0:
            parent, position = self.get_task(siblings[index - 1].pk), 10**6
        elif direction == "outdent" and task.parent is not None:
            grand = task.parent.parent
            uncles = list(
                Task.objects.filter(project=self.project, parent=grand)
                .order_by("position", "id")
                .values_list("id", flat=True)
            )
            parent, position = grand, uncles.index(task.parent.pk) + 1
        else:
            return self.done(request, pk, "")
        try:
            services.move_task(
                task,
                parent,
                position,
                int(version) if version.isdigit() else None,
            )
        except StaleVersion:
            return self.done(
                request,
                pk,
                _("Someone else changed this task; the tree now shows the saved plan."),
            )
        except services.PlanError as error:
            return self.done(request, pk, error.message)
        return self.done(request, pk, "")

    def done(self, request, pk, notice: str):
        if request.htmx:
            response = render_rows(self, request)
            if notice:
                response["HX-Trigger"] = '{"cf-notice": ' + _json(notice) + "}"
            return response
        if notice:
            messages.error(request, notice)
        return redirect("schedule:task_list", pk=pk)


def _json(value: str) -> str:
    import json

    return json.dumps(value)


class TaskDeleteView(ScheduleMixin, View):
    """Confirm (GET) and delete (POST) a task with its subtasks and links."""

    folder_action = Action.DELETE

    def get(self, request, pk, task_pk):
        task = self.get_task(task_pk)
        descendants = Task.objects.filter(
            project=self.project, wbs_sort__startswith=task.wbs_sort + "."
        ).count()
        context = {**self.folder_context(), "task": task, "descendants": descendants}
        return render(request, "schedule/task_confirm_delete.html", context)

    def post(self, request, pk, task_pk):
        task = self.get_task(task_pk)
        name = str(task)
        try:
            services.delete_task(task)
        except REFUSALS as error:
            messages.error(request, refusal_message(error, task))
        else:
            messages.success(request, _("%(name)s deleted.") % {"name": name})
        if request.htmx:
            return render_rows(self, request)
        return redirect("schedule:task_list", pk=pk)
