"""Reusable filters over users: who counts as internal staff, who is on a project's team."""

from __future__ import annotations

from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models

__all__ = ["UserManager", "UserQuerySet"]

# The firm's own people, as opposed to client contacts: ``Role.ADMIN`` and ``Role.STAFF``
# (``core.models`` imports this module, so the values are spelled out).
INTERNAL_ROLES = ("admin", "staff")


class UserQuerySet(models.QuerySet):
    def active(self) -> UserQuerySet:
        """Users who may still log in."""
        return self.filter(is_active=True)

    def internal(self) -> UserQuerySet:
        """Administrators and staff: the people who can own clients and work on
        projects (active or not; add ``.active()`` for pickers)."""
        return self.filter(role__in=INTERNAL_ROLES)

    def on_team(self, project: models.Model | int) -> UserQuerySet:
        """Members of ``project``'s team (any project role), ordered as pickers list
        them: first name, then username."""
        return self.filter(memberships__project=project).order_by(
            "first_name", "username"
        )


class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    """Django's user manager (``create_user``…) with the filters of ``UserQuerySet``."""
