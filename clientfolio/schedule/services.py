"""Every write to a project's schedule, and the recomputation that follows it.

The plan is edited through these functions (pages, API, demo data and imports alike); each
edit that changes dates ends by calling ``recompute``, which reads the project's tasks and
links in two queries, runs ``schedule.engine`` over the working calendar and writes the
computed dates back in bulk.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connections, transaction
from django.db.models import CharField, Q, Sum
from django.db.models.base import ModelState
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clientfolio.core import events
from clientfolio.core.locking import save_versioned
from clientfolio.core.timing import logged_if_slow
from clientfolio.core.validators import LAST_PLAN_DATE
from clientfolio.projects.models import Project
from clientfolio.schedule import engine
from clientfolio.schedule.calendars import build_calendar
from clientfolio.schedule.models import (
    Assignment,
    Baseline,
    BaselineTask,
    CalendarDay,
    Dependency,
    ProjectSchedule,
    Task,
)

__all__ = [
    "PlanError",
    "RecomputeResult",
    "add_assignment",
    "add_dependency",
    "calendar_for",
    "create_task",
    "delete_dependency",
    "delete_task",
    "ensure_schedule",
    "ignored_links_warning",
    "move_task",
    "plan_warnings",
    "recompute",
    "save_baseline",
    "set_assignments",
    "too_late_message",
    "update_task",
]

COMPUTED_FIELDS = [
    "start",
    "finish",
    "late_start",
    "late_finish",
    "total_float",
    "free_float",
    "is_critical",
    "is_summary",
]


class PlanError(ValueError):
    """An edit the plan cannot take (a cycle, a link across projects, …); nothing saved.

    ``field`` names the form field the message belongs to, when there is one.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class RecomputeResult:
    finish: date | None
    critical: tuple[int, ...]
    unknown_years: tuple[int, ...]
    tasks: int
    # Links to tasks of other projects, left out of the computation.
    ignored_links: int = 0
    # The tasks whose computed values this computation changed: id -> the values written
    # ("start", "finish", "is_critical", and for summaries "duration", "percent_complete").
    changed: dict[int, dict[str, Any]] = field(default_factory=dict)


def ensure_schedule(project: Project) -> ProjectSchedule:
    """The project's schedule settings, created with the defaults on first use."""
    settings_row, _created = ProjectSchedule.objects.get_or_create(project=project)
    return settings_row


def _project_start(project: Project) -> date:
    return project.starts_on or timezone.localdate()


def calendar_for(
    project: Project,
    settings_row: ProjectSchedule | None = None,
    *,
    years: Iterable[int] = (),
):
    """The project's working calendar (``calendars.CalendarInfo``) for ``years`` (by
    default from the project's start to four years after)."""
    settings_row = settings_row or ensure_schedule(project)
    start = _project_start(project)
    # Python's dates end in 9999; a plan that reaches it is refused by ``recompute``.
    years = [y for y in years if 1 <= y <= 9999] or list(
        range(max(1, start.year - 1), min(9999, start.year + 4) + 1)
    )
    own = list(
        CalendarDay.objects.filter(schedule=settings_row).values_list("day", "kind")
    )
    return build_calendar(
        settings_row.weekday_numbers or frozenset({0, 1, 2, 3, 4}),
        years,
        statutory=settings_row.use_statutory_holidays,
        extra_holidays=[d for d, kind in own if kind == CalendarDay.Kind.HOLIDAY],
        extra_workdays=[d for d, kind in own if kind == CalendarDay.Kind.WORKDAY],
    )


# --- the task tree ---------------------------------------------------------------------------


def renumber(project: Project) -> None:
    """Give every task of the project its WBS code (1, 1.2, 1.2.3) from the tree order."""
    rows = list(
        Task.objects.filter(project=project)
        .order_by("position", "id")
        .values_list("id", "parent_id", "wbs", "wbs_sort")
    )
    children: dict[int | None, list[int]] = defaultdict(list)
    for task_id, parent_id, _wbs, _sort in rows:
        children[parent_id].append(task_id)
    codes: dict[int, tuple[str, str]] = {}
    stack: list[tuple[int | None, str, str]] = [(None, "", "")]
    while stack:
        parent, prefix, sort_prefix = stack.pop()
        for index, task_id in enumerate(children.get(parent, []), start=1):
            code = f"{prefix}.{index}" if prefix else str(index)
            sort = f"{sort_prefix}.{index:05d}" if sort_prefix else f"{index:05d}"
            codes[task_id] = (code, sort)
            stack.append((task_id, code, sort))
    changed = [
        Task(id=task_id, wbs=codes[task_id][0], wbs_sort=codes[task_id][1])
        for task_id, _parent, wbs, sort in rows
        if task_id in codes and (wbs, sort) != codes[task_id]
    ]
    Task.objects.fast_update(changed, ["wbs", "wbs_sort"])


def _check_parent(task: Task, parent: Task | None) -> None:
    if parent is None:
        return
    if parent.project_id != task.project_id:
        raise PlanError(_("The parent task belongs to another project."), "parent")
    if parent.is_milestone:
        raise PlanError(_("A milestone cannot contain tasks."), "parent")
    if (
        Dependency.objects.within(task.project_id)
        .filter(Q(predecessor=parent) | Q(successor=parent))
        .exists()
    ):
        raise PlanError(
            _("“%(name)s” has dependencies: remove them before adding tasks under it.")
            % {"name": parent.name},
            "parent",
        )
    ancestor: Task | None = parent
    while ancestor is not None:
        if task.pk and ancestor.pk == task.pk:
            raise PlanError(_("A task cannot be moved under itself."), "parent")
        ancestor = ancestor.parent


@transaction.atomic
def create_task(task: Task, *, recompute_after: bool = True, actor: Any = None) -> Task:
    """Add a task at the end of its parent's children (or of the project). An owner is
    told they were assigned (``task.assigned``) by ``actor``."""
    _check_parent(task, task.parent)
    if task.is_milestone:
        task.duration = 0
    siblings = Task.objects.filter(project_id=task.project_id, parent=task.parent)
    task.position = (
        siblings.order_by("-position").values_list("position", flat=True).first() or 0
    ) + 1
    task.save()
    renumber(task.project)
    if recompute_after:
        recompute(task.project, actor=actor)
    task.refresh_from_db()
    if task.owner_id:
        _announce_owner(task, actor)
    return task


@transaction.atomic
def update_task(
    task: Task,
    expected_version: int | None,
    *,
    actor: Any = None,
    recompute_after: bool = True,
) -> Task:
    """Save edits to a task if nobody saved it since ``expected_version``; recompute
    (unless ``recompute_after`` is false: the caller recomputes in the same transaction).

    A new owner is told they were assigned, and a late finish tells the people of the
    tasks it moved (see ``recompute``); ``actor`` is who made the edit."""
    stored_parent, stored_owner = Task.objects.filter(pk=task.pk).values_list(
        "parent_id", "owner_id"
    ).first() or (None, None)
    if stored_parent != task.parent_id:
        _check_parent(task, task.parent)
    if task.is_milestone:
        task.duration = 0
    if task.percent_complete >= 100 and task.status != Task.Status.DONE:
        task.status = Task.Status.DONE
    today = timezone.localdate()
    if task.status == Task.Status.DONE:
        task.percent_complete = 100
        finish = task.actual_finish or today
        # Done early: it started no later than it finished, whatever the plan said.
        task.actual_start = task.actual_start or min(task.start or finish, finish)
        task.actual_finish = finish
    elif task.percent_complete > 0 and not task.actual_start:
        task.actual_start = min(task.start or today, today)
        if task.status == Task.Status.TODO:
            task.status = Task.Status.IN_PROGRESS
    save_versioned(task, expected_version)
    if stored_parent != task.parent_id:
        renumber(task.project)
    if recompute_after:
        recompute(task.project, actor=actor)
        task.refresh_from_db()
    if task.owner_id and task.owner_id != stored_owner:
        _announce_owner(task, actor)
    return task


@transaction.atomic
def move_task(
    task: Task, parent: Task | None, position: int, expected_version: int | None
) -> Task:
    """Put a task under ``parent`` at ``position`` among its children (indent, outdent,
    reorder); renumbers the tree and recomputes."""
    _check_parent(task, parent)
    task.parent = parent
    siblings = list(
        Task.objects.filter(project_id=task.project_id, parent=parent)
        .exclude(pk=task.pk)
        .order_by("position", "id")
    )
    position = max(0, min(position, len(siblings)))
    siblings.insert(position, task)
    for index, sibling in enumerate(siblings, start=1):
        sibling.position = index
    others = [s for s in siblings if s.pk != task.pk]
    Task.objects.bulk_update(others, ["position"])
    save_versioned(task, expected_version)
    renumber(task.project)
    recompute(task.project)
    task.refresh_from_db()
    return task


@transaction.atomic
def delete_task(task: Task) -> None:
    """Delete a task with its subtasks and links; renumber and recompute. Raises
    ``ProtectedError`` (nothing deleted) while a client's acceptance names one of the
    milestones."""
    project = task.project
    task.delete()
    renumber(project)
    recompute(project)


# --- dependencies ------------------------------------------------------------------------------


@transaction.atomic
def add_dependency(dependency: Dependency) -> Dependency:
    """Link two tasks of one project. Self-links, links across projects, links to summary
    tasks, duplicates and cycles are refused with a message naming the tasks."""
    predecessor, successor = dependency.predecessor, dependency.successor
    if predecessor.pk == successor.pk:
        raise PlanError(_("A task cannot depend on itself."), "predecessor")
    if predecessor.project_id != successor.project_id:
        raise PlanError(_("Both tasks must belong to the same project."), "predecessor")
    dependency.project_id = successor.project_id
    if Task.objects.filter(parent_id__in=[predecessor.pk, successor.pk]).exists():
        raise PlanError(
            _("Link the tasks inside a summary task, not the summary task itself."),
            "predecessor",
        )
    if Dependency.objects.filter(predecessor=predecessor, successor=successor).exists():
        raise PlanError(_("These tasks are already linked."), "successor")
    # A link to another project's task is ignored by the schedule, so it closes no cycle
    # (and the message never names a task the user may not see).
    links = [
        engine.Link(p, s)
        for p, s in Dependency.objects.within(dependency.project_id).values_list(
            "predecessor_id", "successor_id"
        )
    ]
    links.append(engine.Link(predecessor.pk, successor.pk))
    _refuse_cycle(dependency.project_id, links)
    dependency.save()
    recompute(successor.project)
    return dependency


def _refuse_cycle(project_id: int, links: list[engine.Link]) -> None:
    ids = {link.predecessor for link in links} | {link.successor for link in links}
    tasks = [engine.TaskInput(id=i, duration=1) for i in ids]
    try:
        engine.schedule(tasks, links, engine.Calendar(), project_start=date(2000, 1, 3))
    except engine.CycleError as error:
        names = dict(Task.objects.filter(pk__in=error.cycle).values_list("id", "name"))
        path = " → ".join(names.get(i, str(i)) for i in error.cycle)
        raise PlanError(
            _("This link would make a cycle: %(path)s.") % {"path": path}, "predecessor"
        ) from error


@transaction.atomic
def delete_dependency(dependency: Dependency) -> None:
    project = dependency.project
    dependency.delete()
    recompute(project)


# --- assignments ---------------------------------------------------------------------------------


@transaction.atomic
def set_assignments(
    task: Task, hours_by_user: dict[Any, Decimal], *, actor: Any = None
) -> list[Assignment]:
    """Make exactly these people assigned to the task with these hours. Those newly
    assigned are told (``task.assigned``, by ``actor``); the others are not."""
    wanted = {user.pk: (user, hours) for user, hours in hours_by_user.items()}
    Assignment.objects.filter(task=task).exclude(user_id__in=wanted).delete()
    existing = {a.user_id: a for a in Assignment.objects.filter(task=task)}
    result = []
    added = []
    for user_id, (user, hours) in wanted.items():
        assignment = existing.get(user_id)
        if assignment is None:
            assignment = Assignment.objects.create(task=task, user=user, hours=hours)
            added.append(assignment)
        elif assignment.hours != hours:
            assignment.hours = hours
            save_versioned(assignment, assignment.version)
        result.append(assignment)
    for assignment in added:
        assignment.task = task
    announce_assignments(added, actor=actor)
    return result


@transaction.atomic
def add_assignment(
    task: Task, user: Any, hours: Decimal, *, actor: Any = None
) -> Assignment:
    """Assign one more person to the task (the API's create); they are told."""
    assignment = Assignment.objects.create(task=task, user=user, hours=hours)
    announce_assignments([assignment], actor=actor)
    return assignment


def announce_assignments(
    assignments: Iterable[Assignment], *, actor: Any = None
) -> list[int]:
    """Tell each newly assigned person (``task.assigned``), one keyed event per
    assignment: an import that writes a whole plan calls this once with all of them
    (a few statements), and an assignment is never announced twice. Call inside the
    transaction that created them; returns the ids of the events published."""
    return events.publish_many(
        events.pending_event(
            events.Kind.TASK_ASSIGNED,
            "schedule.task",
            assignment.task_id,
            actor=actor,
            recipients=[assignment.user_id],
            project=assignment.task.project_id,
            data={"title": str(assignment.task), "role": "assignee"},
            key=f"task.assigned:{assignment.task_id}:{assignment.user_id}:"
            f"{assignment.pk}",
        )
        for assignment in assignments
    )


def _announce_owner(task: Task, actor: Any) -> None:
    events.publish(
        events.Kind.TASK_ASSIGNED,
        task,
        actor=actor,
        recipients=[task.owner_id],
        project=task.project_id,
        data={"title": str(task), "role": "owner"},
    )


# --- computing the schedule --------------------------------------------------------------------


@logged_if_slow("schedule recompute")
@transaction.atomic
def recompute(
    project: Project,
    *,
    status_date: date | None = None,
    actor: Any = None,
    progress: Callable[[int, int], None] | None = None,
    recount_ignored: bool = True,
) -> RecomputeResult:
    """Run the engine over the project's tasks and write the computed dates back.

    Leaf tasks are scheduled; summary tasks get the dates and duration-weighted progress of
    their descendants. When a task finished after its planned finish, the people of the
    tasks whose dates that moved are told (``task.rescheduled``, by ``actor``). Returns
    the finish date, the critical tasks and any years the
    holiday data does not know yet. Raises ``PlanError`` for a cycle (which the link
    checks should have stopped before) and for a plan that would finish after
    ``core.validators.LAST_PLAN_DATE`` (or past Python's last date); the caller's
    transaction then saves nothing. ``progress(done, total)``, when given, is told of
    each of the four steps (read, computed, written, announced) as it ends: a background
    recompute's progress bar. ``recount_ignored=False`` keeps the stored count of links
    to other projects (two counting queries, a fifth of a grid edit of a 10,000-task
    plan) for an edit that cannot have changed it, such as a grid cell's.
    """
    report = progress or (lambda done, total: None)
    settings_row = ensure_schedule(project)
    rows = _plan_rows(project)
    parents = {row["parent_id"] for row in rows if row["parent_id"]}
    leaves = [row for row in rows if row["id"] not in parents]
    links = network_links(project, [row["id"] for row in rows], parents)
    report(1, 4)
    ignored = (
        Dependency.objects.count_across_projects(project)
        if recount_ignored
        else settings_row.ignored_links
    )
    start = _project_start(project)
    status = status_date or settings_row.status_date or timezone.localdate()
    span_years = max(2, sum(row["duration"] for row in leaves) // 200 + 2)
    info = calendar_for(
        project, settings_row, years=range(start.year - 1, start.year + span_years + 1)
    )
    try:
        result = engine.schedule(
            [
                engine.TaskInput(
                    id=row["id"],
                    duration=0 if row["is_milestone"] else row["duration"],
                    constraint=row["constraint"],
                    constraint_date=row["constraint_date"],
                    percent_complete=float(row["percent_complete"]),
                    actual_start=row["actual_start"],
                    actual_finish=row["actual_finish"],
                )
                for row in leaves
            ],
            links,
            info.calendar,
            project_start=start,
            status_date=status,
        )
    except engine.CycleError as error:
        raise PlanError(_("The plan has a dependency cycle.")) from error
    except engine.DateRangeError as error:
        raise PlanError(too_late_message()) from error
    except engine.ScheduleError as error:
        raise PlanError(
            _("The plan cannot be scheduled: %(reason)s") % {"reason": error}
        ) from error
    if rows and result.finish > LAST_PLAN_DATE:
        raise PlanError(too_late_message())
    report(2, 4)
    durations = {row["id"]: row["duration"] for row in rows}
    percents = {row["id"]: float(row["percent_complete"]) for row in rows}
    parent_of = {row["id"]: row["parent_id"] for row in rows}
    summaries = (
        engine.rollup(parent_of, result.tasks, durations, percents) if parents else {}
    )
    changed = []
    for row in rows:
        computed = result.tasks.get(row["id"])
        values: dict[str, Any]
        if computed is not None:
            values = {
                "start": computed.early_start,
                "finish": computed.early_finish,
                "late_start": computed.late_start,
                "late_finish": computed.late_finish,
                "total_float": computed.total_float,
                "free_float": computed.free_float,
                "is_critical": computed.critical,
                "is_summary": False,
            }
        elif row["id"] in summaries:
            summary_start, summary_finish, _percent = summaries[row["id"]]
            values = {
                "start": summary_start,
                "finish": summary_finish,
                "late_start": None,
                "late_finish": None,
                "total_float": None,
                "free_float": None,
                "is_critical": False,
                "is_summary": True,
            }
        else:
            continue
        if tuple(values.values()) != tuple(row[key] for key in COMPUTED_FIELDS):
            changed.append(_row_to_write(row["id"], values))
    Task.objects.fast_update(changed, COMPUTED_FIELDS)
    report(3, 4)
    _announce_rescheduled(project, leaves, result, links, actor)
    # A summary's duration is the working days it spans, its progress is weighted by
    # duration, and its status follows its tasks: done when all are, started when any is.
    calendar = info.calendar
    statuses = _summary_statuses(rows, parents)
    stored = {row["id"]: row for row in rows}
    summary_rows = [
        _row_to_write(
            task_id,
            {
                "percent_complete": round(percent),
                "duration": calendar.workdays_between(summary_start, summary_finish)
                + 1,
                "status": statuses.get(task_id, Task.Status.TODO),
            },
        )
        for task_id, (summary_start, summary_finish, percent) in summaries.items()
    ]
    summary_rows = [
        task
        for task in summary_rows
        if (task.percent_complete, task.duration, task.status)
        != (
            round(percents.get(task.id, 0)),
            durations.get(task.id),
            stored[task.id]["status"],
        )
    ]
    Task.objects.fast_update(summary_rows, ["percent_complete", "duration", "status"])
    written: dict[int, dict[str, Any]] = {
        task.id: {
            "start": task.start,
            "finish": task.finish,
            "is_critical": task.is_critical,
            "is_summary": task.is_summary,
        }
        for task in changed
    }
    for task in summary_rows:
        written.setdefault(task.id, {}).update(
            duration=task.duration, percent_complete=task.percent_complete
        )
    ProjectSchedule.objects.filter(pk=settings_row.pk).update(
        computed_at=timezone.now(),
        computed_finish=result.finish if rows else None,
        unknown_years=",".join(
            str(y)
            for y in info.unknown_years
            if rows and start.year <= y <= (result.finish.year if result.finish else y)
        ),
        ignored_links=ignored,
    )
    report(4, 4)
    return RecomputeResult(
        finish=result.finish if rows else None,
        critical=result.critical_path,
        unknown_years=info.unknown_years,
        tasks=len(rows),
        ignored_links=ignored,
        changed=written,
    )


def _row_to_write(task_id: int, values: dict[str, Any]) -> Task:
    """A ``Task`` holding only its id and ``values``, for ``fast_update``: made without
    ``Model.__init__``, which took over a second for the 5,000 tasks one edit of a
    10,000-task plan can move (issue 14)."""
    task = Task.__new__(Task)
    task._state = ModelState()
    task.id = task_id
    task.__dict__.update(values)
    return task


DATE_COLUMNS = (
    "constraint_date",
    "actual_start",
    "actual_finish",
    "start",
    "finish",
    "late_start",
    "late_finish",
)


PLAN_FIELDS = (
    "id",
    "parent_id",
    "status",
    "duration",
    "is_milestone",
    "constraint",
    "percent_complete",
    "is_critical",
    "is_summary",
    "total_float",
    "free_float",
)
BOOLEAN_FIELDS = ("is_milestone", "is_critical", "is_summary")


def _raw_rows(queryset) -> list[tuple[Any, ...]]:
    """The rows of a ``values_list`` query as the database driver gives them, without
    Django's per-value converters (a Python call per value and row)."""
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


class _Days(dict):
    """ISO text (or None) to ``date``, each distinct value parsed once."""

    def __missing__(self, text: str | None) -> date | None:
        value = self[text] = date.fromisoformat(text[:10]) if text else None
        return value


def _plan_rows(project: Project) -> list[dict[str, Any]]:
    """What ``recompute`` reads of every task, one query. The dates are read as ISO text
    and parsed with ``date.fromisoformat`` (once per distinct day), the rows taken from
    the driver as tuples: SQLite's date converter (a regular expression per value) and
    the ORM's per-value converters took most of the read of a 10,000-task plan."""
    queryset = Task.objects.filter(project=project).values_list(
        *PLAN_FIELDS, *(Cast(name, CharField()) for name in DATE_COLUMNS)
    )
    day = _Days()
    width = len(PLAN_FIELDS)
    rows = []
    for raw in _raw_rows(queryset):
        row = dict(zip(PLAN_FIELDS, raw[:width], strict=True))
        row.update(zip(DATE_COLUMNS, map(day.__getitem__, raw[width:]), strict=True))
        for name in BOOLEAN_FIELDS:
            row[name] = bool(row[name])
        rows.append(row)
    return rows


# Tasks looked up per query when announcing (well under SQLite's bound-variable limit).
LOOKUP_BATCH = 500


def _task_people(task_ids: list[int]) -> dict[int, set[int]]:
    """Each task's assignees (user ids), a query per ``LOOKUP_BATCH`` tasks."""
    people: dict[int, set[int]] = defaultdict(set)
    for start in range(0, len(task_ids), LOOKUP_BATCH):
        chunk = task_ids[start : start + LOOKUP_BATCH]
        for task_id, user_id in Assignment.objects.filter(
            task_id__in=chunk
        ).values_list("task_id", "user_id"):
            people[task_id].add(user_id)
    return people


def _announce_rescheduled(
    project: Project,
    leaves: list[dict[str, Any]],
    result: engine.Schedule,
    links: list[engine.Link],
    actor: Any,
) -> None:
    """Publish ``task.rescheduled`` for each task whose dates this computation moved
    because a predecessor (directly or through other moved tasks) finished late: its
    actual finish is after the finish stored before, which is the plan it was held to.

    Once the late finish is in the plan the stored finish equals it, so the next
    computation finds nothing late and tells nobody again. One walk over the links
    (``engine.downstream``) and a few queries per 500 moved tasks.
    """
    late = [
        row["id"]
        for row in leaves
        if row["actual_finish"] is not None
        and row["finish"] is not None
        and row["actual_finish"] > row["finish"]
    ]
    if not late:
        return
    before = {row["id"]: row for row in leaves}
    moved = {
        task_id
        for task_id, computed in result.tasks.items()
        if before[task_id]["start"] is not None
        and (computed.early_start, computed.early_finish)
        != (before[task_id]["start"], before[task_id]["finish"])
    }
    reached = {
        task_id: source
        for task_id, source in engine.downstream(links, late, moved).items()
        if task_id not in late
    }
    if not reached:
        return
    ids = sorted(reached)
    names: dict[int, tuple[str, int | None]] = {}
    wanted = sorted(set(ids) | set(reached.values()))
    for start in range(0, len(wanted), LOOKUP_BATCH):
        for task_id, wbs, name, owner_id in Task.objects.filter(
            pk__in=wanted[start : start + LOOKUP_BATCH]
        ).values_list("id", "wbs", "name", "owner_id"):
            names[task_id] = (f"{wbs} {name}".strip(), owner_id)
    people = _task_people(ids)
    pending = []
    for task_id in ids:
        old, new = before[task_id], result.tasks[task_id]
        title, owner_id = names[task_id]
        dates = {
            "old_start": old["start"].isoformat(),
            "old_finish": old["finish"].isoformat(),
            "new_start": new.early_start.isoformat(),
            "new_finish": new.early_finish.isoformat(),
        }
        pending.append(
            events.pending_event(
                events.Kind.TASK_RESCHEDULED,
                "schedule.task",
                task_id,
                actor=actor,
                recipients=[owner_id, *people.get(task_id, ())],
                project=project.pk,
                data={
                    "title": title,
                    **dates,
                    "late_task": names[reached[task_id]][0],
                },
                key="task.rescheduled:{}:{old_start}:{old_finish}:{new_start}:"
                "{new_finish}".format(task_id, **dates),
            )
        )
    events.publish_many(pending)


def network_links(
    project: Project, task_ids: Iterable[int], summaries: set[int]
) -> list[engine.Link]:
    """The links the engine computes for ``project`` (one query): those between two of
    its tasks (``task_ids``), none touching a summary task. A link to a task of another
    project cannot be made here, but an import or an administrator can leave one behind;
    it is left out (``engine.partition_links``) and counted by ``ignored_links_warning``,
    rather than failing every edit of the plan."""
    inside, _outside = engine.partition_links(
        task_ids,
        (
            engine.Link(p, s, kind, lag)
            for p, s, kind, lag in _raw_rows(
                Dependency.objects.filter(project=project).values_list(
                    "predecessor_id", "successor_id", "kind", "lag"
                )
            )
        ),
    )
    return [
        link
        for link in inside
        if link.predecessor not in summaries and link.successor not in summaries
    ]


def ignored_links_warning(count: int) -> str:
    """The warning for ``count`` links to tasks of other projects ("" for none)."""
    if not count:
        return ""
    return ngettext(
        "%(count)d link to a task of another project is ignored by the schedule.",
        "%(count)d links to tasks of other projects are ignored by the schedule.",
        count,
    ) % {"count": count}


def plan_warnings(settings_row: ProjectSchedule) -> list[str]:
    """What the last computation of the plan left out, as translated sentences for the
    schedule pages, the Gantt data and the API."""
    warning = ignored_links_warning(settings_row.ignored_links)
    return [warning] if warning else []


def too_late_message() -> str:
    """Why a plan that runs past the last plan date is refused (translated)."""
    return _(
        "The plan would finish after %(last)s: shorten durations or lags, or start "
        "the project earlier. Nothing was saved."
    ) % {"last": LAST_PLAN_DATE.isoformat()}


def _summary_statuses(rows: list[dict[str, Any]], parents: set[int]) -> dict[int, str]:
    """Each summary task's status from the tasks under it."""
    parent_of = {row["id"]: row["parent_id"] for row in rows}
    every_done: dict[int, bool] = {}
    any_started: dict[int, bool] = {}
    for row in rows:
        if row["id"] in parents:
            continue
        done = row["status"] == Task.Status.DONE
        started = (
            done
            or row["status"] == Task.Status.IN_PROGRESS
            or row["percent_complete"] > 0
        )
        ancestor = row["parent_id"]
        while ancestor is not None:
            every_done[ancestor] = every_done.get(ancestor, True) and done
            any_started[ancestor] = any_started.get(ancestor, False) or started
            ancestor = parent_of.get(ancestor)
    return {
        task_id: Task.Status.DONE
        if every_done[task_id]
        else Task.Status.IN_PROGRESS
        if any_started[task_id]
        else Task.Status.TODO
        for task_id in every_done
    }


# --- baselines ---------------------------------------------------------------------------------


@transaction.atomic
def save_baseline(
    project: Project, name: str, *, user: Any, note: str = ""
) -> Baseline:
    """Snapshot every task's current dates, duration and assigned hours under ``name``."""
    name = name.strip()
    if not name:
        raise PlanError(_("Give the baseline a name."), "name")
    if Baseline.objects.filter(project=project, name=name).exists():
        raise PlanError(_("A baseline with this name already exists."), "name")
    hours = dict(
        Assignment.objects.filter(task__project=project)
        .values_list("task_id")
        .annotate(total=Sum("hours"))
        .values_list("task_id", "total")
    )
    settings_row = ensure_schedule(project)
    baseline = Baseline.objects.create(
        project=project,
        name=name,
        note=note,
        created_by=user if getattr(user, "pk", None) else None,
        finish=settings_row.computed_finish,
    )
    BaselineTask.objects.bulk_create(
        [
            BaselineTask(
                baseline=baseline,
                task_id=task_id,
                start=start,
                finish=finish,
                duration=duration,
                hours=hours.get(task_id) or Decimal("0"),
            )
            for task_id, start, finish, duration in Task.objects.filter(
                project=project
            ).values_list("id", "start", "finish", "duration")
        ],
        batch_size=1000,
    )
    return baseline
