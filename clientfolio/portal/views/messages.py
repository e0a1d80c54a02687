"""Messages in the portal: the client writes to the project team and reads the answers.
Each conversation is a communication record of the project (kind portal), so the team
sees it in the project's communication records and answers there or here."""

from __future__ import annotations

from django.contrib import messages as flash
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from clientfolio.comms import services as comms
from clientfolio.portal.access import portal_view
from clientfolio.portal.conversation_forms import MessageForm, ReplyForm
from clientfolio.portal.threads import thread_messages, thread_of, threads_of
from clientfolio.portal.views.common import frame, portal_project, sharing_of
from clientfolio.portal.views.read_only import is_read_only, read_only_refusal

__all__ = ["message_new", "messages", "thread"]

# Fields of comms' errors, as the portal's forms name them.
_FORM_FIELDS = {"files": "attachment_files"}


def _add_error(form, error: comms.CommsError) -> None:
    name = _FORM_FIELDS.get(error.field or "", error.field)
    form.add_error(name if name in form.fields else None, error.message)


def _thread_url(project_pk: int, record_pk: int) -> str:
    return reverse("portal:thread", kwargs={"pk": project_pk, "record_pk": record_pk})


@require_safe
@portal_view
def messages(request, viewer, pk):
    """The project's conversations the contact takes part in, latest first."""
    project = portal_project(viewer, pk)
    context = frame(
        viewer,
        project=project,
        threads=list(threads_of(viewer.contact, project)),
        is_read_only=is_read_only(project),
    )
    return render(request, "portal/message_list.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@portal_view
def message_new(request, viewer, pk):
    """Write to the project team: a new conversation."""
    project = portal_project(viewer, pk)
    read_only = is_read_only(project)
    status = 200
    if request.method == "POST":
        if read_only:
            return read_only_refusal(request, viewer, project)
        form = MessageForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                record = comms.start_portal_thread(
                    project,
                    viewer.contact,
                    data["subject"],
                    data["body"],
                    files=data["attachment_files"],
                )
            except comms.CommsError as error:
                _add_error(form, error)
            else:
                flash.success(
                    request,
                    _(
                        "Your message was sent to the project team. They answer you here."
                    ),
                )
                return redirect(_thread_url(project.pk, record.pk))
        status = 400
    else:
        form = MessageForm()
    context = frame(viewer, project=project, form=form, is_read_only=read_only)
    return render(request, "portal/message_new.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@portal_view
def thread(request, viewer, pk, record_pk):
    """One conversation with the team, and the reply box."""
    project = portal_project(viewer, pk)
    record = thread_of(viewer.contact, project, record_pk)
    read_only = is_read_only(project)
    status = 200
    if request.method == "POST":
        if read_only:
            return read_only_refusal(request, viewer, project)
        form = ReplyForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                message = comms.post_message(
                    record,
                    contact=viewer.contact,
                    body=form.cleaned_data["body"],
                    files=form.cleaned_data["attachment_files"],
                )
            except comms.CommsError as error:
                _add_error(form, error)
            else:
                flash.success(request, _("Your reply was sent to the project team."))
                return redirect(
                    _thread_url(project.pk, record.pk) + f"#message-{message.pk}"
                )
        status = 400
    else:
        form = ReplyForm()
    context = frame(
        viewer,
        project=project,
        record=record,
        rows=thread_messages(
            record, shows_documents=sharing_of(project).shows_documents
        ),
        form=form,
        is_read_only=read_only,
    )
    return render(request, "portal/thread_detail.html", context, status=status)
