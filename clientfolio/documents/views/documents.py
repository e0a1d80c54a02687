"""Pages of one project's documents: the folder tree with the document list and search,
uploads (new documents and new versions), the detail with its versions, visibility,
trash, restore and purge, and downloads (attachments, each logged) and safe previews."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from clientfolio.core.deletion import REFUSALS, refusal_message
from clientfolio.core.locking import StaleVersion
from clientfolio.core.logins import client_address
from clientfolio.core.permissions import Action, can, scope
from clientfolio.documents import services
from clientfolio.documents.forms import (
    DocumentEditForm,
    NamingRuleForm,
    UploadForm,
    VersionForm,
    VisibilityForm,
)
from clientfolio.documents.models import (
    Document,
    DocumentSettings,
    DocumentVersion,
    DownloadLog,
    Folder,
)
from clientfolio.documents.responses import file_response
from clientfolio.documents.views.common import DocumentFolderMixin, folder_rows

__all__ = [
    "DocumentDetailView",
    "DocumentEditView",
    "DocumentListView",
    "DocumentPurgeView",
    "DocumentRestoreView",
    "DocumentTrashView",
    "DocumentUploadView",
    "NamingRuleView",
    "TrashView",
    "VersionDownloadView",
    "VersionPreviewView",
    "VersionUploadView",
    "VisibilityView",
]

PER_PAGE = 50


class DocumentListView(DocumentFolderMixin, View):
    """The folder tree beside the documents of the chosen folder, with search."""

    def get(self, request, pk):
        project = self.project
        services.ensure_folders(project)
        folders = list(Folder.objects.for_tree(project))
        documents = scope(request.user, Document.objects.filter(project=project))
        active = documents.active()
        counts = dict(
            active.values_list("folder")
            .annotate(n=Count("id"))
            .values_list("folder", "n")
        )
        current = next(
            (f for f in folders if str(f.pk) == request.GET.get("folder", "")), None
        )
        query = request.GET.get("q", "").strip()
        rows = active
        if query:
            rows = rows.search(query)
        elif current is not None:
            rows = rows.filter(folder=current)
        # Page through ids (the list-order index covers them), then load the page's
        # 50 rows with their joins: deep pages skip ids, not joined rows.
        page = Paginator(
            rows.order_by("title", "id").values_list("pk", flat=True), PER_PAGE
        ).get_page(request.GET.get("page"))
        by_pk = Document.objects.for_list().in_bulk(list(page.object_list))
        page.object_list = [by_pk[pk] for pk in page.object_list if pk in by_pk]
        context = {
            **self.folder_context(),
            "folders": folder_rows(folders, counts),
            "current_folder": current,
            "query": query,
            "page": page,
            "total": sum(counts.values()),
            "can_add": can(request.user, Action.ADD, Document, project=project),
            "can_add_folder": can(request.user, Action.ADD, Folder, project=project),
            "can_change_folder": can(
                request.user, Action.CHANGE, Folder, project=project
            ),
            "can_change_settings": can(
                request.user, Action.CHANGE, DocumentSettings, project=project
            ),
        }
        return render(request, "documents/document_list.html", context)


class DocumentUploadView(DocumentFolderMixin, View):
    """Upload one or many files as new documents (drag and drop or the file picker)."""

    folder_action = Action.ADD

    def form(self, data=None, files=None):
        initial = {"folder": self.request.GET.get("folder") or None}
        return UploadForm(data, files, project=self.project, initial=initial)

    def show(self, form, status=200, suggested=""):
        context = {**self.folder_context(), "form": form, "suggested": suggested}
        return render(
            self.request, "documents/document_upload.html", context, status=status
        )

    def get(self, request, pk):
        services.ensure_folders(self.project)
        return self.show(self.form())

    def post(self, request, pk):
        form = self.form(request.POST, request.FILES)
        if not form.is_valid():
            return self.show(form, status=400)
        data = form.cleaned_data
        try:
            documents = services.upload_documents(
                self.project,
                data["files"],
                user=request.user,
                folder=data["folder"],
                title=data["title"],
                category=data["category"],
                notes=data["notes"],
                visibility=data["visibility"],
                note=data["note"],
            )
        except services.DocumentError as error:
            form.add_error("files", error.message)
            return self.show(form, status=400, suggested=error.suggested)
        messages.success(
            request,
            _("%(count)s document(s) uploaded.") % {"count": len(documents)},
        )
        if len(documents) == 1:
            return redirect(
                "documents:document_detail",
                pk=self.project.pk,
                document_pk=documents[0].pk,
            )
        url = redirect("documents:document_list", pk=self.project.pk)
        if data["folder"] is not None:
            url["Location"] += f"?folder={data['folder'].pk}"
        return url


def _with_duplicates(versions: list[DocumentVersion]) -> list[DocumentVersion]:
    """The versions (newest first), each marked with ``same_as``: the number of the
    first earlier version with the same SHA-256 (identical content), or None."""
    first: dict[str, int] = {}
    for version in reversed(versions):
        first.setdefault(version.sha256, version.number)
    for version in versions:
        same = first[version.sha256]
        version.same_as = same if same != version.number else None  # type: ignore[attr-defined]
    return versions


class DocumentDetailView(DocumentFolderMixin, View):
    """A document's facts, its versions (newest first) and its recent downloads."""

    def get(self, request, pk, document_pk):
        document = self.get_document(document_pk)
        user = request.user
        downloads = list(
            DownloadLog.objects.filter(version__document=document)
            .select_related("user", "version")
            .order_by("-at", "-id")[:20]
        )
        context = {
            **self.folder_context(),
            "document": document,
            "versions": _with_duplicates(list(document.versions.all())),
            "downloads": downloads,
            "visibility_form": VisibilityForm(initial={"version": document.version}),
            "can_change": can(user, Action.CHANGE, document, project=self.project),
            "can_add_version": can(
                user, Action.ADD, DocumentVersion, project=self.project
            ),
            "can_delete": can(user, Action.DELETE, document, project=self.project),
            "can_purge": can(user, Action.PURGE, document, project=self.project),
        }
        return render(request, "documents/document_detail.html", context)


class DocumentEditView(DocumentFolderMixin, View):
    """Title, folder, category, notes and visibility of a document."""

    folder_action = Action.CHANGE

    def show(self, document, form, status=200):
        context = {**self.folder_context(), "document": document, "form": form}
        return render(
            self.request, "documents/document_edit.html", context, status=status
        )

    def get(self, request, pk, document_pk):
        document = self.get_document(document_pk)
        return self.show(document, DocumentEditForm(instance=document))

    def post(self, request, pk, document_pk):
        document = self.get_document(document_pk)
        form = DocumentEditForm(request.POST, instance=document)
        if not form.is_valid():
            return self.show(document, form, status=400)
        changes = {
            name: form.cleaned_data[name]
            for name in ("title", "folder", "category", "notes", "visibility")
        }
        try:
            services.update_document(
                document, form.cleaned_data.get("version"), **changes
            )
        except StaleVersion:
            form.add_error(None, str(StaleVersion.message))
            return self.show(document, form, status=409)
        except services.DocumentError as error:
            form.add_error(
                error.field if error.field in form.fields else None, error.message
            )
            return self.show(document, form, status=400)
        messages.success(request, _("Saved."))
        return redirect(
            "documents:document_detail", pk=self.project.pk, document_pk=document.pk
        )


class VersionUploadView(DocumentFolderMixin, View):
    """Upload a new version of a document, with a note of what changed."""

    folder_model = "documents.documentversion"
    folder_action = Action.ADD

    def show(self, document, form, status=200, suggested=""):
        context = {
            **self.folder_context(),
            "document": document,
            "form": form,
            "suggested": suggested,
        }
        return render(
            self.request, "documents/version_form.html", context, status=status
        )

    def get(self, request, pk, document_pk):
        return self.show(self.get_document(document_pk), VersionForm())

    def post(self, request, pk, document_pk):
        document = self.get_document(document_pk)
        form = VersionForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.show(document, form, status=400)
        try:
            version = services.upload_version(
                document,
                form.cleaned_data["file"],
                user=request.user,
                note=form.cleaned_data["note"],
            )
        except services.DocumentError as error:
            form.add_error("file", error.message)
            return self.show(document, form, status=400, suggested=error.suggested)
        messages.success(
            request, _("Version %(number)s uploaded.") % {"number": version.number}
        )
        return redirect(
            "documents:document_detail", pk=self.project.pk, document_pk=document.pk
        )


class VisibilityView(DocumentFolderMixin, View):
    """Share a document with the client, or make it internal again."""

    folder_action = Action.CHANGE
    http_method_names = ["post"]

    def post(self, request, pk, document_pk):
        document = self.get_document(document_pk, Document.objects.all())
        form = VisibilityForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a valid visibility."))
        else:
            try:
                services.set_visibility(
                    document,
                    form.cleaned_data["visibility"],
                    form.cleaned_data.get("version"),
                )
            except StaleVersion:
                messages.error(request, str(StaleVersion.message))
            else:
                messages.success(
                    request,
                    _("Visibility: %(visibility)s.")
                    % {"visibility": document.get_visibility_display()},
                )
        return redirect(
            "documents:document_detail", pk=self.project.pk, document_pk=document.pk
        )


class DocumentTrashView(DocumentFolderMixin, View):
    """Move a document to the trash."""

    folder_action = Action.DELETE
    http_method_names = ["post"]

    def post(self, request, pk, document_pk):
        document = self.get_document(document_pk, Document.objects.active())
        services.trash_document(document)
        messages.success(
            request,
            _("%(title)s moved to the trash.") % {"title": document.title},
        )
        return redirect("documents:document_list", pk=self.project.pk)


class TrashView(DocumentFolderMixin, View):
    """The project's trashed documents, to restore (or, for admins, to purge)."""

    def get(self, request, pk):
        documents = scope(
            request.user, Document.objects.filter(project=self.project)
        ).trashed()
        context = {
            **self.folder_context(),
            "documents": list(
                documents.for_list().order_by("-deleted_at", "-id")[:500]
            ),
            "can_restore": can(
                request.user, Action.DELETE, Document, project=self.project
            ),
            "can_purge": can(
                request.user, Action.PURGE, Document, project=self.project
            ),
        }
        return render(request, "documents/trash.html", context)


class DocumentRestoreView(DocumentFolderMixin, View):
    folder_action = Action.DELETE
    http_method_names = ["post"]

    def post(self, request, pk, document_pk):
        document = self.get_document(document_pk, Document.objects.trashed())
        services.restore_document(document)
        messages.success(request, _("%(title)s restored.") % {"title": document.title})
        return redirect("documents:trash", pk=self.project.pk)


class DocumentPurgeView(DocumentFolderMixin, View):
    """Destroy a trashed document and its files (administrators only)."""

    folder_action = Action.PURGE
    http_method_names = ["post"]

    def post(self, request, pk, document_pk):
        document = self.get_document(document_pk, Document.objects.trashed())
        try:
            services.purge_document(document)
        except REFUSALS as error:
            messages.error(request, refusal_message(error, document))
            return redirect("documents:trash", pk=self.project.pk)
        messages.success(
            request,
            _("%(title)s deleted for good.") % {"title": document.title},
        )
        return redirect("documents:trash", pk=self.project.pk)


def _client_ip(request) -> str | None:
    # The real client's address, also behind the proxy (as login throttling sees it).
    return client_address(request)


class VersionDownloadView(DocumentFolderMixin, View):
    """A version's file as an attachment with its original name; the download is logged."""

    folder_model = "documents.documentversion"

    def get(self, request, pk, version_pk):
        version = self.get_version(version_pk)
        response = file_response(version, inline=False)
        services.record_download(version, request.user, _client_ip(request))
        return response


class VersionPreviewView(DocumentFolderMixin, View):
    """Images and PDFs shown inline; any other type is not previewed (404)."""

    folder_model = "documents.documentversion"

    def get(self, request, pk, version_pk):
        version = self.get_version(version_pk)
        if not version.is_previewable:
            raise Http404(_("This file type has no preview."))
        response = file_response(version, inline=True)
        services.record_download(
            version, request.user, _client_ip(request), preview=True
        )
        return response


class NamingRuleView(DocumentFolderMixin, View):
    """The project's file naming rule (project managers)."""

    folder_model = "documents.documentsettings"
    folder_action = Action.CHANGE

    def show(self, form, status=200):
        context = {**self.folder_context(), "form": form}
        return render(
            self.request, "documents/settings_form.html", context, status=status
        )

    def get(self, request, pk):
        return self.show(
            NamingRuleForm(
                initial={"naming_rule": services.naming_rule_of(self.project)}
            )
        )

    def post(self, request, pk):
        form = NamingRuleForm(request.POST)
        if not form.is_valid():
            return self.show(form, status=400)
        try:
            services.save_naming_rule(self.project, form.cleaned_data["naming_rule"])
        except services.DocumentError as error:
            form.add_error("naming_rule", error.message)
            return self.show(form, status=400)
        messages.success(request, _("Saved."))
        return redirect("documents:document_list", pk=self.project.pk)
