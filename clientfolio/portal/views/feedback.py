"""Feedback and requests in the portal: a client contact sends praise, a suggestion, a
complaint or a new requirement to their account manager, and later sees its status and
resolution.

Feedback has no files of its own: attachments go, with the text, into a portal
conversation of the project they concern (``comms.start_portal_thread``), where the
team sees them among the project's communication records; the feedback says so."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from clientfolio.clients import services as clients
from clientfolio.clients.models import Feedback, Requirement
from clientfolio.comms import services as comms
from clientfolio.core.permissions import portal_scope
from clientfolio.portal.access import PortalViewer, portal_view
from clientfolio.portal.conversation_forms import REQUIREMENT, FeedbackForm
from clientfolio.portal.views.common import frame
from clientfolio.projects.models import Project

__all__ = ["feedback_list", "feedback_new", "send_feedback"]


def _open_projects(viewer: PortalViewer) -> list[Project]:
    """The projects feedback may be about: the contact's, not completed."""
    return list(
        portal_scope(viewer.contact, Project.objects.all())
        .exclude(status=Project.Status.COMPLETED)
        .order_by("name", "id")
    )


@require_safe
@portal_view
def feedback_list(request, viewer):
    """What the contact sent (or told the team) and where it stands."""
    feedback = list(
        portal_scope(viewer.contact, Feedback.objects.all()).order_by(
            "-received_on", "-id"
        )
    )
    requirements = list(
        portal_scope(viewer.contact, Requirement.objects.all()).order_by(
            "-created_at", "-id"
        )
    )
    context = frame(viewer, feedback=feedback, requirements=requirements)
    return render(request, "portal/feedback_list.html", context)


def _attachment_note(count: int, subject: str, project: Project) -> str:
    return ngettext(
        "Attachment: %(count)d file in the client portal conversation “%(subject)s” "
        "of the project %(project)s.",
        "Attachments: %(count)d files in the client portal conversation "
        "“%(subject)s” of the project %(project)s.",
        count,
    ) % {"count": count, "subject": subject, "project": project.name}


@transaction.atomic
def send_feedback(
    viewer: PortalViewer, data: dict, project: Project | None
) -> Feedback | Requirement:
    """Record what the contact sent (``FeedbackForm``'s cleaned data) as feedback or a
    requirement of their client; files go with the text into a portal conversation of
    ``project``. All or nothing: raises ``ValidationError`` (by field) or
    ``comms.CommsError`` (field "files")."""
    files = data.get("attachment_files") or []
    detail = data.get("detail") or ""
    subject = data["subject"]
    if files and project is not None:
        note = _attachment_note(len(files), subject, project)
        detail = f"{detail}\n\n{note}" if detail else note
    record: Feedback | Requirement
    if data["kind"] == REQUIREMENT:
        record = clients.submit_requirement(
            viewer.contact,
            title=subject,
            description=detail,
            wanted_by=data.get("wanted_by"),
        )
    else:
        record = clients.submit_feedback(
            viewer.contact,
            kind=data["kind"],
            subject=subject,
            detail=detail,
            severity=data.get("severity") or Feedback.Severity.LOW,
        )
    if files and project is not None:
        # Last: the files are written only once nothing else can be refused.
        comms.start_portal_thread(
            project,
            viewer.contact,
            subject,
            data.get("detail") or subject,
            files=files,
        )
    return record


# Fields of the services' errors, as the form names them.
_FORM_FIELDS = {
    "title": "subject",
    "description": "detail",
    "files": "attachment_files",
    "body": "detail",
}


@require_http_methods(["GET", "HEAD", "POST"])
@portal_view
def feedback_new(request, viewer):
    """Send praise, a suggestion, a complaint or a new requirement."""
    projects = _open_projects(viewer)
    status = 200
    if request.method == "POST":
        form = FeedbackForm(request.POST, request.FILES, projects=projects)
        if form.is_valid():
            data = form.cleaned_data
            project = next((p for p in projects if p.pk == data.get("project")), None)
            try:
                record = send_feedback(viewer, data, project)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    name = _FORM_FIELDS.get(field, field)
                    for message in errors:
                        form.add_error(name if name in form.fields else None, message)
            except comms.CommsError as error:
                target = _FORM_FIELDS.get(error.field or "", error.field)
                form.add_error(target if target in form.fields else None, error.message)
            else:
                if isinstance(record, Requirement):
                    messages.success(
                        request,
                        _(
                            "Thank you: your request was sent to your account manager. "
                            "You can follow it here."
                        ),
                    )
                else:
                    messages.success(
                        request,
                        _(
                            "Thank you: your feedback was sent to your account manager. "
                            "You can follow it here."
                        ),
                    )
                return redirect("portal:feedback_list")
        status = 400
    else:
        initial = {}
        if request.GET.get("project", "").isdigit():
            initial["project"] = int(request.GET["project"])
        form = FeedbackForm(projects=projects, initial=initial)
    context = frame(viewer, form=form)
    return render(request, "portal/feedback_new.html", context, status=status)
