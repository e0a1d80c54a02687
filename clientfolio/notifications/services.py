"""Every write of the notifications app: read marks, preferences, follows and digests.

Pages, the API and the periodic job call these; none looks at roles (the permission
layer answers whether a record may be followed, ``handlers.may_see`` whether it may be
told).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Model, Q
from django.utils import timezone

from clientfolio.core import permissions
from clientfolio.core.events import Kind
from clientfolio.notifications import emails
from clientfolio.notifications.channels import Channels, default_for
from clientfolio.notifications.handlers import may_see
from clientfolio.notifications.models import (
    DEFAULT_DIGEST_TIME,
    EmailMode,
    Follow,
    Notification,
    NotificationSettings,
    Preference,
)
from clientfolio.notifications.targets import describe, target_of

__all__ = [
    "follow",
    "mark_all_read",
    "mark_read",
    "save_preferences",
    "send_due_digests",
    "set_digest_time",
    "settings_of",
    "unfollow",
]


# --- read marks -------------------------------------------------------------------


def mark_read(notification: Notification) -> None:
    """Mark one of the user's notifications read (once: the first reading time stays)."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )


def mark_all_read(user: Any) -> int:
    """Mark every unread notification of ``user`` read; returns how many."""
    return Notification.objects.filter(
        user_id=user.pk, in_app=True, read_at__isnull=True
    ).update(read_at=timezone.now())


# --- preferences ------------------------------------------------------------------


def save_preferences(user: Any, grid: Mapping[str, Channels]) -> None:
    """Store the user's channels per kind; a kind set to its default keeps no row."""
    kinds = {str(kind) for kind in Kind}
    with transaction.atomic():
        for kind, channels in grid.items():
            if kind not in kinds:
                continue
            if channels == default_for(kind):
                Preference.objects.filter(user_id=user.pk, kind=kind).delete()
                continue
            Preference.objects.update_or_create(
                user_id=user.pk,
                kind=kind,
                defaults={"in_app": channels.in_app, "email": channels.email},
            )


def settings_of(user: Any) -> NotificationSettings:
    """The user's notification settings (unsaved defaults if they chose nothing)."""
    found = NotificationSettings.objects.filter(user_id=user.pk).first()
    return found or NotificationSettings(user_id=user.pk)


def set_digest_time(user: Any, value: dt.time) -> NotificationSettings:
    """Set when the user's daily digest leaves; the caller validated ``value``."""
    row, _created = NotificationSettings.objects.update_or_create(
        user_id=user.pk, defaults={"digest_time": value}
    )
    return row


# --- follows ----------------------------------------------------------------------


def follow(user: Any, target: Model) -> None:
    """``user`` follows ``target`` (which the caller fetched through the user's scope)."""
    project = permissions.project_of(target)
    Follow.objects.bulk_create(
        [
            Follow(
                user_id=user.pk,
                target_type=target._meta.label_lower,
                target_id=target.pk,
                project_id=getattr(project, "pk", None),
            )
        ],
        ignore_conflicts=True,
    )


def unfollow(user: Any, target: Model) -> None:
    Follow.objects.filter(
        user_id=user.pk, target_type=target._meta.label_lower, target_id=target.pk
    ).delete()


# --- the daily digest -------------------------------------------------------------


def _local(now: dt.datetime, user: Any) -> dt.datetime:
    with emails.in_readers_terms(user):
        return timezone.localtime(now)


def send_due_digests(now: dt.datetime | None = None) -> int:
    """Send the digest of every user whose digest time has passed today (in their time
    zone), who has not had today's, and for whom something waits. Safe to run twice and
    on two workers at once: the day is claimed before the mail is built. Returns how many
    digests were sent."""
    from clientfolio.core.models import User

    now = now or timezone.now()
    waiting = (
        Notification.objects.filter(
            email=EmailMode.DIGEST, emailed_at__isnull=True, created_at__lte=now
        )
        .values_list("user_id", flat=True)
        .distinct()
    )
    chosen = {
        row.user_id: row
        for row in NotificationSettings.objects.filter(user_id__in=waiting)
    }
    sent = 0
    for user in User.objects.filter(pk__in=waiting).order_by("pk"):
        row = chosen.get(user.pk)
        local = _local(now, user)
        digest_time = row.digest_time if row else DEFAULT_DIGEST_TIME
        if local.time() < digest_time:
            continue
        today = local.date()
        if row is not None and row.last_digest_on == today:
            continue
        if _claim_day(user, today, now):
            sent += _send_digest(user, now)
    return sent


def _claim_day(user: Any, today: dt.date, now: dt.datetime) -> bool:
    NotificationSettings.objects.get_or_create(user_id=user.pk)
    return bool(
        NotificationSettings.objects.filter(user_id=user.pk)
        .filter(Q(last_digest_on__isnull=True) | Q(last_digest_on__lt=today))
        .update(last_digest_on=today, last_digest_at=now)
    )


def _send_digest(user: Any, now: dt.datetime) -> int:
    with transaction.atomic():
        rows = list(
            Notification.objects.filter(
                user_id=user.pk,
                email=EmailMode.DIGEST,
                emailed_at__isnull=True,
                created_at__lte=now,
            )
            .select_related("event", "event__actor")
            .order_by("created_at", "pk")
        )
        Notification.objects.filter(pk__in=[row.pk for row in rows]).update(
            emailed_at=now
        )
        if not user.is_active or not user.email:
            return 0
        items: list[tuple[Any, dt.datetime]] = []
        more = 0
        with emails.in_readers_terms(user):
            for index, row in enumerate(rows):
                if len(items) >= emails.DIGEST_LIMIT:
                    more = len(rows) - index  # on the notification page
                    break
                target = target_of(row.event)
                # Told only what they may still see.
                if target is None or not may_see(user, target):
                    continue
                when = timezone.localtime(row.created_at)
                items.append((describe(row.event, target=target), when))
        if not items:
            return 0
        emails.send_digest(user, items, more)
    return 1
