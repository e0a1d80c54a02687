"""A deliverable or a milestone as its client sees it: the acceptance criteria, the
past decisions with their immutable record (who, when, from which address, what
exactly was accepted) and, while it awaits the client, their acceptance or rejection
with an optional signed file."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from clientfolio.core.locking import StaleVersion
from clientfolio.core.logins import client_address
from clientfolio.portal.access import portal_view
from clientfolio.portal.decision_forms import AcceptanceDecisionForm
from clientfolio.portal.decisions import (
    DecisionError,
    decide_deliverable,
    decide_milestone,
)
from clientfolio.portal.deliverables import (
    criteria_of,
    decisions_on,
    deliverable_of,
    deliverables_of,
    milestone_of,
    milestone_rows,
)
from clientfolio.portal.views.common import frame, portal_project, sharing_of
from clientfolio.portal.views.read_only import is_read_only, read_only_refusal
from clientfolio.quality.models import Acceptance, Deliverable

__all__ = ["deliverable_detail", "milestone_detail"]


def _decide(request, viewer, decide, subject, today):
    """Bind the form and record the decision with ``decide``; returns the form (bound,
    with its errors), the HTTP status (302 when recorded, else 400 or 409) and what to
    say above the page when the refusal is not about one field."""
    form = AcceptanceDecisionForm(request.POST, request.FILES)
    if not form.is_valid():
        return form, 400, None
    data = form.cleaned_data
    try:
        acceptance = decide(
            subject,
            decision=data["decision"],
            comments=data["comments"],
            contact=viewer.contact,
            user=request.user,
            today=today,
            files=[data["file"]] if data.get("file") else [],
            ip_address=client_address(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            expected_version=data.get("version"),
        )
    except StaleVersion:
        stale = _(
            "The project team changed this while you were reading it. Nothing was "
            "saved: please read it again and decide."
        )
        return form, 409, stale
    except DecisionError as error:
        if error.field not in form.fields:
            return form, 400, error.message
        form.add_error(error.field, error.message)
        return form, 400, None
    if acceptance.decision == Acceptance.Decision.ACCEPTED:
        message = _("You accepted %(subject)s. The project team has been told.")
    else:
        message = _(
            "You rejected %(subject)s. The project team has been told and will rework it."
        )
    messages.success(request, message % {"subject": subject.name})
    return form, 302, None


def _post(request, viewer, project, subject, decide, reload, today):
    """The decision on a deliverable or milestone, when the request is a POST: returns
    the response to send at once (the refusal of a read-only project, or the redirect
    once recorded) or ``None``, then the subject (read again after a refusal), the
    form, the status and the notice to show."""
    form = AcceptanceDecisionForm(initial={"version": subject.version})
    if request.method != "POST":
        return None, subject, form, 200, None
    if is_read_only(project):
        return read_only_refusal(request, viewer, project), subject, form, 403, None
    form, status, notice = _decide(request, viewer, decide, subject, today)
    if status == 302:
        return redirect(request.path), subject, form, status, notice
    subject = reload()
    if status == 409:
        form = _kept(form, subject.version)
    return None, subject, form, status, notice


def _render(request, template, viewer, project, form, status, **context):
    if not context.get("awaits") or is_read_only(project):
        form = None
    context = frame(viewer, project=project, form=form, **context)
    return render(request, template, context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@portal_view
def deliverable_detail(request, viewer, pk, deliverable_pk):
    """A deliverable: status, due date, milestone, acceptance criteria and the
    client's past decisions; while it is submitted, their decision (POST)."""
    project = portal_project(viewer, pk)
    sharing = sharing_of(project)
    deliverable = deliverable_of(viewer.contact, project, sharing, deliverable_pk)
    today = timezone.localdate()
    done, deliverable, form, status, notice = _post(
        request,
        viewer,
        project,
        deliverable,
        decide_deliverable,
        lambda: deliverable_of(viewer.contact, project, sharing, deliverable_pk),
        today,
    )
    if done is not None:
        return done
    return _render(
        request,
        "portal/deliverable_detail.html",
        viewer,
        project,
        form,
        status,
        deliverable=deliverable,
        awaits=deliverable.status == Deliverable.Status.SUBMITTED,
        decisions=decisions_on(viewer.contact, project, deliverable=deliverable),
        notice=notice,
        is_stale=status == 409,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@portal_view
def milestone_detail(request, viewer, pk, milestone_pk):
    """A client-visible milestone: its date, acceptance criteria, deliverables and the
    client's past decisions; when it is ready (``decisions.milestone_is_ready``), their
    acceptance or rejection of it directly (POST)."""
    project = portal_project(viewer, pk)
    sharing = sharing_of(project)
    milestone = milestone_of(viewer.contact, project, sharing, milestone_pk)
    today = timezone.localdate()
    done, milestone, form, status, notice = _post(
        request,
        viewer,
        project,
        milestone,
        decide_milestone,
        lambda: milestone_of(viewer.contact, project, sharing, milestone_pk),
        today,
    )
    if done is not None:
        return done
    [row] = milestone_rows([milestone], today)
    return _render(
        request,
        "portal/milestone_detail.html",
        viewer,
        project,
        form,
        status,
        milestone=milestone,
        row=row,
        criteria=criteria_of(milestone.acceptance_criteria),
        deliverables=deliverables_of(viewer.contact, project, sharing, milestone),
        awaits=row.state == "ready",
        decisions=decisions_on(viewer.contact, project, milestone=milestone),
        notice=notice,
        is_stale=status == 409,
    )


def _kept(form: AcceptanceDecisionForm, version: int) -> AcceptanceDecisionForm:
    """The form again after a stale save: the contact's comments kept, based on the
    version stored now (the file must be chosen again: browsers do not keep it)."""
    return AcceptanceDecisionForm(
        initial={"version": version, "comments": form.cleaned_data.get("comments", "")}
    )
