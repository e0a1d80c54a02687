"""Pages that add, rename and move the folders of a project's document tree."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from clientfolio.core.locking import StaleVersion
from clientfolio.core.permissions import Action
from clientfolio.documents import services
from clientfolio.documents.forms import FolderForm
from clientfolio.documents.views.common import DocumentFolderMixin

__all__ = ["FolderCreateView", "FolderEditView"]


class FolderFormMixin(DocumentFolderMixin):
    folder_model = "documents.folder"

    def show(self, form, folder=None, status=200):
        context = {**self.folder_context(), "form": form, "folder": folder}
        return render(
            self.request, "documents/folder_form.html", context, status=status
        )

    def done(self, folder):
        messages.success(self.request, _("Folder saved."))
        response = redirect("documents:document_list", pk=self.project.pk)
        response["Location"] += f"?folder={folder.pk}"
        return response


class FolderCreateView(FolderFormMixin, View):
    folder_action = Action.ADD

    def get(self, request, pk):
        initial = {"parent": request.GET.get("parent") or None}
        return self.show(FolderForm(project=self.project, initial=initial))

    def post(self, request, pk):
        form = FolderForm(request.POST, project=self.project)
        if not form.is_valid():
            return self.show(form, status=400)
        try:
            folder = services.create_folder(
                self.project, form.cleaned_data["name"], form.cleaned_data["parent"]
            )
        except services.DocumentError as error:
            form.add_error(
                error.field if error.field in form.fields else None, error.message
            )
            return self.show(form, status=400)
        return self.done(folder)


class FolderEditView(FolderFormMixin, View):
    """Rename a folder or move it under another one."""

    folder_action = Action.CHANGE

    def get(self, request, pk, folder_pk):
        folder = self.get_folder(folder_pk)
        form = FolderForm(
            project=self.project,
            initial={
                "name": folder.label,
                "parent": folder.parent_id,
                "version": folder.version,
            },
        )
        return self.show(form, folder)

    def post(self, request, pk, folder_pk):
        folder = self.get_folder(folder_pk)
        form = FolderForm(request.POST, project=self.project)
        if not form.is_valid():
            return self.show(form, folder, status=400)
        try:
            services.update_folder(
                folder,
                form.cleaned_data.get("version"),
                name=form.cleaned_data["name"],
                parent=form.cleaned_data["parent"],
            )
        except StaleVersion:
            form.add_error(None, str(StaleVersion.message))
            return self.show(form, folder, status=409)
        except services.DocumentError as error:
            form.add_error(
                error.field if error.field in form.fields else None, error.message
            )
            return self.show(form, folder, status=400)
        return self.done(folder)
