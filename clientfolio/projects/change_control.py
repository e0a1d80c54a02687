"""Every write to a project's requirements and change requests (需求变更).

Pages, the API and the demo data call these. Each write runs in one transaction; updates
check ``version`` (raising ``StaleVersion``); refused steps raise ``ChangeControlError``
with a translated message and leave the database as it was. Which status may follow which
is decided by the pure tables in ``clientfolio.projects.workflow``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from clientfolio.clients.models import Contact
from clientfolio.clients.models import Requirement as ClientNeed
from clientfolio.core import events
from clientfolio.core.locking import StaleVersion, save_versioned
from clientfolio.projects import workflow
from clientfolio.projects.models import (
    ChangeRequest,
    ChangeRequestTransition,
    Membership,
    Priority,
    Project,
    ProjectRequirement,
    ProjectRole,
)

__all__ = [
    "ChangeControlError",
    "ChangeLogTotals",
    "TransitionError",
    "change_log_totals",
    "create_change_request",
    "create_requirement",
    "deciders",
    "move_requirement",
    "requirement_status_counts",
    "transition",
    "update_change_request",
    "update_requirement",
]

# Fields a change request's editor may change; status, number and the decision are
# written by ``transition`` only.
CHANGE_REQUEST_EDITABLE = (
    "title",
    "requested_by_contact",
    "requested_by_user",
    "requested_on",
    "description",
    "reason",
    "scope_impact",
    "schedule_impact_days",
    "cost_impact",
    "currency",
    "risk_notes",
)
REQUIREMENT_EDITABLE = ("title", "description", "priority")

# A client need's priority in the project's scale (the client library says "urgent").
NEED_PRIORITY = {"urgent": Priority.CRITICAL}


class ChangeControlError(ValueError):
    """A requirement or change-request step the rules refuse; nothing was saved.

    ``field`` names the input at fault (``None``: the request as a whole), so pages and
    the API can show the message next to it.
    """

    def __init__(self, message: Any, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.field = field


class TransitionError(ChangeControlError):
    """A status change that does not follow the life cycle (e.g. submitted → approved)."""

    def __init__(self, message: Any, *, from_status: str, to_status: str) -> None:
        super().__init__(message, field="to_status")
        self.from_status = from_status
        self.to_status = to_status


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _refuse_move(
    noun: str, choices: Any, from_status: str, to_status: str, allowed: tuple[str, ...]
) -> TransitionError:
    names = {"noun": noun, "from": _label(choices, from_status)}
    if to_status not in choices.values:
        message = _("“%(status)s” is not a status of a %(noun)s.") % {
            "status": to_status,
            "noun": noun,
        }
    elif allowed:
        message = _(
            "A %(noun)s cannot go from “%(from)s” to “%(to)s”. "
            "From “%(from)s” it can go to: %(allowed)s."
        ) % {
            **names,
            "to": _label(choices, to_status),
            "allowed": ", ".join(f"“{_label(choices, s)}”" for s in allowed),
        }
    else:
        message = _(
            "A %(noun)s cannot go from “%(from)s” to “%(to)s”: “%(from)s” is final."
        ) % {**names, "to": _label(choices, to_status)}
    return TransitionError(message, from_status=from_status, to_status=to_status)


def _check_contact(
    contact: Contact | None, project: Project, field: str, *, required: bool = False
) -> None:
    """A contact named on a project record must belong to the project's client."""
    if contact is None:
        if required:
            raise ChangeControlError(
                _("Name the client contact who decided."), field=field
            )
        return
    if contact.client_id != project.client_id:
        raise ChangeControlError(
            _("%(name)s is not a contact of this project's client.")
            % {"name": contact.name},
            field=field,
        )


# --- requirements ------------------------------------------------------------------------


@transaction.atomic
def create_requirement(
    project: Project,
    *,
    source: ClientNeed | None = None,
    title: str = "",
    description: str = "",
    priority: str = "",
) -> ProjectRequirement:
    """Add a requirement to the project, status collected.

    With ``source`` (one of the client's needs) the blank title, description and priority
    are copied from it. Raises ``ChangeControlError`` when the need belongs to another
    client or no title results.
    """
    if source is not None:
        if source.client_id != project.client_id:
            raise ChangeControlError(
                _("This need belongs to another client."), field="source"
            )
        title = title or source.title
        description = description or source.description
        priority = priority or NEED_PRIORITY.get(source.priority, source.priority)
    title = title.strip()
    if not title:
        raise ChangeControlError(_("Give the requirement a title."), field="title")
    if priority not in Priority.values:
        priority = Priority.MEDIUM
    return ProjectRequirement.objects.create(
        project=project,
        source=source,
        title=title,
        description=description,
        priority=priority,
        status=workflow.REQUIREMENT_INITIAL,
    )


def update_requirement(
    requirement: ProjectRequirement, expected_version: int | None
) -> ProjectRequirement:
    """Save edits of title, description and priority if nobody saved the requirement
    since ``expected_version``; the status moves with ``move_requirement`` only."""
    if not requirement.title.strip():
        raise ChangeControlError(_("Give the requirement a title."), field="title")
    return save_versioned(requirement, expected_version, fields=REQUIREMENT_EDITABLE)


@transaction.atomic
def move_requirement(
    requirement: ProjectRequirement,
    to_status: str,
    *,
    confirmed_by: Contact | None = None,
    confirmed_on: datetime.date | None = None,
    expected_version: int | None = None,
) -> ProjectRequirement:
    """Move a requirement along collected → confirmed → in scope → delivered (or to
    rejected from any open step).

    Confirming names the client contact who confirmed (a contact of the project's client)
    and the date (default today). Raises ``TransitionError`` for a step out of order,
    ``ChangeControlError`` for a missing or foreign contact and ``StaleVersion`` when the
    requirement changed since ``expected_version``. Nothing is saved when it raises.
    """
    stored = ProjectRequirement.objects.select_for_update().get(pk=requirement.pk)
    if expected_version is not None and expected_version != stored.version:
        raise StaleVersion(stored)
    allowed = workflow.next_requirement_statuses(stored.status)
    if to_status not in allowed:
        raise _refuse_move(
            str(_("requirement")),
            ProjectRequirement.Status,
            stored.status,
            to_status,
            allowed,
        )
    fields = ["status"]
    if to_status == ProjectRequirement.Status.CONFIRMED:
        if confirmed_by is None:
            raise ChangeControlError(
                _("Name the client contact who confirmed the requirement."),
                field="confirmed_by",
            )
        _check_contact(confirmed_by, requirement.project, "confirmed_by")
        requirement.confirmed_by = confirmed_by
        requirement.confirmed_on = confirmed_on or timezone.localdate()
        fields += ["confirmed_by", "confirmed_on"]
    requirement.status = to_status
    return save_versioned(requirement, stored.version, fields=fields)


def requirement_status_counts(project: Project) -> list[dict[str, Any]]:
    """Every requirement status of the project in life-cycle order with its count."""
    counts = ProjectRequirement.objects.filter(project=project).status_counts()
    return [
        {"value": value, "label": label, "count": counts.get(value, 0)}
        for value, label in ProjectRequirement.Status.choices
    ]


# --- change requests ---------------------------------------------------------------------


def _check_requesters(change_request: ChangeRequest) -> None:
    _check_contact(
        change_request.requested_by_contact,
        change_request.project,
        "requested_by_contact",
    )
    if change_request.requested_by_contact and change_request.requested_by_user:
        raise ChangeControlError(
            _(
                "A change is requested either by a client contact or by staff, not both."
            ),
            field="requested_by_user",
        )


@transaction.atomic
def create_change_request(
    change_request: ChangeRequest, *, user: Any, comment: str = ""
) -> ChangeRequest:
    """Save a new change request as the project's next number (CR-001, CR-002, …),
    status submitted, and record the submission as its first transition.

    Without a requester the submitting ``user`` is recorded as the requester; the date
    defaults to today. The project's managers, who decide, are told
    (``change_request.submitted``). Raises ``ChangeControlError`` when the requesting
    contact belongs to another client.
    """
    project = Project.objects.select_for_update().get(pk=change_request.project_id)
    change_request.project = project
    if not change_request.requested_by_contact_id and not (
        change_request.requested_by_user_id
    ):
        change_request.requested_by_user = user
    _check_requesters(change_request)
    if change_request.requested_on is None:
        change_request.requested_on = timezone.localdate()
    last = ChangeRequest.objects.filter(project=project).aggregate(n=Max("number"))
    change_request.number = (last["n"] or 0) + 1
    change_request.status = workflow.CHANGE_INITIAL
    change_request.decided_by = None
    change_request.decided_on = None
    change_request.save()
    ChangeRequestTransition.objects.create(
        change_request=change_request,
        from_status="",
        to_status=workflow.CHANGE_INITIAL,
        user=user,
        comment=comment,
    )
    events.publish(
        events.Kind.CHANGE_REQUEST_SUBMITTED,
        change_request,
        actor=_user_or_none(user),
        recipients=deciders(project),
        project=project,
        data={"title": str(change_request)},
    )
    return change_request


def _user_or_none(user: Any) -> Any:
    return user if getattr(user, "pk", None) else None


def deciders(project: Project) -> list[int]:
    """Who decides the project's change requests: its managers (user ids)."""
    managers = set(
        Membership.objects.filter(
            project=project, role=ProjectRole.MANAGER
        ).values_list("user_id", flat=True)
    )
    return sorted(managers | {project.manager_id})


def _requester(change_request: ChangeRequest) -> int | None:
    """The staff member who asked for the change, else whoever recorded it."""
    if change_request.requested_by_user_id:
        return change_request.requested_by_user_id
    return (
        ChangeRequestTransition.objects.filter(
            change_request=change_request, from_status=""
        )
        .values_list("user_id", flat=True)
        .first()
    )


@transaction.atomic
def update_change_request(
    change_request: ChangeRequest, expected_version: int | None
) -> ChangeRequest:
    """Save edits of a change request that is not decided yet, if nobody saved it since
    ``expected_version``. Status and decision are left alone (see ``transition``).

    Raises ``ChangeControlError`` once the request is approved, rejected or implemented
    or when the requesting contact belongs to another client, and ``StaleVersion``.
    """
    stored = ChangeRequest.objects.select_for_update().get(pk=change_request.pk)
    if expected_version is not None and expected_version != stored.version:
        raise StaleVersion(stored)
    if workflow.is_decided(stored.status):
        raise ChangeControlError(_("A decided change request can no longer be edited."))
    _check_requesters(change_request)
    return save_versioned(
        change_request, stored.version, fields=CHANGE_REQUEST_EDITABLE
    )


@transaction.atomic
def transition(
    change_request: ChangeRequest,
    to_status: str,
    user: Any,
    comment: str = "",
    decided_by: Contact | None = None,
    decided_on: datetime.date | None = None,
    *,
    expected_version: int | None = None,
) -> ChangeRequestTransition:
    """Move a change request one step along its life cycle and record the step (who,
    when, comment) as a ``ChangeRequestTransition``, which is returned.

    Allowed steps are ``workflow.CHANGE_TRANSITIONS``. Approving or rejecting a change
    that awaits the client's decision needs ``decided_by``, a contact of the project's
    client, and records ``decided_on`` (default today, not before the request date);
    rejecting earlier is an internal decision (a contact is optional). Approving or
    rejecting tells the requester (``change_request.decided``), and the project's
    managers too when it was the client's decision. Raises ``TransitionError``
    for a step out of order, ``ChangeControlError`` for a missing or foreign contact or
    a bad date, ``StaleVersion`` when the request changed since ``expected_version``;
    nothing is saved when it raises.
    """
    stored = ChangeRequest.objects.select_for_update().get(pk=change_request.pk)
    if expected_version is not None and expected_version != stored.version:
        raise StaleVersion(stored)
    from_status = stored.status
    allowed = workflow.next_change_statuses(from_status)
    if to_status not in allowed:
        raise _refuse_move(
            str(_("change request")),
            ChangeRequest.Status,
            from_status,
            to_status,
            allowed,
        )
    fields = ["status"]
    if to_status in (ChangeRequest.Status.APPROVED, ChangeRequest.Status.REJECTED):
        _check_contact(
            decided_by,
            change_request.project,
            "decided_by",
            required=workflow.is_client_decision(from_status, to_status),
        )
        decided_on = decided_on or timezone.localdate()
        if decided_on < stored.requested_on:
            raise ChangeControlError(
                _("The decision cannot be dated before the request (%(date)s).")
                % {"date": stored.requested_on.isoformat()},
                field="decided_on",
            )
        change_request.decided_by = decided_by
        change_request.decided_on = decided_on
        fields += ["decided_by", "decided_on"]
    change_request.status = to_status
    save_versioned(change_request, stored.version, fields=fields)
    step = ChangeRequestTransition.objects.create(
        change_request=change_request,
        from_status=from_status,
        to_status=to_status,
        user=user,
        comment=comment,
    )
    if to_status in (ChangeRequest.Status.APPROVED, ChangeRequest.Status.REJECTED):
        recipients = [_requester(change_request)]
        if workflow.is_client_decision(from_status, to_status):
            # The client decided (in the portal, or as recorded by staff): the managers,
            # who apply an approved change to the plan, must hear of it (issue 12).
            recipients += deciders(change_request.project)
        events.publish(
            events.Kind.CHANGE_REQUEST_DECIDED,
            change_request,
            actor=_user_or_none(user),
            recipients=recipients,
            project=change_request.project_id,
            data={"title": str(change_request), "decision": str(to_status)},
        )
    return step


@dataclass(frozen=True)
class ChangeLogTotals:
    """The impact of a project's approved and implemented changes.

    ``days`` is the schedule impact in calendar days (negative: shortened), across all
    currencies; ``costs`` is one ``(currency, amount)`` per currency used, because
    amounts in different currencies are not added up.
    """

    changes: int
    days: int
    costs: tuple[tuple[str, Decimal], ...]


def change_log_totals(project: Project) -> ChangeLogTotals:
    """Totals of the project's approved (and implemented) changes, in one query."""
    rows = list(ChangeRequest.objects.filter(project=project).impact_by_currency())
    return ChangeLogTotals(
        changes=sum(row["changes"] for row in rows),
        days=sum(row["days"] or 0 for row in rows),
        costs=tuple((row["currency"], row["cost"] or Decimal("0")) for row in rows),
    )
