"""Notifications: what each person was told, how they want to be told, what they follow.

A ``Notification`` is one event for one reader (unique per event and user, so delivering
an event twice tells nobody twice). Its ``email`` says what happens to it by e-mail:
sent at once, waiting for the reader's daily digest, or nothing; ``in_app`` whether it is
shown under the bell. ``Preference`` rows hold a user's choice per event kind; without
one, ``channels.DEFAULTS`` decide.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clientfolio.core.events import KIND_LABELS, Kind

__all__ = [
    "DEFAULT_DIGEST_TIME",
    "EmailMode",
    "Follow",
    "Notification",
    "NotificationSettings",
    "Preference",
    "validate_digest_time",
]

KIND_CHOICES = [(kind.value, KIND_LABELS[kind]) for kind in Kind]


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediately")
    DIGEST = "digest", _("Daily digest")
    OFF = "off", _("No e-mail")


class Notification(models.Model):
    """One event told to one reader."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="notifications",
        verbose_name=_("user"),
    )
    event = models.ForeignKey(
        "core.Event", models.CASCADE, related_name="+", verbose_name=_("event")
    )
    kind = models.CharField(_("event"), max_length=40, choices=KIND_CHOICES)
    project_id = models.PositiveBigIntegerField(null=True, blank=True)
    target_type = models.CharField(max_length=60)
    target_id = models.PositiveBigIntegerField()
    in_app = models.BooleanField(default=True)
    email = models.CharField(
        max_length=10, choices=EmailMode.choices, default=EmailMode.OFF
    )
    # When the e-mail left (at once, or in a digest); null while a digest waits.
    emailed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"], name="notifications_once_per_event_and_user"
            )
        ]
        indexes = [
            # The bell's unread count and the unread list.
            models.Index(
                fields=["user", "read_at", "-created_at"],
                condition=Q(in_app=True),
                name="notifications_unread",
            ),
            # The list of everything, newest first.
            models.Index(
                fields=["user", "-created_at"],
                condition=Q(in_app=True),
                name="notifications_recent",
            ),
            # What the next digest carries.
            models.Index(
                fields=["user", "created_at"],
                condition=Q(email="digest", emailed_at__isnull=True),
                name="notifications_digest_waiting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.user_id}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class Preference(models.Model):
    """How a user wants to hear about one kind of event."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("event"), max_length=40, choices=KIND_CHOICES)
    in_app = models.BooleanField(_("in the app"), default=True)
    email = models.CharField(
        _("e-mail"), max_length=10, choices=EmailMode.choices, default=EmailMode.DIGEST
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        ordering = ["user", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"], name="notifications_preference_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.in_app}/{self.email}"


DEFAULT_DIGEST_TIME = dt.time(8, 0)


def validate_digest_time(value: Any) -> None:
    """A digest time is on the hour or the half hour, 00:00 to 23:30."""
    if value is None:
        return
    if value.minute in (0, 30) and value.second == 0 and value.microsecond == 0:
        return
    raise ValidationError(
        _("Choose a digest time from 00:00 to 23:30, on the hour or the half hour."),
        code="digest_time",
    )


class NotificationSettings(models.Model):
    """A user's digest time (in their own time zone) and the day of their last digest."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="notification_settings",
        verbose_name=_("user"),
    )
    digest_time = models.TimeField(
        _("daily digest at"),
        default=DEFAULT_DIGEST_TIME,
        validators=[validate_digest_time],
        help_text=_("In your time zone; on the hour or the half hour."),
    )
    # The local day whose digest was sent (claimed first, so two runs send one).
    last_digest_on = models.DateField(null=True, blank=True)
    last_digest_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return f"{self.user_id} {self.digest_time:%H:%M}"


class Follow(models.Model):
    """A user follows a record: its events reach them as they reach its owner."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="follows",
        verbose_name=_("user"),
    )
    target_type = models.CharField(max_length=60)
    target_id = models.PositiveBigIntegerField()
    project = models.ForeignKey(
        "projects.Project",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("project"),
    )
    created_at = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "target_type", "target_id"],
                name="notifications_follow_once",
            )
        ]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.target_type}:{self.target_id}"
