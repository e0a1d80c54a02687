"""Applying an approved change request to the plan and the budget: a preview of what
will move and be added, the choices (tasks, budget category, baseline name) and the
confirmation (``finance.change_impact`` does the work)."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from clientfolio.core.locking import StaleVersion
from clientfolio.core.permissions import Action
from clientfolio.core.views import conflict_response
from clientfolio.finance import change_impact
from clientfolio.finance.change_forms import ChangeApplyForm
from clientfolio.projects.folder import FolderMixin, folder_tabs
from clientfolio.projects.models import ChangeRequest

__all__ = ["ChangeApplyView"]


class ChangeApplyView(FolderMixin, View):
    """GET: the preview and the form; POST: apply, then back to the change request.
    For the project manager and administrators (``change_impact.may_apply``)."""

    folder_model = "projects.changerequest"
    folder_action = Action.CHANGE
    template_name = "finance/change_apply.html"

    def change_request(self, number: int) -> ChangeRequest:
        change = get_object_or_404(
            ChangeRequest.objects.select_related("decided_by"),
            project=self.project,
            number=number,
        )
        change.project = self.project
        if not change_impact.may_apply(self.request.user, self.project):
            raise PermissionDenied
        return change

    def context(
        self, change: ChangeRequest, plan: change_impact.ImpactPlan, form
    ) -> dict[str, Any]:
        chosen = form.chosen_task_ids()
        return {
            **self.folder_context(),
            # The page belongs to the change request: the Changes tab is the open one.
            "tabs": folder_tabs(self.request.user, self.project, "projects:change_"),
            "change": change,
            "plan": plan,
            "form": form,
            "shifts": [
                {"shift": shift, "checked": shift.task_id in chosen}
                for shift in plan.shifts
            ],
        }

    def _back(self, change: ChangeRequest, message: str):
        messages.error(self.request, message)
        return redirect(
            "projects:change_detail", pk=self.project.pk, number=change.number
        )

    def get(self, request, pk, number):
        change = self.change_request(number)
        if change.status != ChangeRequest.Status.APPROVED:
            return self._back(
                change,
                _("Only an approved change can be applied: %(code)s is “%(status)s”.")
                % {"code": change.code, "status": change.get_status_display()},
            )
        try:
            plan = change_impact.plan_change(change)
        except change_impact.ChangeImpactError as error:
            return self._back(change, error.message)
        form = ChangeApplyForm(plan=plan)
        return render(request, self.template_name, self.context(change, plan, form))

    def post(self, request, pk, number):
        change = self.change_request(number)
        try:
            plan = change_impact.plan_change(change)
        except change_impact.ChangeImpactError as error:
            return self._back(change, error.message)
        form = ChangeApplyForm(request.POST, plan=plan)
        if form.is_valid():
            data = form.cleaned_data
            try:
                change_impact.apply_change_request(
                    change,
                    task_shifts=data["task_ids"],
                    add_budget=data["add_budget"],
                    budget_category=data["budget_category"],
                    baseline_name=data["baseline_name"],
                    user=request.user,
                    expected_version=data.get("version"),
                )
            except StaleVersion as stale:
                return conflict_response(
                    request,
                    self.template_name,
                    self.context(change, plan, form),
                    form,
                    stale.current,
                )
            except change_impact.ChangeImpactError as error:
                form.add_error(
                    error.field if error.field in form.fields else None, error.message
                )
            else:
                messages.success(
                    request,
                    _(
                        "%(code)s is applied to the plan and the budget, and implemented."
                    )
                    % {"code": change.code},
                )
                return redirect("projects:change_detail", pk=pk, number=number)
        return render(
            request, self.template_name, self.context(change, plan, form), status=400
        )
