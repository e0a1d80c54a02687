"""Team chat channels, outgoing webhooks and the log of what was sent to them.

A ``ChatChannel`` is a group robot on a chat platform (DingTalk, WeCom, Feishu/Lark,
Slack, Microsoft Teams) that hears about some kinds of event: a project's, or the whole
firm's (no project). A ``Webhook`` is an integrator's URL that receives every event it
subscribed to as signed JSON (``integrations.payloads``). Every attempt to send is a
``Delivery``; the first attempt for an event is unique per channel or webhook, so an
event handled twice is sent once.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clientfolio.core.events import KIND_LABELS, Kind
from clientfolio.core.models import VersionedModel

__all__ = [
    "ChatChannel",
    "Delivery",
    "Platform",
    "Webhook",
    "new_secret",
]

KIND_CHOICES = [(kind.value, KIND_LABELS[kind]) for kind in Kind]


def new_secret() -> str:
    """A webhook's signing secret: 32 random bytes, URL-safe, with a recognisable prefix."""
    return "whsec_" + secrets.token_urlsafe(32)


class Platform(models.TextChoices):
    DINGTALK = "dingtalk", _("DingTalk")
    WECOM = "wecom", _("WeCom")
    FEISHU = "feishu", _("Feishu / Lark")
    SLACK = "slack", _("Slack")
    TEAMS = "teams", _("Microsoft Teams")


# The platforms whose robots sign with a secret of their own.
SIGNED_PLATFORMS = frozenset({Platform.DINGTALK, Platform.FEISHU})


class _Subscriber(VersionedModel):
    """What a chat channel and a webhook share: a name, the event kinds it hears, the
    administrator's switch and who made it."""

    name = models.CharField(_("name"), max_length=100)
    kinds = models.JSONField(_("events"), default=list, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    def hears(self, kind: str) -> bool:
        return kind in (self.kinds or [])


class ChatChannel(_Subscriber):
    """A chat group's robot that is told about some kinds of event, of one project or
    (without a project) of the whole firm, in one language."""

    project = models.ForeignKey(
        "projects.Project",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="chat_channels",
        verbose_name=_("project"),
    )
    platform = models.CharField(_("platform"), max_length=10, choices=Platform.choices)
    url = models.URLField(_("webhook address"), max_length=1000)
    secret = models.CharField(
        _("signing secret"),
        max_length=200,
        blank=True,
        help_text=_(
            "DingTalk: the secret under Security settings → Additional signature "
            "(starts with SEC). Feishu / Lark: the secret of Signature verification."
        ),
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="zh-hans"
    )
    last_ok_at = models.DateTimeField(_("last sent"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    last_error_at = models.DateTimeField(_("last failure"), null=True, blank=True)
    history = HistoricalRecords(
        excluded_fields=["secret", "last_ok_at", "last_error", "last_error_at"]
    )

    class Meta:
        verbose_name = _("chat channel")
        verbose_name_plural = _("chat channels")
        ordering = ["name", "pk"]

    @property
    def is_failing(self) -> bool:
        """Whether the last attempt failed (no success since)."""
        if self.last_error_at is None:
            return False
        return self.last_ok_at is None or self.last_ok_at < self.last_error_at


class Webhook(_Subscriber):
    """An integrator's URL that receives the events it subscribed to, as signed JSON.

    ``active`` is the administrator's switch; ``disabled_at`` is set when deliveries
    failed for ``WEBHOOK_DISABLE_AFTER`` events in a row (enabling it again clears it).
    """

    url = models.URLField(_("payload address"), max_length=1000)
    secret = models.CharField(max_length=100, default=new_secret, editable=False)
    consecutive_failures = models.PositiveIntegerField(
        _("failed events in a row"), default=0
    )
    disabled_at = models.DateTimeField(
        _("disabled after failures"), null=True, blank=True
    )
    history = HistoricalRecords(
        excluded_fields=["secret", "consecutive_failures", "disabled_at"]
    )

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["name", "pk"]

    @property
    def is_enabled(self) -> bool:
        return self.active and self.disabled_at is None


class Delivery(models.Model):
    """One attempt to send one event (or a test message, without an event) to a chat
    channel or a webhook, and what the receiver answered."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        OK = "ok", _("Delivered")
        FAILED = "failed", _("Failed")

    webhook = models.ForeignKey(
        Webhook,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("webhook"),
    )
    channel = models.ForeignKey(
        ChatChannel,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("chat channel"),
    )
    event = models.ForeignKey(
        "core.Event",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("event"),
    )
    kind = models.CharField(_("event"), max_length=40)
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    status_code = models.PositiveSmallIntegerField(
        _("response code"), null=True, blank=True
    )
    response_excerpt = models.TextField(_("response"), blank=True)
    error = models.TextField(_("error"), blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(webhook__isnull=False, channel__isnull=True)
                | Q(webhook__isnull=True, channel__isnull=False),
                name="integrations_delivery_to_one_receiver",
            ),
            # An event handled twice (two workers, a redelivery sweep) is sent once.
            models.UniqueConstraint(
                fields=["event", "webhook"],
                condition=Q(attempt=1, event__isnull=False, webhook__isnull=False),
                name="integrations_first_attempt_once_per_webhook",
            ),
            models.UniqueConstraint(
                fields=["event", "channel"],
                condition=Q(attempt=1, event__isnull=False, channel__isnull=False),
                name="integrations_first_attempt_once_per_channel",
            ),
        ]
        indexes = [
            models.Index(fields=["webhook", "-created_at"]),
            models.Index(fields=["channel", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.attempt}"

    @property
    def is_test(self) -> bool:
        return self.event_id is None
