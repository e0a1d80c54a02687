"""The plan grid: a project's task tree as rows numbered the way MS Project numbers them
(the ID column: 1, 2, 3 … in WBS order), edited one cell at a time, with rows inserted,
indented, outdented and pasted from a spreadsheet, and the last change of each person
undone. Every edit recomputes the schedule in the same transaction; a refused edit
(``CellError``, ``PasteError``, ``services.PlanError``, ``StaleVersion``) saves nothing.

Each change records how the plan was before (``PlanChange``), so ``undo_last`` can put it
back; a Gantt drag records one too (``record_change``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from clientfolio.core.locking import StaleVersion, save_versioned
from clientfolio.core.models import User
from clientfolio.core.validators import validate_plan_date
from clientfolio.projects.models import Project
from clientfolio.schedule import notation, services
from clientfolio.schedule.models import Dependency, PlanChange, Task

__all__ = [
    "EDITABLE",
    "CellError",
    "NotOnTeam",
    "PasteError",
    "UndoError",
    "edit_cell",
    "grid_rows",
    "insert_row",
    "move_row",
    "notation_message",
    "paste_rows",
    "record_change",
    "snapshot",
    "undo_last",
]

# The cells a grid edit may write.
EDITABLE = ("name", "duration", "constraint", "owner", "predecessors")
# The cells the schedule depends on: editing one recomputes; a name or an owner does not
# move a date, so saving it skips the recompute (a tenth of a second per 10,000 tasks).
SCHEDULING = frozenset({"duration", "constraint", "predecessors"})
# The fields a change records about each task it touches, to put them back on undo.
SNAPSHOT_FIELDS = (
    "name",
    "duration",
    "is_milestone",
    "constraint",
    "constraint_date",
    "owner_id",
    "parent_id",
    "position",
    "status",
    "percent_complete",
    "actual_start",
    "actual_finish",
)
DATE_FIELDS = frozenset({"constraint_date", "actual_start", "actual_finish"})
# Changes kept per person and project; older ones can no longer be undone.
UNDO_DEPTH = 50
MAX_PASTED_ROWS = 500


class CellError(ValueError):
    """An edit refused for what was typed in one cell; ``code`` is ``notation`` codes
    and the like, ``extra`` what the page needs to offer a way out."""

    def __init__(
        self, field: str, message: str, *, code: str = "invalid", **extra: Any
    ) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.code = code
        self.extra = extra


class NotOnTeam(CellError):
    """The owner chosen is not on the project team (the page offers to add them)."""


@dataclass
class PasteError(ValueError):
    """Pasted rows refused, all of them; ``rows`` maps the pasted row (1-based) to its
    problems, ``message`` is a problem of the paste as a whole."""

    rows: dict[int, list[str]] = field(default_factory=dict)
    message: str = ""


class UndoError(ValueError):
    """Nothing to undo, or the plan moved on since; ``status`` is 404 or 409."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


# --- messages ----------------------------------------------------------------------------


def notation_message(error: notation.NotationError) -> str:
    """``error`` in the user's language."""
    params = {"item": error.item, "row": error.row, "max": notation.MAX_LAG}
    messages = {
        "syntax": _(
            "“%(item)s” is not a predecessor: write a row number, optionally with a "
            "type and a lag, e.g. 3, 3FS+2, 5SS-1, 4FF."
        ),
        "kind": _("“%(item)s”: the link type must be FS, SS, FF or SF."),
        "lag": _(
            "“%(item)s”: the lag must be a whole number of working days (2, 2d) or "
            "weeks (1w)."
        ),
        "lag_range": _("“%(item)s”: the lag must be at most %(max)s working days."),
        "percent_lag": _(
            "“%(item)s”: percent lags are not supported; give the lag in working days."
        ),
        "elapsed_lag": _(
            "“%(item)s”: elapsed lags are not supported; give the lag in working days."
        ),
        "unknown_row": _("There is no row %(row)s."),
        "self": _("A task cannot depend on itself (row %(row)s)."),
        "duplicate": _("Row %(row)s is named twice."),
        "duration": _(
            "“%(item)s” is not a duration: write working days (5, 5d) or weeks (2w)."
        ),
        "duration_range": _("The duration must be between 0 and 5000 working days."),
        "date": _(
            "“%(item)s” is not a constraint: write a date (2026-10-12), “SNET "
            "2026-10-12” or “FNLT 2026-11-02”; leave it empty for none."
        ),
    }
    return messages.get(error.code, messages["syntax"]) % params


def _constraint_words() -> tuple[str, str]:
    return (
        pgettext("start constraint, short", "SNET"),
        pgettext("finish constraint, short", "FNLT"),
    )


# --- reading the grid ------------------------------------------------------------------------

# What a grid row reads of a task and its owner (one query with ``only``).
ROW_FIELDS = (
    "id",
    "project",
    "parent",
    "wbs",
    "name",
    "duration",
    "start",
    "finish",
    "constraint",
    "constraint_date",
    "owner",
    "version",
    "is_summary",
    "is_milestone",
    "is_critical",
    "owner__first_name",
    "owner__last_name",
    "owner__username",
)


def _ordered_ids(project: Project) -> list[int]:
    return list(
        Task.objects.filter(project=project)
        .order_by("wbs_sort", "id")
        .values_list("id", flat=True)
    )


def _links_into(
    project: Project | int, successors: Iterable[int] | None = None
) -> dict[int, list[tuple[int, str, int]]]:
    """The links inside ``project`` into each task (all, or those of ``successors``)."""
    links = Dependency.objects.within(project)
    if successors is not None:
        links = links.filter(successor_id__in=list(successors))
    result: dict[int, list[tuple[int, str, int]]] = defaultdict(list)
    for successor, predecessor, kind, lag in links.values_list(
        "successor_id", "predecessor_id", "kind", "lag"
    ):
        result[successor].append((predecessor, kind, lag))
    return result


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _row(
    task: Task,
    row_of: dict[int, int],
    links: list[tuple[int, str, int]],
    words: tuple[str, str],
) -> dict[str, Any]:
    predecessors = [
        notation.Predecessor(row_of[p], kind, lag)
        for p, kind, lag in links
        if p in row_of
    ]
    owner = task.owner if task.owner_id else None
    return {
        "id": task.pk,
        "row": row_of.get(task.pk),
        "parent": task.parent_id,
        "wbs": task.wbs,
        "level": task.wbs.count(".") if task.wbs else 0,
        "name": task.name,
        "duration": task.duration,
        "start": _iso(task.start),
        "finish": _iso(task.finish),
        "constraint": notation.format_constraint(
            notation.Constraint(task.constraint, task.constraint_date), words
        ),
        "owner": task.owner_id,
        "owner_name": str(owner) if owner else "",
        "predecessors": notation.format_predecessors(predecessors),
        "version": task.version,
        "summary": task.is_summary,
        "milestone": task.is_milestone,
        "critical": task.is_critical,
    }


def _tasks(project: Project):
    return (
        Task.objects.filter(project=project)
        .select_related("owner")
        .only(*ROW_FIELDS)
        .order_by("wbs_sort", "id")
    )


def grid_rows(project: Project) -> list[dict[str, Any]]:
    """Every task of the project as a grid row, in WBS order (two queries)."""
    tasks = list(_tasks(project))
    row_of = {task.pk: number for number, task in enumerate(tasks, start=1)}
    links = _links_into(project)
    words = _constraint_words()
    return [_row(task, row_of, links.get(task.pk, []), words) for task in tasks]


def _row_numbers(project: Project, ids: Iterable[int]) -> dict[int, int]:
    """The grid's row numbers of the tasks ``ids``: how many tasks come before each in
    WBS order, counted by the database in one pass (two queries) rather than reading the
    ids of the whole plan."""
    places = dict(
        Task.objects.filter(project=project, pk__in=list(ids)).values_list(
            "id", "wbs_sort"
        )
    )
    if not places:
        return {}
    counts = Task.objects.filter(project=project).aggregate(
        **{
            f"row_{pk}": Count(
                "pk", filter=Q(wbs_sort__lt=place) | Q(wbs_sort=place, pk__lte=pk)
            )
            for pk, place in places.items()
        }
    )
    return {pk: counts[f"row_{pk}"] for pk in places}


def _one_row(project: Project, task_id: int) -> dict[str, Any]:
    task = _tasks(project).get(pk=task_id)
    links = _links_into(project, [task_id]).get(task_id, [])
    row_of = _row_numbers(project, [task_id, *(p for p, _kind, _lag in links)])
    return _row(task, row_of, links, _constraint_words())


# --- undo records ------------------------------------------------------------------------------


def _value(task: Task, name: str) -> Any:
    value = getattr(task, name)
    return value.isoformat() if name in DATE_FIELDS and value else value


def snapshot(tasks: Iterable[Task], *, links_of: Iterable[Task] = ()) -> dict[str, Any]:
    """How ``tasks`` (and the links into ``links_of``) are now, for ``record_change``."""
    before: dict[str, Any] = {
        "tasks": {
            str(task.pk): {name: _value(task, name) for name in SNAPSHOT_FIELDS}
            for task in tasks
        },
        "links": {},
        "created": [],
        "positions": {},
    }
    targets = list(links_of)
    if targets:
        into = _links_into(targets[0].project_id, [t.pk for t in targets])
        before["links"] = {str(t.pk): into.get(t.pk, []) for t in targets}
    return before


def record_change(
    project: Project, user: Any, label: str, before: dict[str, Any]
) -> PlanChange | None:
    """Keep ``before`` as ``user``'s latest change of the plan, with the versions the
    touched tasks have now (an undo refuses if someone changed them since). Only the
    last ``UNDO_DEPTH`` changes per person and project are kept."""
    if not getattr(user, "pk", None):
        return None
    ids = [int(pk) for pk in before["tasks"]] + list(before.get("created", []))
    before["versions"] = {
        str(pk): version
        for pk, version in Task.objects.filter(pk__in=ids).values_list("id", "version")
    }
    change = PlanChange.objects.create(
        project=project, user=user, label=label[:300], before=before
    )
    stale = list(
        PlanChange.objects.filter(project=project, user=user)
        .order_by("-id")
        .values_list("id", flat=True)[UNDO_DEPTH : UNDO_DEPTH + 100]
    )
    if stale:
        PlanChange.objects.filter(pk__in=stale).delete()
    return change


def undo_last(project: Project, user: Any, *, actor: Any = None) -> str:
    """Put back the plan as it was before ``user``'s latest change of it and forget that
    change; returns its label. Raises ``UndoError`` (404 nothing to undo, 409 a task it
    touched was changed since: that change is forgotten, so the next undo reaches the
    one before) and ``services.PlanError``; nothing is saved then."""
    try:
        return _undo(project, user, actor)
    except UndoError as error:
        if error.status == 409:
            stale = latest_change(project, user)
            if stale is not None:
                stale.delete()
        raise


@transaction.atomic
def _undo(project: Project, user: Any, actor: Any) -> str:
    change = (
        PlanChange.objects.select_for_update()
        .filter(project=project, user=user)
        .order_by("-id")
        .first()
    )
    if change is None:
        raise UndoError(_("There is nothing to undo."), 404)
    before = change.before
    versions = {int(pk): v for pk, v in before.get("versions", {}).items()}
    current = {
        task.pk: task
        for task in Task.objects.filter(project=project, pk__in=list(versions))
    }
    for pk, version in versions.items():
        task = current.get(pk)
        if task is None or task.version != version:
            name = task.name if task is not None else ""
            raise UndoError(
                _(
                    "“%(name)s” was changed after “%(change)s”, so that change can no "
                    "longer be undone. Nothing was changed."
                )
                % {"name": name or _("a task"), "change": change.label},
                409,
            )
    created = [pk for pk in before.get("created", []) if pk in current]
    structure = bool(created) or bool(before.get("positions"))
    for pk, values in before["tasks"].items():
        task = current.get(int(pk))
        if task is None:
            continue
        for name, value in values.items():
            if name in DATE_FIELDS and value:
                value = date.fromisoformat(value)
            if name == "parent_id" and value != task.parent_id:
                structure = True
            setattr(task, name, value)
        save_versioned(task, task.version)
    positions = before.get("positions", {})
    if positions:
        moved = [
            Task(id=int(pk), parent_id=parent, position=position)
            for pk, (parent, position) in positions.items()
        ]
        Task.objects.bulk_update(moved, ["parent_id", "position"])
    for pk, links in before.get("links", {}).items():
        task = current.get(int(pk))
        if task is not None:
            _replace_links(project, task, [tuple(link) for link in links])
    if created:
        Task.objects.filter(project=project, pk__in=created).delete()
    if structure:
        services.renumber(project)
    services.recompute(project, actor=actor)
    label = change.label
    change.delete()
    return label


def latest_change(project: Project, user: Any) -> PlanChange | None:
    """``user``'s change of the plan that Undo would take back, if any."""
    if not getattr(user, "pk", None):
        return None
    return (
        PlanChange.objects.filter(project=project, user=user)
        .only("id", "label")
        .order_by("-id")
        .first()
    )


# --- links -------------------------------------------------------------------------------------


def _replace_links(
    project: Project, task: Task, wanted: Sequence[tuple[Any, ...]]
) -> None:
    """Make the links inside ``project`` into ``task`` exactly ``wanted`` (predecessor id,
    kind, lag); a cycle raises ``services.PlanError`` naming it."""
    existing = {
        link.predecessor_id: link
        for link in Dependency.objects.within(project).filter(successor=task)
    }
    wanted_by = {int(p): (str(kind), int(lag)) for p, kind, lag in wanted}
    added = set(wanted_by) - set(existing)
    if added:
        _refuse_loop(project, task, added)
    for predecessor, link in existing.items():
        if predecessor not in wanted_by:
            link.delete()
        elif (link.kind, link.lag) != wanted_by[predecessor]:
            link.kind, link.lag = wanted_by[predecessor]
            save_versioned(link, link.version)
    for predecessor, (kind, lag) in wanted_by.items():
        if predecessor not in existing:
            Dependency.objects.create(
                project=project,
                predecessor_id=predecessor,
                successor=task,
                kind=kind,
                lag=lag,
            )


def _refuse_loop(project: Project, task: Task, predecessors: set[int]) -> None:
    """Refuse new links ``predecessors`` → ``task`` if ``task`` already leads to one of
    them (the links would close a loop), naming the loop. One walk over the project's
    links from ``task``, instead of scheduling the whole network to find out."""
    successors: dict[int, list[int]] = defaultdict(list)
    for p, s in Dependency.objects.within(project).values_list(
        "predecessor_id", "successor_id"
    ):
        successors[p].append(s)
    came_from: dict[int, int] = {}
    queue = [task.pk]
    seen = {task.pk}
    while queue:
        current = queue.pop()
        for following in successors.get(current, ()):
            if following in seen:
                continue
            seen.add(following)
            came_from[following] = current
            if following in predecessors:
                path = [following]
                while path[-1] != task.pk:
                    path.append(came_from[path[-1]])
                path.reverse()
                path.append(task.pk)
                names = dict(Task.objects.filter(pk__in=path).values_list("id", "name"))
                raise services.PlanError(
                    _("This link would make a cycle: %(path)s.")
                    % {"path": " → ".join(names.get(i, str(i)) for i in path)},
                    "predecessor",
                )
            queue.append(following)


def _parse_links(
    text: str, ids: list[int], own: int | None, summaries: set[int], field: str
) -> list[tuple[int, str, int]]:
    try:
        parsed = notation.parse_predecessors(
            text, lambda row: 1 <= row <= len(ids), own_row=own
        )
    except notation.NotationError as error:
        raise CellError(field, notation_message(error), code=error.code) from error
    links = []
    for link in parsed:
        predecessor = ids[link.row - 1]
        if predecessor in summaries:
            raise CellError(
                field,
                _("Row %(row)s is a summary task: link the tasks inside it instead.")
                % {"row": link.row},
                code="summary",
            )
        links.append((predecessor, link.kind, link.lag))
    return links


def _summaries(project: Project) -> set[int]:
    return set(
        Task.objects.filter(project=project, parent__isnull=False)
        .values_list("parent_id", flat=True)
        .distinct()
    )


# --- editing a cell ------------------------------------------------------------------------


def _find_owner(project: Project, value: Any) -> User | None:
    if value in (None, ""):
        return None
    try:
        pk = int(str(value))
    except ValueError as error:
        raise CellError("owner", _("Choose a person from the list.")) from error
    owner = User.objects.internal().active().filter(pk=pk).first()
    if owner is None:
        raise CellError("owner", _("Choose a person from the list."))
    return owner


def _on_team(project: Project, user: User) -> bool:
    return project.memberships.filter(user=user).exists()


def _apply_cell(
    project: Project, task: Task, name: str, value: str
) -> tuple[list[tuple[int, str, int]] | None, str]:
    """Write the typed ``value`` of cell ``name`` into ``task`` (not saved); returns the
    links the task should get (predecessors only) and the label of the change."""
    label = _("Edit “%(name)s”") % {"name": task.name}
    if name == "name":
        text = value.strip()
        if not text:
            raise CellError(name, _("Give the task a name."))
        if len(text) > 300:
            raise CellError(name, _("The name can be at most 300 characters."))
        label = _("Rename “%(old)s” to “%(new)s”") % {"old": task.name, "new": text}
        task.name = text
        return None, label
    if name == "duration":
        if task.is_summary:
            raise CellError(
                name, _("A summary task's duration comes from the tasks under it.")
            )
        try:
            days = notation.parse_duration(value)
        except notation.NotationError as error:
            raise CellError(name, notation_message(error), code=error.code) from error
        task.is_milestone = days == 0
        task.duration = days
        return None, label
    if name == "constraint":
        if task.is_summary:
            raise CellError(
                name, _("A summary task's dates come from the tasks under it.")
            )
        try:
            constraint = notation.parse_constraint(value)
            if constraint.day is not None:
                validate_plan_date(constraint.day)
        except notation.NotationError as error:
            raise CellError(name, notation_message(error), code=error.code) from error
        except ValidationError as error:
            raise CellError(name, " ".join(error.messages)) from error
        task.constraint = constraint.kind
        task.constraint_date = constraint.day
        return None, label
    if name == "owner":
        owner = _find_owner(project, value)
        if owner is not None and not _on_team(project, owner):
            raise NotOnTeam(
                name,
                _("%(name)s is not on the project team.") % {"name": owner},
                code="not_on_team",
                user=owner.pk,
                user_name=str(owner),
            )
        task.owner = owner
        return None, label
    if name == "predecessors":
        if task.is_summary or Task.objects.filter(parent=task).exists():
            raise CellError(
                name,
                _("Link the tasks inside a summary task, not the summary task itself."),
                code="summary",
            )
        ids = _ordered_ids(project)
        links = _parse_links(
            value, ids, ids.index(task.pk) + 1, _summaries(project), name
        )
        return links, label
    raise CellError(name, _("This column cannot be edited."))


@transaction.atomic
def edit_cell(
    project: Project,
    task: Task,
    name: str,
    value: str,
    expected_version: int,
    *,
    actor: Any = None,
) -> dict[str, Any]:
    """Save one typed cell of ``task`` if nobody saved the task since
    ``expected_version``, recompute (for the ``SCHEDULING`` cells), and return the task's row, the computed values of
    every other task the recomputation changed, the project's finish and the undo id.

    Raises ``CellError`` (``NotOnTeam``), ``services.PlanError`` and ``StaleVersion``;
    nothing is saved then."""
    task.project = project
    before = snapshot([task], links_of=[task] if name == "predecessors" else [])
    links, label = _apply_cell(project, task, name, value)
    if links is not None:
        save_versioned(task, expected_version, fields=[])
        _replace_links(project, task, links)
    else:
        try:
            task.clean()
        except ValidationError as error:
            raise CellError(name, " ".join(error.messages)) from error
        services.update_task(task, expected_version, actor=actor, recompute_after=False)
    if name in SCHEDULING:
        # A cell only links tasks of this project: the count of links to other
        # projects stays as it was.
        result = services.recompute(project, actor=actor, recount_ignored=False)
        changed, finish = result.changed, result.finish
    else:
        changed = {}
        finish = services.ensure_schedule(project).computed_finish
    change = record_change(project, actor, label, before)
    return {
        "task": _one_row(project, task.pk),
        "changed": [
            {
                "id": pk,
                **{
                    key: _iso(value) if isinstance(value, date) else value
                    for key, value in values.items()
                },
            }
            for pk, values in changed.items()
            if pk != task.pk
        ],
        "finish": _iso(finish),
        "undo": _undo_info(change),
    }


def _undo_info(change: PlanChange | None) -> dict[str, Any] | None:
    return {"id": change.pk, "label": change.label} if change else None


def full_answer(project: Project, user: Any, **extra: Any) -> dict[str, Any]:
    """The whole grid again, after an edit that renumbers rows."""
    settings_row = services.ensure_schedule(project)
    settings_row.refresh_from_db(fields=["computed_finish"])
    return {
        "rows": grid_rows(project),
        "finish": _iso(settings_row.computed_finish),
        "undo": _undo_info(latest_change(project, user)),
        **extra,
    }


# --- rows: insert, indent, outdent, paste ----------------------------------------------------


def _place(project: Project, after: Task | None) -> tuple[Task | None, int]:
    """Where a row inserted below ``after`` goes: (parent, index among its children).
    Below a summary it becomes its first subtask, below a task its next sibling, and
    with no ``after`` the first row of the plan."""
    if after is None:
        return None, 0
    if Task.objects.filter(parent=after).exists():
        return after, 0
    siblings = list(
        Task.objects.filter(project=project, parent_id=after.parent_id)
        .order_by("position", "id")
        .values_list("id", flat=True)
    )
    return after.parent, siblings.index(after.pk) + 1


def _put_at(project: Project, parent: Task | None, new: list[Task], index: int) -> None:
    siblings = [
        task
        for task in Task.objects.filter(project=project, parent=parent)
        .order_by("position", "id")
        .only("id", "position")
        if task.pk not in {n.pk for n in new}
    ]
    ordered = siblings[:index] + new + siblings[index:]
    for position, task in enumerate(ordered, start=1):
        task.position = position
    Task.objects.bulk_update(ordered, ["position"])


def _positions(project: Project, parent_ids: Iterable[int | None]) -> dict[str, Any]:
    wanted = set(parent_ids)
    query = Q(parent__isnull=True) if None in wanted else Q(pk__in=[])
    query |= Q(parent_id__in=[p for p in wanted if p is not None])
    return {
        str(pk): [parent, position]
        for pk, parent, position in Task.objects.filter(project=project)
        .filter(query)
        .values_list("id", "parent_id", "position")
    }


@transaction.atomic
def insert_row(
    project: Project,
    after: Task | None,
    name: str,
    *,
    actor: Any = None,
) -> Task:
    """Add a task named ``name`` on the row below ``after`` (see ``_place``); renumber
    and recompute. Raises ``CellError`` for an empty name and ``services.PlanError``."""
    text = name.strip()
    if not text:
        raise CellError("name", _("Give the task a name."))
    if len(text) > 300:
        raise CellError("name", _("The name can be at most 300 characters."))
    parent, index = _place(project, after)
    task = Task(project=project, parent=parent, name=text, duration=1)
    services.create_task(task, recompute_after=False, actor=actor)
    _put_at(project, parent, [task], index)
    services.renumber(project)
    services.recompute(project, actor=actor)
    task.refresh_from_db()
    record_change(
        project,
        actor,
        _("Add “%(name)s”") % {"name": text},
        {"tasks": {}, "links": {}, "created": [task.pk], "positions": {}},
    )
    return task


@transaction.atomic
def move_row(
    project: Project,
    task: Task,
    direction: str,
    expected_version: int,
    *,
    actor: Any = None,
) -> Task:
    """Indent (under the task above it at its level), outdent (after its parent), or
    move up or down among its siblings; renumber and recompute. Raises
    ``services.PlanError`` when the row cannot go there and ``StaleVersion``."""
    siblings = list(
        Task.objects.filter(project=project, parent_id=task.parent_id)
        .order_by("position", "id")
        .values_list("id", flat=True)
    )
    index = siblings.index(task.pk)
    parent, position = task.parent, index
    if direction == "indent":
        if index == 0:
            raise services.PlanError(
                _("There is no task above this one at its level to indent it under."),
                "name",
            )
        parent = Task.objects.get(pk=siblings[index - 1])
        position = 10**6
    elif direction == "outdent":
        if task.parent is None:
            raise services.PlanError(
                _("This task is already at the top level."), "name"
            )
        grand = task.parent.parent
        uncles = list(
            Task.objects.filter(project=project, parent=grand)
            .order_by("position", "id")
            .values_list("id", flat=True)
        )
        parent, position = grand, uncles.index(task.parent_id) + 1
    elif direction == "up" and index > 0:
        position = index - 1
    elif direction == "down" and index < len(siblings) - 1:
        position = index + 1
    else:
        raise services.PlanError(_("The row cannot move that way."), "name")
    labels = {
        "indent": _("Indent “%(name)s”"),
        "outdent": _("Outdent “%(name)s”"),
        "up": _("Move “%(name)s” up"),
        "down": _("Move “%(name)s” down"),
    }
    before = snapshot([task])
    before["positions"] = _positions(
        project, {task.parent_id, parent.pk if parent else None}
    )
    services.move_task(task, parent, position, expected_version)
    record_change(project, actor, labels[direction] % {"name": task.name}, before)
    return task


def _match_person(text: str, people: list[User]) -> User | None:
    wanted = text.strip().lower()
    for person in people:
        names = {
            person.username.lower(),
            (person.email or "").lower(),
            str(person).lower(),
            f"{person.first_name} {person.last_name}".strip().lower(),
            f"{person.last_name}{person.first_name}".strip().lower(),
        }
        if wanted in names:
            return person
    return None


@transaction.atomic
def paste_rows(
    project: Project, after: Task | None, text: str, *, actor: Any = None
) -> list[Task]:
    """Add the rows pasted from a spreadsheet (tab-separated: name, duration,
    predecessors, owner) below ``after``, all or none. Predecessors name rows as the
    grid numbers them once the rows are in. Raises ``PasteError`` with every problem
    by pasted row; nothing is saved then."""
    cells = notation.parse_pasted_rows(text)
    if not cells:
        raise PasteError(message=_("There is nothing to paste."))
    if len(cells) > MAX_PASTED_ROWS:
        raise PasteError(
            message=_("Paste at most %(count)s rows at a time.")
            % {"count": MAX_PASTED_ROWS}
        )
    ids = _ordered_ids(project)
    at = ids.index(after.pk) + 1 if after is not None else 0
    summaries = _summaries(project)
    if after is not None and Task.objects.filter(parent=after).exists():
        summaries.add(after.pk)
    # The grid once pasted: row numbers of existing tasks (ids) and new rows (-index).
    final: list[int] = ids[:at] + [-(i + 1) for i in range(len(cells))] + ids[at:]
    people = list(User.objects.internal().active())
    team = set(project.memberships.values_list("user_id", flat=True))
    problems: dict[int, list[str]] = defaultdict(list)
    planned = []
    for index, row in enumerate(cells, start=1):
        name, duration, predecessors, owner_text = (row + ["", "", "", ""])[:4]
        days = 1
        owner = None
        links: list[tuple[int, str, int]] = []
        if not name:
            problems[index].append(_("The name is empty."))
        elif len(name) > 300:
            problems[index].append(_("The name can be at most 300 characters."))
        if duration:
            try:
                days = notation.parse_duration(duration)
            except notation.NotationError as error:
                problems[index].append(notation_message(error))
        if predecessors:
            try:
                links = _parse_links(
                    predecessors, final, at + index, summaries, "predecessors"
                )
            except CellError as error:
                problems[index].append(error.message)
        if owner_text:
            owner = _match_person(owner_text, people)
            if owner is None:
                problems[index].append(
                    _("Nobody called “%(name)s” works here.") % {"name": owner_text}
                )
            elif owner.pk not in team:
                problems[index].append(
                    _(
                        "%(name)s is not on the project team: add them to the team "
                        "first."
                    )
                    % {"name": owner}
                )
        planned.append((name, days, links, owner))
    if problems:
        raise PasteError(rows=dict(problems))
    parent, position = _place(project, after)
    created: list[Task] = []
    for name, days, _links, owner in planned:
        task = Task(
            project=project,
            parent=parent,
            name=name,
            duration=days,
            is_milestone=days == 0,
            owner=owner,
            position=10**6 + len(created),
        )
        task.save()
        created.append(task)
    _put_at(project, parent, created, position)
    new_id = {-(i + 1): task.pk for i, task in enumerate(created)}
    for task, (_name, _days, links, _owner) in zip(created, planned, strict=True):
        for predecessor, kind, lag in links:
            Dependency.objects.create(
                project=project,
                predecessor_id=new_id.get(predecessor, predecessor),
                successor=task,
                kind=kind,
                lag=lag,
            )
    links_now = [
        services.engine.Link(p, s)
        for p, s in Dependency.objects.within(project).values_list(
            "predecessor_id", "successor_id"
        )
    ]
    try:
        services._refuse_cycle(project.pk, links_now)
    except services.PlanError as error:
        raise PasteError(message=error.message) from error
    services.renumber(project)
    try:
        services.recompute(project, actor=actor)
    except services.PlanError as error:
        raise PasteError(message=error.message) from error
    for task in created:
        if task.owner_id:
            services._announce_owner(task, actor)
    record_change(
        project,
        actor,
        _("Paste %(count)s rows") % {"count": len(created)},
        {
            "tasks": {},
            "links": {},
            "created": [task.pk for task in created],
            "positions": {},
        },
    )
    return created


def check_version(task: Task, expected: int) -> None:
    """Raise ``StaleVersion`` if ``task`` was saved since ``expected``."""
    if task.version != expected:
        raise StaleVersion(task)
