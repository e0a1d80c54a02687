"""The records a user may follow, fetched through their scope, and who follows a record
without asking: its natural followers (a task's owner and assignees, a risk's, an
issue's or a deliverable's owner, a change request's requester).

The notifications handler tells natural followers of a record's life as it tells those
who follow it explicitly (``handlers.followers_of``), so the follow button must not offer
them a follow that changes nothing, nor an unfollow that cannot stop the news
(``follow_state``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Exists, Model
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from clientfolio.core.permissions import Action, scope

__all__ = [
    "ASSIGNEE",
    "FOLLOWABLE",
    "OWNER",
    "REASONS",
    "REQUESTER",
    "FollowState",
    "follow_state",
    "followable",
    "natural_followers",
]

# What can be followed: the records people discuss (the ones comments are allowed on).
FOLLOWABLE = frozenset(
    {
        "schedule.task",
        "projects.changerequest",
        "projects.projectrequirement",
        "risks.risk",
        "risks.issue",
        "quality.deliverable",
    }
)


def followable(user: Any, target_type: str, target_id: Any) -> Model | None:
    """The record ``target_type``:``target_id`` if ``user`` may see (so follow) it; None
    for a kind that cannot be followed, a record that does not exist, or one outside the
    user's scope, alike."""
    if target_type not in FOLLOWABLE:
        return None
    try:
        pk = int(target_id)
    except (TypeError, ValueError):
        return None
    model = apps.get_model(target_type)
    found: Model | None = (
        scope(user, model._default_manager.all(), Action.VIEW).filter(pk=pk).first()
    )
    return found


# --- natural followers ------------------------------------------------------------

OWNER = "owner"
ASSIGNEE = "assignee"
REQUESTER = "requester"

# Why someone follows without asking: the button's label and its explanation.
REASONS: dict[str, tuple[Promise, Promise]] = {
    OWNER: (
        _("Following (you own this)"),
        _(
            "You hear of its comments and changes because you own it, for as long "
            "as you do. There is nothing to unfollow."
        ),
    ),
    ASSIGNEE: (
        _("Following (assigned to you)"),
        _(
            "You hear of its comments and changes because it is assigned to you, "
            "for as long as it is. There is nothing to unfollow."
        ),
    ),
    REQUESTER: (
        _("Following (you requested it)"),
        _(
            "You hear of its comments and decision because you requested it. "
            "There is nothing to unfollow."
        ),
    ),
}

# Model label -> (field naming a natural follower, why), in order of precedence.
_OWNERS: dict[str, tuple[tuple[str, str], ...]] = {
    "schedule.task": (("owner_id", OWNER),),
    "risks.risk": (("owner_id", OWNER),),
    "risks.issue": (("owner_id", OWNER),),
    "projects.changerequest": (("requested_by_user_id", REQUESTER),),
    "quality.deliverable": (("owner_id", OWNER),),
}
# Model label -> (model of the rows naming more natural followers, its field naming the
# record, why): a task's assignments.
_PEOPLE: dict[str, tuple[str, str, str]] = {
    "schedule.task": ("schedule.Assignment", "task_id", ASSIGNEE),
}


def _by_field(target: Model) -> dict[int, str]:
    found: dict[int, str] = {}
    for field, reason in _OWNERS.get(target._meta.label_lower, ()):
        if user_id := getattr(target, field, None):
            found.setdefault(user_id, reason)
    return found


def natural_followers(target: Model) -> dict[int, str]:
    """Ids of the users who follow ``target`` by their part in it, each with why
    (``OWNER``, ``ASSIGNEE``, ``REQUESTER``; an owner who is also assigned is an owner).
    One query for a task (its assignees), none for the other kinds."""
    found = _by_field(target)
    people = _PEOPLE.get(target._meta.label_lower)
    if people is not None:
        model_label, field, reason = people
        rows = apps.get_model(model_label)._default_manager.filter(**{field: target.pk})
        for user_id in rows.values_list("user_id", flat=True):
            found.setdefault(user_id, reason)
    return found


@dataclass(frozen=True)
class FollowState:
    """How ``user`` follows a record: ``explicit`` (a ``Follow`` row, from the button or
    a comment of theirs) and/or ``reason``, why they follow it naturally ("" if not)."""

    explicit: bool
    reason: str = ""

    @property
    def following(self) -> bool:
        return self.explicit or bool(self.reason)

    @property
    def label(self) -> str:
        return str(REASONS[self.reason][0]) if self.reason else ""

    @property
    def explanation(self) -> str:
        return str(REASONS[self.reason][1]) if self.reason else ""


def follow_state(user: Any, target: Model) -> FollowState:
    """How ``user`` follows ``target``, in one query (whether a ``Follow`` row exists
    and, for a task, whether the user is assigned to it)."""
    from clientfolio.core.models import User
    from clientfolio.notifications.models import Follow

    if not getattr(user, "pk", None):
        return FollowState(explicit=False)
    label = target._meta.label_lower
    reason = _by_field(target).get(user.pk, "")
    flags: dict[str, Any] = {
        "explicit": Exists(
            Follow.objects.filter(
                user_id=user.pk, target_type=label, target_id=target.pk
            )
        )
    }
    people = _PEOPLE.get(label)
    if people is not None and not reason:
        model_label, field, _reason = people
        flags["natural"] = Exists(
            apps.get_model(model_label)._default_manager.filter(
                user_id=user.pk, **{field: target.pk}
            )
        )
    row = User.objects.filter(pk=user.pk).values(**flags).first() or {}
    if row.get("natural") and people is not None:
        reason = people[2]
    return FollowState(explicit=bool(row.get("explicit")), reason=reason)
