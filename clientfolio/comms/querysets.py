"""Named querysets of communication records and action items; each declares what it
preloads, so the pages and the API that use them run a fixed number of queries."""

from django.db import models
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce

__all__ = [
    "ActionItemQuerySet",
    "CommRecordQuerySet",
    "MessageQuerySet",
    "OPEN_STATUSES",
]

OPEN_STATUSES = ("open", "in_progress")


def _participants():
    from clientfolio.comms.models import Participant

    return Prefetch(
        "participants",
        queryset=Participant.objects.select_related("user", "contact").order_by("id"),
    )


def _attachments():
    """Attached documents still in use (not in the trash), with their current file."""
    from clientfolio.documents.models import Document

    return Prefetch(
        "attachments",
        queryset=Document.objects.active()
        .select_related("current_version")
        .order_by("title", "id"),
    )


class CommRecordQuerySet(models.QuerySet):
    def search(self, text: str):
        """Records whose subject, agenda, minutes or decisions contain every word of
        ``text`` (case-insensitive; Chinese substrings work, as there is no tokenising)."""
        words = text.lower().split()
        queryset = self
        for word in words[:10]:
            queryset = queryset.filter(search_text__contains=word)
        return queryset

    def with_participant(self, *, user_id=None, contact_id=None):
        if user_id is not None:
            return self.filter(participants__user_id=user_id)
        if contact_id is not None:
            return self.filter(participants__contact_id=contact_id)
        return self

    def for_timeline(self):
        """Rows of a timeline: project, client and author joined, participants and
        attachments prefetched, and the number of open action items counted in the database."""
        from clientfolio.comms.models import ActionItem

        open_items = (
            ActionItem.objects.filter(record=OuterRef("pk"), status__in=OPEN_STATUSES)
            .order_by()
            .values("record")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            self.select_related("project", "project__client", "created_by")
            .prefetch_related(_participants(), _attachments())
            .annotate(open_action_count=Coalesce(Subquery(open_items), 0))
        )

    def for_detail(self):
        """One record with everything its page shows: participants, action items and
        attachments."""
        from clientfolio.comms.models import ActionItem

        return self.select_related(
            "project", "project__client", "created_by"
        ).prefetch_related(
            _participants(),
            _attachments(),
            Prefetch(
                "action_items",
                queryset=ActionItem.objects.select_related(
                    "owner", "owner_contact"
                ).order_by("due_on", "id"),
            ),
        )


class ActionItemQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today):
        return self.open().filter(due_on__lt=today)

    def for_list(self):
        """Rows of an action item list, with their owner, record, project and client."""
        return self.select_related(
            "owner",
            "owner_contact",
            "record",
            "record__project",
            "record__project__client",
        )

    def for_contact(self, contact):
        """Open action items owned by the client ``contact``, soonest due first (no due
        date last), with their record, project and client preloaded: the client portal's
        list. Which projects the contact may see is the caller's (the portal's) filter."""
        return (
            self.open()
            .filter(owner_contact=contact)
            .select_related(
                "owner_contact",
                "record",
                "record__project",
                "record__project__client",
            )
            .order_by(models.F("due_on").asc(nulls_last=True), "id")
        )


class MessageQuerySet(models.QuerySet):
    def for_thread(self):
        """Messages oldest first with their authors and attachments (documents still in
        use, with their current file): two queries whatever the number of messages."""
        return (
            self.select_related("author_user", "author_contact")
            .prefetch_related(_attachments())
            .order_by("created_at", "id")
        )
