"""The communication panel of a project's folder overview."""

from typing import Any

from django.http import HttpRequest

from clientfolio.comms.models import ActionItem, CommRecord
from clientfolio.core.permissions import scope
from clientfolio.projects.models import Project

__all__ = ["communication_panel"]


def communication_panel(request: HttpRequest, project: Project) -> dict[str, Any]:
    """The latest five records and the first ten open action items (with their count)."""
    user = request.user
    records = scope(user, CommRecord.objects.filter(project=project), project=project)
    action_items = (
        scope(user, ActionItem.objects.filter(record__project=project), project=project)
        .filter(status__in=[ActionItem.Status.OPEN, ActionItem.Status.IN_PROGRESS])
        .select_related("owner", "owner_contact", "record")
        .order_by("due_on", "id")
    )
    return {
        "latest_records": list(
            records.select_related("created_by").order_by("-occurred_at", "-id")[:5]
        ),
        "open_action_items": list(action_items[:10]),
        "open_action_item_count": action_items.count(),
    }
