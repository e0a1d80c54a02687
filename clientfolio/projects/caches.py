"""What the projects app keeps in ``core.caching`` and what invalidates it: the project
roles of each user (``core.permissions.project_roles``) and the count of pending change
requests on the folder's Changes tab."""

from typing import Any

from clientfolio.core.caching import bump_after_write
from clientfolio.projects.models import ChangeRequest, Project

__all__ = ["PENDING_CHANGES", "membership_written", "pending_changes", "user_written"]

# Change requests that wait for someone: the team's evaluation or the client's decision.
PENDING_CHANGES = (
    ChangeRequest.Status.SUBMITTED,
    ChangeRequest.Status.EVALUATING,
    ChangeRequest.Status.AWAITING_CLIENT,
)


def membership_written(sender: Any, instance: Any, **kwargs: Any) -> None:
    bump_after_write("roles", instance.user_id)


def user_written(sender: Any, instance: Any, **kwargs: Any) -> None:
    bump_after_write("roles", instance.pk)


def pending_changes(project: Project) -> int:
    return ChangeRequest.objects.filter(
        project=project, status__in=PENDING_CHANGES
    ).count()
