"""What an event is about, told to a person: a one-line title, the object's name and page.

``describe(event)`` renders in the active language (callers wrap it in
``translation.override(lang)``); in-app notifications, e-mails and chat cards all use it, so
every channel says the same thing and none says more. A notification or an e-mail speaks
to its one reader ("李娜 assigned you to …"); a chat card is read by a whole group, so
``describe(event, audience=GROUP)`` names the people instead ("王五 was assigned to … by
李娜"). ``target_of(event)`` is the live
record the event is about, or None once it is gone (the title then falls back to the
snapshot the publisher stored in ``event.data["title"]``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Model
from django.urls import NoReverseMatch, reverse
from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy, pgettext

from clientfolio.core.events import KIND_LABELS, Kind
from clientfolio.risks.models import Level

__all__ = [
    "GROUP",
    "PERSONAL",
    "Description",
    "describe",
    "people_of",
    "prefetch_projects",
    "target_of",
    "url_of",
]

# Who reads a description: the one person it is for, or a group (a team chat).
PERSONAL = "personal"
GROUP = "group"


@dataclass(frozen=True)
class Description:
    """An event as one reader sees it, in the active language."""

    title: str
    object_name: str
    url: str
    project_name: str
    kind_label: str


# --- the record's page ------------------------------------------------------------

# Model label -> (url name, kwargs from the record); the first name that resolves wins,
# so a page another app adds later (a requirement's own page) is used once it exists.
_PAGES: dict[str, list[tuple[str, Callable[[Any], dict[str, Any]]]]] = {
    "schedule.task": [
        ("schedule:task_detail", lambda o: {"pk": o.project_id, "task_pk": o.pk})
    ],
    "projects.changerequest": [
        ("projects:change_detail", lambda o: {"pk": o.project_id, "number": o.number})
    ],
    "projects.projectrequirement": [
        (
            "projects:requirement_detail",
            lambda o: {"pk": o.project_id, "requirement_pk": o.pk},
        ),
        ("projects:requirement_list", lambda o: {"pk": o.project_id}),
    ],
    "projects.project": [("projects:project_detail", lambda o: {"pk": o.pk})],
    "reports.progressreport": [
        (
            "reports:report_detail",
            lambda o: {"pk": o.project_id, "report_pk": o.pk},
        )
    ],
    "risks.risk": [
        ("risks:risk_detail", lambda o: {"pk": o.project_id, "risk_pk": o.pk})
    ],
    "risks.issue": [
        ("risks:issue_detail", lambda o: {"pk": o.project_id, "issue_pk": o.pk})
    ],
    "quality.deliverable": [
        (
            "quality:deliverable_detail",
            lambda o: {"pk": o.project_id, "deliverable_pk": o.pk},
        )
    ],
    "quality.improvementaction": [
        ("quality:action_detail", lambda o: {"pk": o.project_id, "action_pk": o.pk})
    ],
    "comms.commrecord": [
        ("comms:record_detail", lambda o: {"pk": o.project_id, "record_pk": o.pk})
    ],
    # An action item lives on its minutes' page.
    "comms.actionitem": [
        (
            "comms:record_detail",
            lambda o: {"pk": o.record.project_id, "record_pk": o.record_id},
        )
    ],
    "finance.expense": [
        ("finance:expense_edit", lambda o: {"pk": o.project_id, "expense_pk": o.pk})
    ],
    "finance.invoice": [
        ("finance:invoice_detail", lambda o: {"pk": o.project_id, "invoice_pk": o.pk})
    ],
    # A follow-up visit is shown on its client's page.
    "clients.followup": [("clients:client_detail", lambda o: {"pk": o.client_id})],
    "clients.client": [("clients:client_detail", lambda o: {"pk": o.pk})],
    # What a client sends from the portal is listed on the client's page.
    "clients.feedback": [("clients:client_detail", lambda o: {"pk": o.client_id})],
    "clients.requirement": [("clients:client_detail", lambda o: {"pk": o.client_id})],
    "core.job": [("core:job_detail", lambda o: {"pk": o.pk})],
}

# Where on the page the record is (an action item among its minutes').
_ANCHORS: dict[str, Callable[[Any], str]] = {
    "comms.actionitem": lambda o: f"#action-item-{o.pk}",
    "clients.feedback": lambda o: "#feedback",
    "clients.requirement": lambda o: "#requirements",
}


def url_of(obj: Model | None) -> str:
    """The path of the record's page, "" for none (gone, or a kind without a page)."""
    if obj is None:
        return ""
    label = obj._meta.label_lower
    for name, kwargs in _PAGES.get(label, ()):
        try:
            path = reverse(name, kwargs=kwargs(obj))
        except NoReverseMatch:
            continue
        anchor = _ANCHORS.get(label)
        return path + (anchor(obj) if anchor else "")
    return ""


# --- the live record --------------------------------------------------------------

_CACHE = "_cf_target"


def target_of(event: Any) -> Model | None:
    """The live record the event is about, None if it was deleted (cached on the event)."""
    if _CACHE in event.__dict__:
        return event.__dict__[_CACHE]  # type: ignore[no-any-return]
    try:
        model = apps.get_model(event.target_type)
    except (LookupError, ValueError):
        target = None
    else:
        queryset = model._default_manager.all()
        if event.target_type == "comms.actionitem":
            queryset = queryset.select_related("record")
        target = queryset.filter(pk=event.target_id).first()
    event.__dict__[_CACHE] = target
    return target


_PROJECT_CACHE = "_cf_project_name"


def _project_name(event: Any, target: Model | None) -> str:
    if _PROJECT_CACHE in event.__dict__:
        return str(event.__dict__[_PROJECT_CACHE])
    project = None
    if target is not None:
        from clientfolio.core import permissions

        if target._meta.label_lower == "projects.project":
            project = target
        elif permissions.is_project_record(target):
            project = permissions.project_of(target)
    if project is None and event.project_id:
        project = (
            apps.get_model("projects", "Project")
            ._default_manager.filter(pk=event.project_id)
            .first()
        )
    return str(project) if project is not None else ""


def prefetch_projects(events: Iterable[Any]) -> None:
    """Look up the project names of these events in one query, for ``describe`` (a list
    of notifications)."""
    events = list(events)
    ids = {event.project_id for event in events if event.project_id}
    names = {
        project.pk: str(project)
        for project in apps.get_model("projects", "Project")._default_manager.filter(
            pk__in=ids
        )
    }
    for event in events:
        event.__dict__[_PROJECT_CACHE] = names.get(event.project_id, "")


# --- titles -----------------------------------------------------------------------


def _date(value: Any) -> str:
    """An ISO date from ``event.data`` in the active language's format; "" if none."""
    if not value:
        return ""
    try:
        day = dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)
    return formats.date_format(day, "DATE_FORMAT")


def _level(value: Any) -> str:
    labels = dict(Level.choices)
    return str(labels.get(value, value or "—"))


# Titles by kind, as lazy strings with named placeholders (``actor``, ``object``,
# ``due``): one pair when an actor is known or not, one pair when a due date is known or
# not, and three by the decision taken.
_BY_ACTOR: dict[str, tuple[Promise, Promise]] = {
    Kind.TASK_ASSIGNED: (
        gettext_lazy("%(actor)s assigned you to %(object)s"),
        gettext_lazy("You were assigned to %(object)s"),
    ),
    Kind.ACTION_ITEM_ASSIGNED: (
        gettext_lazy("%(actor)s assigned you the action item %(object)s"),
        gettext_lazy("You were assigned the action item %(object)s"),
    ),
    Kind.CHANGE_REQUEST_SUBMITTED: (
        gettext_lazy("%(actor)s asks for your decision on %(object)s"),
        gettext_lazy("The change request %(object)s awaits your decision"),
    ),
    Kind.EXPENSE_SUBMITTED: (
        gettext_lazy("%(actor)s asks you to approve the expense %(object)s"),
        gettext_lazy("The expense %(object)s awaits your approval"),
    ),
    Kind.MINUTES_SENT: (
        gettext_lazy("%(actor)s asks you to confirm the minutes %(object)s"),
        gettext_lazy("The minutes %(object)s await your confirmation"),
    ),
    Kind.COMMENT_ADDED: (
        gettext_lazy("%(actor)s commented on %(object)s"),
        gettext_lazy("New comment on %(object)s"),
    ),
    Kind.COMMENT_MENTIONED: (
        gettext_lazy("%(actor)s mentioned you on %(object)s"),
        gettext_lazy("You were mentioned on %(object)s"),
    ),
}
_BY_DUE: dict[str, tuple[Promise, Promise]] = {
    Kind.TASK_DUE_SOON: (
        gettext_lazy("%(object)s is due on %(due)s"),
        gettext_lazy("%(object)s is due soon"),
    ),
    Kind.TASK_OVERDUE: (
        gettext_lazy("%(object)s is overdue (due %(due)s)"),
        gettext_lazy("%(object)s is overdue"),
    ),
    Kind.FOLLOWUP_DUE: (
        gettext_lazy("The follow-up visit %(object)s is due on %(due)s"),
        gettext_lazy("The follow-up visit %(object)s is due"),
    ),
    Kind.RISK_REVIEW_DUE: (
        gettext_lazy("The review of the risk %(object)s is due on %(due)s"),
        gettext_lazy("The review of the risk %(object)s is due"),
    ),
    Kind.INVOICE_OVERDUE: (
        gettext_lazy("The invoice %(object)s is overdue (due %(due)s)"),
        gettext_lazy("The invoice %(object)s is overdue"),
    ),
}
_BY_DECISION: dict[str, dict[str, Promise]] = {
    Kind.CHANGE_REQUEST_DECIDED: {
        "approved": gettext_lazy("The change request %(object)s was approved"),
        "rejected": gettext_lazy("The change request %(object)s was rejected"),
        "": gettext_lazy("The change request %(object)s was decided"),
    },
    Kind.EXPENSE_DECIDED: {
        "approved": gettext_lazy("Your expense %(object)s was approved"),
        "rejected": gettext_lazy("Your expense %(object)s was rejected"),
        "": gettext_lazy("Your expense %(object)s was decided"),
    },
}
_PLAIN: dict[str, Promise] = {
    Kind.MINUTES_DISPUTED: gettext_lazy("The minutes %(object)s were disputed"),
    Kind.MESSAGE_RECEIVED: gettext_lazy("The client wrote in %(object)s"),
    Kind.DELIVERABLE_ACCEPTED: gettext_lazy("The deliverable %(object)s was accepted"),
    Kind.DELIVERABLE_REJECTED: gettext_lazy("The deliverable %(object)s was rejected"),
    Kind.FEEDBACK_RECEIVED: gettext_lazy("The client sent feedback: %(object)s"),
    Kind.REQUIREMENT_SUBMITTED: gettext_lazy(
        "The client asked for something new: %(object)s"
    ),
    Kind.REPORT_DRAFTED: gettext_lazy(
        "The progress report %(object)s is drafted and waits for its narrative"
    ),
}


def _title(kind: str, actor: str, name: str, data: dict[str, Any]) -> str:
    """One line in the active language; ``actor`` is "" when nobody (a reminder) acted."""
    due = _date(data.get("due"))
    p = {"actor": actor, "object": name, "due": due}
    if kind in _BY_ACTOR:
        with_actor, without = _BY_ACTOR[kind]
        return str(with_actor if actor else without) % p
    if kind in _BY_DUE:
        with_due, without = _BY_DUE[kind]
        return str(with_due if due else without) % p
    if kind in _BY_DECISION:
        titles = _BY_DECISION[kind]
        return str(titles.get(data.get("decision") or "", titles[""])) % p
    if kind in _PLAIN:
        return str(_PLAIN[kind]) % p
    if kind == Kind.TASK_RESCHEDULED:
        start, finish = _date(data.get("new_start")), _date(data.get("new_finish"))
        if start and finish:
            return _(
                "A late predecessor moved %(object)s to %(start)s – %(finish)s"
            ) % {**p, "start": start, "finish": finish}
        return _("A late predecessor moved the dates of %(object)s") % p
    if kind == Kind.RISK_LEVEL_ROSE:
        return _("The level of the risk %(object)s rose from %(old)s to %(new)s") % {
            **p,
            "old": _level(data.get("old_level")),
            "new": _level(data.get("new_level")),
        }
    if kind == Kind.JOB_FINISHED:
        if data.get("status") == "failed":
            return _("%(object)s failed") % p
        return _("%(object)s is done") % p
    return name


# Titles for a group (a team chat), in the third person: ``people`` names the event's
# recipients (``n`` of them, for the plural), ``actor`` who acted. The kinds not listed
# here say nothing of "you" and read the same in a group.
_GROUP_BY_ACTOR: dict[str, tuple[Promise, Promise]] = {
    Kind.TASK_ASSIGNED: (
        ngettext_lazy(
            "%(people)s was assigned to %(object)s by %(actor)s",
            "%(people)s were assigned to %(object)s by %(actor)s",
            "n",
        ),
        ngettext_lazy(
            "%(people)s was assigned to %(object)s",
            "%(people)s were assigned to %(object)s",
            "n",
        ),
    ),
    Kind.ACTION_ITEM_ASSIGNED: (
        ngettext_lazy(
            "%(people)s was given the action item %(object)s by %(actor)s",
            "%(people)s were given the action item %(object)s by %(actor)s",
            "n",
        ),
        ngettext_lazy(
            "%(people)s was given the action item %(object)s",
            "%(people)s were given the action item %(object)s",
            "n",
        ),
    ),
    Kind.CHANGE_REQUEST_SUBMITTED: (
        gettext_lazy("%(actor)s asks %(people)s for a decision on %(object)s"),
        gettext_lazy("The change request %(object)s awaits a decision by %(people)s"),
    ),
    Kind.EXPENSE_SUBMITTED: (
        gettext_lazy("%(actor)s asks %(people)s to approve the expense %(object)s"),
        gettext_lazy("The expense %(object)s awaits approval by %(people)s"),
    ),
    Kind.MINUTES_SENT: (
        gettext_lazy("%(actor)s asks %(people)s to confirm the minutes %(object)s"),
        gettext_lazy("The minutes %(object)s await confirmation by %(people)s"),
    ),
    Kind.COMMENT_MENTIONED: (
        gettext_lazy("%(actor)s mentioned %(people)s on %(object)s"),
        ngettext_lazy(
            "%(people)s was mentioned on %(object)s",
            "%(people)s were mentioned on %(object)s",
            "n",
        ),
    ),
}
_GROUP_BY_DECISION: dict[str, dict[str, Promise]] = {
    Kind.EXPENSE_DECIDED: {
        "approved": gettext_lazy("The expense %(object)s was approved"),
        "rejected": gettext_lazy("The expense %(object)s was rejected"),
        "": gettext_lazy("The expense %(object)s was decided"),
    },
}
# A group card names at most this many people, then says how many more.
NAMED_IN_GROUP = 5


def people_of(event: Any) -> list[str]:
    """The names of the event's recipients, in the order of their ids (one query)."""
    from clientfolio.core.models import User

    ids = [int(pk) for pk in event.recipient_ids or ()]
    if not ids:
        return []
    users = {user.pk: user for user in User.objects.filter(pk__in=ids)}
    return [str(users[pk]) for pk in sorted(ids) if pk in users]


def _people_text(names: list[str]) -> str:
    """ "王五、赵六" / "Wang Wu, Zhao Liu", or "someone" when nobody is known."""
    if not names:
        return pgettext("a person a chat message cannot name", "someone")
    separator = pgettext("between the names of people in a list", ", ")
    shown = separator.join(names[:NAMED_IN_GROUP])
    more = len(names) - NAMED_IN_GROUP
    if more <= 0:
        return shown
    return ngettext(
        "%(names)s and %(count)s other", "%(names)s and %(count)s others", more
    ) % {"names": shown, "count": more}


def _group_title(
    kind: str, actor: str, name: str, data: dict[str, Any], people: list[str]
) -> str:
    """The title for a group, or the personal one where that says nothing of "you"."""
    p = {
        "actor": actor,
        "object": name,
        "people": _people_text(people),
        "n": max(1, len(people)),
    }
    if kind in _GROUP_BY_ACTOR:
        with_actor, without = _GROUP_BY_ACTOR[kind]
        # Formatted lazily: a plural title picks its form by ``n`` as it is formatted.
        return str((with_actor if actor else without) % p)
    if kind in _GROUP_BY_DECISION:
        titles = _GROUP_BY_DECISION[kind]
        return str(titles.get(data.get("decision") or "", titles[""])) % p
    return _title(kind, actor, name, data)


_UNSET: Any = object()


def describe(
    event: Any,
    *,
    target: Any = _UNSET,
    snapshot: bool = False,
    audience: str = PERSONAL,
) -> Description:
    """The event as its reader sees it, in the active language.

    ``target`` may pass the live record already fetched (or None for gone) to spare a
    query; by default it is looked up (once per event object). ``snapshot`` names the
    record as it was when the event happened (``data["title"]``) and gives no URL: what a
    list of past notifications shows without fetching every record (and without telling
    a reader the record's new name after they lost sight of it). ``audience=GROUP``
    titles it for a group in the third person, naming the recipients (one query more).
    """
    data = event.data or {}
    name = str(data.get("title") or "")
    live: Model | None = None
    if not (snapshot and name):
        live = target_of(event) if target is _UNSET else target
        if live is not None:
            name = str(live)
    if not name:
        name = pgettext("a record that no longer exists", "(deleted)")
    actor = str(event.actor) if event.actor_id and event.actor is not None else ""
    label = KIND_LABELS.get(event.kind)
    if audience == GROUP:
        title = _group_title(event.kind, actor, name, data, people_of(event))
    else:
        title = _title(event.kind, actor, name, data)
    return Description(
        title=title,
        object_name=name,
        url="" if snapshot or live is None else url_of(live),
        project_name=_project_name(event, live),
        kind_label=str(label) if label is not None else str(event.kind),
    )
