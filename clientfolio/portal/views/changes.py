"""A project's change requests as its client sees them: the list, and one request with
its reason and impact, its history and, while it awaits the client, their decision."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from clientfolio.core.locking import StaleVersion
from clientfolio.portal.access import portal_view
from clientfolio.portal.change_requests import (
    change_request_of,
    changed_since,
    changes_of,
    client_steps,
)
from clientfolio.portal.decision_forms import ChangeDecisionForm
from clientfolio.portal.decisions import DecisionError, decide_change_request
from clientfolio.portal.views.common import frame, portal_project, sharing_of
from clientfolio.portal.views.read_only import is_read_only, read_only_refusal
from clientfolio.projects.models import ChangeRequest

__all__ = ["change_request_detail", "change_request_list"]


@require_safe
@portal_view
def change_request_list(request, viewer, pk):
    """The project's change requests the client sees, those awaiting their decision
    first, then the others newest first, with their impact and status."""
    project = portal_project(viewer, pk)
    changes = list(
        changes_of(viewer.contact, project, sharing_of(project)).order_by("-number")
    )
    awaiting = ChangeRequest.Status.AWAITING_CLIENT
    context = frame(
        viewer,
        project=project,
        awaiting=[change for change in changes if change.status == awaiting],
        others=[change for change in changes if change.status != awaiting],
    )
    return render(request, "portal/change_request_list.html", context)


def _show(request, viewer, project, change, form, status=200, **extra):
    is_open = not is_read_only(project)
    awaits = change.status == ChangeRequest.Status.AWAITING_CLIENT
    context = frame(
        viewer,
        project=project,
        change=change,
        steps=client_steps(change),
        form=form if awaits and is_open else None,
        **extra,
    )
    return render(request, "portal/change_request_detail.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@portal_view
def change_request_detail(request, viewer, pk, number):
    """A change request: its reason, impact on scope, schedule and cost, risks, status
    and history; while it awaits the client, their approval or rejection (POST). A
    decision already taken is refused (400), a request the team revised meanwhile is
    shown again (409); nothing is saved then."""
    project = portal_project(viewer, pk)
    sharing = sharing_of(project)
    change = change_request_of(viewer.contact, project, sharing, number)
    if request.method != "POST":
        form = ChangeDecisionForm(initial={"version": change.version})
        return _show(request, viewer, project, change, form)
    if is_read_only(project):
        return read_only_refusal(request, viewer, project)
    form = ChangeDecisionForm(request.POST)
    if not form.is_valid():
        return _show(request, viewer, project, change, form, status=400)
    data = form.cleaned_data
    try:
        decided = decide_change_request(
            change,
            decision=data["decision"],
            comment=data["comment"],
            contact=viewer.contact,
            user=request.user,
            expected_version=data.get("version"),
            today=timezone.localdate(),
        )
    except StaleVersion:
        fresh = change_request_of(viewer.contact, project, sharing, number)
        form = ChangeDecisionForm(
            initial={"version": fresh.version, "comment": data["comment"]}
        )
        conflict = _(
            "The project team changed this request while you were reading it. "
            "Nothing was saved: please read it again and decide."
        )
        return _show(
            request,
            viewer,
            project,
            fresh,
            form,
            status=409,
            stale_message=conflict,
            changed=changed_since(fresh, data.get("version")),
        )
    except DecisionError as error:
        fresh = change_request_of(viewer.contact, project, sharing, number)
        if error.field in form.fields:
            form.add_error(error.field, error.message)
            return _show(request, viewer, project, fresh, form, status=400)
        return _show(
            request, viewer, project, fresh, form, status=400, refusal=error.message
        )
    if decided.status == ChangeRequest.Status.APPROVED:
        message = _("You approved %(code)s. The project team has been told.")
    else:
        message = _("You rejected %(code)s. The project team has been told.")
    messages.success(request, message % {"code": decided.code})
    return redirect("portal:change_request", pk=project.pk, number=number)
