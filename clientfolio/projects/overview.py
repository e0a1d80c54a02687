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

__all__ = ["OverviewPanel", "overview_context", "register_overview_panel"]

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
