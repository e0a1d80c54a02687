"""Named querysets of comments; each declares what it preloads, so a thread renders with
the same number of queries for one comment or a hundred."""

from django.db import models
from django.db.models import Prefetch

__all__ = ["CommentQuerySet"]


class CommentQuerySet(models.QuerySet):
    """Comments, filtered and preloaded for the thread and the API."""

    def on(self, target: models.Model):
        """The comments on one record."""
        return self.filter(target_type=target._meta.label_lower, target_id=target.pk)

    def for_thread(self):
        """Oldest first, with their authors, who deleted them and their attachments
        (the current version of each) preloaded."""
        from clientfolio.documents.models import Document

        return (
            self.select_related("author", "deleted_by")
            .prefetch_related(
                Prefetch(
                    "attachments",
                    queryset=Document.objects.select_related(
                        "current_version"
                    ).order_by("title", "id"),
                )
            )
            .order_by("created_at", "id")
        )

    def for_api(self):
        """``for_thread``, with the project (the permission layer asks it of each
        comment) and the people mentioned."""
        return self.for_thread().select_related("project").prefetch_related("mentions")
