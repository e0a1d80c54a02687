"""Query helpers of the risk register and the issue log."""

from datetime import date

from django.db import models

__all__ = ["IssueQuerySet", "RiskQuerySet"]

OPEN = ("identified", "analysing", "responding", "monitoring")


class RiskQuerySet(models.QuerySet):
    def open(self) -> "RiskQuerySet":
        return self.filter(status__in=OPEN)

    def review_overdue(self, today: date) -> "RiskQuerySet":
        """Open risks whose review date has passed."""
        return self.open().filter(review_on__lt=today)

    def cell_counts(self) -> list[tuple[int, int, int]]:
        """``(probability, impact, count)`` per occupied matrix cell: one GROUP BY."""
        rows = (
            self.order_by()
            .values_list("probability", "impact")
            .annotate(n=models.Count("id"))
        )
        return [(p, i, n) for p, i, n in rows]


class IssueQuerySet(models.QuerySet):
    def open(self) -> "IssueQuerySet":
        return self.filter(status__in=("open", "in_progress"))
