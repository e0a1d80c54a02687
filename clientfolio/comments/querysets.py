"""Named querysets of comments; each declares what it preloads, so a thread renders with
the same number of queries for one comment or a hundred."""

import operator
from functools import reduce

from django.apps import apps
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q

__all__ = ["CommentQuerySet"]


class CommentQuerySet(models.QuerySet):
    """Comments, filtered and preloaded for the thread and the API."""

    def on(self, target: models.Model):
        """The comments on one record."""
        return self.filter(target_type=target._meta.label_lower, target_id=target.pk)

    def on_existing_records(self):
        """Only the comments whose record still exists: a comment is filed by the
        record's label and id (no foreign key), so deleting a task leaves its comments
        behind. One ``EXISTS`` per kind of record, in the same query."""
        from clientfolio.comments.models import TargetType

        alive = [
            Q(
                Exists(
                    apps.get_model(label)._default_manager.filter(
                        pk=OuterRef("target_id")
                    )
                ),
                target_type=label,
            )
            for label in TargetType.values
        ]
        return self.filter(reduce(operator.or_, alive))

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
        """``for_thread`` of the records that still exist (``on_existing_records``),
        with the project (the permission layer asks it of each comment) and the people
        mentioned."""
        return (
            self.on_existing_records()
            .for_thread()
            .select_related("project")
            .prefetch_related("mentions")
        )
