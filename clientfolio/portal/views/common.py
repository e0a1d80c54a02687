"""What every portal page needs: the viewer's project, looked up through the portal's
scope (a project of another client, or one not shared, does not exist), and the frame's
context."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.shortcuts import get_object_or_404

from clientfolio.core.permissions import portal_scope
from clientfolio.portal.access import PortalViewer
from clientfolio.portal.models import ProjectSharing
from clientfolio.projects.models import Project

__all__ = ["frame", "portal_project", "sharing_of"]


def portal_project(viewer: PortalViewer, pk: int) -> Project:
    """The project ``pk`` as the viewer sees it, with its manager and sharing settings;
    404 outside their scope."""
    return get_object_or_404(
        portal_scope(viewer.contact, Project.objects.all()).select_related(
            "manager", "portal_sharing", "client"
        ),
        pk=pk,
    )


def sharing_of(project: Project) -> ProjectSharing:
    """The project's sharing settings (the defaults when it has none)."""
    try:
        return project.portal_sharing  # type: ignore[attr-defined]
    except ProjectSharing.DoesNotExist:
        return ProjectSharing(project=project)


def frame(viewer: PortalViewer, **context: Any) -> dict[str, Any]:
    """The portal frame's context: who is looking, the firm's name, preview or not."""
    return {
        "viewer": viewer,
        "firm_name": settings.CLIENTFOLIO_FIRM_NAME,
        "firm_logo": settings.CLIENTFOLIO_FIRM_LOGO_URL,
        **context,
    }
