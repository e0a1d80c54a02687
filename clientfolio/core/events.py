"""Events: something happened that people or other systems should hear about.

A service that causes an event calls ``publish`` itself, inside its transaction (STYLE:
explicit calls, no signals of our own). ``publish`` stores the event (an outbox row, so a
crash or a stopped worker loses nothing) and, once the transaction commits, queues one
job that hands the event to every handler named in ``CLIENTFOLIO_EVENT_HANDLERS``
(in-app notifications and e-mail, team chat, outgoing webhooks). Handlers are named in
settings, so core, the lowest layer, never imports the apps above it.

An event with a ``key`` is stored once: publishing the same key again (a reminder sweep
that runs twice, two workers) does nothing and returns ``None``. Handlers receive the
stored ``Event`` and must themselves be safe to run twice.

``publish_many`` is the bulk form for sweeps (reminders): events built with
``pending_event`` are inserted in a few statements, and only those that did not exist yet
are delivered, in batches (``deliver_events``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import timedelta
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Model
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from clientfolio.core import permissions
from clientfolio.core.jobs import enqueue_on_commit, periodic

__all__ = [
    "KIND_LABELS",
    "Kind",
    "deliver_event",
    "deliver_events",
    "handlers",
    "pending_event",
    "publish",
    "publish_many",
    "target_label",
]

logger = logging.getLogger(__name__)


class Kind(StrEnum):
    """Every event the system publishes. The value is the stable name integrators see."""

    TASK_ASSIGNED = "task.assigned"
    TASK_DUE_SOON = "task.due_soon"
    TASK_OVERDUE = "task.overdue"
    TASK_RESCHEDULED = "task.rescheduled"
    ACTION_ITEM_ASSIGNED = "action_item.assigned"
    CHANGE_REQUEST_SUBMITTED = "change_request.submitted"
    CHANGE_REQUEST_DECIDED = "change_request.decided"
    EXPENSE_SUBMITTED = "expense.submitted"
    EXPENSE_DECIDED = "expense.decided"
    MINUTES_SENT = "minutes.sent"
    MINUTES_DISPUTED = "minutes.disputed"
    MESSAGE_RECEIVED = "message.received"
    FOLLOWUP_DUE = "followup.due"
    FEEDBACK_RECEIVED = "feedback.received"
    REQUIREMENT_SUBMITTED = "requirement.submitted"
    RISK_REVIEW_DUE = "risk.review_due"
    RISK_LEVEL_ROSE = "risk.level_rose"
    DELIVERABLE_ACCEPTED = "deliverable.accepted"
    DELIVERABLE_REJECTED = "deliverable.rejected"
    INVOICE_OVERDUE = "invoice.overdue"
    COMMENT_ADDED = "comment.added"
    COMMENT_MENTIONED = "comment.mentioned"
    JOB_FINISHED = "job.finished"
    REPORT_DRAFTED = "report.drafted"


KIND_LABELS: dict[str, Any] = {
    Kind.TASK_ASSIGNED: _("Assigned to a task"),
    Kind.TASK_DUE_SOON: _("A task is due on the next working day"),
    Kind.TASK_OVERDUE: _("A task is overdue"),
    Kind.TASK_RESCHEDULED: _("A late predecessor moved my dates"),
    Kind.ACTION_ITEM_ASSIGNED: _("Assigned to an action item"),
    Kind.CHANGE_REQUEST_SUBMITTED: _("A change request awaits my decision"),
    Kind.CHANGE_REQUEST_DECIDED: _("A change request was decided"),
    Kind.EXPENSE_SUBMITTED: _("An expense awaits my approval"),
    Kind.EXPENSE_DECIDED: _("An expense was decided"),
    Kind.MINUTES_SENT: _("Minutes await my confirmation"),
    Kind.MINUTES_DISPUTED: _("Minutes were disputed"),
    Kind.MESSAGE_RECEIVED: _("A client wrote in the portal"),
    Kind.FOLLOWUP_DUE: _("A follow-up visit is due"),
    Kind.FEEDBACK_RECEIVED: _("A client sent feedback in the portal"),
    Kind.REQUIREMENT_SUBMITTED: _("A client asked for something new in the portal"),
    Kind.RISK_REVIEW_DUE: _("A risk review is due"),
    Kind.RISK_LEVEL_ROSE: _("A risk's level rose"),
    Kind.DELIVERABLE_ACCEPTED: _("A deliverable was accepted"),
    Kind.DELIVERABLE_REJECTED: _("A deliverable was rejected"),
    Kind.INVOICE_OVERDUE: _("An invoice is overdue"),
    Kind.COMMENT_ADDED: _("A comment on something I follow"),
    Kind.COMMENT_MENTIONED: _("A comment mentions me"),
    Kind.JOB_FINISHED: _("A background job I started finished"),
    Kind.REPORT_DRAFTED: _("A progress report draft is ready"),
}


def target_label(obj: Model) -> str:
    """``app_label.model`` of a record, as the permission layer names it."""
    return obj._meta.label_lower


def publish(
    kind: Kind | str,
    target: Model,
    *,
    actor: Any = None,
    recipients: Iterable[Any] = (),
    project: Any = None,
    data: dict[str, Any] | None = None,
    key: str = "",
) -> Any:
    """Record that ``kind`` happened to ``target`` and deliver it once the transaction commits.

    ``recipients`` are the users directly concerned (the assignee, the approver); handlers
    add followers and filter by each reader's permissions and preferences at send time.
    ``project`` defaults to the target's project. ``data`` must be JSON-serialisable.
    Returns the stored event, or ``None`` when an event with this ``key`` already exists.
    """
    from clientfolio.core.models import Event

    kind = Kind(kind)
    if project is None and permissions.is_project_record(target):
        project = permissions.project_of(target)
    recipient_ids = sorted({getattr(user, "pk", user) for user in recipients if user})
    event = Event(
        kind=kind,
        target_type=target_label(target),
        target_id=target.pk,
        project_id=getattr(project, "pk", project),
        actor_id=getattr(actor, "pk", actor),
        recipient_ids=recipient_ids,
        data=data or {},
        key=key or None,
        occurred_at=timezone.now(),
    )
    try:
        with transaction.atomic():
            event.save()
    except IntegrityError:
        if key and Event.objects.filter(key=key).exists():
            return None
        raise
    transaction.on_commit(lambda: deliver_event.enqueue(event.pk))
    return event


def pending_event(
    kind: Kind | str,
    target: Model | str,
    target_id: int | None = None,
    *,
    actor: Any = None,
    recipients: Iterable[Any] = (),
    project: Any = None,
    data: dict[str, Any] | None = None,
    key: str,
) -> Any:
    """An unsaved ``Event`` for ``publish_many``.

    ``target`` is a record, or a model label (``"schedule.task"``) with ``target_id`` for
    a sweep that reads ``.values()`` rather than records; ``project`` and ``actor`` may be
    records or ids (a label target does not look its project up: pass it). ``recipients``
    are users or user ids.
    """
    from clientfolio.core.models import Event

    if isinstance(target, str):
        if target_id is None:
            raise ValueError("A target given by its label needs target_id.")
        target_type = target
    else:
        target_type, target_id = target_label(target), target.pk
        if project is None and permissions.is_project_record(target):
            project = permissions.project_of(target)
    if not key:
        raise ValueError("publish_many needs a key for every event.")
    return Event(
        kind=Kind(kind),
        target_type=target_type,
        target_id=target_id,
        project_id=getattr(project, "pk", project),
        actor_id=getattr(actor, "pk", actor),
        recipient_ids=sorted(
            {getattr(user, "pk", user) for user in recipients if user}
        ),
        data=data or {},
        key=key,
    )


# Rows per INSERT and keys per look-up: well under SQLite's limit of bound variables.
PUBLISH_BATCH = 500
# Events handed to the handlers by one delivery job.
DELIVERY_BATCH = 200


def publish_many(
    events: Iterable[Any], *, batch_size: int = PUBLISH_BATCH
) -> list[int]:
    """Store many keyed events (``pending_event``) and deliver, once the transaction
    commits, those whose key did not exist yet.

    A few statements per ``batch_size`` events whatever their number: one INSERT that
    skips existing keys, one SELECT of the rows this call inserted. Those are found by
    their ``occurred_at``, the same instant for every event of the call, so an event a
    previous (or concurrent) run stored is never delivered again from here. Returns the
    ids of the new events. Raises ``ValueError`` for an event without a key.
    """
    from clientfolio.core.models import Event

    now = timezone.now()
    created: list[int] = []
    batch: list[Any] = []
    with transaction.atomic():
        for event in events:
            if not event.key:
                raise ValueError("publish_many needs a key for every event.")
            event.occurred_at = now
            batch.append(event)
            if len(batch) >= batch_size:
                created += _insert_new(Event, batch, now)
                batch = []
        if batch:
            created += _insert_new(Event, batch, now)
        for start in range(0, len(created), DELIVERY_BATCH):
            enqueue_on_commit(deliver_events, created[start : start + DELIVERY_BATCH])
    return created


def _insert_new(event_model: Any, batch: Sequence[Any], now: Any) -> list[int]:
    event_model.objects.bulk_create(batch, ignore_conflicts=True)
    keys = [event.key for event in batch]
    return list(
        event_model.objects.filter(key__in=keys, occurred_at=now)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def handlers() -> list[Any]:
    return [import_string(path) for path in settings.CLIENTFOLIO_EVENT_HANDLERS]


@task()
def deliver_event(event_id: int) -> None:
    """Hand one stored event to every handler; one handler failing does not stop the rest."""
    from clientfolio.core.models import Event

    event = Event.objects.filter(pk=event_id).first()
    if event is None or event.delivered_at is not None:
        return
    Event.objects.filter(pk=event_id).update(attempts=F("attempts") + 1)
    failed = False
    for handler in handlers():
        try:
            handler(event)
        except Exception:
            failed = True
            logger.exception("Event handler %r failed for event %s", handler, event_id)
    if not failed:
        Event.objects.filter(pk=event_id).update(delivered_at=timezone.now())


@task()
def deliver_events(event_ids: list[int]) -> None:
    """Hand each of these stored events to the handlers (``deliver_event``), in order."""
    for event_id in event_ids:
        deliver_event.call(event_id)


# An event not delivered this long after it happened (a worker died, a handler failed)
# is handed to the handlers again, at most REDELIVER_ATTEMPTS times in all.
REDELIVER_AFTER = timedelta(minutes=10)
REDELIVER_ATTEMPTS = 5


@periodic(
    every=timedelta(minutes=5),
    description=_(
        "Deliver again events that a stopped worker or a failing handler missed"
    ),
)
@task()
def redeliver_events() -> int:
    from clientfolio.core.models import Event

    stale = Event.objects.filter(
        delivered_at__isnull=True,
        occurred_at__lte=timezone.now() - REDELIVER_AFTER,
        attempts__lt=REDELIVER_ATTEMPTS,
    ).values_list("pk", flat=True)[:1000]
    ids = list(stale)
    for event_id in ids:
        deliver_event.call(event_id)
    return len(ids)
