"""What reports adds to the pages of the apps below it (registered in
``ReportsConfig.ready``): each project's health, percent complete, next milestone and
budget burn on the project list, and the health card of the folder overview."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from clientfolio.projects.models import Project
from clientfolio.reports.dashboards import project_health

__all__ = ["health_panel", "project_glances"]


def project_glances(request: HttpRequest, projects: list[Project]) -> dict[int, Any]:
    return project_health(projects, timezone.localdate(), request.user)


def health_panel(request: HttpRequest, project: Project) -> dict[str, Any]:
    entry = project_health([project], timezone.localdate(), request.user)[project.pk]
    return {"health": entry}
