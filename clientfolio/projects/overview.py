"""Panels that the apps built on projects add to a project's folder overview.

Communication, closure and the other sections build on projects, so projects cannot
import them. An app whose records belong on the overview registers a panel in its
``AppConfig.ready()``; the overview page merges what every panel returns into its
template context.
"""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from clientfolio.projects.models import Project

__all__ = [
    "GlanceProvider",
    "OverviewPanel",
    "glances",
    "overview_context",
    "register_glance",
    "register_overview_panel",
]

#: ``panel(request, project)`` returns template context for the overview page.
OverviewPanel = Callable[[HttpRequest, Project], dict[str, Any]]

_PANELS: list[OverviewPanel] = []


def register_overview_panel(panel: OverviewPanel) -> None:
    """Add ``panel`` to every project's overview; registering it again changes nothing."""
    if panel not in _PANELS:
        _PANELS.append(panel)


def overview_context(request: HttpRequest, project: Project) -> dict[str, Any]:
    """The context every registered panel contributes, in registration order."""
    context: dict[str, Any] = {}
    for panel in _PANELS:
        context.update(panel(request, project))
    return context


#: ``provider(request, projects)`` returns, by project id, what a list of projects shows
#: of each at a glance (the reports app: health, percent complete, next milestone,
#: budget burn; see ``reports.dashboards.ProjectHealth``).
GlanceProvider = Callable[[HttpRequest, list[Project]], dict[int, Any]]

_GLANCES: list[GlanceProvider] = []


def register_glance(provider: GlanceProvider) -> None:
    """Add ``provider`` to the project list; registering it again changes nothing."""
    if provider not in _GLANCES:
        _GLANCES.append(provider)


def glances(request: HttpRequest, projects: list[Project]) -> dict[int, Any]:
    """What the registered provider says of each of ``projects`` (the last registered
    wins where two answer for the same project)."""
    result: dict[int, Any] = {}
    for provider in _GLANCES:
        result.update(provider(request, projects))
    return result
