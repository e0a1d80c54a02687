"""Administrators' pages of the folder template: the folders every new project's
document tree starts with (list, add, rename in both languages, reorder, delete)."""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from clientfolio.core.permissions import Action
from clientfolio.core.views import PermissionMixin
from clientfolio.documents import services
from clientfolio.documents.forms import FolderTemplateForm
from clientfolio.documents.models import FolderTemplate

__all__ = [
    "FolderTemplateCreateView",
    "FolderTemplateDeleteView",
    "FolderTemplateEditView",
    "FolderTemplateListView",
    "FolderTemplateMoveView",
]


class FolderTemplateMixin(PermissionMixin):
    model = FolderTemplate

    def get_folder_template(self, template_pk: int) -> FolderTemplate:
        return get_object_or_404(FolderTemplate, pk=template_pk)


class FolderTemplateListView(FolderTemplateMixin, View):
    def get(self, request):
        templates = list(
            FolderTemplate.objects.annotate(project_folders=Count("folders")).order_by(
                "position", "id"
            )
        )
        return render(
            request,
            "documents/folder_template_list.html",
            {"templates": templates, "last": len(templates) - 1},
        )


class FolderTemplateFormMixin(FolderTemplateMixin):
    def show(self, form, template=None, status=200):
        return render(
            self.request,
            "documents/folder_template_form.html",
            {"form": form, "folder_template": template},
            status=status,
        )

    def save(self, form, template):
        if not form.is_valid():
            return self.show(form, template if template.pk else None, status=400)
        try:
            services.save_folder_template(
                template,
                name_zh=form.cleaned_data["name_zh"],
                name_en=form.cleaned_data["name_en"],
            )
        except services.DocumentError as error:
            form.add_error(
                error.field if error.field in form.fields else None, error.message
            )
            return self.show(form, template if template.pk else None, status=400)
        messages.success(self.request, _("Folder template saved."))
        return redirect("documents:folder_template_list")


class FolderTemplateCreateView(FolderTemplateFormMixin, View):
    action = Action.ADD

    def get(self, request):
        return self.show(FolderTemplateForm())

    def post(self, request):
        return self.save(FolderTemplateForm(request.POST), FolderTemplate())


class FolderTemplateEditView(FolderTemplateFormMixin, View):
    action = Action.CHANGE

    def get(self, request, template_pk):
        template = self.get_folder_template(template_pk)
        return self.show(FolderTemplateForm(instance=template), template)

    def post(self, request, template_pk):
        template = self.get_folder_template(template_pk)
        # Bound to a copy, so a refused name does not show on the page's heading.
        form = FolderTemplateForm(request.POST, instance=FolderTemplate(pk=template.pk))
        return self.save(form, template)


class FolderTemplateMoveView(FolderTemplateMixin, View):
    """Moves a template folder one place up or down."""

    action = Action.CHANGE
    http_method_names = ["post"]

    def post(self, request, template_pk):
        template = self.get_folder_template(template_pk)
        offset = -1 if request.POST.get("direction") == "up" else 1
        services.move_folder_template(template, offset)
        return redirect("documents:folder_template_list")


class FolderTemplateDeleteView(FolderTemplateMixin, View):
    action = Action.DELETE
    http_method_names = ["post"]

    def post(self, request, template_pk):
        template = self.get_folder_template(template_pk)
        kept = services.delete_folder_template(template)
        text = _("“%(name)s” was removed from the template.") % {"name": template.label}
        if kept:
            text += " " + ngettext(
                "%(count)d project keeps its folder.",
                "%(count)d projects keep their folder.",
                kept,
            ) % {"count": kept}
        messages.success(request, text)
        return redirect("documents:folder_template_list")
