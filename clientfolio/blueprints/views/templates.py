"""The template pages: list, detail, edit, delete, starting a project from a template and
saving a project as one."""

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, When
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views import View

from clientfolio.blueprints import builtin, services, structure
from clientfolio.blueprints.forms import (
    SaveAsTemplateForm,
    StartProjectForm,
    TemplateForm,
    TemplateImportForm,
)
from clientfolio.blueprints.models import ProjectTemplate
from clientfolio.clients.models import Client
from clientfolio.core.locking import StaleVersion
from clientfolio.core.permissions import Action, can, scope
from clientfolio.core.views import PermissionMixin, conflict_response
from clientfolio.projects.folder import FolderMixin
from clientfolio.projects.models import Project, ProjectRole
from clientfolio.projects.services import CodeTaken

__all__ = [
    "BuiltinInstallView",
    "SaveAsTemplateView",
    "StartProjectView",
    "TemplateDeleteView",
    "TemplateDetailView",
    "TemplateEditView",
    "TemplateExportView",
    "TemplateImportView",
    "TemplateListView",
]


def _template(request, pk: int, action: Action = Action.VIEW) -> ProjectTemplate:
    """The template, 404 outside the user's scope, 403 if seen but not ``action``."""
    template = get_object_or_404(
        scope(request.user, ProjectTemplate.objects.select_related("created_by")),
        pk=pk,
    )
    if not can(request.user, action, template):
        raise PermissionDenied
    return template


class TemplateListView(PermissionMixin, View):
    model = ProjectTemplate

    def get(self, request):
        templates = list(
            scope(request.user, ProjectTemplate.objects.for_list()).order_by(
                # the built-in ones first, in the order they were installed
                Case(When(builtin_key__isnull=False, then=0), default=1),
                "id",
            )
        )
        installed = {t.builtin_key for t in templates if t.builtin_key}
        context = {
            "templates": templates,
            "can_start": can(request.user, Action.ADD, "projects.project"),
            "can_install": can(request.user, Action.ADD, ProjectTemplate)
            and len(installed) < len(builtin.TEMPLATES),
            "can_import": can(request.user, Action.ADD, ProjectTemplate),
        }
        return render(request, "blueprints/template_list.html", context)


class BuiltinInstallView(PermissionMixin, View):
    """Adds the built-in templates (again, after they were deleted)."""

    model = ProjectTemplate
    action = Action.ADD

    def post(self, request):
        count = builtin.install(request.user)
        messages.success(
            request, _("%(count)s built-in templates are available.") % {"count": count}
        )
        return redirect("blueprints:template_list")


def _predecessors(links: list[dict[str, Any]], numbers: dict[str, int]) -> str:
    parts = []
    for link in links:
        code = str(numbers[link["from"]])
        if link["type"] != "FS" or link["lag"]:
            code += link["type"]
        if link["lag"]:
            code += f"{link['lag']:+d}"
        parts.append(code)
    return ", ".join(parts)


def template_rows(checked: structure.Structure, language: str) -> dict[str, Any]:
    """What the detail page shows of a template's content, in ``language``."""
    planned = structure.plan(checked, language)
    numbers = {item.ref: index for index, item in enumerate(planned, start=1)}
    incoming: dict[str, list[dict[str, Any]]] = {}
    for link in checked.links:
        incoming.setdefault(link["to"], []).append(link)
    by_ref = {t["ref"]: t for t in checked.tasks}
    tasks = [
        {
            "number": numbers[item.ref],
            "wbs": item.wbs,
            "depth": item.wbs.count("."),
            "name": item.name,
            "duration": item.duration,
            "is_milestone": item.is_milestone,
            "is_summary": item.is_summary,
            "predecessors": _predecessors(incoming.get(item.ref, []), numbers),
            "acceptance": structure.text(by_ref[item.ref]["acceptance"], language),
            "client_visible": by_ref[item.ref]["client_visible"],
        }
        for item in planned
    ]
    depth: dict[str, int] = {}
    folders = []
    for folder in checked.folders:
        depth[folder["ref"]] = depth[folder["parent"]] + 1 if folder["parent"] else 0
        folders.append(
            {
                "name": structure.text(folder["name"], language),
                "depth": depth[folder["ref"]],
            }
        )

    def texts(items, *keys):
        return [
            {
                **item,
                **{key: structure.text(item[key], language) for key in keys},
            }
            for item in items
        ]

    deliverables = texts(checked.deliverables, "name", "acceptance", "description")
    for item in deliverables:
        milestone = by_ref.get(item["milestone"]) if item["milestone"] else None
        item["milestone_name"] = (
            structure.text(milestone["name"], language) if milestone else ""
        )
    return {
        "tasks": tasks,
        "folders": folders,
        "risks": texts(checked.risks, "title", "response", "description"),
        "standards": texts(checked.standards, "title", "target", "description"),
        "deliverables": deliverables,
        "roles": [
            {**role, "role_label": ProjectRole(role["role"]).label}
            for role in texts(checked.roles, "name", "responsibilities")
        ],
    }


class TemplateDetailView(PermissionMixin, View):
    model = ProjectTemplate

    def get(self, request, pk):
        template = _template(request, pk)
        revisions = list(template.revisions.select_related("created_by"))
        if not revisions:
            raise Http404
        try:
            checked = structure.validate(revisions[0].content)
        except structure.StructureError as error:
            messages.error(request, services.structure_message(error))
            checked = structure.validate({})
        source = None
        if template.source_project_id:
            source = (
                scope(request.user, Project.objects.all())
                .filter(pk=template.source_project_id)
                .first()
            )
        context = {
            "template": template,
            "source": source,
            "revision": revisions[0],
            "revisions": revisions,
            **template_rows(checked, services.language_code()),
            "can_change": can(request.user, Action.CHANGE, template),
            "can_delete": can(request.user, Action.DELETE, template),
            "can_start": can(request.user, Action.ADD, "projects.project"),
        }
        return render(request, "blueprints/template_detail.html", context)


class TemplateEditView(PermissionMixin, View):
    model = ProjectTemplate
    template_name = "blueprints/template_form.html"

    def get(self, request, pk):
        template = _template(request, pk, Action.CHANGE)
        form = TemplateForm(instance=template)
        return render(request, self.template_name, {"template": template, "form": form})

    def post(self, request, pk):
        template = _template(request, pk, Action.CHANGE)
        form = TemplateForm(request.POST, instance=template)
        context = {"template": template, "form": form}
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        try:
            services.update_template(form.instance, form.cleaned_data.get("version"))
        except StaleVersion as stale:
            return conflict_response(
                request, self.template_name, context, form, stale.current
            )
        except services.TemplateError as error:
            form.add_error(None, error.message)
            return render(request, self.template_name, context, status=400)
        messages.success(request, _("Saved."))
        return redirect("blueprints:template_detail", pk=template.pk)


class TemplateExportView(PermissionMixin, View):
    """The template's latest version as a JSON file, to import elsewhere."""

    model = ProjectTemplate
    action = Action.EXPORT

    def get(self, request, pk):
        template = _template(request, pk, Action.EXPORT)
        body = json.dumps(
            services.export_document(template), ensure_ascii=False, indent=2
        )
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        name = template.builtin_key or f"template-{template.pk}"
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
        return response


class TemplateImportView(PermissionMixin, View):
    """Add a template from a file downloaded from a template's page (administrators)."""

    model = ProjectTemplate
    action = Action.ADD
    template_name = "blueprints/template_import.html"

    def get(self, request):
        return render(request, self.template_name, {"form": TemplateImportForm()})

    def post(self, request):
        form = TemplateImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                template = services.import_document(
                    form.cleaned_data["file"], user=request.user
                )
            except services.TemplateError as error:
                form.add_error("file", error.message)
            else:
                messages.success(
                    request, _("Template “%(name)s” added.") % {"name": template.label}
                )
                return redirect("blueprints:template_detail", pk=template.pk)
        return render(request, self.template_name, {"form": form}, status=400)


class TemplateDeleteView(PermissionMixin, View):
    model = ProjectTemplate

    def post(self, request, pk):
        template = _template(request, pk, Action.DELETE)
        label = template.label
        services.delete_template(template)
        messages.success(request, _("Template “%(name)s” deleted.") % {"name": label})
        return redirect("blueprints:template_list")


class StartProjectView(PermissionMixin, View):
    """Start a project from a template in one step."""

    model = ProjectTemplate
    template_name = "blueprints/project_start.html"

    def dispatch(self, request, *args, **kwargs):
        if not can(request.user, Action.ADD, "projects.project"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def _render(self, request, form, status=200):
        chosen = form["template"].value()
        template = None
        if chosen and str(chosen).isdigit():
            template = (
                scope(request.user, ProjectTemplate.objects.all())
                .filter(pk=chosen)
                .first()
            )
        context = {"form": form, "chosen": template}
        return render(request, self.template_name, context, status=status)

    def get(self, request):
        initial: dict[str, Any] = {
            "manager": request.user.pk,
            "starts_on": timezone.localdate(),
            "calendar": "cn",
            "language": services.language_code(),
        }
        for key, queryset in (
            ("template", ProjectTemplate.objects.all()),
            ("client", Client.objects.current()),
        ):
            value = request.GET.get(key, "")
            if (
                value.isdigit()
                and scope(request.user, queryset).filter(pk=value).exists()
            ):
                initial[key] = int(value)
        form = StartProjectForm(initial=initial, user=request.user)
        return self._render(request, form)

    def post(self, request):
        form = StartProjectForm(request.POST, user=request.user)
        if not form.is_valid():
            return self._render(request, form, status=400)
        data = form.cleaned_data
        try:
            result = services.start_project(
                data["template"],
                user=request.user,
                client=data["client"],
                name=data["name"],
                code=data["code"],
                manager=data["manager"],
                starts_on=data["starts_on"],
                calendar=data["calendar"],
                language=data["language"],
            )
        except services.TemplateError as error:
            field = error.field if error.field in form.fields else None
            form.add_error(field, error.message)
            return self._render(request, form, status=400)
        except (CodeTaken, ValidationError) as error:
            form.add_error(None, error)
            return self._render(request, form, status=400)
        project = result.project
        messages.success(
            request,
            _("Project %(code)s started from “%(template)s”.")
            % {"code": project.code, "template": data["template"].label},
        )
        if result.moved:
            messages.warning(
                request,
                _(
                    "%(asked)s is not a working day on this calendar: the plan starts "
                    "on the next working day, %(start)s."
                )
                % {"asked": result.requested_start, "start": result.start},
            )
        if result.roles:
            messages.info(
                request,
                _("Roles to staff on the team page: %(roles)s.")
                % {"roles": pgettext("list separator", ", ").join(result.roles)},
            )
        return redirect("schedule:gantt", pk=project.pk)


class SaveAsTemplateView(FolderMixin, View):
    """Save a project's shape as a template (its manager, or an administrator)."""

    folder_model = "blueprints.projectsnapshot"
    folder_action = Action.ADD
    template_name = "blueprints/save_as_template.html"

    def get(self, request, pk):
        form = SaveAsTemplateForm(
            initial={"name": self.project.name}, user=request.user
        )
        return render(
            request, self.template_name, {**self.folder_context(), "form": form}
        )

    def post(self, request, pk) -> HttpResponse:
        form = SaveAsTemplateForm(request.POST, user=request.user)
        context = {**self.folder_context(), "form": form}
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        try:
            template = services.save_project_as_template(
                self.project,
                user=request.user,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                template=form.cleaned_data["template"],
            )
        except services.TemplateError as error:
            form.add_error(None, error.message)
            return render(request, self.template_name, context, status=400)
        messages.success(
            request, _("Saved as the template “%(name)s”.") % {"name": template.label}
        )
        return redirect("blueprints:template_detail", pk=template.pk)
