"""The requirements confirmed into a project's scope: list by status, add (new or from
one of the client's needs), edit, and move along their life cycle."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from clientfolio.clients.models import Requirement as ClientNeed
from clientfolio.core import history
from clientfolio.core.locking import StaleVersion
from clientfolio.core.permissions import Action, can, scope
from clientfolio.core.views import conflict_response
from clientfolio.projects import change_control, workflow
from clientfolio.projects.folder import FolderMixin
from clientfolio.projects.forms import RequirementForm, RequirementMoveForm
from clientfolio.projects.models import ProjectRequirement

__all__ = [
    "RequirementCreateView",
    "RequirementDetailView",
    "RequirementEditView",
    "RequirementListView",
    "RequirementMoveView",
]

MODEL = "projects.projectrequirement"
STATUS_LABELS = dict(ProjectRequirement.Status.choices)
# What the button of each step says.
MOVE_ACTIONS = {
    "confirmed": gettext_lazy("Confirm…"),
    "in_scope": gettext_lazy("Take into scope"),
    "delivered": gettext_lazy("Mark delivered"),
    "rejected": gettext_lazy("Reject"),
}


def _moves(status: str) -> list[dict[str, str]]:
    return [
        {"value": s, "label": str(STATUS_LABELS[s]), "action": str(MOVE_ACTIONS[s])}
        for s in workflow.next_requirement_statuses(status)
    ]


class _RequirementMixin(FolderMixin):
    folder_model = MODEL

    def get_requirement(self, requirement_pk: int) -> ProjectRequirement:
        requirement: ProjectRequirement = get_object_or_404(
            ProjectRequirement.objects.select_related("source", "confirmed_by"),
            project=self.project,
            pk=requirement_pk,
        )
        requirement.project = self.project
        return requirement


class RequirementListView(_RequirementMixin, View):
    """The project's requirements grouped by status, with counts, a status filter and
    the client's needs that are not in the project yet."""

    def get(self, request, pk):
        project = self.project
        status = request.GET.get("status", "")
        requirements = ProjectRequirement.objects.filter(project=project).for_list()
        if status in ProjectRequirement.Status.values:
            requirements = requirements.filter(status=status)
        else:
            status = ""
        can_change = can(request.user, Action.CHANGE, MODEL, project=project)
        rows = list(requirements)
        for row in rows:
            row.moves = _moves(row.status) if can_change else []
        counts = change_control.requirement_status_counts(project)
        can_add = can(request.user, Action.ADD, MODEL, project=project)
        context = {
            **self.folder_context(),
            "requirements": rows,
            "status_counts": counts,
            "total": sum(c["count"] for c in counts),
            "status": status,
            "can_add": can_add,
            "can_change": can_change,
            "client_needs": list(
                scope(request.user, ClientNeed.objects.filter(client=project.client))
                .exclude(project_requirements__project=project)
                .order_by("status", "title", "id")[:50]
            )
            if can_add
            else [],
        }
        return render(request, "projects/requirement_list.html", context)


class RequirementDetailView(_RequirementMixin, View):
    """One requirement: its facts, where it came from, its next steps, the team's
    comments on it and its history."""

    def get(self, request, pk, requirement_pk):
        requirement = self.get_requirement(requirement_pk)
        can_change = can(request.user, Action.CHANGE, MODEL, project=self.project)
        context = {
            **self.folder_context(),
            "requirement": requirement,
            "can_change": can_change,
            "moves": _moves(requirement.status) if can_change else [],
            "history_entries": history.entries_for(
                [ProjectRequirement.history.filter(id=requirement.pk)], limit=20
            ),
        }
        return render(request, "projects/requirement_detail.html", context)


class RequirementCreateView(_RequirementMixin, View):
    folder_action = Action.ADD
    template_name = "projects/requirement_form.html"

    def get(self, request, pk):
        initial = {}
        if request.GET.get("source", "").isdigit():
            initial["source"] = request.GET["source"]
        form = RequirementForm(project=self.project, initial=initial)
        return render(
            request, self.template_name, {**self.folder_context(), "form": form}
        )

    def post(self, request, pk):
        form = RequirementForm(request.POST, project=self.project)
        context = {**self.folder_context(), "form": form}
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        data = form.cleaned_data
        try:
            requirement = change_control.create_requirement(
                self.project,
                source=data.get("source"),
                title=data.get("title", ""),
                description=data.get("description", ""),
                priority=data.get("priority", ""),
            )
        except change_control.ChangeControlError as error:
            form.add_error(error.field, error.message)
            return render(request, self.template_name, context, status=400)
        messages.success(
            request, _("Requirement “%(title)s” added.") % {"title": requirement.title}
        )
        return redirect("projects:requirement_list", pk=self.project.pk)


class RequirementEditView(_RequirementMixin, View):
    folder_action = Action.CHANGE
    template_name = "projects/requirement_form.html"

    def get(self, request, pk, requirement_pk):
        requirement = self.get_requirement(requirement_pk)
        form = RequirementForm(instance=requirement, project=self.project)
        context = {**self.folder_context(), "form": form, "requirement": requirement}
        return render(request, self.template_name, context)

    def post(self, request, pk, requirement_pk):
        requirement = self.get_requirement(requirement_pk)
        form = RequirementForm(request.POST, instance=requirement, project=self.project)
        context = {**self.folder_context(), "form": form, "requirement": requirement}
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        try:
            change_control.update_requirement(
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
        return redirect("projects:requirement_list", pk=self.project.pk)


class RequirementMoveView(_RequirementMixin, View):
    """Move a requirement to its next status; confirming asks who confirmed and when."""

    folder_action = Action.CHANGE
    template_name = "projects/requirement_transition.html"

    def _context(self, requirement, form):
        form.fields["to_status"].widget.choices = [
            (m["value"], m["label"]) for m in _moves(requirement.status)
        ]
        return {
            **self.folder_context(),
            "form": form,
            "requirement": requirement,
            "moves": _moves(requirement.status),
        }

    def get(self, request, pk, requirement_pk):
        requirement = self.get_requirement(requirement_pk)
        initial = {"to_status": request.GET.get("to", "")}
        form = RequirementMoveForm(requirement=requirement, initial=initial)
        return render(request, self.template_name, self._context(requirement, form))

    def post(self, request, pk, requirement_pk):
        requirement = self.get_requirement(requirement_pk)
        form = RequirementMoveForm(request.POST, requirement=requirement)
        context = self._context(requirement, form)
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        data = form.cleaned_data
        try:
            change_control.move_requirement(
                requirement,
                data["to_status"],
                confirmed_by=data.get("confirmed_by"),
                confirmed_on=data.get("confirmed_on"),
                expected_version=data.get("version"),
            )
        except StaleVersion as stale:
            return conflict_response(
                request, self.template_name, context, form, stale.current
            )
        except change_control.ChangeControlError as error:
            form.add_error(error.field, error.message)
            return render(request, self.template_name, context, status=400)
        messages.success(
            request,
            _("“%(title)s” is now %(status)s.")
            % {
                "title": requirement.title,
                "status": requirement.get_status_display(),
            },
        )
        return redirect("projects:requirement_list", pk=self.project.pk)
