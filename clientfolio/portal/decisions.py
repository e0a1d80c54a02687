"""The client's decisions in the portal: approving or rejecting a change request that
awaits them, and accepting or rejecting a deliverable or a milestone.

Each decision is the contact's own and goes through the owning app's service
(``projects.change_control.transition``, ``quality.services.record_acceptance``), which
moves the workflow, keeps the history and notifies the team. What is checked here is
what the portal adds: the decision must still be the client's to take (a change request
awaiting them, a submitted deliverable, a milestone that is ready), and a rejection says
why. Refused input raises ``DecisionError`` with a translated message and the field it
concerns; a stale ``expected_version`` raises ``StaleVersion``; nothing is saved then.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from clientfolio.clients.models import Contact
from clientfolio.core.locking import StaleVersion
from clientfolio.documents import services as documents
from clientfolio.documents.models import Document
from clientfolio.projects import change_control
from clientfolio.projects.models import ChangeRequest
from clientfolio.quality import services as quality
from clientfolio.quality.models import Acceptance, Deliverable
from clientfolio.schedule.models import Task

__all__ = [
    "CHANGE_DECISIONS",
    "DecisionError",
    "decide_change_request",
    "decide_deliverable",
    "decide_milestone",
    "milestone_is_ready",
    "ready_milestones",
]

# What a client may answer a change request awaiting them.
CHANGE_DECISIONS = (ChangeRequest.Status.APPROVED, ChangeRequest.Status.REJECTED)

# The acceptance service's field names, as the portal's forms and API call them.
_FIELDS = {"document": "file", "decision": "decision", "comments": "comments"}


class DecisionError(ValueError):
    """A decision the portal refuses: a translated message and the field it concerns
    (``None``: the request as a whole); nothing was saved."""

    def __init__(self, message: Any, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.field = field


def _reason(decision: str, text: str, rejected: str, field: str) -> str:
    text = (text or "").strip()
    if decision == rejected and not text:
        raise DecisionError(
            _("Please say why you reject it: a comment is required."), field
        )
    return text


# --- change requests -----------------------------------------------------------------


@transaction.atomic
def decide_change_request(
    change_request: ChangeRequest,
    *,
    decision: str,
    comment: str,
    contact: Contact,
    user: Any,
    expected_version: int | None,
    today: date | None = None,
) -> ChangeRequest:
    """Approve or reject (``decision``) a change request awaiting ``contact``'s client,
    as that contact's decision, dated ``today``; returns it as stored.

    Raises ``DecisionError`` for another decision, a rejection without a comment, or a
    change request no longer awaiting the client (already decided, or taken back by the
    team); ``StaleVersion`` when it changed since ``expected_version`` (its impact may
    have been revised: the client decides on what they read). ``transition`` notifies
    the requester and the project's managers.
    """
    if decision not in CHANGE_DECISIONS:
        raise DecisionError(_("Choose to approve or to reject."), "decision")
    comment = _reason(decision, comment, ChangeRequest.Status.REJECTED, "comment")
    stored = ChangeRequest.objects.select_for_update().get(pk=change_request.pk)
    if stored.status != ChangeRequest.Status.AWAITING_CLIENT:
        raise DecisionError(_already_decided(stored))
    try:
        change_control.transition(
            stored,
            decision,
            user,
            comment,
            decided_by=contact,
            decided_on=today,
            expected_version=expected_version,
        )
    except change_control.ChangeControlError as error:
        raise DecisionError(error.message) from error
    return stored


def _already_decided(change_request: ChangeRequest) -> str:
    if change_request.status in (
        ChangeRequest.Status.APPROVED,
        ChangeRequest.Status.REJECTED,
        ChangeRequest.Status.IMPLEMENTED,
    ):
        return _(
            "This change was already decided (%(status)s). Nothing was changed."
        ) % {"status": change_request.get_status_display()}
    return _("This change no longer awaits your decision. Nothing was changed.")


# --- deliverables and milestones -------------------------------------------------------


def milestone_is_ready(
    *,
    is_done: bool,
    has_deliverables: bool,
    planned_on: date | None,
    last_rejected_on: date | None,
    today: date,
) -> bool:
    """Whether the client may accept a milestone directly (not through a deliverable).

    A milestone with deliverables is reached when the last of them is accepted, so it
    is never accepted directly. One without is ready once it is not done and its
    planned date (``planned_on``, the plan's finish) has come; after a rejection the
    team reworks and re-plans it, and it is ready again when the new planned date,
    later than the rejection, has come.

    >>> from datetime import date
    >>> ready = dict(is_done=False, has_deliverables=False, last_rejected_on=None)
    >>> milestone_is_ready(**ready, planned_on=date(2026, 5, 1), today=date(2026, 5, 1))
    True
    >>> milestone_is_ready(**ready, planned_on=date(2026, 5, 2), today=date(2026, 5, 1))
    False
    """
    if is_done or has_deliverables or planned_on is None or planned_on > today:
        return False
    return last_rejected_on is None or planned_on > last_rejected_on


def ready_milestones(milestones: Sequence[Task], today: date) -> set[int]:
    """Ids of those of ``milestones`` the client may accept directly at ``today``
    (``milestone_is_ready``): two queries whatever their number."""
    ids = [milestone.pk for milestone in milestones]
    with_deliverables = set(
        Deliverable.objects.filter(milestone_id__in=ids)
        .values_list("milestone_id", flat=True)
        .distinct()
    )
    last_rejected: dict[int, date] = {}
    for milestone_id, decided_on in (
        Acceptance.objects.filter(
            milestone_id__in=ids,
            deliverable__isnull=True,
            decision=Acceptance.Decision.REJECTED,
        )
        .order_by("milestone_id", "-decided_on")
        .values_list("milestone_id", "decided_on")
    ):
        last_rejected.setdefault(milestone_id, decided_on)
    return {
        milestone.pk
        for milestone in milestones
        if milestone_is_ready(
            is_done=milestone.status == Task.Status.DONE,
            has_deliverables=milestone.pk in with_deliverables,
            planned_on=milestone.finish,
            last_rejected_on=last_rejected.get(milestone.pk),
            today=today,
        )
    }


def _locked(model: type[Any], pk: int, expected_version: int | None) -> Any:
    """The row, locked for the decision; ``StaleVersion`` when it changed since
    ``expected_version``."""
    stored = model.objects.select_for_update().get(pk=pk)
    if expected_version is not None and expected_version != stored.version:
        raise StaleVersion(stored)
    return stored


def _record(
    project: Any,
    *,
    decision: str,
    comments: str,
    contact: Contact,
    user: Any,
    files: Sequence[Any],
    ip_address: str | None,
    user_agent: str,
    today: date,
    **subject: Any,
) -> Acceptance:
    """Record the decision through the quality service (channel portal) with the
    first of ``files`` as the signed paper, and share that file back with the client:
    it is their own document."""
    try:
        acceptance = quality.record_acceptance(
            project,
            decision=decision,
            contact=contact,
            decided_on=today,
            comments=comments,
            files=list(files)[:1],
            user=user,
            channel=Acceptance.Channel.PORTAL,
            ip_address=ip_address,
            user_agent=user_agent,
            **subject,
        )
    except quality.QualityError as error:
        raise DecisionError(error.message, _FIELDS.get(error.field or "")) from error
    if acceptance.document is not None:
        documents.set_visibility(acceptance.document, Document.Visibility.SHARED)
    return acceptance


def _check_decision(decision: str, comments: str) -> str:
    if decision not in Acceptance.Decision.values:
        raise DecisionError(_("Choose to accept or to reject."), "decision")
    return _reason(decision, comments, Acceptance.Decision.REJECTED, "comments")


@transaction.atomic
def decide_deliverable(
    deliverable: Deliverable,
    *,
    decision: str,
    comments: str,
    contact: Contact,
    user: Any,
    today: date,
    files: Sequence[Any] = (),
    ip_address: str | None = None,
    user_agent: str = "",
    expected_version: int | None = None,
) -> Acceptance:
    """Accept or reject a submitted deliverable as ``contact``'s decision of ``today``,
    with the signed file (``files``, at most one), from ``ip_address`` and
    ``user_agent``; returns the immutable ``Acceptance``.

    Acceptance makes the deliverable accepted (and its milestone done once all of the
    milestone's deliverables are); a rejection reopens the work. Raises
    ``DecisionError`` for another decision, a rejection without comments, a refused
    file (too large, or not what its name says), or a deliverable that is not
    submitted (already decided, or still being worked on); ``StaleVersion`` when it
    changed since ``expected_version``.
    """
    comments = _check_decision(decision, comments)
    stored = _locked(Deliverable, deliverable.pk, expected_version)
    if stored.status != Deliverable.Status.SUBMITTED:
        raise DecisionError(
            _(
                "This deliverable does not await your acceptance (it is %(status)s). "
                "Nothing was changed."
            )
            % {"status": stored.get_status_display()}
        )
    return _record(
        stored.project,
        decision=decision,
        comments=comments,
        contact=contact,
        user=user,
        files=files,
        ip_address=ip_address,
        user_agent=user_agent,
        today=today,
        deliverable=stored,
    )


@transaction.atomic
def decide_milestone(
    milestone: Task,
    *,
    decision: str,
    comments: str,
    contact: Contact,
    user: Any,
    today: date,
    files: Sequence[Any] = (),
    ip_address: str | None = None,
    user_agent: str = "",
    expected_version: int | None = None,
) -> Acceptance:
    """Accept or reject a milestone directly, as ``decide_deliverable`` does for a
    deliverable; it must be ready (``milestone_is_ready``). Acceptance marks it done on
    ``today``; a rejection reopens it. Raises ``DecisionError`` and ``StaleVersion``
    as ``decide_deliverable`` does."""
    comments = _check_decision(decision, comments)
    stored = _locked(Task, milestone.pk, expected_version)
    if stored.pk not in ready_milestones([stored], today):
        raise DecisionError(
            _("This milestone does not await your acceptance. Nothing was changed.")
        )
    return _record(
        stored.project,
        decision=decision,
        comments=comments,
        contact=contact,
        user=user,
        files=files,
        ip_address=ip_address,
        user_agent=user_agent,
        today=today,
        milestone=stored,
    )
