"""The one permission layer: who may do what on which records, and which rows they see.

Pages, the API, exports, imports, search and template tags all ask here; no other module
looks at roles. Outside a user's scope a record does not exist for them (views answer 404);
visible but not allowed is 403.

Two kinds of rule:

- Global rules by role (admin, staff, client) for records that belong to the firm as a
  whole, such as the client library.
- Project rules by *project role* (manager, member, viewer, finance) for everything kept
  in a project folder. Administrators see every project; staff see the projects they are
  members of, and act there as their project role allows; everyone else sees none.

Some records (``OWN_RECORDS``: time entries, expenses) limit a role to the rows the
user owns: a member sees and edits their own time and expenses, the manager and the
finance role everyone's.

Money in the client library (``CLIENT_MONEY``: contracts, payments received) is finance
data: administrators, the client's account owner (``Client.owner``) and the manager and
finance people of the projects it belongs to see and change it; for everyone else it does
not exist. A contract belongs to the projects of its client (an invoice of a project names
a contract of the project's client); a payment received against an invoice belongs to the
invoice's project, any other payment to its contract's projects.

Client contacts (role client, tied to one ``clients.Contact`` through
``Contact.portal_user``) reach only the portal (``CLIENT_NAMESPACES``; every other URL
answers them 404) and see there only what ``PORTAL_RULES`` shares with their own client:
the projects of their client whose portal is on, and in each only the sections its
sharing settings (``portal.ProjectSharing``; no row means ``SHARING_DEFAULTS``) show.
``portal_scope(contact, queryset)`` is that scope; staff previewing the portal as a
contact see exactly what the contact would.

Rules are keyed by model label (``"clients.client"``) and the membership table is looked
up by name, so this module imports no domain app.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet

__all__ = [
    "Action",
    "PortalRule",
    "can",
    "can_any",
    "client_contact",
    "is_client",
    "landing_url",
    "portal_projects",
    "portal_scope",
    "reaches_url",
    "governs",
    "is_project_record",
    "project_of",
    "project_path",
    "project_role",
    "project_roles",
    "project_roles_allowed",
    "remember_roles",
    "role_of",
    "scope",
    "sees_finance",
]

Q = TypeVar("Q", bound="QuerySet[Any]")


class Action(StrEnum):
    VIEW = "view"
    ADD = "add"
    CHANGE = "change"
    DELETE = "delete"  # archive or move to trash: restorable
    PURGE = "purge"  # destroy for good
    EXPORT = "export"
    IMPORT = "import"


ADMIN, STAFF, CLIENT = "admin", "staff", "client"
INTERNAL = frozenset({ADMIN, STAFF})
ADMINS = frozenset({ADMIN})

_CLIENT_LIBRARY = {
    Action.VIEW: INTERNAL,
    Action.ADD: INTERNAL,
    Action.CHANGE: INTERNAL,
    Action.DELETE: INTERNAL,
    Action.PURGE: ADMINS,
    Action.EXPORT: INTERNAL,
    Action.IMPORT: INTERNAL,
}

RULES: dict[str, dict[Action, frozenset[str]]] = {
    "core.user": dict.fromkeys(Action, ADMINS),
    "core.tag": {Action.VIEW: INTERNAL, Action.ADD: INTERNAL},
    # A user's own background jobs (the views show only their own); the schedule of
    # periodic jobs is for administrators.
    "core.job": {Action.VIEW: INTERNAL},
    "core.periodicjob": dict.fromkeys(Action, ADMINS),
    # The operator's figures (Prometheus metrics at /metrics/); a scraper presents
    # METRICS_TOKEN instead (ops.views.metrics).
    "ops.metrics": {Action.VIEW: ADMINS},
    # The record of backups (ops) is for administrators.
    "ops.backuprun": {Action.VIEW: ADMINS},
    # Notifications are personal: the views and the API show each user only their own
    # (administrators included); client contacts have none.
    "notifications.notification": {Action.VIEW: INTERNAL, Action.CHANGE: INTERNAL},
    "notifications.preference": {Action.VIEW: INTERNAL, Action.CHANGE: INTERNAL},
    "notifications.follow": {
        Action.VIEW: INTERNAL,
        Action.ADD: INTERNAL,
        Action.DELETE: INTERNAL,
    },
    # Outgoing webhooks, their delivery log and the firm-wide chat channels are
    # administrators' (a project's own channels are its manager's: PROJECT_RULES).
    "integrations.webhook": dict.fromkeys(Action, ADMINS),
    "integrations.delivery": {Action.VIEW: ADMINS},
    "integrations.firmchannel": dict.fromkeys(Action, ADMINS),
    "clients.client": _CLIENT_LIBRARY,
    "clients.contact": _CLIENT_LIBRARY,
    "clients.requirement": _CLIENT_LIBRARY,
    "clients.feedback": _CLIENT_LIBRARY,
    "clients.followup": _CLIENT_LIBRARY,
    # Column mappings of the client import, shared by everyone who imports clients.
    "clients.importpreset": {
        Action.VIEW: INTERNAL,
        Action.ADD: INTERNAL,
        Action.CHANGE: INTERNAL,
        Action.DELETE: INTERNAL,
    },
    # Anyone on the staff may start a project (and becomes its manager).
    "projects.project": {Action.ADD: INTERNAL},
    # Folder templates belong to the firm; only administrators destroy documents.
    "documents.foldertemplate": dict.fromkeys(Action, ADMINS),
    "documents.document": {Action.PURGE: ADMINS},
    # Exchange rates and the firm-wide hourly rates are kept by administrators.
    "finance.exchangerate": {
        Action.VIEW: INTERNAL,
        Action.ADD: ADMINS,
        Action.CHANGE: ADMINS,
        Action.DELETE: ADMINS,
    },
    "finance.firmrates": dict.fromkeys(Action, ADMINS),
    # The client analysis is read by the firm's people; the money in it only where the
    # reader may see the client's contracts (reports.views.clients).
    "reports.clientinsight": {Action.VIEW: INTERNAL},
    # The firm's progress-report template (sections, order, logo) is administrators'.
    "reports.reporttemplate": dict.fromkeys(Action, ADMINS),
    # Project templates are the firm's: everyone on the staff starts projects from them;
    # administrators keep them, and a template's author changes or deletes their own
    # (AUTHORED_RECORDS). A project's manager saves it as a template
    # ("blueprints.projectsnapshot" in PROJECT_RULES).
    "blueprints.projecttemplate": {
        Action.VIEW: INTERNAL,
        Action.ADD: ADMINS,
        Action.CHANGE: ADMINS,
        Action.DELETE: ADMINS,
        Action.EXPORT: INTERNAL,
    },
    # Requests about a person's data (PIPL / GDPR): handed over and erased by
    # administrators, who answer for the firm; the log of them is theirs too.
    "ops.personaldatarecord": dict.fromkeys(Action, ADMINS),
    # A user's own import runs (the views show only their own); the project imported
    # into is checked separately.
    "interchange.importrun": {Action.VIEW: INTERNAL, Action.ADD: INTERNAL},
}

# Firm-wide records whose author (the field named) may also do these actions on them.
AUTHORED_RECORDS: dict[str, tuple[str, frozenset[Action]]] = {
    "blueprints.projecttemplate": (
        "created_by",
        frozenset({Action.CHANGE, Action.DELETE}),
    ),
}

# Model label -> path from the record to its contract (see ``_money_scope``).
CLIENT_MONEY: dict[str, str] = {"clients.contract": "", "clients.payment": "contract"}

MANAGER, MEMBER, VIEWER, FINANCE = "manager", "member", "viewer", "finance"
EVERY_PROJECT_ROLE = frozenset({MANAGER, MEMBER, VIEWER, FINANCE})
MANAGERS = frozenset({MANAGER})
CONTRIBUTORS = frozenset({MANAGER, MEMBER})

_FOLDER_RECORD = {
    Action.VIEW: EVERY_PROJECT_ROLE,
    Action.ADD: CONTRIBUTORS,
    Action.CHANGE: CONTRIBUTORS,
    Action.DELETE: MANAGERS,
    Action.EXPORT: CONTRIBUTORS,
}

# Documents: contributors may also move them to the trash (restorable).
_DOCUMENT_RECORD = {**_FOLDER_RECORD, Action.DELETE: CONTRIBUTORS}

# Money: only the manager and the project's finance people (and administrators).
FINANCE_ROLES = frozenset({MANAGER, FINANCE})
_FINANCE_RECORD = {
    Action.VIEW: FINANCE_ROLES,
    Action.ADD: FINANCE_ROLES,
    Action.CHANGE: FINANCE_ROLES,
    Action.DELETE: FINANCE_ROLES,
    Action.EXPORT: FINANCE_ROLES,
}
# Time and expenses: members record their own (see OWN_RECORDS); the manager and the
# finance role see, approve and correct everyone's.
_OWN_COSTS = {
    Action.VIEW: FINANCE_ROLES | {MEMBER},
    Action.ADD: FINANCE_ROLES | {MEMBER},
    Action.CHANGE: FINANCE_ROLES | {MEMBER},
    Action.DELETE: FINANCE_ROLES | {MEMBER},
    Action.EXPORT: FINANCE_ROLES,
}

# Model label -> (field naming the record's owner, project roles limited to the
# records they own). A member sees and changes only their own time and expenses.
OWN_RECORDS: dict[str, tuple[str, frozenset[str]]] = {
    "finance.timeentry": ("user", frozenset({MEMBER})),
    "finance.expense": ("submitted_by", frozenset({MEMBER})),
}

# Model label -> (path from the model to its project, rules by project role).
PROJECT_RULES: dict[str, tuple[str, dict[Action, frozenset[str]]]] = {
    "projects.project": (
        "",
        {
            Action.VIEW: EVERY_PROJECT_ROLE,
            Action.CHANGE: MANAGERS,
            Action.DELETE: MANAGERS,
            Action.EXPORT: CONTRIBUTORS,
        },
    ),
    "projects.membership": (
        "project",
        {
            Action.VIEW: EVERY_PROJECT_ROLE,
            Action.ADD: MANAGERS,
            Action.CHANGE: MANAGERS,
            Action.DELETE: MANAGERS,
        },
    ),
    "projects.projectevent": ("project", {Action.VIEW: EVERY_PROJECT_ROLE}),
    "projects.projectrequirement": ("project", _FOLDER_RECORD),
    "projects.changerequest": ("project", _FOLDER_RECORD),
    "projects.changerequesttransition": ("change_request__project", _FOLDER_RECORD),
    "comms.commrecord": ("project", _FOLDER_RECORD),
    "comms.participant": ("record__project", _FOLDER_RECORD),
    "comms.actionitem": ("record__project", _FOLDER_RECORD),
    "schedule.task": ("project", _FOLDER_RECORD),
    "schedule.dependency": ("project", _FOLDER_RECORD),
    "schedule.assignment": ("task__project", _FOLDER_RECORD),
    "schedule.baseline": ("project", _FOLDER_RECORD),
    "schedule.baselinetask": ("baseline__project", {Action.VIEW: EVERY_PROJECT_ROLE}),
    "schedule.projectschedule": (
        "project",
        {Action.VIEW: EVERY_PROJECT_ROLE, Action.CHANGE: MANAGERS},
    ),
    "documents.folder": ("project", _DOCUMENT_RECORD),
    "documents.document": ("project", _DOCUMENT_RECORD),
    "documents.documentversion": ("document__project", _DOCUMENT_RECORD),
    "documents.documentsettings": (
        "project",
        {Action.VIEW: EVERY_PROJECT_ROLE, Action.CHANGE: MANAGERS},
    ),
    "documents.downloadlog": (
        "version__document__project",
        {Action.VIEW: EVERY_PROJECT_ROLE},
    ),
    # --- finance (rows added by the finance app) ---
    "finance.budgetline": ("project", _FINANCE_RECORD),
    "finance.rate": ("project", _FINANCE_RECORD),
    "finance.invoice": ("project", _FINANCE_RECORD),
    "finance.invoiceline": ("invoice__project", _FINANCE_RECORD),
    "finance.expense": ("project", _OWN_COSTS),
    "finance.timeentry": ("project", _OWN_COSTS),
    # --- risks (rows added by the risks app) ---
    "risks.risk": ("project", _FOLDER_RECORD),
    "risks.riskassessment": ("risk__project", _FOLDER_RECORD),
    "risks.issue": ("project", _FOLDER_RECORD),
    "risks.risksettings": (
        "project",
        {Action.VIEW: EVERY_PROJECT_ROLE, Action.CHANGE: MANAGERS},
    ),
    # --- quality (rows added by the quality app) ---
    "quality.qualitystandard": ("project", _FOLDER_RECORD),
    "quality.deliverable": ("project", _FOLDER_RECORD),
    "quality.qualityreview": ("project", _FOLDER_RECORD),
    "quality.reviewitem": ("review__project", _FOLDER_RECORD),
    # A client's acceptance commits the project: only its manager records one.
    "quality.acceptance": (
        "project",
        {
            Action.VIEW: EVERY_PROJECT_ROLE,
            Action.ADD: MANAGERS,
            Action.CHANGE: MANAGERS,
            Action.DELETE: MANAGERS,
        },
    ),
    "quality.improvementaction": ("project", _FOLDER_RECORD),
    # --- closure (rows added by the closure app) ---
    # Closing (and reopening) commits the project: only its manager does it.
    "closure.closure": (
        "project",
        {
            Action.VIEW: EVERY_PROJECT_ROLE,
            Action.ADD: MANAGERS,
            Action.CHANGE: MANAGERS,
        },
    ),
    "closure.lesson": ("project", _FOLDER_RECORD),
    "closure.handover": (
        "project",
        {
            Action.VIEW: EVERY_PROJECT_ROLE,
            Action.ADD: MANAGERS,
            Action.CHANGE: MANAGERS,
        },
    ),
    "closure.evaluation": (
        "project",
        {
            Action.VIEW: EVERY_PROJECT_ROLE,
            Action.ADD: MANAGERS,
            Action.CHANGE: MANAGERS,
            Action.EXPORT: EVERY_PROJECT_ROLE,
        },
    ),
    # --- reports: progress reports (rows added by the reports app) ---
    # Members help draft a report (its figures come from the data, the narrative is
    # the team's); publishing speaks to the client in the firm's name and e-mails them,
    # so only the manager publishes (ADD on the version), as only they record an
    # acceptance or close the project. Everyone on the project reads reports and their
    # PDFs; a version's internal PDF also needs the finance rule (``sees_finance``).
    "reports.progressreport": (
        "project",
        {
            Action.VIEW: EVERY_PROJECT_ROLE,
            Action.ADD: CONTRIBUTORS,
            Action.CHANGE: CONTRIBUTORS,
            Action.DELETE: MANAGERS,
        },
    ),
    "reports.progressreportversion": (
        "report__project",
        {
            Action.VIEW: EVERY_PROJECT_ROLE,
            Action.ADD: MANAGERS,
            Action.EXPORT: EVERY_PROJECT_ROLE,
        },
    ),
    "reports.reportschedule": (
        "project",
        {Action.VIEW: EVERY_PROJECT_ROLE, Action.CHANGE: MANAGERS},
    ),
    # --- comments (rows added by the comments app) ---
    # Everyone who sees the commented record reads its thread; contributors write.
    # Editing is the author's alone (comments.services adds that and the time window);
    # deleting is the manager's here, or the author's own (comments.services).
    "comments.comment": (
        "project",
        {
            Action.VIEW: EVERY_PROJECT_ROLE,
            Action.ADD: CONTRIBUTORS,
            Action.CHANGE: CONTRIBUTORS,
            Action.DELETE: MANAGERS,
        },
    ),
    # --- integrations: a project's chat channels are its manager's ---
    "integrations.chatchannel": (
        "project",
        {
            Action.VIEW: MANAGERS,
            Action.ADD: MANAGERS,
            Action.CHANGE: MANAGERS,
            Action.DELETE: MANAGERS,
        },
    ),
    # --- reports: satisfaction surveys (rows added by the reports app) ---
    # Everyone on the project reads the surveys and their answers; the manager sends
    # them and sets when they go out automatically. Answers come from the client only.
    "reports.survey": (
        "project",
        {
            Action.VIEW: EVERY_PROJECT_ROLE,
            Action.ADD: MANAGERS,
            Action.CHANGE: MANAGERS,
            Action.DELETE: MANAGERS,
            Action.EXPORT: EVERY_PROJECT_ROLE,
        },
    ),
    "reports.invitation": (
        "survey__project",
        {Action.VIEW: EVERY_PROJECT_ROLE, Action.ADD: MANAGERS},
    ),
    "reports.answer": ("survey__project", {Action.VIEW: EVERY_PROJECT_ROLE}),
    "reports.surveysettings": (
        "project",
        {Action.VIEW: EVERY_PROJECT_ROLE, Action.CHANGE: MANAGERS},
    ),
    # Saving a project as a template (a project's shape, read by its manager).
    "blueprints.projectsnapshot": ("", {Action.ADD: MANAGERS}),
    "schedule.calendarday": (
        "schedule__project",
        {
            Action.VIEW: EVERY_PROJECT_ROLE,
            Action.ADD: MANAGERS,
            Action.CHANGE: MANAGERS,
            Action.DELETE: MANAGERS,
        },
    ),
}


def role_of(user: Any) -> str | None:
    """The user's effective role, or None for anonymous and deactivated users."""
    if (
        user is None
        or not getattr(user, "is_authenticated", False)
        or not user.is_active
    ):
        return None
    if user.is_superuser:
        return ADMIN
    return str(user.role)


def _label(target: Model | type[Model] | str) -> str:
    if isinstance(target, str):
        return target
    return str(target._meta.label_lower)


def _project_of(obj: Model, path: str) -> Any:
    """The project an instance belongs to, following ``path`` (e.g. ``record__project``);
    None when a step is not set (a record being built)."""
    from django.core.exceptions import ObjectDoesNotExist

    current: Any = obj
    for step in path.split("__") if path else ():
        try:
            current = getattr(current, step)
        except ObjectDoesNotExist:
            return None
        if current is None:
            return None
    return current


# Project records that may belong to no project, and the global rule they follow then.
WITHOUT_PROJECT = {
    "finance.rate": "finance.firmrates",
    "integrations.chatchannel": "integrations.firmchannel",
}


def is_project_record(target: Model | type[Model] | str) -> bool:
    """Whether ``target`` is kept in a project folder (its project role decides)."""
    return _label(target) in PROJECT_RULES


def project_path(target: Model | type[Model] | str) -> str | None:
    """The path from a project record to its project (``record__project``; ``""`` for a
    project itself), or None for a record outside project folders."""
    rule = PROJECT_RULES.get(_label(target))
    return None if rule is None else rule[0]


def project_of(obj: Model) -> Any:
    """The project a project record belongs to; None when it is not set yet or ``obj``
    is not a project record."""
    path = project_path(obj)
    if path is None:
        return None
    return _project_of(obj, path) if path else obj


def governs(target: Model | type[Model] | str) -> bool:
    """Whether the permission layer limits who sees ``target``'s rows. Users are the
    firm's directory: anyone on the staff may name a colleague."""
    label = _label(target)
    if label == "core.user":
        return False
    return label in RULES or label in PROJECT_RULES or label in CLIENT_MONEY


def project_roles_allowed(
    action: Action | str, target: Model | type[Model] | str
) -> frozenset[str]:
    """The project roles whose members may perform ``action`` on ``target``'s records
    (empty for a record outside project folders): lists people who may, in one query
    over the memberships (who may be mentioned in a comment)."""
    rule = PROJECT_RULES.get(_label(target))
    if rule is None:
        return frozenset()
    return rule[1].get(Action(action), frozenset())


def project_roles(user: Any) -> dict[int, str]:
    """The user's role on each project they are on, by project id.

    Read once per request (kept on the user object with the generation it was read
    under) and, across requests, from ``core.caching`` under the user's ``roles``
    generation, which every write to their memberships bumps (``projects.apps``: saves,
    deletes, cascades and the membership queryset's bulk writes). The generation is
    checked again before the kept copy is used, so a change made in this process is
    seen at once."""
    from django.apps import apps

    from clientfolio.core import caching

    current = caching.generation("roles", user.pk)
    kept = user.__dict__.get("_cf_project_roles")
    if kept is not None and kept[0] == current:
        return kept[1]  # type: ignore[no-any-return]
    membership = apps.get_model("projects", "Membership")

    def read() -> dict[int, str]:
        return dict(
            membership.objects.filter(user_id=user.pk).values_list("project_id", "role")
        )

    roles = caching.cached(("roles", user.pk), read, current)
    user.__dict__["_cf_project_roles"] = (current, roles)
    return roles


def project_role(user: Any, project: Any) -> str | None:
    """The user's role on ``project`` (None if not a member); cached on the project
    (``project_roles``)."""
    if project is None or getattr(project, "pk", None) is None:
        return None
    cache: dict[int, str | None] = project.__dict__.setdefault("_cf_roles", {})
    if user.pk not in cache:
        cache[user.pk] = project_roles(user).get(project.pk)
    return cache[user.pk]


def remember_roles(project: Any, user_ids: Any) -> None:
    """Look up the roles of these users on ``project`` in one query, so ``can`` answers
    for each of them without one (a handler checking every reader of an event)."""
    if project is None or getattr(project, "pk", None) is None:
        return
    from django.apps import apps

    membership = apps.get_model("projects", "Membership")
    cache: dict[int, str | None] = project.__dict__.setdefault("_cf_roles", {})
    ids = [pk for pk in user_ids if pk not in cache]
    if not ids:
        return
    cache.update(dict.fromkeys(ids))
    cache.update(
        membership.objects.filter(project_id=project.pk, user_id__in=ids).values_list(
            "user_id", "role"
        )
    )


def can(
    user: Any,
    action: Action | str,
    target: Model | type[Model] | str,
    *,
    project: Any = None,
) -> bool:
    """Whether ``user`` may perform ``action`` on ``target`` (a model, instance or label).

    For records of a project folder, pass an instance (its project is found through the
    model's path) or the model together with ``project=``; administrators may do anything,
    staff what their project role allows. A model asked about without a project answers
    whether *some* project role allows the action, which is what navigation needs.
    """
    role = role_of(user)
    if role is None:
        return False
    action = Action(action)
    label = _label(target)
    if role == CLIENT:
        return _portal_can(user, action, target)
    if role in RULES.get(label, {}).get(action, frozenset()):
        return True
    if label in AUTHORED_RECORDS and role in INTERNAL:
        author_field, authored = AUTHORED_RECORDS[label]
        if action not in authored:
            return False
        if isinstance(target, (str, type)):
            return True  # some record of theirs may allow it
        return bool(getattr(target, f"{author_field}_id", None) == user.pk)
    if label in CLIENT_MONEY and role in INTERNAL:
        if role == ADMIN:
            return True
        if action == Action.PURGE:
            return False
        # A model without an instance: some contract or payment may allow it.
        return isinstance(target, (str, type)) or _handles_money(user, label, target)
    if label not in PROJECT_RULES or role not in INTERNAL:
        return False
    path, rules = PROJECT_RULES[label]
    allowed = rules.get(action, frozenset())
    if not allowed:
        return False
    if role == ADMIN:
        return True
    if project is None and not isinstance(target, (str, type)):
        project = _project_of(target, path) if path else target
        if project is None:
            # A record outside every project: the global rule, or nobody but admins.
            fallback = WITHOUT_PROJECT.get(label)
            return fallback is not None and can(user, action, fallback)
    if project is None:
        return True
    role_here = project_role(user, project)
    if role_here not in allowed:
        return False
    owner_field, own_roles = OWN_RECORDS.get(label, ("", frozenset()))
    if role_here in own_roles and not isinstance(target, (str, type)):
        return bool(getattr(target, f"{owner_field}_id", None) == user.pk)
    return True


# --- the client persona: the portal ------------------------------------------------------

# URL namespaces a client contact reaches, and the few other URLs open to them (signing
# in and out, the language switch, the start page that sends them to the portal, the
# e-mailed minutes link). Every other URL answers them 404.
CLIENT_NAMESPACES = frozenset({"portal", "portal_api"})
CLIENT_OPEN_URLS = frozenset(
    {
        "home",
        "core:set_language",
        "core:login",
        "core:logout",
        "core:health",
        "comms:confirm",
        "reports:survey_answer",
        "survey-answer-by-token",
        "api_token",
    }
)

# What a project shares with its client when it has no settings of its own
# (``portal.ProjectSharing``): everything a client project needs, money excepted.
SHARING_DEFAULTS: dict[str, bool] = {
    "is_enabled": True,
    "shows_progress": True,
    "shows_timeline": True,
    "shows_reports": True,
    "shows_documents": True,
    "shows_change_requests": True,
    "shows_deliverables": True,
    "shows_minutes": True,
    "shows_invoices": False,
    "shows_team": True,
    "shows_when_closed": True,
}

# Project statuses a client sees at all; closed ones only while ``shows_when_closed``.
PORTAL_OPEN_STATUSES = ("proposed", "active", "on_hold")
PORTAL_CLOSED_STATUSES = ("completed",)


@dataclass(frozen=True)
class PortalRule:
    """What a client contact sees of one model in the portal and may do with it.

    ``path`` leads from the record to its project (``""``: the project itself; None: a
    record of the client library, limited by ``where`` alone); ``section`` names the
    sharing setting that must be on; ``where(contact)`` returns the filter (a ``Q``)
    that picks the rows meant for the client (shared documents, client-visible
    milestones, minutes the contact took part in…); ``actions`` beyond viewing are
    carried out by the portal's services, which check the rest (a decision still open,
    the contact a participant)."""

    path: str | None
    section: str | None = None
    where: Any = None
    actions: frozenset[Action] = field(default_factory=lambda: frozenset({Action.VIEW}))


def _q(**lookups: Any) -> Any:
    from django.db.models import Q as Where

    return Where(**lookups)


def _took_part(contact: Any) -> Any:
    """Records the contact took part in: portal threads are always theirs to see; a
    meeting's minutes once they were sent for confirmation, while the project shares
    minutes."""
    from django.apps import apps

    participant = apps.get_model("comms", "Participant")
    # ``pk__in`` rather than a correlated EXISTS: the few records of the contact are
    # found by their index, not by testing every record of a project with thousands.
    took_part = _q(
        pk__in=participant.objects.filter(contact_id=contact.pk).values("record_id")
    )
    return took_part & (
        _q(kind="portal")
        | (_q(minutes_sent_at__isnull=False) & _shared("project__", "shows_minutes"))
    )


def _invitations_of(contact: Any) -> Any:
    from django.apps import apps

    invitation = apps.get_model("reports", "Invitation")
    return invitation.objects.filter(contact_id=contact.pk)


_CLIENT_DECISIONS = ("awaiting_client", "approved", "rejected", "implemented")

PORTAL_RULES: dict[str, PortalRule] = {
    "projects.project": PortalRule(""),
    "projects.membership": PortalRule("project", "shows_team"),
    "projects.changerequest": PortalRule(
        "project",
        "shows_change_requests",
        lambda contact: (
            _q(status__in=_CLIENT_DECISIONS) | _q(requested_by_contact_id=contact.pk)
        ),
        frozenset({Action.VIEW, Action.CHANGE}),
    ),
    "schedule.task": PortalRule(
        "project",
        "shows_timeline",
        lambda contact: _q(is_milestone=True, is_client_visible=True),
    ),
    "documents.document": PortalRule(
        "project",
        "shows_documents",
        lambda contact: _q(visibility="shared", deleted_at__isnull=True),
    ),
    "documents.documentversion": PortalRule(
        "document__project",
        "shows_documents",
        lambda contact: _q(
            document__visibility="shared", document__deleted_at__isnull=True
        ),
    ),
    "quality.deliverable": PortalRule(
        "project", "shows_deliverables", actions=frozenset({Action.VIEW, Action.ADD})
    ),
    "quality.acceptance": PortalRule(
        "project", "shows_deliverables", actions=frozenset({Action.VIEW, Action.ADD})
    ),
    "comms.commrecord": PortalRule(
        "project",
        None,
        _took_part,
        frozenset({Action.VIEW, Action.ADD, Action.CHANGE}),
    ),
    "comms.participant": PortalRule(
        "record__project",
        None,
        lambda contact: (
            _q(contact_id=contact.pk)
            & (
                _q(record__kind="portal")
                | _shared("record__project__", "shows_minutes")
            )
        ),
        frozenset({Action.VIEW, Action.CHANGE}),
    ),
    # Action items come from meetings: shown with their minutes.
    "comms.actionitem": PortalRule(
        "record__project",
        "shows_minutes",
        lambda contact: _q(owner_contact_id=contact.pk),
        frozenset({Action.VIEW, Action.CHANGE}),
    ),
    "finance.invoice": PortalRule(
        "project",
        "shows_invoices",
        lambda contact: _q(status__in=("issued", "partly_paid", "paid")),
    ),
    "clients.feedback": PortalRule(
        None,
        None,
        lambda contact: _q(contact_id=contact.pk),
        frozenset({Action.VIEW, Action.ADD}),
    ),
    # Published progress reports (their client version), while the project shares
    # reports (reports app).
    "reports.progressreportversion": PortalRule("report__project", "shows_reports"),
    # Requirements the contact asked for in the portal (issue 12).
    "clients.requirement": PortalRule(
        None,
        None,
        lambda contact: _q(submitted_by_id=contact.pk),
        frozenset({Action.VIEW, Action.ADD}),
    ),
    # --- reports: satisfaction surveys: only those the contact was invited to ---
    "reports.survey": PortalRule(
        "project",
        None,
        lambda contact: _q(
            pk__in=_invitations_of(contact).values("survey_id"),
        ),
    ),
    "reports.invitation": PortalRule(
        "survey__project",
        None,
        lambda contact: _q(contact_id=contact.pk),
        frozenset({Action.VIEW, Action.CHANGE}),
    ),
    "reports.answer": PortalRule(
        "survey__project",
        None,
        lambda contact: _q(contact_id=contact.pk),
        frozenset({Action.VIEW, Action.ADD}),
    ),
}


def is_client(user: Any) -> bool:
    """Whether ``user`` is a signed-in, active client contact."""
    return role_of(user) == CLIENT


def client_contact(user: Any) -> Any:
    """The Contact a client user is tied to (cached on the user); None for anyone else
    and for a client login whose contact was removed."""
    if not is_client(user):
        return None
    if "_cf_contact" not in user.__dict__:
        from django.apps import apps

        contact_model = apps.get_model("clients", "Contact")
        user.__dict__["_cf_contact"] = (
            contact_model.objects.select_related("client")
            .filter(portal_user_id=user.pk)
            .first()
        )
    return user.__dict__["_cf_contact"]


def reaches_url(user: Any, namespace: str, url_name: str) -> bool:
    """Whether ``user`` may reach a URL of ``namespace`` named ``url_name`` at all:
    everyone but client contacts may try any (each view then asks ``can``); a client
    contact only the portal's and ``CLIENT_OPEN_URLS``."""
    if not is_client(user):
        return True
    if namespace.split(":")[0] in CLIENT_NAMESPACES:
        return True
    full = f"{namespace}:{url_name}" if namespace else url_name
    return full in CLIENT_OPEN_URLS


def landing_url(user: Any) -> str:
    """The URL name a signed-in user starts from: the portal for client contacts."""
    return "portal:home" if is_client(user) else "home"


def _shared(prefix: str, setting: str) -> Any:
    """Projects (through ``prefix``) whose sharing settings have ``setting`` on."""
    lookup = f"{prefix}portal_sharing__{setting}"
    if SHARING_DEFAULTS[setting]:
        return _q(**{f"{prefix}portal_sharing__isnull": True}) | _q(**{lookup: True})
    return _q(**{lookup: True})


def portal_projects(contact: Any, section: str | None = None) -> QuerySet[Any]:
    """The projects ``contact`` sees in the portal: their client's, with the portal on,
    open or (while shown) closed; with ``section``, only those that share it."""
    from django.apps import apps

    project = apps.get_model("projects", "Project")
    if contact is None:
        return project.objects.none()  # type: ignore[no-any-return]
    visible = _shared("", "is_enabled") & (
        _q(status__in=PORTAL_OPEN_STATUSES)
        | (_q(status__in=PORTAL_CLOSED_STATUSES) & _shared("", "shows_when_closed"))
    )
    if section is not None:
        visible &= _shared("", section)
    return project.objects.filter(  # type: ignore[no-any-return]
        visible, client_id=contact.client_id
    )


def portal_scope(contact: Any, queryset: Q, action: Action | str = Action.VIEW) -> Q:
    """The rows of ``queryset`` that ``contact`` sees in the portal (or may act on with
    ``action``): nothing for a model the portal does not share."""
    rule = PORTAL_RULES.get(_label(queryset.model))
    if contact is None or rule is None or Action(action) not in rule.actions:
        return queryset.none()
    if rule.path is not None:
        projects = portal_projects(contact, rule.section).values("pk")
        project_ref = f"{rule.path}_id" if rule.path else "pk"
        if "__" in rule.path:
            project_ref = rule.path
        queryset = queryset.filter(**{f"{project_ref}__in": projects})
    if rule.where is not None:
        queryset = queryset.filter(rule.where(contact))
    return queryset


def _portal_can(user: Any, action: Action, target: Any) -> bool:
    rule = PORTAL_RULES.get(_label(target))
    if rule is None or action not in rule.actions:
        return False
    contact = client_contact(user)
    if contact is None:
        return False
    if isinstance(target, (str, type)):
        return True
    model = type(target)
    return bool(
        portal_scope(
            contact, model._default_manager.filter(pk=target.pk), action
        ).exists()
    )


def _finance_projects(user: Any) -> QuerySet[Any]:
    """Ids of the projects where the user is the manager or a finance person."""
    from django.apps import apps

    membership = apps.get_model("projects", "Membership")
    return membership.objects.filter(  # type: ignore[no-any-return]
        user_id=user.pk, role__in=FINANCE_ROLES
    ).values("project_id")


def _handles_money(user: Any, label: str, obj: Model) -> bool:
    """Whether the user is the account owner of the contract's client or the manager or a
    finance person of a project the contract or payment belongs to."""
    from django.apps import apps

    if CLIENT_MONEY[label] and getattr(obj, f"{CLIENT_MONEY[label]}_id") is None:
        return False
    contract = _project_of(obj, CLIENT_MONEY[label])
    if contract.client_id is None:
        return False
    client_model = apps.get_model("clients", "Client")
    if client_model.objects.filter(pk=contract.client_id, owner_id=user.pk).exists():
        return True
    projects = _finance_projects(user)
    invoice_id = getattr(obj, "invoice_id", None)
    if invoice_id is not None:
        invoice = apps.get_model("finance", "Invoice")
        return bool(
            invoice.objects.filter(pk=invoice_id, project_id__in=projects).exists()
        )
    project = apps.get_model("projects", "Project")
    return bool(
        project.objects.filter(pk__in=projects, client_id=contract.client_id).exists()
    )


def _money_scope(user: Any, queryset: Q, label: str) -> Q:
    """The contracts or payments of ``_handles_money``, as one filter."""
    from django.apps import apps
    from django.db.models import Q as Where

    projects = _finance_projects(user)
    project = apps.get_model("projects", "Project")
    clients = project.objects.filter(pk__in=projects).values("client_id")
    if label == "clients.contract":
        return queryset.filter(
            Where(client__owner_id=user.pk) | Where(client_id__in=clients)
        )
    invoice = apps.get_model("finance", "Invoice")
    invoices = invoice.objects.filter(project_id__in=projects).values("pk")
    return queryset.filter(
        Where(contract__client__owner_id=user.pk)
        | Where(invoice_id__in=invoices)
        | Where(invoice__isnull=True, contract__client_id__in=clients)
    )


def sees_finance(user: Any, project: Any) -> bool:
    """Whether the user may read the project's finance figures wherever they appear
    (budget, actual cost, CPI, cost and bill amounts that reveal the rates): the rule of
    the finance pages."""
    return can(user, Action.VIEW, "finance.budgetline", project=project)


def can_any(user: Any, target: Model | type[Model] | str) -> bool:
    """Whether the user may do anything at all with ``target``: decides navigation."""
    return any(can(user, action, target) for action in Action)


def scope(
    user: Any,
    queryset: Q,
    action: Action | str = Action.VIEW,
    *,
    project: Any = None,
) -> Q:
    """The rows of ``queryset`` that ``user`` may see (or act on with ``action``).

    Project folder records are limited to the projects where the user's role allows the
    action. Client contacts see what the portal shares with them (``portal_scope``) and
    nothing else. A caller whose ``queryset`` holds the records of one project only passes it
    as ``project=``: the role is then looked up once instead of in every row's query.
    """
    action = Action(action)
    label = _label(queryset.model)
    role = role_of(user)
    if role == CLIENT:
        return portal_scope(client_contact(user), queryset, action)
    if label in CLIENT_MONEY and role in INTERNAL:
        if role == ADMIN:
            return queryset
        if action == Action.PURGE:
            return queryset.none()
        return _money_scope(user, queryset, label)
    if label in PROJECT_RULES and role in INTERNAL:
        path, rules = PROJECT_RULES[label]
        allowed = rules.get(action, frozenset())
        if not allowed:
            return queryset.none()
        if role == ADMIN:
            return queryset
        from django.apps import apps
        from django.db.models import Exists, OuterRef, Q

        membership = apps.get_model("projects", "Membership")
        project_ref = f"{path}_id" if path and "__" not in path else (path or "pk")
        owner_field, own_roles = OWN_RECORDS.get(label, ("", frozenset()))
        if project is not None:
            role_here = project_role(user, project)
            if role_here in allowed - own_roles:
                return queryset
            if role_here in own_roles & allowed:
                return queryset.filter(**{f"{owner_field}_id": user.pk})
            return queryset.none()
        member = membership.objects.filter(
            project_id=OuterRef(project_ref),
            user_id=user.pk,
            role__in=allowed - own_roles,
        )
        if not own_roles & allowed:
            return queryset.filter(Exists(member))
        own = membership.objects.filter(
            project_id=OuterRef(project_ref),
            user_id=user.pk,
            role__in=own_roles & allowed,
        )
        return queryset.filter(
            Exists(member) | (Exists(own) & Q(**{f"{owner_field}_id": user.pk}))
        )
    if label in AUTHORED_RECORDS and role in INTERNAL:
        if role in RULES.get(label, {}).get(action, frozenset()):
            return queryset
        author_field, authored = AUTHORED_RECORDS[label]
        if action not in authored:
            return queryset.none()
        return queryset.filter(**{f"{author_field}_id": user.pk})
    if not can(user, action, queryset.model):
        return queryset.none()
    return queryset
