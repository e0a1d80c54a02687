"""The communication panel of a project's folder overview, and the count of open action
items on the folder's Communication tab."""

from typing import Any

from django.http import HttpRequest

from clientfolio.comms.models import ActionItem, CommRecord
from clientfolio.core import caching
from clientfolio.core.permissions import scope
from clientfolio.projects.folder import folder_counts
from clientfolio.projects.models import Project

__all__ = ["communication_panel", "open_action_items"]

# Open action items listed on the overview (the soonest due first).
ACTION_ITEMS_SHOWN = 10
OPEN = (ActionItem.Status.OPEN, ActionItem.Status.IN_PROGRESS)


def _open_items(project: Project):
    return ActionItem.objects.filter(record__project=project, status__in=OPEN)


def open_action_items(project: Project) -> int:
    """How many action items of the project are open or in progress."""
    return _open_items(project).count()


def _first_open(project: Project) -> tuple[list[int], int]:
    """The ids of the first open action items and how many are open: read through
    every record of the project (thousands in a busy one), so cached under the project's
    ``folder`` generation, which every write to its records and items bumps."""

    def compute() -> tuple[list[int], int]:
        ids = list(
            _open_items(project)
            .order_by("due_on", "id")
            .values_list("id", flat=True)[:ACTION_ITEMS_SHOWN]
        )
        if len(ids) < ACTION_ITEMS_SHOWN:
            return ids, len(ids)
        # The Communication tab's count, read with the tabs under the same generation.
        count = folder_counts(project).get("comms:record_list")
        return ids, open_action_items(project) if count is None else count

    return caching.cached(
        ("open-action-items", project.pk),
        compute,
        caching.generation("folder", project.pk),
    )


def communication_panel(request: HttpRequest, project: Project) -> dict[str, Any]:
    """The latest five records and the first ten open action items (with their count)."""
    user = request.user
    records = scope(user, CommRecord.objects.filter(project=project), project=project)
    visible = scope(
        user, ActionItem.objects.filter(record__project=project), project=project
    )
    ids, count = _first_open(project)
    items = {
        item.pk: item
        for item in visible.filter(pk__in=ids).select_related(
            "owner", "owner_contact", "record"
        )
    }
    shown = [items[pk] for pk in ids if pk in items]
    return {
        "latest_records": list(
            records.select_related("created_by").order_by("-occurred_at", "-id")[:5]
        ),
        "open_action_items": shown,
        "open_action_item_count": count if len(shown) == len(ids) else len(shown),
    }
