"""``{% notification_bell %}`` for the top bar and ``{% follow_button obj %}`` for the
pages of records people follow."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Model

from clientfolio.core.permissions import Action, can
from clientfolio.notifications.follows import FOLLOWABLE, follow_state

register = template.Library()


@register.inclusion_tag("notifications/partials/bell.html", takes_context=True)
def notification_bell(context: dict[str, Any]) -> dict[str, Any]:
    """The bell; its count and menu load by htmx, so a page costs no query for it."""
    user = context.get("user")
    return {"show": can(user, Action.VIEW, "notifications.notification")}


@register.inclusion_tag("notifications/partials/follow_button.html", takes_context=True)
def follow_button(context: dict[str, Any], obj: Model) -> dict[str, Any]:
    """Follow / Following toggle for ``obj``, or, for its owner, assignee or requester,
    why they follow it anyway (one query: how the user follows it)."""
    user = context.get("user")
    label = obj._meta.label_lower
    if label not in FOLLOWABLE or not can(user, Action.ADD, "notifications.follow"):
        return {"show": False}
    return {
        "show": True,
        "target_type": label,
        "target_id": obj.pk,
        "state": follow_state(user, obj),
    }
