"""The import pages: upload → check (the report of what will be created and, per field,
what is mapped, approximated or dropped) → confirm → result. Runs are the user's own; a
run of anyone else answers 404."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from clientfolio.core.permissions import Action, can, scope
from clientfolio.core.views import PermissionMixin
from clientfolio.interchange import messages, services
from clientfolio.interchange.forms import NewProjectForm, UploadForm
from clientfolio.interchange.models import ImportRun
from clientfolio.projects.folder import FolderMixin
from clientfolio.projects.models import Project

__all__ = [
    "NewProjectImportView",
    "ProjectImportView",
    "RunDetailView",
    "RunListView",
]

PROJECT_TEMPLATE = "interchange/project_import.html"
NEW_PROJECT_TEMPLATE = "interchange/new_project_import.html"


def _upload(request, project: Project | None):
    """Check the posted file; the run's page, or the form again with the reason (400)."""
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > services.max_upload_bytes():
            form.add_error("file", services.too_large_message(upload.size))
        else:
            try:
                run = services.check_upload(
                    user=request.user,
                    data=upload.read(),
                    filename=upload.name,
                    project=project,
                )
            except services.UploadRefused as error:
                form.add_error("file", error.message)
            else:
                return redirect("interchange:run_detail", run.pk)
    return form


def _recent(request, project: Project | None):
    runs = ImportRun.objects.filter(user=request.user).select_related("project")
    if project is not None:
        runs = runs.filter(project=project)
    return runs[:5]


class ProjectImportView(FolderMixin, View):
    """Import a plan into this project (which must be empty): its manager's page."""

    folder_model = "projects.project"
    folder_action = Action.CHANGE

    def context(self, form) -> dict[str, Any]:
        return {
            **self.folder_context(),
            "form": form,
            "recent": _recent(self.request, self.project),
            "has_tasks": self.project.tasks.exists(),
            "limit_mb": services.max_upload_bytes() // 1024 // 1024,
        }

    def get(self, request, pk):
        return render(request, PROJECT_TEMPLATE, self.context(UploadForm()))

    def post(self, request, pk):
        result = _upload(request, self.project)
        if not isinstance(result, UploadForm):
            return result
        return render(request, PROJECT_TEMPLATE, self.context(result), status=400)


class NewProjectImportView(PermissionMixin, View):
    """Start a new project from a Microsoft Project or Excel plan."""

    model = Project
    action = Action.ADD

    def context(self, form) -> dict[str, Any]:
        return {
            "form": form,
            "recent": _recent(self.request, None),
            "limit_mb": services.max_upload_bytes() // 1024 // 1024,
        }

    def get(self, request):
        return render(request, NEW_PROJECT_TEMPLATE, self.context(UploadForm()))

    def post(self, request):
        result = _upload(request, None)
        if not isinstance(result, UploadForm):
            return result
        return render(request, NEW_PROJECT_TEMPLATE, self.context(result), status=400)


def own_run(request, pk: int) -> ImportRun:
    """The user's own run (anyone else's does not exist for them)."""
    return get_object_or_404(
        ImportRun.objects.select_related("project"), pk=pk, user_id=request.user.pk
    )


def may_confirm(user, run: ImportRun) -> bool:
    if run.creates_project:
        return can(user, Action.ADD, Project)
    if run.project is None:
        return False
    visible = scope(user, Project.objects.filter(pk=run.project.pk)).exists()
    return visible and can(user, Action.CHANGE, run.project)


class RunDetailView(PermissionMixin, View):
    """One run: the check's report, the confirmation, then the result."""

    model = ImportRun
    action = Action.VIEW
    template_name = "interchange/run_detail.html"

    def context(self, run: ImportRun, form=None) -> dict[str, Any]:
        user = self.request.user
        project_visible = (
            run.project is not None
            and scope(user, Project.objects.filter(pk=run.project.pk)).exists()
        )
        return {
            "run": run,
            "fields": messages.field_rows(run.report),
            "problems": messages.problem_rows(run.report),
            "summary": run.summary,
            "preview": [
                {**row, "element": messages.element_label(row["element"])}
                for row in run.summary.get("preview", [])
            ],
            "form": form
            if form is not None
            else (
                NewProjectForm(initial={"name": run.summary.get("name", "")})
                if run.creates_project and run.can_confirm
                else None
            ),
            "may_confirm": run.can_confirm and may_confirm(user, run),
            "project_visible": project_visible,
        }

    def get(self, request, pk):
        run = own_run(request, pk)
        return render(request, self.template_name, self.context(run))

    def post(self, request, pk):
        run = own_run(request, pk)
        if not run.can_confirm:
            return render(request, self.template_name, self.context(run), status=400)
        if not may_confirm(request.user, run):
            raise PermissionDenied
        new_project = None
        if run.creates_project:
            form = NewProjectForm(request.POST)
            if not form.is_valid():
                return render(
                    request, self.template_name, self.context(run, form), status=400
                )
            new_project = form.cleaned_data
            if (
                new_project["code"]
                and Project.objects.filter(code=new_project["code"]).exists()
            ):
                form.add_error("code", _("A project with this code already exists."))
                return render(
                    request, self.template_name, self.context(run, form), status=400
                )
        run = services.confirm_run(run, user=request.user, new_project=new_project)
        return redirect("interchange:run_detail", run.pk)


class RunListView(PermissionMixin, View):
    """The user's own import runs, newest first."""

    model = ImportRun
    action = Action.VIEW

    def get(self, request):
        runs = ImportRun.objects.filter(user=request.user).select_related("project")
        page = Paginator(runs.defer("upload", "report"), 50).get_page(
            request.GET.get("page")
        )
        if not page.object_list and page.number > 1:
            raise Http404
        return render(
            request,
            "interchange/run_list.html",
            {"page": page, "runs": page.object_list},
        )
