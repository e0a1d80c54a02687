"""The portal's home, a project's page and its timeline exports, shared document
downloads, and the staff preview."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from clientfolio.clients.models import Contact
from clientfolio.core.logins import client_address
from clientfolio.core.permissions import Action, can, portal_scope
from clientfolio.documents import services as documents
from clientfolio.documents.models import Document, DocumentVersion
from clientfolio.documents.responses import file_response
from clientfolio.portal import access
from clientfolio.portal.access import portal_view
from clientfolio.portal.change_requests import changes_card
from clientfolio.portal.deliverables import deliverables_card
from clientfolio.portal.meetings import meetings_card
from clientfolio.portal.threads import threads_card
from clientfolio.portal.views.common import frame, portal_project, sharing_of
from clientfolio.portal.waiting import waiting_for
from clientfolio.projects.models import Membership, Project
from clientfolio.schedule import exports
from clientfolio.schedule.gantt import timeline_data
from clientfolio.schedule.summaries import summarise

__all__ = [
    "document_download",
    "document_list",
    "home",
    "preview_start",
    "preview_stop",
    "project_detail",
    "timeline_export",
]


@require_safe
def home(request):
    """The contact's projects with progress, health and the next milestone, and what
    waits for them. A staff member who is not previewing gets the way to a preview."""
    viewer = access.viewer_of(request)
    if viewer is None:
        if can(request.user, Action.VIEW, Contact):
            return render(request, "portal/preview_help.html", status=200)
        raise Http404
    today = timezone.localdate()
    projects = list(
        portal_scope(viewer.contact, Project.objects.all())
        .select_related("portal_sharing")
        .order_by("status", "-starts_on", "-id")
    )
    summaries = summarise(projects, today)
    current = [s for s in summaries if s.project.status != Project.Status.COMPLETED]
    past = [s for s in summaries if s.project.status == Project.Status.COMPLETED]
    context = frame(
        viewer,
        today=today,
        current=current,
        past=past,
        waiting=waiting_for(viewer.contact),
    )
    return render(request, "portal/home.html", context)


@require_safe
@portal_view
def project_detail(request, viewer, pk):
    """A project as its client sees it: progress and health, the timeline chart and
    milestones against the baseline, shared documents and the team."""
    project = portal_project(viewer, pk)
    sharing = sharing_of(project)
    today = timezone.localdate()
    summary = summarise([project], today)[0]
    timeline = timeline_data(project, today=today) if sharing.shows_timeline else None
    documents_shared: list[Document] = []
    document_count = 0
    if sharing.shows_documents:
        shared = shared_documents(viewer, project)
        documents_shared = list(shared.order_by("-updated_at", "-id")[:DOCUMENTS_SHOWN])
        document_count = (
            len(documents_shared)
            if len(documents_shared) < DOCUMENTS_SHOWN
            else shared.count()
        )
    team = []
    if sharing.shows_team:
        team = list(
            portal_scope(
                viewer.contact,
                Membership.objects.filter(project=project).exclude(role="viewer"),
            )
            .select_related("user")
            .order_by("role", "user__last_name", "user__first_name")
        )
    context = frame(
        viewer,
        project=project,
        sharing=sharing,
        summary=summary,
        timeline=timeline,
        chart=timeline.as_json() if timeline else None,
        documents=documents_shared,
        document_count=document_count,
        team=team,
        waiting=waiting_for(viewer.contact, project),
        is_read_only=project.status == Project.Status.COMPLETED,
        changes=changes_card(viewer.contact, project, sharing),
        acceptance=deliverables_card(viewer.contact, project, sharing, today),
        meetings=meetings_card(viewer.contact, project, sharing),
        conversations=threads_card(viewer.contact, project),
    )
    return render(request, "portal/project_detail.html", context)


# The newest shared documents on the project page; the rest are on the documents page.
DOCUMENTS_SHOWN = 8


def shared_documents(viewer, project):
    """The project's documents shared with the client, with their current version."""
    return portal_scope(
        viewer.contact,
        Document.objects.filter(project=project, current_version__isnull=False),
    ).select_related("current_version", "folder")


@require_safe
@portal_view
def document_list(request, viewer, pk):
    """Every document shared with the client, newest first, 50 a page, searchable by
    title."""
    from django.core.paginator import Paginator

    project = portal_project(viewer, pk)
    if not sharing_of(project).shows_documents:
        raise Http404
    documents = shared_documents(viewer, project).order_by("-updated_at", "-id")
    query = request.GET.get("q", "").strip()[:100]
    if query:
        documents = documents.filter(title__icontains=query)
    page = Paginator(documents, 50).get_page(request.GET.get("page"))
    context = frame(viewer, project=project, page=page, query=query)
    return render(request, "portal/document_list.html", context)


TIMELINE_EXPORTS = {
    "png": ("image/png", exports.timeline_png),
    "pdf": ("application/pdf", exports.timeline_pdf),
}


@require_safe
@portal_view
def timeline_export(request, viewer, pk, extension):
    """The client timeline chart as the firm exports it (PNG or PDF)."""
    project = portal_project(viewer, pk)
    if not sharing_of(project).shows_timeline or extension not in TIMELINE_EXPORTS:
        raise Http404
    content_type, render_file = TIMELINE_EXPORTS[extension]
    timeline = timeline_data(project)
    response = HttpResponse(render_file(timeline), content_type=content_type)
    name = f"{project.code}-timeline-{timeline.today.isoformat()}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@portal_view
def document_download(request, viewer, pk, version_pk):
    """A shared document's version as an attachment; the download is logged (in a
    preview too, as the staff member's)."""
    project = portal_project(viewer, pk)
    version = get_object_or_404(
        portal_scope(
            viewer.contact,
            DocumentVersion.objects.filter(document__project=project),
        ).select_related("document"),
        pk=version_pk,
    )
    response = file_response(version, inline=False)
    documents.record_download(version, request.user, client_address(request))
    return response


@require_POST
def preview_start(request, contact_pk):
    """Staff: see the portal as this contact would, read-only."""
    contact = get_object_or_404(Contact.objects.select_related("client"), pk=contact_pk)
    if not can(request.user, Action.VIEW, contact):
        raise Http404
    if contact.portal_user_id == request.user.pk:
        raise PermissionDenied
    access.start_preview(request, contact)
    return redirect("portal:home")


@require_POST
def preview_stop(request):
    """Leave the preview and go back to the contact's client."""
    viewer = access.viewer_of(request)
    access.stop_preview(request)
    if viewer is None or not viewer.is_preview:
        return redirect("home")
    messages.info(request, _("You left the portal preview."))
    return redirect("clients:client_detail", pk=viewer.contact.client_id)
