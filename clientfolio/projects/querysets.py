"""Named querysets of projects; each declares what it preloads."""

from django.db import models
from django.db.models import Count, Q

__all__ = ["ProjectQuerySet"]

OPEN_STATUSES = ("proposed", "active", "on_hold")


class ProjectQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def for_list(self):
        """Rows of the project list: client, manager and team size in one query."""
        return self.select_related("client", "manager").annotate(
            team_size=Count("memberships", distinct=True)
        )

    def search(self, text: str):
        text = " ".join(text.split())
        if not text:
            return self
        return self.filter(
            Q(code__icontains=text)
            | Q(name__icontains=text)
            | Q(client__name__icontains=text)
        )
