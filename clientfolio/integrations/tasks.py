"""Jobs that post events to chat channels and webhooks (queue ``hooks``).

Each job posts one event to one destination and records the attempt. A failure is tried
again after 1, 2, 4 and 8 minutes (``services.MAX_ATTEMPTS`` attempts in all); a job
that runs twice posts once, since an event already delivered there is skipped.
"""

from __future__ import annotations

import logging
from datetime import time, timedelta

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from clientfolio.core.jobs import periodic
from clientfolio.core.models import Event
from clientfolio.integrations import services
from clientfolio.integrations.models import ChatChannel, Delivery, Webhook

__all__ = ["deliver_to_channel", "deliver_to_webhook", "prune_deliveries", "redeliver"]

# The delivery log keeps this many days.
DELIVERY_LOG_DAYS = 90

logger = logging.getLogger(__name__)


def _again(job, *args: int, attempt: int) -> None:
    delay = timedelta(seconds=services.retry_delay(attempt))
    retry = job
    if retry.get_backend().supports_defer:
        retry = job.using(run_after=timezone.now() + delay)
    retry.enqueue(*args, attempt + 1)


@task(queue_name="hooks")
def deliver_to_channel(channel_id: int, event_id: int, attempt: int = 1) -> None:
    channel = (
        ChatChannel.objects.select_related("project").filter(pk=channel_id).first()
    )
    event = Event.objects.select_related("actor").filter(pk=event_id).first()
    if channel is None or event is None or not channel.active:
        return
    # Our own errors (a refused address, no connection) in the channel's language.
    with translation.override(channel.language):
        delivery = services.send_to_channel(channel, event, attempt=attempt)
    if delivery is None or delivery.status == Delivery.Status.OK:
        return
    if attempt < services.MAX_ATTEMPTS:
        _again(deliver_to_channel, channel_id, event_id, attempt=attempt)
    else:
        logger.warning(
            "Chat channel %s: event %s failed for good: %s",
            channel_id,
            event_id,
            delivery.error,
        )


@task(queue_name="hooks")
def deliver_to_webhook(webhook_id: int, event_id: int, attempt: int = 1) -> None:
    webhook = Webhook.objects.filter(pk=webhook_id).first()
    event = Event.objects.select_related("actor").filter(pk=event_id).first()
    if webhook is None or event is None:
        return
    if not webhook.active or webhook.disabled_at is not None:
        return
    delivery = services.send_to_webhook(webhook, event, attempt=attempt)
    if delivery is None:
        return
    if delivery.status == Delivery.Status.OK:
        services.webhook_outcome(webhook_id, True)
    elif attempt < services.MAX_ATTEMPTS:
        _again(deliver_to_webhook, webhook_id, event_id, attempt=attempt)
    else:
        logger.warning(
            "Webhook %s: event %s failed for good: %s",
            webhook_id,
            event_id,
            delivery.error,
        )
        services.webhook_outcome(webhook_id, False)


@task(queue_name="hooks")
def redeliver(delivery_id: int) -> None:
    """Post a logged delivery's event again (the delivery log's "Redeliver")."""
    delivery = Delivery.objects.filter(pk=delivery_id).first()
    if delivery is None or delivery.webhook_id is None:
        return
    webhook = delivery.webhook
    assert webhook is not None
    event = (
        Event.objects.select_related("actor").filter(pk=delivery.event_id).first()
        if delivery.event_id
        else None
    )
    if event is None:
        services.send_to_webhook(webhook, None)
        return
    last = (
        Delivery.objects.filter(webhook_id=webhook.pk, event_id=event.pk)
        .order_by("-attempt")
        .values_list("attempt", flat=True)
        .first()
    )
    services.send_to_webhook(webhook, event, attempt=(last or 0) + 1, force=True)


@periodic(
    every=timedelta(days=1),
    at=time(3, 40),
    description=_("Forget chat and webhook deliveries older than 90 days"),
)
@task(queue_name="hooks")
def prune_deliveries() -> int:
    from clientfolio.integrations.models import Delivery

    cutoff = timezone.now() - timedelta(days=DELIVERY_LOG_DAYS)
    deleted, _rows = Delivery.objects.filter(created_at__lt=cutoff).delete()
    return deleted
