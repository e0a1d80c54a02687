"""Which channels a user hears an event kind on: their ``Preference`` or the defaults.

In the app, everything; by e-mail at once, what waits on the reader (an assignment, a
decision, a confirmation, a mention); in the daily digest, reminders and news about what
they follow; a finished import or export only in the app, since they are looking at it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from clientfolio.core.events import Kind
from clientfolio.notifications.models import EmailMode, Preference

__all__ = ["DEFAULTS", "Channels", "channels_for", "grid_for"]


@dataclass(frozen=True)
class Channels:
    in_app: bool
    email: str  # an EmailMode value


_IMMEDIATE = Channels(True, EmailMode.IMMEDIATE)
_DIGEST = Channels(True, EmailMode.DIGEST)

DEFAULTS: dict[str, Channels] = {
    Kind.TASK_ASSIGNED: _IMMEDIATE,
    Kind.ACTION_ITEM_ASSIGNED: _IMMEDIATE,
    Kind.CHANGE_REQUEST_SUBMITTED: _IMMEDIATE,
    Kind.EXPENSE_SUBMITTED: _IMMEDIATE,
    Kind.MINUTES_SENT: _IMMEDIATE,
    Kind.MINUTES_DISPUTED: _IMMEDIATE,
    Kind.COMMENT_MENTIONED: _IMMEDIATE,
    Kind.TASK_DUE_SOON: _DIGEST,
    Kind.TASK_OVERDUE: _DIGEST,
    Kind.TASK_RESCHEDULED: _DIGEST,
    Kind.CHANGE_REQUEST_DECIDED: _DIGEST,
    Kind.EXPENSE_DECIDED: _DIGEST,
    Kind.FOLLOWUP_DUE: _DIGEST,
    Kind.RISK_REVIEW_DUE: _DIGEST,
    Kind.RISK_LEVEL_ROSE: _DIGEST,
    Kind.DELIVERABLE_ACCEPTED: _DIGEST,
    Kind.DELIVERABLE_REJECTED: _DIGEST,
    Kind.INVOICE_OVERDUE: _DIGEST,
    Kind.COMMENT_ADDED: _DIGEST,
    Kind.JOB_FINISHED: Channels(True, EmailMode.OFF),
    Kind.REPORT_DRAFTED: _IMMEDIATE,
}


def default_for(kind: str) -> Channels:
    return DEFAULTS.get(kind, _DIGEST)


def channels_for(user_ids: Iterable[int], kind: str) -> dict[int, Channels]:
    """Each user's channels for ``kind``, in one query."""
    ids = list(user_ids)
    chosen = {
        row["user_id"]: Channels(row["in_app"], row["email"])
        for row in Preference.objects.filter(user_id__in=ids, kind=kind).values(
            "user_id", "in_app", "email"
        )
    }
    fallback = default_for(kind)
    return {user_id: chosen.get(user_id, fallback) for user_id in ids}


def grid_for(user: Any) -> dict[str, Channels]:
    """The user's channels for every kind (the preferences page and API), in one query."""
    chosen = {
        row["kind"]: Channels(row["in_app"], row["email"])
        for row in Preference.objects.filter(user_id=user.pk).values(
            "kind", "in_app", "email"
        )
    }
    return {kind.value: chosen.get(kind, default_for(kind)) for kind in Kind}
