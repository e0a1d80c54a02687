"""Helpers shared by the document pages."""

from typing import Any

from django.shortcuts import get_object_or_404

from clientfolio.core.permissions import scope
from clientfolio.documents.models import Document, DocumentVersion, Folder
from clientfolio.projects.folder import FolderMixin

__all__ = ["DocumentFolderMixin", "folder_rows"]


class DocumentFolderMixin(FolderMixin):
    """Pages of one project's documents."""

    folder_model = "documents.document"

    def get_document(self, document_pk: int, queryset=None) -> Document:
        base = queryset if queryset is not None else Document.objects.for_detail()
        return get_object_or_404(
            scope(self.request.user, base.filter(project=self.project)),
            pk=document_pk,
        )

    def get_version(self, version_pk: int) -> DocumentVersion:
        base = DocumentVersion.objects.select_related("document").filter(
            document__project=self.project
        )
        return get_object_or_404(scope(self.request.user, base), pk=version_pk)

    def get_folder(self, folder_pk: int) -> Folder:
        base = Folder.objects.for_tree(self.project)
        return get_object_or_404(scope(self.request.user, base), pk=folder_pk)


def folder_rows(folders: list[Folder], counts: dict[Any, int]) -> list[dict[str, Any]]:
    """The folders as an indented tree (depth-first, siblings by position), each with
    its number of documents."""
    children: dict[Any, list[Folder]] = {}
    for folder in folders:
        children.setdefault(folder.parent_id, []).append(folder)
    rows: list[dict[str, Any]] = []

    def walk(parent_id, depth):
        for folder in children.get(parent_id, []):
            rows.append(
                {"folder": folder, "depth": depth, "count": counts.get(folder.pk, 0)}
            )
            if depth < 20:
                walk(folder.pk, depth + 1)

    walk(None, 0)
    return rows
