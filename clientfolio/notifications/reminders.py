"""The daily reminder sweep: what falls due today, told once to the people it needs.

``sweep(today)`` finds, set by set (a few queries per chunk of ``CHUNK`` rows, never one
per row), and publishes with ``core.events.publish_many``:

- ``task.due_soon``: a task not done whose planned finish is after today and no later than
  the next working day of its project's calendar (so on a Friday, tasks finishing on the
  weekend or on Monday; before a statutory holiday, the whole holiday) — or tomorrow;
  for the assignees (the owner and followers are added by the notifications handler);
- ``task.overdue``: a task not done whose planned finish has passed, by at most
  ``REMINDER_OVERDUE_MAX_DAYS`` days (default 30; 0 for no limit), so the first sweep
  over old data does not tell everyone of every task abandoned years ago;
- ``followup.due``: a client's follow-up visit (回访) not done, planned today or before
  (by at most the same number of days); for its owner (else the client's account manager);
- ``risk.review_due``: an open risk whose next review date is reached (at most as many
  days ago); for its owner;
- ``invoice.overdue``: an issued, not fully paid invoice past its due date; for the
  project manager and the project's finance members.

Tasks and risks of completed or cancelled projects are left alone. Every event carries a
key made of the record and the date it is about (interfaces: ``task.overdue:{pk}:{finish}``),
so a second run, or two workers running the sweep, publish nothing new; a task whose
finish moves is reminded of again for its new date.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from clientfolio.clients.models import FollowUp
from clientfolio.core.events import PUBLISH_BATCH, Kind, pending_event, publish_many
from clientfolio.core.jobs import periodic
from clientfolio.core.models import Event
from clientfolio.finance.billing import overdue_q
from clientfolio.finance.models import Invoice
from clientfolio.projects.models import Membership, ProjectRole
from clientfolio.projects.querysets import OPEN_STATUSES as OPEN_PROJECT_STATUSES
from clientfolio.risks.models import Risk
from clientfolio.schedule.calendars import build_calendar
from clientfolio.schedule.models import (
    WEEKDAYS,
    Assignment,
    CalendarDay,
    ProjectSchedule,
    Task,
)

__all__ = [
    "CHUNK",
    "due_soon_horizons",
    "overdue_max_days",
    "send_reminders",
    "sweep",
]

# Rows read (and events published, in one transaction) at a time.
CHUNK = 2000
# How far ahead a project's next working day is looked for (the longest Chinese holiday,
# with its weekends, is nine days).
_LOOKAHEAD = 31


def _chunks(
    queryset: QuerySet, fields: Iterable[Any]
) -> Iterator[list[dict[str, Any]]]:
    """``queryset.values(*fields)`` in lists of ``CHUNK`` rows, by primary key (keyset
    paging: each chunk is one query, read whole before anything is written)."""
    fields = list(fields)
    last = 0
    while True:
        rows = list(
            queryset.filter(pk__gt=last).order_by("pk").values("pk", *fields)[:CHUNK]
        )
        if not rows:
            return
        yield rows
        last = rows[-1]["pk"]
        if len(rows) < CHUNK:
            return


Row = dict[str, Any]


def _publish(
    kind: Kind,
    chunks: Iterable[list[Row]],
    due_field: str,
    build: Callable[[list[Row]], list[Any]],
    keep: Callable[[Row], bool] | None = None,
) -> int:
    """Publish the events ``build`` makes of each chunk's rows (those ``keep`` keeps);
    returns how many were new.

    Each row gets its ``key`` (``kind:pk:due``) and ``due`` (ISO); rows whose key is
    already stored are dropped first, one look-up per ``PUBLISH_BATCH`` keys, so a run
    that finds everything told already costs reads only."""
    published = 0
    for rows in chunks:
        fresh = [row for row in rows if keep is None or keep(row)]
        for row in fresh:
            row["due"] = row[due_field].isoformat()
            row["key"] = f"{kind}:{row['pk']}:{row['due']}"
        stored: set[str | None] = set()
        for start in range(0, len(fresh), PUBLISH_BATCH):
            keys = [row["key"] for row in fresh[start : start + PUBLISH_BATCH]]
            stored.update(
                Event.objects.filter(key__in=keys).values_list("key", flat=True)
            )
        fresh = [row for row in fresh if row["key"] not in stored]
        if fresh:
            published += len(publish_many(build(fresh)))
    return published


# --- tasks -------------------------------------------------------------------------


def due_soon_horizons(today: date) -> tuple[dict[int, date], date]:
    """The last finish date that counts as "due soon" for each project with its own
    schedule settings, and for the others (Monday to Friday with statutory holidays).

    That is the later of tomorrow and the first working day after today on the project's
    calendar. Two queries; projects with the same calendar share one computation.
    """
    tomorrow = today + timedelta(days=1)
    end = today + timedelta(days=_LOOKAHEAD)
    years = range(today.year, end.year + 1)
    own: dict[int, list[tuple[date, str]]] = {}
    for row in CalendarDay.objects.filter(day__gt=today, day__lte=end).values(
        "schedule_id", "day", "kind"
    ):
        own.setdefault(row["schedule_id"], []).append((row["day"], row["kind"]))
    cache: dict[Any, date] = {}

    def horizon(workdays: str, statutory: bool, days: list[tuple[date, str]]) -> date:
        numbers = frozenset(int(d) for d in workdays.split(",") if d.strip().isdigit())
        key = (numbers, statutory, tuple(sorted(days)))
        if key not in cache:
            calendar = build_calendar(
                numbers or frozenset({0, 1, 2, 3, 4}),
                years,
                statutory=statutory,
                extra_holidays=[d for d, k in days if k == CalendarDay.Kind.HOLIDAY],
                extra_workdays=[d for d, k in days if k == CalendarDay.Kind.WORKDAY],
            ).calendar
            try:
                cache[key] = max(tomorrow, calendar.next_workday(tomorrow))
            except ValueError:  # no working day at all (beyond date's range)
                cache[key] = tomorrow
        return cache[key]

    by_project = {
        row["project_id"]: horizon(
            row["workdays"], row["use_statutory_holidays"], own.get(row["pk"], [])
        )
        for row in ProjectSchedule.objects.values(
            "pk", "project_id", "workdays", "use_statutory_holidays"
        )
    }
    return by_project, horizon(WEEKDAYS, True, [])


def _open_tasks() -> QuerySet:
    return Task.objects.filter(
        is_summary=False, project__status__in=OPEN_PROJECT_STATUSES
    ).exclude(status=Task.Status.DONE)


def _task_events(kind: Kind) -> Callable[[list[Row]], list[Any]]:
    def build(rows: list[Row]) -> list[Any]:
        assignees: dict[int, list[int]] = {}
        for task_id, user_id in Assignment.objects.filter(
            task_id__in=[row["pk"] for row in rows]
        ).values_list("task_id", "user_id"):
            assignees.setdefault(task_id, []).append(user_id)
        return [
            pending_event(
                kind,
                "schedule.task",
                row["pk"],
                project=row["project_id"],
                recipients=assignees.get(row["pk"], ()),
                data={
                    "title": f"{row['wbs']} {row['name']}".strip(),
                    "due": row["due"],
                },
                key=row["key"],
            )
            for row in rows
        ]

    return build


_TASK_FIELDS = ("project_id", "wbs", "name", "finish")


def _due_soon(today: date) -> int:
    by_project, default = due_soon_horizons(today)
    latest = max([default, *by_project.values()])
    candidates = _open_tasks().filter(finish__gt=today, finish__lte=latest)
    return _publish(
        Kind.TASK_DUE_SOON,
        _chunks(candidates, _TASK_FIELDS),
        "finish",
        _task_events(Kind.TASK_DUE_SOON),
        keep=lambda row: row["finish"] <= by_project.get(row["project_id"], default),
    )


def overdue_max_days() -> int:
    """How many days past its finish a task is still reminded of as overdue
    (``REMINDER_OVERDUE_MAX_DAYS``); 0 means no limit."""
    return max(0, int(getattr(settings, "REMINDER_OVERDUE_MAX_DAYS", 30)))


def _within_limit(candidates: QuerySet, field: str, today: date) -> QuerySet:
    """Leave out what fell due more than ``overdue_max_days`` ago: a task, a visit or a
    review overdue for longer was left on purpose (or abandoned), and its people know.
    The key stays record and date, so the cap keeps the sweep idempotent."""
    if limit := overdue_max_days():
        return candidates.filter(**{f"{field}__gte": today - timedelta(days=limit)})
    return candidates


def _overdue(today: date) -> int:
    candidates = _within_limit(_open_tasks().filter(finish__lt=today), "finish", today)
    return _publish(
        Kind.TASK_OVERDUE,
        _chunks(candidates, _TASK_FIELDS),
        "finish",
        _task_events(Kind.TASK_OVERDUE),
    )


# --- follow-up visits, risks, invoices ----------------------------------------------


def _followups(today: date) -> int:
    candidates = _within_limit(
        FollowUp.objects.filter(done_on__isnull=True, planned_on__lte=today),
        "planned_on",
        today,
    ).annotate(recipient_id=Coalesce("owner_id", "client__owner_id"))

    def build(rows: list[Row]) -> list[Any]:
        return [
            pending_event(
                Kind.FOLLOWUP_DUE,
                "clients.followup",
                row["pk"],
                recipients=[row["recipient_id"]],
                data={"title": row["purpose"], "due": row["due"]},
                key=row["key"],
            )
            for row in rows
        ]

    fields = ("purpose", "planned_on", "recipient_id")
    return _publish(Kind.FOLLOWUP_DUE, _chunks(candidates, fields), "planned_on", build)


def _risks(today: date) -> int:
    candidates = _within_limit(
        Risk.objects.open().filter(
            review_on__lte=today, project__status__in=OPEN_PROJECT_STATUSES
        ),
        "review_on",
        today,
    )

    def build(rows: list[Row]) -> list[Any]:
        return [
            pending_event(
                Kind.RISK_REVIEW_DUE,
                "risks.risk",
                row["pk"],
                project=row["project_id"],
                recipients=[row["owner_id"]],
                data={"title": row["title"], "due": row["due"]},
                key=row["key"],
            )
            for row in rows
        ]

    fields = ("project_id", "owner_id", "title", "review_on")
    return _publish(
        Kind.RISK_REVIEW_DUE, _chunks(candidates, fields), "review_on", build
    )


def _invoices(today: date) -> int:
    candidates = Invoice.objects.filter(overdue_q(today))

    def build(rows: list[Row]) -> list[Any]:
        finance: dict[int, list[int]] = {}
        for project_id, user_id in Membership.objects.filter(
            project_id__in={row["project_id"] for row in rows},
            role=ProjectRole.FINANCE,
        ).values_list("project_id", "user_id"):
            finance.setdefault(project_id, []).append(user_id)
        return [
            pending_event(
                Kind.INVOICE_OVERDUE,
                "finance.invoice",
                row["pk"],
                project=row["project_id"],
                recipients=[
                    row["project__manager_id"],
                    *finance.get(row["project_id"], ()),
                ],
                data={
                    "title": row["number"],
                    "due": row["due"],
                    "amount": str(row["total"] - row["paid_amount"]),
                    "currency": row["currency"],
                },
                key=row["key"],
            )
            for row in rows
        ]

    fields = (
        "project_id",
        "project__manager_id",
        "number",
        "due_on",
        "total",
        "paid_amount",
        "currency",
    )
    return _publish(Kind.INVOICE_OVERDUE, _chunks(candidates, fields), "due_on", build)


# --- the sweep ----------------------------------------------------------------------


def sweep(today: date | None = None) -> dict[str, int]:
    """Publish every reminder due on ``today`` (default: the local date) that was not
    published before; returns the number of new events per kind."""
    today = today or timezone.localdate()
    return {
        Kind.TASK_DUE_SOON.value: _due_soon(today),
        Kind.TASK_OVERDUE.value: _overdue(today),
        Kind.FOLLOWUP_DUE.value: _followups(today),
        Kind.RISK_REVIEW_DUE.value: _risks(today),
        Kind.INVOICE_OVERDUE.value: _invoices(today),
    }


@periodic(
    every=timedelta(days=1),
    at=time(7, 0),
    description=_(
        "Remind people of due tasks, follow-up visits, risk reviews and overdue invoices"
    ),
)
@task()
def send_reminders(today: str | None = None) -> dict[str, int]:
    """The daily sweep at 07:00 (server time); ``today`` (ISO date) replays a day."""
    return sweep(date.fromisoformat(today) if today else None)
