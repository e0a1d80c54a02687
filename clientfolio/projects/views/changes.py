"""Change requests: the project's change log with the approved impact, submission,
the request with its impact assessment and history, edits, and each step to the client's
decision and implementation."""

from typing import Any

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from clientfolio.core import history
from clientfolio.core.locking import StaleVersion
from clientfolio.core.permissions import Action, can
from clientfolio.core.views import conflict_response
from clientfolio.projects import change_control, workflow
from clientfolio.projects.folder import FolderMixin
from clientfolio.projects.forms import ChangeRequestForm, ChangeTransitionForm
from clientfolio.projects.models import ChangeRequest

__all__ = [
    "ChangeCreateView",
    "ChangeDetailView",
    "ChangeEditView",
    "ChangeListView",
    "ChangeTransitionView",
]

MODEL = "projects.changerequest"

# How the change request page offers each step: button label, colour and icon.
STEP_BUTTONS = {
    "evaluating": (gettext_lazy("Start evaluation"), "primary", "ti-zoom-check"),
    "awaiting_client": (
        gettext_lazy("Send to the client for decision"),
        "primary",
        "ti-send",
    ),
    "approved": (gettext_lazy("Approve"), "success", "ti-check"),
    "rejected": (gettext_lazy("Reject"), "outline-danger", "ti-x"),
    "implemented": (gettext_lazy("Mark as implemented"), "teal", "ti-checks"),
}


class _ChangeMixin(FolderMixin):
    folder_model = MODEL

    def get_change_request(self, number: int) -> ChangeRequest:
        change_request = get_object_or_404(
            ChangeRequest.objects.for_log(), project=self.project, number=number
        )
        change_request.project = self.project
        return change_request


class ChangeListView(_ChangeMixin, View):
    """The change log: every request with its impact, and the totals of approved ones."""

    def get(self, request, pk):
        project = self.project
        status = request.GET.get("status", "")
        changes = ChangeRequest.objects.filter(project=project).for_log()
        counts = ChangeRequest.objects.filter(project=project).status_counts()
        if status in ChangeRequest.Status.values:
            changes = changes.filter(status=status)
        else:
            status = ""
        context = {
            **self.folder_context(),
            "changes": list(changes),
            "totals": change_control.change_log_totals(project),
            "status": status,
            "status_counts": [
                {"value": value, "label": label, "count": counts.get(value, 0)}
                for value, label in ChangeRequest.Status.choices
            ],
            "total": sum(counts.values()),
            "pending": sum(counts.get(s, 0) for s in workflow.CHANGE_PENDING),
            "can_add": can(request.user, Action.ADD, MODEL, project=project),
        }
        return render(request, "projects/change_list.html", context)


class ChangeCreateView(_ChangeMixin, View):
    folder_action = Action.ADD
    template_name = "projects/change_form.html"

    def get(self, request, pk):
        form = ChangeRequestForm(
            project=self.project,
            initial={"requested_on": timezone.localdate(), "currency": "CNY"},
        )
        return render(
            request, self.template_name, {**self.folder_context(), "form": form}
        )

    def post(self, request, pk):
        form = ChangeRequestForm(request.POST, project=self.project)
        context = {**self.folder_context(), "form": form}
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        change_request = form.save(commit=False)
        change_request.project = self.project
        try:
            change_control.create_change_request(
                change_request,
                user=request.user,
                comment=form.cleaned_data.get("comment", ""),
            )
        except change_control.ChangeControlError as error:
            form.add_error(error.field, error.message)
            return render(request, self.template_name, context, status=400)
        messages.success(
            request, _("%(code)s submitted.") % {"code": change_request.code}
        )
        return redirect(
            "projects:change_detail", pk=self.project.pk, number=change_request.number
        )


class _ChangeDetailMixin(_ChangeMixin):
    template_name = "projects/change_detail.html"

    def detail_context(
        self, change_request: ChangeRequest, form: ChangeTransitionForm | None = None
    ) -> dict[str, Any]:
        user = self.request.user
        can_change = can(user, Action.CHANGE, MODEL, project=self.project)
        steps = workflow.next_change_statuses(change_request.status)
        if can_change and steps and form is None:
            form = ChangeTransitionForm(change_request=change_request)
        return {
            **self.folder_context(),
            "change": change_request,
            "transitions": list(
                change_request.transitions.select_related("user").order_by("at", "id")
            ),
            "history_entries": history.entries_for(
                [ChangeRequest.history.filter(id=change_request.pk)], limit=20
            ),
            "form": form if can_change and steps else None,
            "steps": [
                {
                    "value": step,
                    "label": STEP_BUTTONS[step][0],
                    "colour": STEP_BUTTONS[step][1],
                    "icon": STEP_BUTTONS[step][2],
                }
                for step in steps
            ],
            "client_decides": any(
                workflow.is_client_decision(change_request.status, step)
                for step in steps
            ),
            "can_edit": can_change and not workflow.is_decided(change_request.status),
        }


class ChangeDetailView(_ChangeDetailMixin, View):
    """A change request: facts, impact assessment, the next steps and its history."""

    def get(self, request, pk, number):
        change_request = self.get_change_request(number)
        return render(request, self.template_name, self.detail_context(change_request))


class ChangeTransitionView(_ChangeDetailMixin, View):
    """One step of a change request (POST); a refused step re-renders the page, 400."""

    folder_action = Action.CHANGE

    def post(self, request, pk, number):
        change_request = self.get_change_request(number)
        form = ChangeTransitionForm(request.POST, change_request=change_request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                change_control.transition(
                    change_request,
                    data["to_status"],
                    request.user,
                    data.get("comment", ""),
                    decided_by=data.get("decided_by"),
                    decided_on=data.get("decided_on"),
                    expected_version=data.get("version"),
                )
            except StaleVersion as stale:
                fresh = self.get_change_request(number)
                return conflict_response(
                    request,
                    self.template_name,
                    self.detail_context(fresh, form),
                    form,
                    stale.current,
                )
            except change_control.ChangeControlError as error:
                form.add_error(error.field, error.message)
            else:
                messages.success(
                    request,
                    _("%(code)s is now %(status)s.")
                    % {
                        "code": change_request.code,
                        "status": change_request.get_status_display(),
                    },
                )
                return redirect(
                    "projects:change_detail", pk=self.project.pk, number=number
                )
        change_request = self.get_change_request(number)
        context = self.detail_context(change_request, form)
        return render(request, self.template_name, context, status=400)


class ChangeEditView(_ChangeMixin, View):
    """Edit a change request's content and impact while it is not decided."""

    folder_action = Action.CHANGE
    template_name = "projects/change_form.html"

    def get(self, request, pk, number):
        change_request = self.get_change_request(number)
        if workflow.is_decided(change_request.status):
            messages.warning(
                request, _("A decided change request can no longer be edited.")
            )
            return redirect("projects:change_detail", pk=pk, number=number)
        form = ChangeRequestForm(instance=change_request, project=self.project)
        context = {**self.folder_context(), "form": form, "change": change_request}
        return render(request, self.template_name, context)

    def post(self, request, pk, number):
        change_request = self.get_change_request(number)
        form = ChangeRequestForm(
            request.POST, instance=change_request, project=self.project
        )
        context = {**self.folder_context(), "form": form, "change": change_request}
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        try:
            change_control.update_change_request(
                form.save(commit=False), form.cleaned_data.get("version")
            )
        except StaleVersion as stale:
            return conflict_response(
                request, self.template_name, context, form, stale.current
            )
        except change_control.ChangeControlError as error:
            form.add_error(error.field, error.message)
            return render(request, self.template_name, context, status=400)
        messages.success(request, _("Saved."))
        return redirect("projects:change_detail", pk=pk, number=number)
