"""The deliverables and milestones a client contact sees in the portal, with the
decisions taken on them: the project page's card, one deliverable or milestone, and its
past acceptances. Every read goes through the portal's scope and is a fixed number of
queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from clientfolio.core.permissions import portal_scope
from clientfolio.documents.models import DocumentVersion
from clientfolio.portal.decisions import ready_milestones
from clientfolio.quality.models import Acceptance, Deliverable
from clientfolio.schedule.models import Task

__all__ = [
    "MilestoneRow",
    "criteria_of",
    "decisions_on",
    "deliverable_of",
    "deliverables_card",
    "deliverables_of",
    "milestone_of",
    "milestone_rows",
]


@dataclass(frozen=True)
class MilestoneRow:
    """A client-visible milestone as the client reads it: ``state`` is ``done``,
    ``ready`` (awaiting their acceptance) or ``upcoming``."""

    milestone: Task
    state: str

    @property
    def label(self) -> str:
        return {
            "done": _("Reached"),
            "ready": _("Awaiting your acceptance"),
            "upcoming": _("Upcoming"),
        }[self.state]


def criteria_of(text: str) -> list[str]:
    """Acceptance criteria written one per line, without bullets and blank lines."""
    return [line.strip(" -•\t") for line in text.splitlines() if line.strip(" -•\t")]


def _deliverables(contact: Any, project: Any, sharing: Any):
    if not sharing.shows_deliverables:
        raise Http404
    return portal_scope(contact, Deliverable.objects.filter(project=project))


def _milestones(contact: Any, project: Any):
    return portal_scope(
        contact, Task.objects.filter(project=project, is_milestone=True)
    ).order_by("finish", "wbs_sort", "id")


def milestone_rows(milestones: list[Task], today: date) -> list[MilestoneRow]:
    """Each milestone with its state at ``today`` (two queries)."""
    ready = ready_milestones(milestones, today)
    rows = []
    for milestone in milestones:
        if milestone.status == Task.Status.DONE:
            state = "done"
        elif milestone.pk in ready:
            state = "ready"
        else:
            state = "upcoming"
        rows.append(MilestoneRow(milestone, state))
    return rows


def deliverables_card(
    contact: Any, project: Any, sharing: Any, today: date
) -> dict[str, Any] | None:
    """The project page's "Deliverables and acceptance" card: the deliverables with
    their status, due date and (client-visible) milestone, and the client-visible
    milestones with their state; four queries. None when the project does not share
    its deliverables."""
    if not sharing.shows_deliverables:
        return None
    milestones = list(_milestones(contact, project))
    shown = {milestone.pk: milestone for milestone in milestones}
    deliverables = list(
        _deliverables(contact, project, sharing).order_by("due_on", "name", "id")
    )
    for deliverable in deliverables:
        # An internal milestone is not the client's to see: no name, no link.
        deliverable.shown_milestone = shown.get(deliverable.milestone_id)  # type: ignore[attr-defined]
    return {
        "deliverables": deliverables,
        "milestones": milestone_rows(milestones, today),
        "awaiting": sum(d.status == Deliverable.Status.SUBMITTED for d in deliverables),
    }


def deliverable_of(
    contact: Any, project: Any, sharing: Any, deliverable_pk: int
) -> Deliverable:
    """The deliverable with its milestone when the client sees it (``shown_milestone``,
    else None): two queries; 404 outside the contact's scope."""
    deliverable = (
        _deliverables(contact, project, sharing).filter(pk=deliverable_pk).first()
    )
    if deliverable is None:
        raise Http404
    deliverable.shown_milestone = (  # type: ignore[attr-defined]
        _milestones(contact, project).filter(pk=deliverable.milestone_id).first()
        if deliverable.milestone_id
        else None
    )
    return deliverable


def deliverables_of(
    contact: Any, project: Any, sharing: Any, milestone: Task
) -> list[Deliverable]:
    """The deliverables of ``milestone`` the contact sees, in due order: one query."""
    return list(
        _deliverables(contact, project, sharing)
        .filter(milestone=milestone)
        .order_by("due_on", "name", "id")
    )


def milestone_of(contact: Any, project: Any, sharing: Any, milestone_pk: int) -> Task:
    """A client-visible milestone of the project, when the project shares its
    deliverables and acceptances; 404 otherwise."""
    if not sharing.shows_deliverables:
        raise Http404
    milestone = _milestones(contact, project).filter(pk=milestone_pk).first()
    if milestone is None:
        raise Http404
    return milestone


def decisions_on(contact: Any, project: Any, **subject: Any) -> list[Acceptance]:
    """The client's decisions on a deliverable or milestone (``deliverable=`` or
    ``milestone=``), newest first, each with what the client may read of its record:
    ``shown_milestone`` (the snapshot of its milestone, empty when that milestone is
    internal), ``shown_criteria`` and ``download_version`` (the signed file's version
    when the client may download it, else None). At most three queries."""
    acceptances = list(
        portal_scope(contact, Acceptance.objects.filter(project=project, **subject))
        .select_related("contact")
        .order_by("-created_at", "-id")
    )
    milestone_ids = {a.milestone_id for a in acceptances if a.milestone_id}
    visible = set(
        _milestones(contact, project)
        .filter(pk__in=milestone_ids)
        .values_list("pk", flat=True)
    )
    version_ids = {
        a.snapshot_document.get("version_id")
        for a in acceptances
        if a.snapshot_document.get("version_id")
    }
    downloadable = set(
        portal_scope(
            contact, DocumentVersion.objects.filter(pk__in=version_ids)
        ).values_list("pk", flat=True)
    )
    for acceptance in acceptances:
        milestone = (
            acceptance.snapshot_milestone if acceptance.milestone_id in visible else {}
        )
        version_id = acceptance.snapshot_document.get("version_id")
        acceptance.shown_milestone = milestone  # type: ignore[attr-defined]
        acceptance.shown_criteria = acceptance.snapshot_deliverable.get(  # type: ignore[attr-defined]
            "criteria"
        ) or criteria_of(milestone.get("acceptance_criteria") or "")
        acceptance.download_version = (  # type: ignore[attr-defined]
            version_id if version_id in downloadable else None
        )
    return acceptances
