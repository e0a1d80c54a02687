"""The project folder frame that every section's pages share: the project, fetched
through the permission layer (404 outside the user's projects), and the folder's tabs
with their counts (open action items, pending change requests…).

The counts are the project's, cached under its ``folder`` generation (``core.caching``):
an app that adds a count names the models it counts (``register_tab_count``), and every
save or delete of one of their rows bumps the generation of the row's project
(``watch_folder_counts``), so a count is never shown stale. A tab is shown only to those
who may see its records, and its records are then all the project's.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clientfolio.core import caching
from clientfolio.core.permissions import (
    Action,
    can,
    project_path,
    project_role,
    scope,
)
from clientfolio.projects.models import Project, ProjectRole

__all__ = [
    "FolderMixin",
    "folder_counts",
    "folder_tabs",
    "register_tab_count",
    "watch_folder_counts",
]

#: ``count(project)``: the number shown on a tab (None or 0: no badge).
TabCount = Callable[[Project], int]

_COUNTS: dict[str, TabCount] = {}


def register_tab_count(url_name: str, count: TabCount, *labels: str) -> None:
    """Show ``count(project)`` on the tab of ``url_name``; ``labels`` name the models it
    counts (their writes invalidate it)."""
    _COUNTS[url_name] = count
    watch_folder_counts(*labels)


def _project_id_of(instance: Any) -> int | None:
    path = project_path(instance)
    if path is None:
        return None
    if not path:
        return getattr(instance, "pk", None)
    *steps, last = path.split("__")
    current = instance
    for step in steps:
        current = getattr(current, step, None)
        if current is None:
            return None
    return getattr(current, f"{last}_id", None)


def _bump_folder(sender: Any, instance: Any, **kwargs: Any) -> None:
    project_id = _project_id_of(instance)
    if project_id is not None:
        caching.bump_after_write("folder", project_id)


def watch_folder_counts(*labels: str) -> None:
    """Bump a project's ``folder`` generation whenever a row of these models (project
    records, by label) is saved or deleted, cascades included."""
    from django.db.models.signals import post_delete, post_save

    for label in labels:
        for signal in (post_save, post_delete):
            signal.connect(
                _bump_folder,
                sender=label,
                dispatch_uid=f"cf-folder-{signal is post_save}-{label}",
            )


def folder_counts(project: Project) -> dict[str, int]:
    """The tab counts of ``project`` by URL name, cached (see the module's doc)."""

    def compute() -> dict[str, int]:
        return {name: count(project) for name, count in _COUNTS.items()}

    return caching.cached(
        ("folder-counts", project.pk),
        compute,
        caching.generation("folder", project.pk),
    )


# (url name, label, model whose VIEW permission shows the tab), in the folder's fixed order.
TABS = [
    ("projects:project_detail", _("Overview"), "projects.project"),
    ("projects:team", _("Team"), "projects.membership"),
    ("comms:record_list", _("Communication"), "comms.commrecord"),
    (
        "schedule:task_list",
        pgettext_lazy("project folder tab", "Schedule"),
        "schedule.task",
    ),
    ("documents:document_list", _("Documents"), "documents.document"),
    (
        "finance:overview",
        pgettext_lazy("project folder tab", "Finance"),
        "finance.budgetline",
    ),
    ("risks:risk_list", pgettext_lazy("project folder tab", "Risks"), "risks.risk"),
    (
        "quality:deliverable_list",
        pgettext_lazy("project folder tab", "Quality"),
        "quality.deliverable",
    ),
    ("projects:requirement_list", _("Requirements"), "projects.projectrequirement"),
    (
        "projects:change_list",
        pgettext_lazy("project folder tab", "Changes"),
        "projects.changerequest",
    ),
    (
        "reports:report_list",
        pgettext_lazy("project folder tab", "Reports"),
        "reports.progressreport",
    ),
    (
        "closure:checklist",
        pgettext_lazy("project folder tab", "Closure"),
        "closure.closure",
    ),
]


def folder_tabs(user: Any, project: Project, current: str) -> list[dict[str, Any]]:
    """The folder's tabs the user may open, with their counts; a section that does not
    exist yet is left out."""
    tabs = []
    counts = folder_counts(project)
    for name, label, model in TABS:
        if not can(user, Action.VIEW, model, project=project):
            continue
        try:
            url = reverse(name, kwargs={"pk": project.pk})
        except NoReverseMatch:
            continue
        namespace, view = name.split(":")
        section = (
            namespace + ":"
            if namespace != "projects"
            else f"projects:{view.split('_')[0]}"
        )
        active = current == name or current.startswith(section)
        tabs.append(
            {
                "url": url,
                "label": label,
                "active": active,
                "count": counts.get(name) or 0,
            }
        )
    return tabs


class FolderMixin:
    """Views inside a project folder. ``folder_model`` and ``folder_action`` name the
    permission the view needs on the project's records (403 if the role lacks it)."""

    folder_model: str = "projects.project"
    folder_action: Action = Action.VIEW
    request: HttpRequest
    kwargs: dict[str, Any]
    project: Project

    def get_project(self) -> Project:
        queryset = scope(
            self.request.user, Project.objects.select_related("client", "manager")
        )
        return get_object_or_404(queryset, pk=self.kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        self.kwargs = kwargs
        self.request = request
        self.project = self.get_project()
        if not can(
            request.user, self.folder_action, self.folder_model, project=self.project
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]

    def folder_context(self) -> dict[str, Any]:
        user = self.request.user
        current = getattr(self.request.resolver_match, "view_name", "") or ""
        role = project_role(user, self.project)
        return {
            "project": self.project,
            "project_role": ProjectRole(role).label if role else "",
            "tabs": folder_tabs(user, self.project, current),
            "can_edit_project": can(user, Action.CHANGE, self.project),
        }

    def folder_url(self) -> str:
        return reverse("projects:project_detail", kwargs={"pk": self.project.pk})
