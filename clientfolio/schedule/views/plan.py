"""Links and assignees of one task, edited from the task page. A refused link (a cycle, a
summary task, a duplicate) re-renders the page with the message; nothing is saved."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from clientfolio.core.models import User
from clientfolio.core.permissions import Action
from clientfolio.schedule import services
from clientfolio.schedule.forms import DependencyForm
from clientfolio.schedule.models import Dependency
from clientfolio.schedule.views.common import ScheduleMixin
from clientfolio.schedule.views.tasks import TaskDetailView

__all__ = ["AssignmentsView", "DependencyAddView", "DependencyDeleteView"]


class DependencyAddView(TaskDetailView):
    """Add a link into or out of the task (POST)."""

    folder_model = "schedule.dependency"
    folder_action = Action.ADD
    http_method_names = ["post"]

    def post(self, request, pk, task_pk):
        task = self.get_task(task_pk)
        form = DependencyForm(request.POST, project=self.project)
        if form.is_valid():
            dependency = form.save(commit=False)
            if task.pk not in (dependency.predecessor_id, dependency.successor_id):
                form.add_error(None, _("The link must start or end at this task."))
            else:
                try:
                    services.add_dependency(dependency)
                except services.PlanError as error:
                    form.add_error(
                        error.field if error.field in form.fields else None,
                        error.message,
                    )
                else:
                    messages.success(
                        request, _("Link added; the schedule is recomputed.")
                    )
                    return redirect("schedule:task_detail", pk=pk, task_pk=task_pk)
        task = self.get_task(task_pk)
        return render(
            request,
            self.template_name,
            self.detail_context(task, dependency_form=form),
            status=400,
        )


class DependencyDeleteView(ScheduleMixin, View):
    folder_model = "schedule.dependency"
    folder_action = Action.DELETE

    def post(self, request, pk, dependency_pk):
        dependency = get_object_or_404(
            Dependency.objects.filter(project=self.project), pk=dependency_pk
        )
        dependency.project = self.project
        back = request.POST.get("task")
        services.delete_dependency(dependency)
        messages.success(request, _("Link removed; the schedule is recomputed."))
        task_pk = int(back) if back and back.isdigit() else dependency.successor_id
        return redirect("schedule:task_detail", pk=pk, task_pk=task_pk)


class AssignmentsView(TaskDetailView):
    """Set the task's assignees and their hours (POST ``hours-<user id>``; empty or 0
    removes the person)."""

    folder_model = "schedule.assignment"
    folder_action = Action.CHANGE
    http_method_names = ["post"]

    def post(self, request, pk, task_pk):
        task = self.get_task(task_pk)
        wanted = {}
        errors = []
        for user in User.objects.on_team(self.project).active():
            raw = request.POST.get(f"hours-{user.pk}", "").strip()
            if not raw:
                continue
            try:
                hours = Decimal(raw)
            except InvalidOperation:
                errors.append(_("%(name)s: enter a number of hours.") % {"name": user})
                continue
            if hours < 0 or hours > 100000:
                errors.append(
                    _("%(name)s: hours must be between 0 and 100,000.") % {"name": user}
                )
            elif hours > 0:
                wanted[user] = hours.quantize(Decimal("0.1"))
        if errors:
            for error in errors:
                messages.error(request, error)
            return render(
                request, self.template_name, self.detail_context(task), status=400
            )
        services.set_assignments(task, wanted, actor=request.user)
        messages.success(request, _("Assignees saved."))
        return redirect("schedule:task_detail", pk=pk, task_pk=task_pk)
