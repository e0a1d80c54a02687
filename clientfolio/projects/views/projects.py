"""Project list, creation, the folder overview and project edits."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from clientfolio.clients.models import Client
from clientfolio.core.locking import StaleVersion
from clientfolio.core.permissions import Action, can, scope
from clientfolio.core.views import PermissionMixin, conflict_response
from clientfolio.projects import change_control, services
from clientfolio.projects.folder import FolderMixin
from clientfolio.projects.forms import ProjectForm
from clientfolio.projects.models import ChangeRequest, Project, ProjectRequirement
from clientfolio.projects.overview import glances, overview_context

__all__ = [
    "ProjectCreateView",
    "ProjectDetailView",
    "ProjectListView",
    "ProjectUpdateView",
]


class ProjectListView(PermissionMixin, View):
    model = Project

    def get(self, request):
        queryset = scope(request.user, Project.objects.for_list())
        q = request.GET.get("q", "").strip()
        status = request.GET.get("status", "")
        phase = request.GET.get("phase", "")
        mine = request.GET.get("mine", "")
        queryset = queryset.search(q)
        if status in Project.Status.values:
            queryset = queryset.filter(status=status)
        elif status == "open" or not status:
            queryset = queryset.open() if status == "open" else queryset
        if phase in Project.Phase.values:
            queryset = queryset.filter(phase=phase)
        if mine:
            queryset = queryset.filter(manager=request.user)
        page = Paginator(queryset.order_by("-starts_on", "-id"), 25).get_page(
            request.GET.get("page")
        )
        query = request.GET.copy()
        query.pop("page", None)
        projects = list(page.object_list)
        at_a_glance = glances(request, projects)
        for project in projects:
            project.glance = at_a_glance.get(project.pk)
        context = {
            "page": page,
            "projects": projects,
            "query": query.urlencode(),
            "statuses": Project.Status.choices,
            "phases": Project.Phase.choices,
            "filters": {"q": q, "status": status, "phase": phase, "mine": mine},
            "can_add": can(request.user, Action.ADD, Project),
        }
        return render(request, "projects/project_list.html", context)


class ProjectCreateView(PermissionMixin, View):
    model = Project
    action = Action.ADD
    template_name = "projects/project_form.html"

    def get(self, request):
        initial = {"manager": request.user.pk, "starts_on": timezone.localdate()}
        client_pk = request.GET.get("client", "")
        if client_pk.isdigit():
            client = (
                scope(request.user, Client.objects.current())
                .filter(pk=client_pk)
                .first()
            )
            if client is not None:
                initial["client"] = client.pk
        return render(
            request, self.template_name, {"form": ProjectForm(initial=initial)}
        )

    def post(self, request):
        form = ProjectForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        try:
            project = services.create_project(
                form.save(commit=False),
                user=request.user,
                tags=form.cleaned_data["tags_text"],
            )
        except services.CodeTaken as taken:
            form.add_error(None, taken)
            return render(request, self.template_name, {"form": form}, status=400)
        messages.success(
            request, _("Project %(code)s created.") % {"code": project.code}
        )
        return redirect("projects:project_detail", pk=project.pk)


class ProjectDetailView(FolderMixin, View):
    """The folder overview: key facts, team, pending change requests and requirement
    status, and the panels other apps register (latest communication, open action
    items, earlier lessons: ``projects.overview``)."""

    def get(self, request, pk):
        project = self.project
        today = timezone.localdate()
        requirement_counts = dict(
            ProjectRequirement.objects.filter(project=project)
            .values_list("status")
            .annotate(n=Count("id"))
            .values_list("status", "n")
        )
        pending = [
            ChangeRequest.Status.SUBMITTED,
            ChangeRequest.Status.EVALUATING,
            ChangeRequest.Status.AWAITING_CLIENT,
        ]
        changes = ChangeRequest.objects.filter(project=project)
        context = {
            **self.folder_context(),
            "today": today,
            "team": list(
                project.memberships.select_related("user").order_by("role", "id")
            ),
            "pending_changes": list(
                changes.filter(status__in=pending).order_by("-number")[:5]
            ),
            "change_totals": change_control.change_log_totals(project),
            "requirement_status": [
                {
                    "value": value,
                    "label": label,
                    "count": requirement_counts.get(value, 0),
                }
                for value, label in ProjectRequirement.Status.choices
            ],
            "requirement_total": sum(requirement_counts.values()),
            "events": list(project.events.select_related("user")[:10]),
            "tags": list(project.tags.all()),
            **overview_context(request, project),
        }
        return render(request, "projects/project_detail.html", context)


class ProjectUpdateView(FolderMixin, View):
    folder_action = Action.CHANGE
    template_name = "projects/project_form.html"

    def get(self, request, pk):
        form = ProjectForm(instance=self.project)
        return render(
            request, self.template_name, {**self.folder_context(), "form": form}
        )

    def post(self, request, pk):
        project = get_object_or_404(Project, pk=self.project.pk)
        form = ProjectForm(request.POST, instance=project)
        context = {**self.folder_context(), "form": form}
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        try:
            services.update_project(
                form.instance,
                form.cleaned_data.get("version"),
                user=request.user,
                tags=form.cleaned_data["tags_text"],
                comment=form.cleaned_data.get("change_comment", ""),
            )
        except StaleVersion as stale:
            return conflict_response(
                request, self.template_name, context, form, stale.current
            )
        except services.CodeTaken as taken:
            form.add_error(None, taken)
            return render(request, self.template_name, context, status=400)
        messages.success(request, _("Saved."))
        return HttpResponseRedirect(self.folder_url())
