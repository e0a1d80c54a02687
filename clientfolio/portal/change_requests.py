"""The change requests a client contact sees in the portal: a project's list, one
request with its history in the client's words, and the project page's card. Every
read goes through the portal's scope and is a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils.translation import gettext as _

from clientfolio.core.permissions import portal_scope
from clientfolio.projects.models import ChangeRequest, ChangeRequestTransition

__all__ = [
    "CONTENT_FIELDS",
    "ClientStep",
    "change_request_of",
    "changed_since",
    "changes_card",
    "changes_of",
    "client_steps",
]

# What the client reads of a change request; a revision of these since they opened it
# is named on the 409 page.
CONTENT_FIELDS = (
    "title",
    "description",
    "reason",
    "scope_impact",
    "schedule_impact_days",
    "cost_impact",
    "currency",
    "risk_notes",
    "status",
)


def changes_of(contact: Any, project: Any, sharing: Any):
    """The project's change requests the contact sees; 404 when the project does not
    share its change requests."""
    if not sharing.shows_change_requests:
        raise Http404
    return portal_scope(contact, ChangeRequest.objects.filter(project=project))


def change_request_of(
    contact: Any, project: Any, sharing: Any, number: int
) -> ChangeRequest:
    """The change request ``number`` of the project with its decider, requester and
    steps (two queries); 404 outside the contact's scope."""
    change = (
        changes_of(contact, project, sharing)
        .select_related("decided_by", "requested_by_contact")
        .prefetch_related(
            Prefetch(
                "transitions",
                queryset=ChangeRequestTransition.objects.order_by("at", "id"),
            )
        )
        .filter(number=number)
        .first()
    )
    if change is None:
        raise Http404
    return change


def changes_card(contact: Any, project: Any, sharing: Any) -> dict[str, int] | None:
    """The project page's "Changes" card: how many change requests the contact sees and
    how many await their decision (one query); None when the project does not share
    them."""
    if not sharing.shows_change_requests:
        return None
    counts = changes_of(contact, project, sharing).aggregate(
        total=Count("pk"),
        awaiting=Count("pk", filter=Q(status=ChangeRequest.Status.AWAITING_CLIENT)),
    )
    return {"total": counts["total"] or 0, "awaiting": counts["awaiting"] or 0}


@dataclass(frozen=True)
class ClientStep:
    """One step of a change request's life as the client reads it."""

    status: str
    label: str
    at: datetime | date | None
    comment: str = ""

    @property
    def has_time(self) -> bool:
        """Whether ``at`` is a moment (a step) rather than a day (the request date)."""
        return isinstance(self.at, datetime)


def client_steps(change: ChangeRequest) -> list[ClientStep]:
    """The steps of ``change`` (its transitions preloaded) that concern the client:
    asked for, assessed, sent to them for decision, decided (by whom, with the
    decision's comment), put into effect. The team's comments on the other steps are
    the team's own and are not shown."""
    requester = change.requested_by_contact
    steps = [
        ClientStep(
            "submitted",
            _("Requested by %(name)s") % {"name": requester.name}
            if requester
            else _("Requested by the project team"),
            change.requested_on,
        )
    ]
    decider = change.decided_by.name if change.decided_by else _("the project team")
    labels: dict[str, str] = {
        ChangeRequest.Status.EVALUATING: _("The team assessed its impact"),
        ChangeRequest.Status.AWAITING_CLIENT: _("Sent to you for your decision"),
        ChangeRequest.Status.APPROVED: _("Approved by %(name)s") % {"name": decider},
        ChangeRequest.Status.REJECTED: _("Rejected by %(name)s") % {"name": decider},
        ChangeRequest.Status.IMPLEMENTED: _("Put into effect in the plan"),
    }
    decisions = (ChangeRequest.Status.APPROVED, ChangeRequest.Status.REJECTED)
    for step in change.transitions.all():
        if step.to_status in labels:
            steps.append(
                ClientStep(
                    step.to_status,
                    str(labels[step.to_status]),
                    step.at,
                    step.comment if step.to_status in decisions else "",
                )
            )
    return steps


def changed_since(change: ChangeRequest, version: int | None) -> list[str]:
    """The names of what the client reads of ``change`` that changed since its
    ``version`` (from its history; empty when that version is not known)."""
    if version is None:
        return []
    seen = (
        change.history.filter(version=version)  # type: ignore[attr-defined]
        .order_by("-history_id")
        .first()
    )
    if seen is None:
        return []
    return [
        str(getattr(ChangeRequest._meta.get_field(name), "verbose_name", name))
        for name in CONTENT_FIELDS
        if getattr(seen, name) != getattr(change, name)
    ]
