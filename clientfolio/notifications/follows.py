"""The records a user may follow, fetched through their scope."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models import Model

from clientfolio.core.permissions import Action, scope

__all__ = ["FOLLOWABLE", "followable"]

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
