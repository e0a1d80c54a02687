"""Named querysets of projects; each declares what it preloads."""

from django.db import models
from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When

from clientfolio.projects.workflow import CHANGE_IMPACT_COUNTED, REQUIREMENT_TRANSITIONS

__all__ = [
    "ChangeRequestQuerySet",
    "MembershipQuerySet",
    "ProjectQuerySet",
    "ProjectRequirementQuerySet",
]

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


class _StatusCounts(models.QuerySet):
    def status_counts(self) -> dict[str, int]:
        """Rows per status in one query; statuses without rows are absent."""
        return dict(
            self.order_by()
            .values_list("status")
            .annotate(n=Count("id"))
            .values_list("status", "n")
        )


class ProjectRequirementQuerySet(_StatusCounts):
    def in_status_order(self):
        """Rows in life-cycle order (collected … delivered, then rejected), oldest first."""
        order = Case(
            *(
                When(status=status, then=Value(position))
                for position, status in enumerate(REQUIREMENT_TRANSITIONS)
            ),
            default=Value(len(REQUIREMENT_TRANSITIONS)),
            output_field=IntegerField(),
        )
        return self.annotate(status_order=order).order_by("status_order", "id")

    def for_list(self):
        """Rows of the requirement list: the client need and the confirming contact."""
        return self.select_related("source", "confirmed_by").in_status_order()


class ChangeRequestQuerySet(_StatusCounts):
    def for_log(self):
        """Rows of the change log: who asked and who decided, newest number first."""
        return self.select_related(
            "requested_by_contact", "requested_by_user", "decided_by"
        ).order_by("-number")

    def impact_counted(self):
        """Approved and implemented changes: their impact is part of the plan."""
        return self.filter(status__in=CHANGE_IMPACT_COUNTED)

    def impact_by_currency(self):
        """Per currency: number of counted changes, schedule days and cost, in one query."""
        return (
            self.impact_counted()
            .order_by()
            .values("currency")
            .annotate(
                changes=Count("id"),
                days=Sum("schedule_impact_days"),
                cost=Sum("cost_impact"),
            )
            .order_by("currency")
        )


class MembershipQuerySet(models.QuerySet):
    """Memberships. The bulk writes that send no ``post_save`` (``update``,
    ``bulk_create``, ``bulk_update``) bump the ``roles`` generation of every user they
    touch, so no cached permission outlives a change made through them
    (``core.permissions.project_roles``; saves and deletes: ``projects.apps``)."""

    def update(self, **kwargs):
        users = set(self.values_list("user_id", flat=True))
        if "user" in kwargs or "user_id" in kwargs:
            target = kwargs.get("user_id", kwargs.get("user"))
            users.add(getattr(target, "pk", target))
        updated = super().update(**kwargs)
        _bump_roles(users)
        return updated

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        _bump_roles({membership.user_id for membership in created})
        return created


def _bump_roles(user_ids) -> None:
    from clientfolio.core.caching import bump_after_write

    for user_id in user_ids:
        bump_after_write("roles", user_id)
