"""What waits for a client contact: decisions, acceptances, minutes to confirm, action
items and satisfaction surveys, newest first; one query per kind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clientfolio.comms.models import ActionItem, Participant
from clientfolio.core.permissions import portal_scope
from clientfolio.portal.decisions import milestone_is_ready
from clientfolio.projects.models import ChangeRequest
from clientfolio.quality.models import Acceptance, Deliverable
from clientfolio.reports.survey_models import Invitation
from clientfolio.reports.surveys import invitation_token
from clientfolio.schedule.models import Task

__all__ = ["KIND_LABELS", "WaitingItem", "waiting_for"]

KIND_LABELS = {
    "change_request": _("Decide on a change"),
    "deliverable": _("Accept a deliverable"),
    "milestone": _("Accept a milestone"),
    "minutes": _("Confirm the minutes"),
    "action_item": _("Your action item"),
    "survey": _("Tell us how satisfied you are"),
}


@dataclass(frozen=True)
class WaitingItem:
    """One thing the contact is asked to do, with where to do it."""

    kind: str
    title: str
    project_id: int
    project_name: str
    since: date | None
    url: str
    # An action item the contact may mark done right here: where to post, and the
    # version the page shows (None for other kinds).
    done_url: str = ""
    version: int | None = None

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self.kind])


def _day(value: date | datetime | None) -> date | None:
    return value.date() if isinstance(value, datetime) else value


def waiting_for(
    contact: Any, project: Any = None, today: date | None = None
) -> list[WaitingItem]:
    """Everything ``contact`` is asked to act on in the projects they see (in one of
    them with ``project``) at ``today`` (default: the local date), newest first."""
    today = today or timezone.localdate()
    items: list[WaitingItem] = []

    def only(queryset):
        return queryset.filter(project=project) if project is not None else queryset

    changes = only(
        portal_scope(contact, ChangeRequest.objects.filter(status="awaiting_client"))
    ).select_related("project")
    for change in changes:
        items.append(
            WaitingItem(
                "change_request",
                str(change),
                change.project_id,
                change.project.name,
                change.requested_on,
                reverse(
                    "portal:change_request",
                    kwargs={"pk": change.project_id, "number": change.number},
                ),
            )
        )
    deliverables = only(
        portal_scope(contact, Deliverable.objects.filter(status="submitted"))
    ).select_related("project")
    for deliverable in deliverables:
        items.append(
            WaitingItem(
                "deliverable",
                deliverable.name,
                deliverable.project_id,
                deliverable.project.name,
                _day(deliverable.updated_at),
                reverse(
                    "portal:deliverable",
                    kwargs={
                        "pk": deliverable.project_id,
                        "deliverable_pk": deliverable.pk,
                    },
                ),
            )
        )
    # Milestones without deliverables whose date has come, accepted directly
    # (decisions.milestone_is_ready); not in completed projects, which are read-only.
    # One query: whether each has deliverables and its last rejection come with it.
    rejections = Acceptance.objects.filter(
        milestone=OuterRef("pk"),
        deliverable__isnull=True,
        decision=Acceptance.Decision.REJECTED,
    ).order_by("-decided_on")
    due = (
        only(
            portal_scope(
                contact,
                Task.objects.filter(is_milestone=True, finish__lte=today)
                .exclude(status=Task.Status.DONE)
                .exclude(project__status="completed")
                # accepted on a page of the deliverables and acceptances section
                .exclude(project__portal_sharing__shows_deliverables=False),
            )
        )
        .annotate(
            has_deliverables=Exists(
                Deliverable.objects.filter(milestone=OuterRef("pk"))
            ),
            last_rejected_on=Subquery(rejections.values("decided_on")[:1]),
        )
        .select_related("project")
    )
    for milestone in due:
        if milestone_is_ready(
            is_done=False,
            has_deliverables=milestone.has_deliverables,
            planned_on=milestone.finish,
            last_rejected_on=milestone.last_rejected_on,
            today=today,
        ):
            items.append(
                WaitingItem(
                    "milestone",
                    milestone.name,
                    milestone.project_id,
                    milestone.project.name,
                    milestone.finish,
                    reverse(
                        "portal:milestone",
                        kwargs={
                            "pk": milestone.project_id,
                            "milestone_pk": milestone.pk,
                        },
                    ),
                )
            )
    participants = portal_scope(
        contact,
        Participant.objects.filter(
            state=Participant.State.PENDING, record__minutes_sent_at__isnull=False
        ),
    ).select_related("record__project")
    if project is not None:
        participants = participants.filter(record__project=project)
    for participant in participants:
        record = participant.record
        items.append(
            WaitingItem(
                "minutes",
                record.subject,
                record.project_id,
                record.project.name,
                _day(record.minutes_sent_at),
                reverse(
                    "portal:minutes",
                    kwargs={"pk": record.project_id, "record_pk": record.pk},
                ),
            )
        )
    if any(f.name == "owner_contact" for f in ActionItem._meta.get_fields()):
        actions = portal_scope(
            contact,
            ActionItem.objects.filter(
                owner_contact=contact, status__in=["open", "in_progress"]
            ),
        ).select_related("record__project")
        if project is not None:
            actions = actions.filter(record__project=project)
        for action in actions:
            record = action.record
            items.append(
                WaitingItem(
                    "action_item",
                    action.text,
                    record.project_id,
                    record.project.name,
                    action.due_on or _day(action.created_at),
                    reverse(
                        "portal:minutes",
                        kwargs={"pk": record.project_id, "record_pk": record.pk},
                    )
                    if record.minutes_sent_at is not None
                    else reverse("portal:project", kwargs={"pk": record.project_id}),
                    done_url=""
                    if record.project.status == "completed"
                    else reverse(
                        "portal:action_item_done",
                        kwargs={"pk": record.project_id, "item_pk": action.pk},
                    ),
                    version=action.version,
                )
            )
    # Satisfaction surveys the contact was asked and has not answered (issue 13).
    invitations = portal_scope(
        contact,
        Invitation.objects.filter(
            answered_at__isnull=True, survey__sent_at__isnull=False
        ),
    ).select_related("survey__project")
    if project is not None:
        invitations = invitations.filter(survey__project=project)
    for invitation in invitations:
        survey = invitation.survey
        items.append(
            WaitingItem(
                "survey",
                survey.title,
                survey.project_id,
                survey.project.name,
                _day(survey.sent_at),
                reverse(
                    "reports:survey_answer",
                    kwargs={"token": invitation_token(invitation)},
                ),
            )
        )
    items.sort(key=lambda item: item.since or date.min, reverse=True)
    return items
