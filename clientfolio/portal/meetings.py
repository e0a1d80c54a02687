"""The meetings a client contact sees in the portal: the minutes of meetings they took
part in, once sent for confirmation, with their own answer; the action items they own.
Every list is a fixed number of queries."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Subquery
from django.http import Http404

from clientfolio.comms.models import ActionItem, CommRecord, Participant
from clientfolio.core.permissions import portal_scope

__all__ = [
    "CARD_MEETINGS",
    "contact_action_items",
    "meeting_of",
    "meetings_card",
    "meetings_of",
    "participant_of",
    "with_state_labels",
]


def _meetings(contact: Any, project: Any):
    """The project's records whose minutes the contact is asked to confirm (portal
    message threads are not meetings)."""
    return portal_scope(
        contact,
        CommRecord.objects.filter(project=project, minutes_sent_at__isnull=False)
        .exclude(kind="portal")
        .order_by("-occurred_at", "-id"),
    )


def meetings_of(contact: Any, project: Any):
    """The meetings of ``project`` with ``contact``'s answer (``my_state``,
    ``my_responded_at``), newest first: one query."""
    mine = Participant.objects.filter(record=OuterRef("pk"), contact=contact)
    return _meetings(contact, project).annotate(
        my_state=Subquery(mine.values("state")[:1]),
        my_responded_at=Subquery(mine.values("responded_at")[:1]),
    )


def with_state_labels(meetings: list[CommRecord]) -> list[CommRecord]:
    """Give each of ``meetings`` (from ``meetings_of``) the label of the contact's
    answer, ``my_state_label``."""
    for meeting in meetings:
        state = getattr(meeting, "my_state", None)
        meeting.my_state_label = Participant.State(state).label if state else ""  # type: ignore[attr-defined]
    return meetings


def meeting_of(contact: Any, project: Any, record_pk: int) -> CommRecord:
    """One meeting with its participants, action items and attachments preloaded; 404
    when the contact did not take part or its minutes were not sent."""
    record = _meetings(contact, project).for_detail().filter(pk=record_pk).first()
    if record is None:
        raise Http404
    return record


def participant_of(contact: Any, record: CommRecord) -> Participant:
    """The contact's own participation in ``record`` (from the preloaded ones)."""
    for participant in record.participants.all():
        if participant.contact_id == contact.pk:
            return participant
    raise Http404


def contact_action_items(contact: Any, project: Any = None):
    """The open action items ``contact`` owns in the projects they see (in ``project``
    only, when given), soonest due first."""
    items = portal_scope(contact, ActionItem.objects.for_contact(contact))
    if project is not None:
        items = items.filter(record__project=project)
    return items


# Meetings shown on the project page; the rest are on the meetings page.
CARD_MEETINGS = 5


def meetings_card(contact: Any, project: Any, sharing: Any) -> dict[str, Any] | None:
    """The project page's "Meetings" card: the newest meetings with the contact's
    answer and how many wait for it (two queries); None when the project does not
    share minutes."""
    if not sharing.shows_minutes:
        return None
    meetings = meetings_of(contact, project)
    newest = with_state_labels(list(meetings[:CARD_MEETINGS]))
    pending = meetings.filter(my_state=Participant.State.PENDING).count()
    return {"newest": newest, "pending": pending}
