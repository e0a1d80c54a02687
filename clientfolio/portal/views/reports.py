"""The published progress reports of a project in the portal (their client version
only) and the client PDF of each, while the project shares reports."""

from __future__ import annotations

import io

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.views.decorators.http import require_safe

from clientfolio.core.permissions import portal_scope
from clientfolio.portal.access import portal_view
from clientfolio.portal.views.common import frame, portal_project, sharing_of
from clientfolio.reports.models import ProgressReportVersion
from clientfolio.reports.services import pdf_of, template_logo_uri

__all__ = ["report_detail", "report_list", "report_pdf"]


def _versions(viewer, project):
    if not sharing_of(project).shows_reports:
        raise Http404
    return portal_scope(
        viewer.contact,
        ProgressReportVersion.objects.filter(report__project=project),
    ).select_related("report")


@require_safe
@portal_view
def report_list(request, viewer, pk):
    """Every published version, newest first."""
    project = portal_project(viewer, pk)
    versions = _versions(viewer, project).order_by("-report__period_start", "-number")
    context = frame(viewer, project=project, versions=list(versions[:100]))
    return render(request, "portal/report_list.html", context)


@require_safe
@portal_view
def report_detail(request, viewer, pk, version_pk):
    """One published version as the client reads it."""
    project = portal_project(viewer, pk)
    version = get_object_or_404(_versions(viewer, project), pk=version_pk)
    data = version.client_data
    context = frame(
        viewer,
        project=project,
        version=version,
        data=data,
        sections=data.get("sections", []),
        logo_uri=template_logo_uri(),
    )
    return render(request, "portal/report_detail.html", context)


@require_safe
@portal_view
def report_pdf(request, viewer, pk, version_pk):
    """The client PDF of one published version, as an attachment, in the
    portal's language."""
    project = portal_project(viewer, pk)
    version = get_object_or_404(_versions(viewer, project), pk=version_pk)
    report = version.report
    # In the language the contact reads the portal in, whoever published it.
    data = pdf_of(version, "client", translation.get_language() or "")
    response = FileResponse(
        io.BytesIO(data),
        as_attachment=True,
        filename=f"{project.code}-{report.period_start.isoformat()}-v{version.number}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response
