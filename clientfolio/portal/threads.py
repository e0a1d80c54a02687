"""The client portal conversations of a project as a contact sees them: the threads they
take part in (communication records of kind ``portal``), each with its messages. A fixed
number of queries whatever the number of threads or messages."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max
from django.http import Http404

from clientfolio.comms.models import CommRecord, Message
from clientfolio.core.permissions import portal_scope

__all__ = ["CARD_THREADS", "thread_messages", "thread_of", "threads_card", "threads_of"]


def _threads(contact: Any, project: Any):
    return portal_scope(
        contact,
        CommRecord.objects.filter(project=project, kind=CommRecord.Kind.PORTAL),
    )


def threads_of(contact: Any, project: Any):
    """The project's threads the contact takes part in, latest message first, with
    ``message_count`` and ``last_message_at``: one query."""
    return (
        _threads(contact, project)
        .annotate(
            message_count=Count("messages"), last_message_at=Max("messages__created_at")
        )
        .order_by("-last_message_at", "-id")
    )


def thread_of(contact: Any, project: Any, record_pk: int) -> CommRecord:
    """One thread of the project the contact takes part in; 404 otherwise."""
    record = _threads(contact, project).filter(pk=record_pk).first()
    if record is None:
        raise Http404
    return record


def thread_messages(
    record: CommRecord, *, shows_documents: bool
) -> list[dict[str, Any]]:
    """The thread's messages oldest first, each with its attachments shared with the
    client (``downloadable`` when the project shares documents): two queries."""
    rows = []
    for message in Message.objects.filter(record=record).for_thread():
        attachments = [
            document
            for document in message.attachments.all()
            if document.visibility == "shared"
        ]
        rows.append(
            {
                "message": message,
                "attachments": attachments,
                "downloadable": shows_documents,
            }
        )
    return rows


# Conversations shown on the project page; the rest are on the messages page.
CARD_THREADS = 3


def threads_card(contact: Any, project: Any) -> dict[str, Any]:
    """The project page's "Messages" card: the latest conversations (one query)."""
    return {"latest": list(threads_of(contact, project)[:CARD_THREADS])}
