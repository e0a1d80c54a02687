"""The event handler (``settings.CLIENTFOLIO_EVENT_HANDLERS``): who hears about an event.

Readers are the people the event is for (``event.recipient_ids``) and, for the kinds
about a record's life, those who follow it: explicit follows plus its natural followers
(a task's owner and assignees, a risk's or issue's owner, a change request's requester, a
deliverable's owner). The actor never hears of their own action; deactivated users and
anyone who cannot see the record *now* hear nothing. Each reader gets one
``Notification`` (unique per event and user, so a second delivery adds none) and, if they
chose so, one e-mail at once; digest e-mails are sent by ``tasks.send_digests``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.utils import timezone

from clientfolio.core import permissions
from clientfolio.core.events import Kind
from clientfolio.core.models import User
from clientfolio.notifications import emails
from clientfolio.notifications.channels import channels_for
from clientfolio.notifications.follows import natural_followers
from clientfolio.notifications.models import EmailMode, Follow, Notification
from clientfolio.notifications.targets import target_of

__all__ = ["FOLLOWED_KINDS", "followers_of", "handle_event", "may_see"]

# Kinds about a record's life, which its followers hear as well as its recipients.
FOLLOWED_KINDS = frozenset(
    {
        Kind.TASK_DUE_SOON,
        Kind.TASK_OVERDUE,
        Kind.TASK_RESCHEDULED,
        Kind.CHANGE_REQUEST_DECIDED,
        Kind.RISK_REVIEW_DUE,
        Kind.RISK_LEVEL_ROSE,
        Kind.DELIVERABLE_ACCEPTED,
        Kind.DELIVERABLE_REJECTED,
        Kind.COMMENT_ADDED,
    }
)


def followers_of(target: Model) -> set[int]:
    """Ids of the users who follow ``target``: explicitly, or by their part in it
    (``follows.natural_followers``, which the follow button asks too)."""
    ids = set(
        Follow.objects.filter(
            target_type=target._meta.label_lower, target_id=target.pk
        ).values_list("user_id", flat=True)
    )
    return ids | set(natural_followers(target))


def may_see(user: Any, target: Model) -> bool:
    """Whether ``user`` may see ``target`` now; a job is its starter's alone."""
    if target._meta.label_lower == "core.job":
        return bool(user.is_active and getattr(target, "user_id", None) == user.pk)
    return permissions.can(user, permissions.Action.VIEW, target)


def _follow(user_id: int, target: Model, project_id: int | None) -> None:
    Follow.objects.bulk_create(
        [
            Follow(
                user_id=user_id,
                target_type=target._meta.label_lower,
                target_id=target.pk,
                project_id=project_id,
            )
        ],
        ignore_conflicts=True,
    )


def handle_event(event: Any) -> None:
    """Tell every reader of ``event`` (safe to run twice: nobody is told twice)."""
    target = target_of(event)
    if target is None:
        return  # gone before it could be told: nobody may see it any more
    if event.kind == Kind.COMMENT_ADDED and event.actor_id:
        _follow(event.actor_id, target, event.project_id)
    candidates = {int(pk) for pk in event.recipient_ids or ()}
    if event.kind in FOLLOWED_KINDS:
        candidates |= followers_of(target)
    candidates.discard(event.actor_id)
    if not candidates:
        return
    users = list(User.objects.filter(pk__in=candidates, is_active=True))
    if permissions.is_project_record(target):
        permissions.remember_roles(
            permissions.project_of(target), [u.pk for u in users]
        )
    readers = [user for user in users if may_see(user, target)]
    if not readers:
        return
    channels = channels_for([user.pk for user in readers], event.kind)
    now = timezone.now()
    rows = [
        Notification(
            user=user,
            event_id=event.pk,
            kind=event.kind,
            project_id=event.project_id,
            target_type=event.target_type,
            target_id=event.target_id,
            in_app=channels[user.pk].in_app,
            email=channels[user.pk].email,
            created_at=now,
        )
        for user in readers
        if channels[user.pk].in_app or channels[user.pk].email != EmailMode.OFF
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    for row in rows:
        if row.email != EmailMode.IMMEDIATE or not row.user.email:
            continue
        # Claim the e-mail: a second delivery (or a second worker) finds it sent.
        claimed = Notification.objects.filter(
            event_id=event.pk,
            user_id=row.user.pk,
            email=EmailMode.IMMEDIATE,
            emailed_at__isnull=True,
        ).update(emailed_at=now)
        if claimed:
            emails.send_immediate(row.user, event, target)
