"""The closure panel of a project's folder overview: lessons from earlier projects."""

from typing import Any, cast

from django.http import HttpRequest

from clientfolio.closure.services import lessons_for_project
from clientfolio.core.models import User
from clientfolio.projects.models import Project

__all__ = ["lessons_panel"]


def lessons_panel(request: HttpRequest, project: Project) -> dict[str, Any]:
    """Lessons learned on the user's related projects, offered until this one is done."""
    user = cast(User, request.user)  # folder pages are behind the login
    return {
        "earlier_lessons": lessons_for_project(project, user)
        if project.status != Project.Status.COMPLETED
        else []
    }
