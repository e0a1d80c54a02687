"""Sending events to chat channels and webhooks, and keeping what happened.

A chat message is the event as ``notifications.targets.describe`` tells it to a group
(in the third person: "王五 was assigned to … by 李娜", never "you"), in the channel's
language. A webhook receives payload version 1 (``webhook_payload``), signed
with HMAC-SHA256 over ``"{timestamp}.{body}"`` with the webhook's secret
(docs/integrations.md). Every attempt is a ``Delivery``; a channel keeps its last error
and its last success, a webhook counts the events that failed in a row and is disabled
after ``INTEGRATIONS_DISABLE_AFTER`` of them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from clientfolio.core.events import Kind
from clientfolio.core.jobs import enqueue_on_commit
from clientfolio.core.locking import save_versioned
from clientfolio.integrations import platforms, ssrf
from clientfolio.integrations.models import ChatChannel, Delivery, Webhook, new_secret
from clientfolio.notifications.targets import GROUP, describe, target_of, url_of

__all__ = [
    "create_channel",
    "create_webhook",
    "delete_channel",
    "delete_webhook",
    "set_channel_active",
    "update_channel",
    "update_webhook",
    "MAX_ATTEMPTS",
    "PING",
    "absolute",
    "channels_for",
    "chat_message",
    "enable",
    "payload_body",
    "redeliver",
    "rotate_secret",
    "send_to_channel",
    "send_to_webhook",
    "signature",
    "test_channel",
    "test_webhook",
    "webhooks_for",
]

# Attempts per event and destination: the first and up to four retries.
MAX_ATTEMPTS = 5
PING = "ping"


def absolute(path: str) -> str:
    """``path`` on the site's public address (``SITE_URL``); "" stays ""."""
    if not path:
        return ""
    return str(settings.SITE_URL).rstrip("/") + path


def retry_delay(attempt: int) -> int:
    """Seconds to wait before attempt ``attempt + 1``: 1, 2, 4, 8 minutes."""
    return 60 * 2 ** (attempt - 1)


# --- keeping channels and webhooks (the pages and the API have validated them) -------

CHANNEL_FIELDS = ["platform", "name", "url", "secret", "kinds", "language", "active"]
WEBHOOK_FIELDS = ["name", "url", "kinds"]


def create_channel(channel: ChatChannel, *, user: Any) -> ChatChannel:
    channel.created_by = user if getattr(user, "pk", None) else None
    with transaction.atomic():
        channel.save()
    return channel


def update_channel(channel: ChatChannel, expected_version: int | None) -> ChatChannel:
    """Save the editable fields (``StaleVersion`` if someone saved meanwhile). A new
    address, platform or secret forgets the last error, which was the old one's."""
    with transaction.atomic():
        before = (
            ChatChannel.objects.filter(pk=channel.pk)
            .values("platform", "url", "secret")
            .first()
        )
        fields = list(CHANNEL_FIELDS)
        if before and before != {
            "platform": channel.platform,
            "url": channel.url,
            "secret": channel.secret,
        }:
            channel.last_error, channel.last_error_at = "", None
            fields += ["last_error", "last_error_at"]
        return save_versioned(channel, expected_version, fields=[*fields, "updated_at"])


def set_channel_active(channel: ChatChannel, active: bool) -> None:
    channel.active = active
    channel.save(update_fields=["active", "updated_at"])


def delete_channel(channel: ChatChannel) -> None:
    """Remove the channel and its delivery log."""
    channel.delete()


def create_webhook(webhook: Webhook, *, user: Any) -> str:
    """Save a new webhook; returns its signing secret (the pages show it once)."""
    webhook.created_by = user if getattr(user, "pk", None) else None
    if not webhook.secret:
        webhook.secret = new_secret()
    with transaction.atomic():
        webhook.save()
    return webhook.secret


def update_webhook(webhook: Webhook, expected_version: int | None) -> Webhook:
    """Save name, URL and events (``StaleVersion`` if someone saved meanwhile); the
    switch is ``enable``."""
    return save_versioned(
        webhook, expected_version, fields=[*WEBHOOK_FIELDS, "updated_at"]
    )


def delete_webhook(webhook: Webhook) -> None:
    """Remove the webhook and its delivery log."""
    webhook.delete()


# --- who hears about an event ---------------------------------------------------------


def channels_for(event: Any) -> list[ChatChannel]:
    """Active channels of the event's project and firm-wide ones subscribed to it."""
    where = Q(project__isnull=True)
    if event.project_id:
        where |= Q(project_id=event.project_id)
    return [
        channel
        for channel in ChatChannel.objects.filter(where, active=True)
        if event.kind in (channel.kinds or [])
    ]


def webhooks_for(event: Any) -> list[Webhook]:
    return [
        webhook
        for webhook in Webhook.objects.filter(active=True, disabled_at__isnull=True)
        if event.kind in (webhook.kinds or [])
    ]


# --- chat -----------------------------------------------------------------------------


def _labels() -> dict[str, str]:
    return {
        "open_label": _("Open in Clientfolio"),
        "project_label": _("Project"),
        "object_label": pgettext("the record a chat message is about", "Record"),
    }


def chat_message(channel: ChatChannel, event: Any | None) -> platforms.Message:
    """The message for ``event`` (a test message for None), in the channel's language."""
    with translation.override(channel.language):
        if event is None:
            project = channel.project.name if channel.project else _("Firm-wide")
            return platforms.Message(
                title=_("Test message from Clientfolio"),
                project=str(project),
                object_name=channel.name,
                url=absolute("/"),
                kind_label=_("Test message"),
                **_labels(),
            )
        # A channel is a group chat: name the people, never "you".
        text = describe(event, audience=GROUP)
        return platforms.Message(
            title=text.title,
            project=text.project_name,
            object_name=text.object_name,
            url=absolute(text.url),
            kind_label=text.kind_label,
            **_labels(),
        )


def _claim(**fields: Any) -> Delivery | None:
    """Store the attempt before it is sent (status "sending"); None when another job
    already made this first attempt of the event (a handler run twice)."""
    try:
        with transaction.atomic():
            return Delivery.objects.create(status=Delivery.Status.SENDING, **fields)
    except IntegrityError:
        return None


def _delivered(event: Any | None, **destination: Any) -> bool:
    if event is None:
        return False
    return Delivery.objects.filter(
        event_id=event.pk, status=Delivery.Status.OK, **destination
    ).exists()


def _finish(delivery: Delivery, result: platforms.Result) -> Delivery:
    delivery.status = Delivery.Status.OK if result.ok else Delivery.Status.FAILED
    delivery.status_code = result.status_code
    delivery.response_excerpt = result.response
    delivery.error = result.error
    delivery.duration_ms = result.duration_ms
    delivery.finished_at = timezone.now()
    delivery.save(
        update_fields=[
            "status",
            "status_code",
            "response_excerpt",
            "error",
            "duration_ms",
            "finished_at",
        ]
    )
    return delivery


def send_to_channel(
    channel: ChatChannel, event: Any | None = None, *, attempt: int = 1
) -> Delivery | None:
    """Post ``event`` (None: a test message) to the channel and record the attempt, on
    the channel too (its last error or last success). None if already delivered."""
    if _delivered(event, channel=channel):
        return None
    delivery = _claim(
        channel=channel,
        event=event,
        kind=str(event.kind) if event is not None else PING,
        attempt=attempt,
    )
    if delivery is None:
        return None
    result = platforms.send(
        channel.platform, channel.url, channel.secret, chat_message(channel, event)
    )
    _finish(delivery, result)
    now = timezone.now()
    if result.ok:
        ChatChannel.objects.filter(pk=channel.pk).update(last_ok_at=now)
        channel.last_ok_at = now
    else:
        ChatChannel.objects.filter(pk=channel.pk).update(
            last_error=result.error, last_error_at=now
        )
        channel.last_error, channel.last_error_at = result.error, now
    return delivery


def test_channel(channel: ChatChannel) -> Delivery:
    """Send a test message now; the channel keeps the outcome."""
    delivery = send_to_channel(channel, None)
    assert delivery is not None  # a test message is never "already delivered"
    return delivery


# --- webhooks -------------------------------------------------------------------------


def webhook_payload(event: Any) -> dict[str, Any]:
    """Payload version 1 of an event (docs/integrations.md, ``WebhookPayload``)."""
    from clientfolio.projects.models import Project

    project = None
    if event.project_id:
        project = (
            Project.objects.filter(pk=event.project_id)
            .values("id", "code", "name")
            .first()
        )
    actor = None
    if event.actor_id and event.actor is not None:
        actor = {"id": event.actor_id, "name": str(event.actor)}
    return {
        "version": 1,
        "id": event.pk,
        "kind": str(event.kind),
        "occurred_at": event.occurred_at.isoformat(),
        "project": project,
        "target": {
            "type": event.target_type,
            "id": event.target_id,
            "url": absolute(url_of(target_of(event))),
        },
        "actor": actor,
        "data": event.data or {},
    }


def ping_payload(webhook: Webhook) -> dict[str, Any]:
    """What "send a test" posts: no event, ``kind`` "ping"."""
    return {
        "version": 1,
        "id": None,
        "kind": PING,
        "occurred_at": timezone.now().isoformat(),
        "project": None,
        "target": {"type": "integrations.webhook", "id": webhook.pk, "url": ""},
        "actor": None,
        "data": {"message": "Test message from Clientfolio"},
    }


def payload_body(payload: dict[str, Any]) -> str:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def signature(secret: str, timestamp: int | str, body: str) -> str:
    """``sha256=`` and the hex HMAC-SHA256 of ``"{timestamp}.{body}"``."""
    digest = hmac.new(
        secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256
    ).hexdigest()
    return f"sha256={digest}"


def _webhook_headers(webhook: Webhook, kind: str, delivery_id: str, body: str):
    timestamp = int(time.time())
    return {
        "X-Clientfolio-Event": kind,
        "X-Clientfolio-Delivery": delivery_id,
        "X-Clientfolio-Timestamp": str(timestamp),
        "X-Clientfolio-Signature": signature(webhook.secret, timestamp, body),
    }


def send_to_webhook(
    webhook: Webhook, event: Any | None = None, *, attempt: int = 1, force: bool = False
) -> Delivery | None:
    """Post the event's payload (None: a ping) to the webhook and record the attempt.
    None if this event was already delivered to it (unless ``force``: a redelivery)."""
    if not force and _delivered(event, webhook=webhook):
        return None
    payload = ping_payload(webhook) if event is None else webhook_payload(event)
    delivery = _claim(
        webhook=webhook, event=event, kind=payload["kind"], attempt=attempt
    )
    if delivery is None:
        return None
    body = payload_body(payload)
    delivery_id = (
        f"{event.pk}-{webhook.pk}" if event is not None else f"ping-{delivery.pk}"
    )
    headers = _webhook_headers(webhook, payload["kind"], delivery_id, body)
    return _finish(delivery, platforms.post(webhook.url, body.encode(), headers))


def test_webhook(webhook: Webhook) -> Delivery:
    delivery = send_to_webhook(webhook, None)
    assert delivery is not None
    return delivery


def webhook_outcome(webhook_id: int, ok: bool) -> None:
    """After an event's last attempt: a success resets the count of failures in a row;
    a failure adds one, and disables the webhook at ``INTEGRATIONS_DISABLE_AFTER``."""
    if ok:
        Webhook.objects.filter(pk=webhook_id).update(consecutive_failures=0)
        return
    Webhook.objects.filter(pk=webhook_id).update(
        consecutive_failures=F("consecutive_failures") + 1
    )
    Webhook.objects.filter(
        pk=webhook_id,
        disabled_at__isnull=True,
        consecutive_failures__gte=settings.INTEGRATIONS_DISABLE_AFTER,
    ).update(disabled_at=timezone.now())


def enable(webhook: Webhook, active: bool) -> None:
    """Switch a webhook on (which also clears a disable after failures) or off."""
    webhook.active = active
    fields = ["active", "updated_at"]
    if active:
        webhook.disabled_at = None
        webhook.consecutive_failures = 0
        fields += ["disabled_at", "consecutive_failures"]
    webhook.save(update_fields=fields)


def rotate_secret(webhook: Webhook) -> str:
    """Give the webhook a new signing secret (the old one stops working at once)."""
    webhook.secret = new_secret()
    webhook.save(update_fields=["secret", "updated_at"])
    return webhook.secret


def redeliver(delivery: Delivery) -> None:
    """Post a logged delivery's event (or ping) again, once the transaction commits, as
    the next attempt; it counts for nothing toward disabling the webhook."""
    from clientfolio.integrations.tasks import redeliver as redeliver_task

    enqueue_on_commit(redeliver_task, delivery.pk)


def check_destination(url: str) -> str:
    """The URL if the server may post to it; ``ssrf.Refused`` says why not."""
    return ssrf.check_url(url)


def kind_choices() -> list[tuple[str, str]]:
    from clientfolio.core.events import KIND_LABELS

    return [(kind.value, str(KIND_LABELS.get(kind, kind.value))) for kind in Kind]
