"""The event handler of team chat and outgoing webhooks (``CLIENTFOLIO_EVENT_HANDLERS``).

For each active chat channel of the event's project (or firm-wide) and each active
webhook subscribed to the event's kind, one job on the ``hooks`` queue posts it. Safe to
run twice: a job skips a destination the event already reached.
"""

from __future__ import annotations

from typing import Any

from clientfolio.core.jobs import enqueue_on_commit
from clientfolio.integrations import services

__all__ = ["handle_event"]


def handle_event(event: Any) -> None:
    from clientfolio.integrations.tasks import deliver_to_channel, deliver_to_webhook

    for channel in services.channels_for(event):
        enqueue_on_commit(deliver_to_channel, channel.pk, event.pk)
    for webhook in services.webhooks_for(event):
        enqueue_on_commit(deliver_to_webhook, webhook.pk, event.pk)
