"""The project team: directory with contact details, and membership changes by managers."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from clientfolio.core.locking import StaleVersion
from clientfolio.core.permissions import Action, can
from clientfolio.core.views import conflict_response
from clientfolio.projects import services
from clientfolio.projects.folder import FolderMixin
from clientfolio.projects.forms import MembershipForm
from clientfolio.projects.models import Membership

__all__ = ["MemberAddView", "MemberEditView", "MemberRemoveView", "TeamView"]


class TeamView(FolderMixin, View):
    folder_model = "projects.membership"

    def get(self, request, pk):
        members = list(
            self.project.memberships.select_related("user").order_by("role", "id")
        )
        context = {
            **self.folder_context(),
            "members": members,
            "can_manage": can(
                request.user, Action.ADD, "projects.membership", project=self.project
            ),
        }
        return render(request, "projects/team.html", context)


class MemberAddView(FolderMixin, View):
    folder_model = "projects.membership"
    folder_action = Action.ADD
    template_name = "projects/member_form.html"

    def get(self, request, pk):
        form = MembershipForm(project=self.project)
        return render(
            request, self.template_name, {**self.folder_context(), "form": form}
        )

    def post(self, request, pk):
        form = MembershipForm(request.POST, project=self.project)
        context = {**self.folder_context(), "form": form}
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        membership = form.save(commit=False)
        membership.project = self.project
        try:
            services.add_member(membership)
        except services.TeamError as error:
            form.add_error("user", str(error))
            return render(request, self.template_name, context, status=400)
        messages.success(
            request, _("%(name)s joined the team.") % {"name": membership.user}
        )
        return redirect("projects:team", pk=self.project.pk)


class MemberEditView(FolderMixin, View):
    folder_model = "projects.membership"
    folder_action = Action.CHANGE
    template_name = "projects/member_form.html"

    def get_membership(self, member_pk):
        return get_object_or_404(
            Membership.objects.select_related("user", "project"),
            project=self.project,
            pk=member_pk,
        )

    def get(self, request, pk, member_pk):
        membership = self.get_membership(member_pk)
        form = MembershipForm(instance=membership, project=self.project)
        context = {**self.folder_context(), "form": form, "membership": membership}
        return render(request, self.template_name, context)

    def post(self, request, pk, member_pk):
        membership = self.get_membership(member_pk)
        form = MembershipForm(request.POST, instance=membership, project=self.project)
        context = {**self.folder_context(), "form": form, "membership": membership}
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        try:
            services.update_member(form.instance, form.cleaned_data.get("version"))
        except StaleVersion as stale:
            return conflict_response(
                request, self.template_name, context, form, stale.current
            )
        except services.TeamError as error:
            form.add_error("role", str(error))
            return render(request, self.template_name, context, status=400)
        messages.success(request, _("Saved."))
        return redirect("projects:team", pk=self.project.pk)


class MemberRemoveView(FolderMixin, View):
    folder_model = "projects.membership"
    folder_action = Action.DELETE

    def post(self, request, pk, member_pk):
        membership = get_object_or_404(
            Membership.objects.select_related("user", "project"),
            project=self.project,
            pk=member_pk,
        )
        try:
            services.remove_member(membership)
        except services.TeamError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("%(name)s left the team.") % {"name": membership.user}
            )
        return redirect("projects:team", pk=self.project.pk)
