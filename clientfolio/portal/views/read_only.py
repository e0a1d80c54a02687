"""Past projects: a completed project stays in the portal read-only (while it shares
that, ``ProjectSharing.shows_when_closed``); whatever would change it is refused with a
clear message."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _

from clientfolio.portal.access import PortalViewer
from clientfolio.portal.views.common import frame
from clientfolio.projects.models import Project

__all__ = ["is_read_only", "read_only_message", "read_only_refusal"]


def read_only_message() -> str:
    """Why nothing can be done on a past project, in the active language."""
    return _(
        "This project is completed: you can still read everything here, but nothing "
        "can be changed any more. Write to your project manager if something needs "
        "attention."
    )


def is_read_only(project: Project) -> bool:
    """Whether ``project`` is a past (completed) project."""
    return project.status == Project.Status.COMPLETED


def read_only_refusal(request, viewer: PortalViewer, project: Project):
    """The answer to a POST on a completed project: 403, saying why; nothing done."""
    context = frame(viewer, project=project, message=read_only_message())
    return render(request, "portal/read_only.html", context, status=403)
