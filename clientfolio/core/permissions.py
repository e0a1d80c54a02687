"""The one permission layer: who may do what on which records, and which rows they see.

Pages, the API, exports, imports, search and template tags all ask here; no other module
looks at roles. Outside a user's scope a record does not exist for them (views answer 404);
visible but not allowed is 403.

Rules are keyed by model label (``"clients.client"``) so this module imports no domain app.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet

__all__ = ["Action", "can", "can_any", "scope"]

Q = TypeVar("Q", bound="QuerySet[Any]")


class Action(StrEnum):
    VIEW = "view"
    ADD = "add"
    CHANGE = "change"
    DELETE = "delete"  # archive or move to trash: restorable
    PURGE = "purge"  # destroy for good
    EXPORT = "export"
    IMPORT = "import"


ADMIN, STAFF, CLIENT = "admin", "staff", "client"
INTERNAL = frozenset({ADMIN, STAFF})
ADMINS = frozenset({ADMIN})

_CLIENT_LIBRARY = {
    Action.VIEW: INTERNAL,
    Action.ADD: INTERNAL,
    Action.CHANGE: INTERNAL,
    Action.DELETE: INTERNAL,
    Action.PURGE: ADMINS,
    Action.EXPORT: INTERNAL,
    Action.IMPORT: INTERNAL,
}

RULES: dict[str, dict[Action, frozenset[str]]] = {
    "core.user": dict.fromkeys(Action, ADMINS),
    "core.tag": {Action.VIEW: INTERNAL, Action.ADD: INTERNAL},
    "clients.client": _CLIENT_LIBRARY,
    "clients.contact": _CLIENT_LIBRARY,
    "clients.requirement": _CLIENT_LIBRARY,
    "clients.contract": _CLIENT_LIBRARY,
    "clients.payment": _CLIENT_LIBRARY,
    "clients.feedback": _CLIENT_LIBRARY,
    "clients.followup": _CLIENT_LIBRARY,
}


def role_of(user: Any) -> str | None:
    """The user's effective role, or None for anonymous and deactivated users."""
    if (
        user is None
        or not getattr(user, "is_authenticated", False)
        or not user.is_active
    ):
        return None
    if user.is_superuser:
        return ADMIN
    return str(user.role)


def _label(target: Model | type[Model] | str) -> str:
    if isinstance(target, str):
        return target
    return str(target._meta.label_lower)


def can(user: Any, action: Action | str, target: Model | type[Model] | str) -> bool:
    """Whether ``user`` may perform ``action`` on ``target`` (a model, instance or label).

    An instance outside the user's scope is never allowed, whatever the action.
    """
    role = role_of(user)
    if role is None:
        return False
    allowed = RULES.get(_label(target), {}).get(Action(action), frozenset())
    return role in allowed


def can_any(user: Any, target: Model | type[Model] | str) -> bool:
    """Whether the user may do anything at all with ``target``: decides navigation."""
    return any(can(user, action, target) for action in Action)


def scope(user: Any, queryset: Q, action: Action | str = Action.VIEW) -> Q:
    """The rows of ``queryset`` that ``user`` may see (or act on with ``action``).

    Client contacts see no internal records; their portal scope is added with the portal.
    """
    if not can(user, action, queryset.model):
        return queryset.none()
    return queryset
