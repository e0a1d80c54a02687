"""Every write to quality records: standards, deliverables, reviews with their checklists,
client acceptances and improvement actions. Pages, the API, the demo data and (later) the
client portal call these.

Refused input raises ``QualityError`` with a translated message and the field it concerns;
nothing is saved. Updates name the version they were based on (``StaleVersion`` → 409).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clientfolio.clients.models import Contact
from clientfolio.core import events
from clientfolio.core.locking import save_versioned
from clientfolio.projects.models import Membership, Project
from clientfolio.quality import rules
from clientfolio.quality.models import (
    Acceptance,
    Deliverable,
    ImprovementAction,
    QualityReview,
    QualityStandard,
    ReviewItem,
)
from clientfolio.schedule import services as schedule
from clientfolio.schedule.models import Task

__all__ = [
    "ACCEPTANCE_FOLDER",
    "QualityError",
    "acceptance_snapshot",
    "delete_action",
    "delete_deliverable",
    "delete_review",
    "delete_standard",
    "open_issue_for_item",
    "record_acceptance",
    "review_checklist",
    "save_action",
    "save_deliverable",
    "save_review",
    "save_standard",
]

# The template folder (by its English name) where signed acceptance documents are filed.
ACCEPTANCE_FOLDER = "Acceptance"


class QualityError(ValueError):
    """Refused input: a translated message and the field it concerns; nothing saved."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def _save(instance: Any, expected_version: int | None) -> Any:
    if instance.pk is None:
        instance.save()
        return instance
    return save_versioned(instance, expected_version)


def _check_owner(project: Project, owner: Any, field: str = "owner") -> None:
    if owner is None:
        return
    if not Membership.objects.filter(project=project, user=owner).exists():
        raise QualityError(_("Choose a member of the project team."), field)


def _check_milestone(project: Project, milestone: Task | None) -> None:
    if milestone is None:
        return
    if milestone.project_id != project.pk:
        raise QualityError(_("Choose a milestone of this project."), "milestone")
    if not milestone.is_milestone:
        raise QualityError(
            _("“%(name)s” is not a milestone. Choose a milestone of the plan.")
            % {"name": milestone.name},
            "milestone",
        )


def _text(value: str, field: str, message: str) -> str:
    value = " ".join((value or "").split())
    if not value:
        raise QualityError(message, field)
    return value


# --- standards ------------------------------------------------------------------------


@transaction.atomic
def save_standard(
    standard: QualityStandard, expected_version: int | None = None
) -> QualityStandard:
    """Create or update a quality standard of a project."""
    standard.title = _text(standard.title, "title", _("Give the standard a title."))
    if standard.category not in QualityStandard.Category.values:
        raise QualityError(_("Choose a category from the list."), "category")
    return _save(standard, expected_version)


def delete_standard(standard: QualityStandard) -> None:
    standard.delete()


# --- deliverables ---------------------------------------------------------------------


@transaction.atomic
def save_deliverable(
    deliverable: Deliverable, expected_version: int | None = None
) -> Deliverable:
    """Create or update a deliverable. Its milestone must be a milestone of the same
    project, its owner on the team; "accepted" only comes from a client's acceptance."""
    project = deliverable.project
    deliverable.name = _text(
        deliverable.name, "name", _("Give the deliverable a name.")
    )
    # A milestone kept from before (left behind when the task moved to another project)
    # does not block editing the rest; a newly chosen one must be of this project.
    kept = (
        deliverable.pk is not None
        and Deliverable.objects.filter(
            pk=deliverable.pk, milestone_id=deliverable.milestone_id
        ).exists()
    )
    if not kept:
        _check_milestone(project, deliverable.milestone)
    _check_owner(project, deliverable.owner)
    if deliverable.status not in Deliverable.Status.values:
        raise QualityError(_("Choose a status from the list."), "status")
    stored = (
        Deliverable.objects.filter(pk=deliverable.pk)
        .values_list("status", flat=True)
        .first()
        if deliverable.pk
        else None
    )
    if stored is None:
        allowed = deliverable.status != rules.ACCEPTED
    else:
        allowed = deliverable.status == stored or deliverable.status in (
            rules.manual_targets(stored)
        )
    current = stored or rules.PLANNED
    if not allowed:
        if deliverable.status == rules.ACCEPTED:
            message = _(
                "A deliverable is accepted only by recording the client's acceptance."
            )
        else:
            message = _(
                "A deliverable that is “%(current)s” cannot be set to “%(new)s”."
            ) % {
                "current": Deliverable.Status(current).label,
                "new": Deliverable.Status(deliverable.status).label,
            }
        raise QualityError(message, "status")
    return _save(deliverable, expected_version)


def delete_deliverable(deliverable: Deliverable) -> None:
    """Delete a deliverable with its reviews. Raises ``ProtectedError`` while a client's
    acceptance names it: the client's decision is never deleted with it."""
    deliverable.delete()


# --- reviews ----------------------------------------------------------------------------


def review_checklist(
    project: Project, deliverable: Deliverable | None
) -> list[ReviewItem]:
    """The checklist a new review starts with: the deliverable's acceptance criteria, or
    (for a review of the project) its quality standards."""
    if deliverable is not None and deliverable.criteria:
        return [
            ReviewItem(position=index, criterion=line[:500])
            for index, line in enumerate(deliverable.criteria, start=1)
        ]
    standards = QualityStandard.objects.filter(project=project)
    return [
        ReviewItem(
            position=index,
            criterion=(
                f"{standard.title}（{standard.target}）"
                if standard.target
                else standard.title
            )[:500],
            standard=standard,
        )
        for index, standard in enumerate(standards, start=1)
    ]


def _check_items(review: QualityReview, items: Sequence[ReviewItem]) -> None:
    for item in items:
        item.criterion = " ".join((item.criterion or "").split())
        if not item.criterion:
            raise QualityError(_("Every checklist item needs a criterion."), "items")
        if item.result not in ReviewItem.Result.values:
            raise QualityError(
                _(
                    "“%(value)s” is not a checklist result: choose pass, fail or not applicable."
                )
                % {"value": item.result},
                "items",
            )
        if item.standard is not None and item.standard.project_id != review.project_id:
            raise QualityError(_("Choose a standard of this project."), "items")
        if item.pk and item.review_id != review.pk:
            raise QualityError(
                _("This checklist item belongs to another review."), "items"
            )


@transaction.atomic
def save_review(
    review: QualityReview,
    items: Sequence[ReviewItem],
    *,
    expected_version: int | None = None,
    removed: Sequence[ReviewItem] = (),
) -> QualityReview:
    """Create or update a review with its checklist: ``items`` are saved in order (new
    ones added, existing ones updated), ``removed`` deleted; the overall result is
    computed from the items' results."""
    project = review.project
    review.title = _text(review.title, "title", _("Give the review a title."))
    if review.deliverable is not None and review.deliverable.project_id != project.pk:
        raise QualityError(_("Choose a deliverable of this project."), "deliverable")
    _check_owner(project, review.reviewer, "reviewer")
    if review.reviewed_on is None:
        raise QualityError(_("Enter the review date."), "reviewed_on")
    _check_items(review, items)
    gone = [item.pk for item in removed if item.pk]
    remaining = list(
        ReviewItem.objects.filter(review_id=review.pk)
        .exclude(pk__in=gone)
        .exclude(pk__in=[item.pk for item in items if item.pk])
        .values_list("result", flat=True)
        if review.pk
        else []
    )
    review.result = rules.overall_result([item.result for item in items] + remaining)
    review = _save(review, expected_version)
    if gone:
        ReviewItem.objects.filter(review=review, pk__in=gone).delete()
    for position, item in enumerate(items, start=1):
        item.review = review
        item.position = position
        item.save()
    return review


def delete_review(review: QualityReview) -> None:
    review.delete()


@transaction.atomic
def open_issue_for_item(
    item: ReviewItem,
    *,
    user: Any,
    severity: str = "medium",
    owner: Any = None,
    due_on: date | None = None,
) -> Any:
    """Open an entry in the risks app's issue log for a failed checklist item and link it
    to the item. Refused for an item that did not fail or already has its issue."""
    from clientfolio.risks import services as risks

    item = (
        # Lock the item only: PostgreSQL refuses FOR UPDATE on the nullable side of the
        # outer join to the (optional) deliverable.
        ReviewItem.objects.select_for_update(of=("self",))
        .select_related("review__project", "review__deliverable")
        .get(pk=item.pk)
    )
    if item.result != ReviewItem.Result.FAIL:
        raise QualityError(_("Only a failed checklist item opens an issue."), "items")
    if item.issue_id is not None:
        raise QualityError(_("This checklist item already has its issue."), "items")
    review = item.review
    subject = review.deliverable.name if review.deliverable else review.title
    description = "\n\n".join(
        part
        for part in (
            _("Failed in the quality review “%(review)s” of %(date)s.")
            % {"review": review.title, "date": review.reviewed_on.isoformat()},
            item.findings,
        )
        if part
    )
    try:
        issue = risks.open_issue(
            review.project,
            title=f"{subject}：{item.criterion}"[:200],
            description=description,
            severity=severity,
            owner=owner,
            due_on=due_on,
            user=user,
        )
    except risks.RiskError as error:
        raise QualityError(error.text, "items") from error
    item.issue = issue
    item.save(update_fields=["issue"])
    return issue


# --- client acceptance ----------------------------------------------------------------------


def _set_milestone(
    milestone: Task, done: bool, actor: Any = None, on: date | None = None
) -> None:
    """Mark a milestone done ``on`` the day the client decided, or back to not done,
    through the schedule's service so the plan recomputes."""
    task = Task.objects.get(pk=milestone.pk)
    if done:
        if task.status == Task.Status.DONE:
            return
        task.status = Task.Status.DONE
        # Reached when the client accepted it, not when someone recorded that: the
        # timeline's slip is measured from this date (issue 12).
        if on is not None:
            task.actual_start = task.actual_finish = on
    else:
        if task.status != Task.Status.DONE and task.percent_complete < 100:
            return
        task.status = Task.Status.TODO
        task.percent_complete = 0
        task.actual_finish = None
        task.actual_start = None
    schedule.update_task(task, task.version, actor=actor)


@transaction.atomic
def record_acceptance(
    project: Project,
    *,
    decision: str,
    contact: Contact | None,
    decided_on: date | None,
    comments: str = "",
    deliverable: Deliverable | None = None,
    milestone: Task | None = None,
    files: Sequence[Any] = (),
    user: Any,
    channel: str = Acceptance.Channel.STAFF,
    ip_address: str | None = None,
    user_agent: str = "",
) -> Acceptance:
    """Record a client contact's decision on a deliverable or a milestone.

    Acceptance makes the deliverable accepted (and its milestone done once all of the
    milestone's deliverables are accepted; a milestone accepted directly is done). A
    rejection needs comments and reopens the work: the deliverable goes back to in
    progress and its milestone to not done. The signed document (``files``, usually one)
    is filed in the project's acceptance folder. The client portal calls this too, with
    ``channel="portal"``.

    The record is immutable and keeps the address (``ip_address``, e.g.
    ``core.logins.client_address(request)``) and browser (``user_agent``, cut to 300
    characters) it was recorded from, and ``accepted_snapshot``: what was decided on as
    it was before the decision took effect (``acceptance_snapshot``). Raises
    ``QualityError`` (nothing saved) for refused input, an unreadable address included.
    """
    from clientfolio.documents import services as documents

    if decision not in Acceptance.Decision.values:
        raise QualityError(_("Choose accepted or rejected."), "decision")
    if deliverable is None and milestone is None:
        raise QualityError(_("Choose a deliverable or a milestone."), "deliverable")
    if deliverable is not None:
        if deliverable.project_id != project.pk:
            raise QualityError(
                _("Choose a deliverable of this project."), "deliverable"
            )
        if milestone is None:
            milestone = deliverable.milestone
        elif deliverable.milestone_id != milestone.pk:
            raise QualityError(
                _("The milestone is not the deliverable's milestone."), "milestone"
            )
    _check_milestone(project, milestone)
    if contact is None:
        raise QualityError(_("Choose the client contact who decided."), "contact")
    if contact.client_id != project.client_id:
        raise QualityError(
            _(
                "%(contact)s is not a contact of %(client)s: only the project's client "
                "can accept or reject its work."
            )
            % {"contact": contact.name, "client": project.client.name},
            "contact",
        )
    if decided_on is None:
        raise QualityError(_("Enter the decision date."), "decided_on")
    if decided_on > timezone.localdate():
        raise QualityError(_("The decision date is in the future."), "decided_on")
    comments = (comments or "").strip()
    if decision == Acceptance.Decision.REJECTED and not comments:
        raise QualityError(
            _("Say why the client rejected it: comments are required."), "comments"
        )
    if channel not in Acceptance.Channel.values:
        raise QualityError(_("Choose a channel from the list."), "channel")
    ip_address = _address(ip_address)
    document = None
    if files:
        try:
            stored = documents.attach_files(
                project,
                list(files),
                user=user,
                folder_name_en=ACCEPTANCE_FOLDER,
                note=_("Signed acceptance"),
            )
        except documents.DocumentError as error:
            raise QualityError(error.message, "document") from error
        document = stored[0]
    acceptance = Acceptance.objects.create(
        project=project,
        deliverable=deliverable,
        milestone=milestone,
        decision=decision,
        contact=contact,
        decided_on=decided_on,
        comments=comments,
        document=document,
        channel=channel,
        recorded_by=user if getattr(user, "pk", None) else None,
        ip_address=ip_address,
        user_agent=" ".join((user_agent or "").split())[:300],
        accepted_snapshot=acceptance_snapshot(deliverable, milestone, document),
    )
    if deliverable is not None:
        status = rules.status_after_decision(decision)
        if deliverable.status != status:
            fresh = Deliverable.objects.get(pk=deliverable.pk)
            fresh.status = status
            save_versioned(fresh, fresh.version, fields=["status", "updated_at"])
            deliverable.status, deliverable.version = fresh.status, fresh.version
    if milestone is not None:
        if decision == Acceptance.Decision.REJECTED:
            _set_milestone(milestone, done=False, actor=user)
        elif deliverable is None or rules.milestone_accepted(
            Deliverable.objects.filter(milestone=milestone).values_list(
                "status", flat=True
            )
        ):
            _set_milestone(milestone, done=True, actor=user, on=decided_on)
    _announce_decision(acceptance, project, user)
    return acceptance


def _address(value: str | None) -> str | None:
    """An IP address in its canonical form, None for none; ``QualityError`` if it is not
    one (the database must never receive something else)."""
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(str(value).strip()))
    except ValueError as error:
        raise QualityError(
            _("%(value)s is not an IP address.") % {"value": value}, "ip_address"
        ) from error


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def acceptance_snapshot(
    deliverable: Deliverable | None, milestone: Task | None, document: Any = None
) -> dict[str, Any]:
    """What a client decides on, read from the database now, as JSON-ready data::

        {"deliverable": {"id", "name", "acceptance_criteria", "criteria"} | None,
         "milestone": {"id", "name", "acceptance_criteria", "planned_start",
                       "planned_finish", "actual_start", "actual_finish"} | None,
         "document": {"id", "title", "version_id", "version", "file_name", "size",
                      "sha256"} | None}

    Dates are ISO strings (or None); the milestone's planned dates are the current plan
    (``start``/``finish``). A few queries, one per record named."""
    snapshot: dict[str, Any] = {
        "deliverable": None,
        "milestone": None,
        "document": None,
    }
    if deliverable is not None:
        fresh = Deliverable.objects.get(pk=deliverable.pk)
        snapshot["deliverable"] = {
            "id": fresh.pk,
            "name": fresh.name,
            "acceptance_criteria": fresh.acceptance_criteria,
            "criteria": fresh.criteria,
        }
    if milestone is not None:
        task = Task.objects.get(pk=milestone.pk)
        snapshot["milestone"] = {
            "id": task.pk,
            "name": task.name,
            "acceptance_criteria": task.acceptance_criteria,
            "planned_start": _iso(task.start),
            "planned_finish": _iso(task.finish),
            "actual_start": _iso(task.actual_start),
            "actual_finish": _iso(task.actual_finish),
        }
    if document is not None:
        from clientfolio.documents.models import Document

        stored = Document.objects.select_related("current_version").get(pk=document.pk)
        version = stored.current_version
        snapshot["document"] = {
            "id": stored.pk,
            "title": stored.title,
            "version_id": version.pk if version else None,
            "version": version.number if version else None,
            "file_name": version.original_name if version else "",
            "size": version.size if version else None,
            "sha256": version.sha256 if version else "",
        }
    return snapshot


def _announce_decision(acceptance: Acceptance, project: Project, user: Any) -> None:
    """Tell the owner of what was decided on (the deliverable's, else the milestone's)
    and the project manager: ``deliverable.accepted`` or ``deliverable.rejected``."""
    subject: Any = acceptance.deliverable or acceptance.milestone
    kind = (
        events.Kind.DELIVERABLE_ACCEPTED
        if acceptance.decision == Acceptance.Decision.ACCEPTED
        else events.Kind.DELIVERABLE_REJECTED
    )
    events.publish(
        kind,
        subject,
        actor=user if getattr(user, "pk", None) else None,
        recipients=[subject.owner_id, project.manager_id],
        project=project,
        data={
            "title": str(subject),
            "contact": acceptance.contact.name,
            "decided_on": acceptance.decided_on.isoformat(),
        },
    )


# --- improvement actions ------------------------------------------------------------------


@transaction.atomic
def save_action(
    action: ImprovementAction, expected_version: int | None = None
) -> ImprovementAction:
    """Create or update an improvement action. Finishing it (act) needs an evaluation of
    the effect; its completion date defaults to today."""
    action.problem = _text(action.problem, "problem", _("Describe the problem."))
    if action.status not in ImprovementAction.Status.values:
        raise QualityError(_("Choose a status from the list."), "status")
    _check_owner(action.project, action.owner)
    if action.review is not None and action.review.project_id != action.project_id:
        raise QualityError(_("Choose a review of this project."), "review")
    if rules.action_problem(action.status, action.evaluation or ""):
        raise QualityError(
            _("Evaluate the effect of the action before finishing it."), "evaluation"
        )
    if action.status == ImprovementAction.Status.ACT:
        action.completed_on = action.completed_on or timezone.localdate()
    return _save(action, expected_version)


def delete_action(action: ImprovementAction) -> None:
    action.delete()
