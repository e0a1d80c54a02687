"""Named querysets of folders, documents and versions; each declares what it preloads, so
the pages and the API that use them run a fixed number of queries."""

from django.db import models
from django.db.models import Prefetch

__all__ = ["DocumentQuerySet", "FolderQuerySet"]


class FolderQuerySet(models.QuerySet):
    def for_tree(self, project):
        """The project's folders, parents before children's siblings order by position."""
        return (
            self.filter(project=project)
            .select_related("template")
            .order_by("position", "id")
        )


class DocumentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(deleted_at__isnull=True)

    def trashed(self):
        return self.filter(deleted_at__isnull=False)

    def search(self, text: str):
        """Documents whose title, notes or file names contain every word of ``text``
        (case-insensitive; Chinese substrings work, as there is no tokenising)."""
        queryset = self
        for word in text.lower().split()[:10]:
            queryset = queryset.filter(search_text__contains=word)
        return queryset

    def for_list(self):
        """Rows of the document list: folder, latest version and its uploader joined."""
        return self.select_related(
            "folder__template", "current_version__uploaded_by", "created_by"
        )

    def for_detail(self):
        """One document with its folder and every version (newest first) preloaded."""
        from clientfolio.documents.models import DocumentVersion

        return self.select_related(
            "project", "folder__template", "current_version", "created_by"
        ).prefetch_related(
            Prefetch(
                "versions",
                queryset=DocumentVersion.objects.select_related("uploaded_by").order_by(
                    "-number"
                ),
            )
        )
