"""Minutes in the portal: the meetings a contact took part in, their minutes, decisions
and action items; the contact confirms or disputes them (as through the e-mailed link,
which keeps working) and marks their own action items done."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from clientfolio.comms import services as comms
from clientfolio.comms.models import ActionItem
from clientfolio.core.locking import StaleVersion
from clientfolio.core.permissions import Action, portal_scope
from clientfolio.portal.access import portal_view
from clientfolio.portal.conversation_forms import ActionDoneForm, RespondForm
from clientfolio.portal.meetings import (
    meeting_of,
    meetings_of,
    participant_of,
    with_state_labels,
)
from clientfolio.portal.views.common import frame, portal_project, sharing_of
from clientfolio.portal.views.read_only import is_read_only, read_only_refusal

__all__ = ["action_item_done", "minutes", "minutes_list"]


def _project_sharing_minutes(viewer, pk):
    project = portal_project(viewer, pk)
    if not sharing_of(project).shows_minutes:
        raise Http404
    return project


@require_safe
@portal_view
def minutes_list(request, viewer, pk):
    """The meetings of the project the contact took part in, with their answer."""
    project = _project_sharing_minutes(viewer, pk)
    meetings = with_state_labels(list(meetings_of(viewer.contact, project)))
    context = frame(
        viewer,
        project=project,
        meetings=meetings,
        is_read_only=is_read_only(project),
    )
    return render(request, "portal/minutes_list.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@portal_view
def minutes(request, viewer, pk, record_pk):
    """One meeting's minutes, decisions and action items, and the contact's answer:
    confirm, or dispute with a comment. An answer may be changed (``respond``)."""
    project = _project_sharing_minutes(viewer, pk)
    record = meeting_of(viewer.contact, project, record_pk)
    participant = participant_of(viewer.contact, record)
    read_only = is_read_only(project)
    status = 200
    if request.method == "POST":
        if read_only:
            return read_only_refusal(request, viewer, project)
        form = RespondForm(request.POST)
        if form.is_valid():
            try:
                comms.respond(
                    participant,
                    form.cleaned_data["state"],
                    form.cleaned_data["comment"],
                )
            except comms.CommsError as error:
                form.add_error(
                    error.field if error.field in form.fields else None, error.message
                )
            else:
                if participant.state == "disputed":
                    messages.success(
                        request,
                        _(
                            "Thank you: your objection was sent to the project team, "
                            "who will correct the minutes."
                        ),
                    )
                else:
                    messages.success(
                        request, _("Thank you: you confirmed the minutes.")
                    )
                return redirect(request.path)
        status = 400
    else:
        form = RespondForm(initial={"comment": participant.comment})
    items = list(record.action_items.all())
    sharing = sharing_of(project)
    attachments = [
        document
        for document in record.attachments.all()
        if sharing.shows_documents and document.visibility == "shared"
    ]
    context = frame(
        viewer,
        project=project,
        record=record,
        participant=participant,
        participants=list(record.participants.all()),
        items=items,
        attachments=attachments,
        form=form,
        is_read_only=read_only,
    )
    return render(request, "portal/minutes_detail.html", context, status=status)


def _back(request, item: ActionItem) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    if item.record.minutes_sent_at is not None:
        return reverse(
            "portal:minutes",
            kwargs={"pk": item.record.project_id, "record_pk": item.record_id},
        )
    return reverse("portal:project", kwargs={"pk": item.record.project_id})


@require_POST
@portal_view
def action_item_done(request, viewer, pk, item_pk):
    """Mark an action item the contact owns done."""
    project = portal_project(viewer, pk)
    item = get_object_or_404(
        portal_scope(
            viewer.contact,
            ActionItem.objects.filter(record__project=project),
            Action.CHANGE,
        ).select_related("record"),
        pk=item_pk,
    )
    if is_read_only(project):
        return read_only_refusal(request, viewer, project)
    form = ActionDoneForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else None
    try:
        comms.set_action_item_status(
            item, ActionItem.Status.DONE, version, contact=viewer.contact
        )
    except StaleVersion:
        messages.error(
            request,
            _(
                "The project team changed this action item while you were looking at "
                "it. Nothing was saved: look at it again."
            ),
        )
    except comms.CommsError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Thank you: “%(item)s” is marked done.") % {"item": item.text}
        )
    return redirect(_back(request, item))
