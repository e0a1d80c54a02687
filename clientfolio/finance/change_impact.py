"""Applying an approved change request (需求变更) to the plan and the budget, in one place.

``plan_change`` says what applying would do (for the preview): which tasks can move and
where to, the budget line, the baseline's name. ``apply_change_request`` does it in one
transaction: it moves the chosen tasks by the change's schedule impact and recomputes the
plan, adds the cost impact as a budget line that names the change, saves a new baseline
and moves the change request from approved to implemented with a comment saying what was
applied. A refusal raises ``ChangeImpactError`` (a translated message and the input at
fault) or ``StaleVersion`` and leaves the database as it was.

It lives in finance because it writes the plan and the budget: projects may import
neither schedule nor finance (the import-linter layers), finance may import both.

The schedule impact is in **calendar days**, as the change request form asks for it
("negative when the change shortens the schedule"). A task moves as the Gantt's drag
moves it (``schedule.views.gantt``): it gets a "start no earlier than" its start plus
those days, on the first working day of the project calendar from there; the schedule
engine then places it and everything that depends on it. A task that must "finish no
later than" a date keeps that constraint and the date moves by the same days (to the last
working day up to it), so the approved delay does not show as a missed deadline. Tasks
that have started keep their actual start, so only tasks not started yet can move.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clientfolio.clients.models import Currency
from clientfolio.core.locking import StaleVersion, save_versioned
from clientfolio.core.money import Money
from clientfolio.core.permissions import Action, can
from clientfolio.core.validators import validate_plan_date
from clientfolio.finance import services
from clientfolio.finance.models import BudgetLine, CostCategory
from clientfolio.projects import change_control
from clientfolio.projects.models import ChangeRequest, Project
from clientfolio.schedule import services as schedule_services
from clientfolio.schedule.models import Baseline, Task

__all__ = [
    "AppliedChange",
    "ChangeImpactError",
    "ImpactPlan",
    "MovedTask",
    "TaskShift",
    "apply_change_request",
    "default_baseline_name",
    "may_apply",
    "plan_change",
    "shiftable_tasks",
]

# The implemented step's comment lists this many moved tasks, names cut to this length.
LISTED_TASKS = 20
NAME_LENGTH = 60
BASELINE_NAME_LENGTH = Baseline._meta.get_field("name").max_length or 100
DESCRIPTION_LENGTH = BudgetLine._meta.get_field("description").max_length or 200


class ChangeImpactError(ValueError):
    """Applying the change was refused; nothing was saved. ``field`` names the input at
    fault (``task_ids``, ``add_budget``, ``budget_category``, ``baseline_name``) or is
    ``None`` for the change request as a whole."""

    def __init__(self, message: Any, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.field = field


@dataclass(frozen=True)
class TaskShift:
    """How one task would move: its dates now, and the constraint it gets
    (``"snet"``: start no earlier than ``new_date``; ``"fnlt"``: finish no later than
    ``new_date``, which was ``old_date``). ``is_default``: offered ticked, because it
    starts on or after the change's decision date."""

    task_id: int
    wbs: str
    name: str
    start: date | None
    finish: date | None
    constraint: str
    old_date: date | None
    new_date: date
    is_default: bool


@dataclass(frozen=True)
class ImpactPlan:
    """What applying ``change_request`` would do: the tasks that can move (``shifts``,
    in WBS order), the budget line's amount (``can_add_budget``: the cost impact is
    positive) and the default baseline name; ``finish`` is the plan's finish now."""

    change_request: ChangeRequest
    days: int
    decision_date: date
    shifts: tuple[TaskShift, ...]
    budget_amount: Decimal
    currency: str
    can_add_budget: bool
    budget_description: str
    baseline_name: str
    finish: date | None

    @property
    def default_task_ids(self) -> list[int]:
        return [shift.task_id for shift in self.shifts if shift.is_default]


@dataclass(frozen=True)
class MovedTask:
    """A task the change moved: its dates before and after the recomputation."""

    task_id: int
    wbs: str
    name: str
    old_start: date | None
    old_finish: date | None
    new_start: date | None
    new_finish: date | None


@dataclass(frozen=True)
class AppliedChange:
    """What ``apply_change_request`` did; ``change_request`` is now implemented."""

    change_request: ChangeRequest
    moved: tuple[MovedTask, ...]
    budget_line: BudgetLine | None
    baseline: Baseline
    finish_before: date | None
    finish_after: date | None
    comment: str


# The permissions applying needs: it moves tasks, saves a baseline, adds a budget line
# and moves the change request. In practice: the project manager and administrators.
NEEDED = (
    (Action.CHANGE, "schedule.task"),
    (Action.ADD, "schedule.baseline"),
    (Action.ADD, "finance.budgetline"),
    (Action.CHANGE, "projects.changerequest"),
)


def may_apply(user: Any, project: Project) -> bool:
    """Whether ``user`` may apply the project's approved changes (the permission
    layer's rules for every record applying writes)."""
    return all(can(user, action, label, project=project) for action, label in NEEDED)


def shiftable_tasks(project: Project):
    """The project's tasks a change can move: not summary tasks, not started, not done
    (in WBS order)."""
    return (
        Task.objects.filter(
            project=project,
            is_summary=False,
            actual_start__isnull=True,
            actual_finish__isnull=True,
            percent_complete=0,
        )
        .exclude(status=Task.Status.DONE)
        .order_by("wbs_sort", "id")
    )


def default_baseline_name(change_request: ChangeRequest) -> str:
    """ "After CR-003" ("CR-003 之后"), in the active language."""
    return _("After %(code)s") % {"code": change_request.code}


def _description(change_request: ChangeRequest) -> str:
    return str(change_request)[:DESCRIPTION_LENGTH]


def _decision_date(change_request: ChangeRequest) -> date:
    return change_request.decided_on or timezone.localdate()


def _calendar(project: Project, dates: Iterable[date], days: int):
    years: set[int] = set()
    for day in dates:
        for moved in (day, day + timedelta(days=days)):
            years.update({moved.year - 1, moved.year, moved.year + 1})
    return schedule_services.calendar_for(project, years=sorted(years)).calendar


def _new_constraint(
    row: dict[str, Any], days: int, calendar: Any, fallback: date
) -> tuple[str, date | None, date]:
    """The constraint, its date before and its date after moving the task ``days``
    calendar days on ``calendar``."""
    if row["constraint"] == Task.Constraint.FNLT and row["constraint_date"]:
        moved = row["constraint_date"] + timedelta(days=days)
        return (
            Task.Constraint.FNLT,
            row["constraint_date"],
            calendar.previous_workday(moved),
        )
    old = row["constraint_date"] if row["constraint"] == Task.Constraint.SNET else None
    start = row["start"] or fallback
    return (
        Task.Constraint.SNET,
        old,
        calendar.next_workday(start + timedelta(days=days)),
    )


def _shifts(
    project: Project, rows: Sequence[dict[str, Any]], days: int, decision: date
) -> list[TaskShift]:
    if not rows:
        return []
    fallback = project.starts_on or timezone.localdate()
    calendar = _calendar(
        project,
        [row["constraint_date"] or row["start"] or fallback for row in rows],
        days,
    )
    shifts = []
    for row in rows:
        try:
            constraint, old, new = _new_constraint(row, days, calendar, fallback)
            validate_plan_date(new)
        except (ValueError, OverflowError, ValidationError) as error:
            raise ChangeImpactError(
                _("Moving “%(name)s” by %(days)s days leaves the plan's dates.")
                % {"name": row["name"], "days": f"{days:+d}"},
                "task_ids",
            ) from error
        shifts.append(
            TaskShift(
                task_id=row["id"],
                wbs=row["wbs"],
                name=row["name"],
                start=row["start"],
                finish=row["finish"],
                constraint=constraint,
                old_date=old,
                new_date=new,
                is_default=row["start"] is not None and row["start"] >= decision,
            )
        )
    return shifts


TASK_FIELDS = ("id", "wbs", "name", "start", "finish", "constraint", "constraint_date")


def plan_change(change_request: ChangeRequest) -> ImpactPlan:
    """What applying ``change_request`` would do, for the preview: every task that can
    move (``shiftable_tasks``; none when the change has no schedule impact) with its
    new constraint date, ticked by default when it starts on or after the decision date
    (today when the change carries none). A few queries, whatever the number of tasks.
    Raises ``ChangeImpactError`` when a task would move outside the plan's dates."""
    project = change_request.project
    days = change_request.schedule_impact_days
    decision = _decision_date(change_request)
    rows: list[dict[str, Any]] = (
        list(shiftable_tasks(project).values(*TASK_FIELDS)) if days else []
    )
    settings_row = schedule_services.ensure_schedule(project)
    return ImpactPlan(
        change_request=change_request,
        days=days,
        decision_date=decision,
        shifts=tuple(_shifts(project, rows, days, decision)),
        budget_amount=change_request.cost_impact,
        currency=change_request.currency,
        can_add_budget=change_request.cost_impact > 0,
        budget_description=_description(change_request),
        baseline_name=default_baseline_name(change_request),
        finish=settings_row.computed_finish,
    )


# --- applying ----------------------------------------------------------------------------


def _check_applicable(stored: ChangeRequest) -> None:
    names = {"code": stored.code, "status": stored.get_status_display()}
    if (
        stored.status == ChangeRequest.Status.IMPLEMENTED
        or BudgetLine.objects.filter(change_request=stored).exists()
    ):
        raise ChangeImpactError(_("%(code)s has already been applied.") % names)
    if stored.status != ChangeRequest.Status.APPROVED:
        raise ChangeImpactError(
            _("Only an approved change can be applied: %(code)s is “%(status)s”.")
            % names
        )


def _chosen_tasks(
    project: Project, stored: ChangeRequest, task_ids: Iterable[int]
) -> list[Task]:
    """The chosen tasks (locked, in WBS order), refused unless every one is a task of
    the project that can move."""
    ids = sorted({int(task_id) for task_id in task_ids})
    if not ids:
        return []
    if not stored.schedule_impact_days:
        raise ChangeImpactError(
            _("%(code)s has no schedule impact: no task can be moved.")
            % {"code": stored.code},
            "task_ids",
        )
    tasks = list(
        Task.objects.select_for_update()
        .filter(project=project, pk__in=ids)
        .order_by("wbs_sort", "id")
    )
    if len(tasks) != len(ids):
        # Another project's task (or none at all): named by nobody, as it may be
        # outside the user's scope.
        raise ChangeImpactError(_("Choose tasks of this project."), "task_ids")
    movable = set(
        shiftable_tasks(project).filter(pk__in=ids).values_list("pk", flat=True)
    )
    for task in tasks:
        if task.pk not in movable:
            raise ChangeImpactError(
                _(
                    "“%(name)s” cannot be moved: it is a summary task, or it has "
                    "started or is done."
                )
                % {"name": task.name},
                "task_ids",
            )
    return tasks


def _row(task: Task) -> dict[str, Any]:
    return {name: getattr(task, name) for name in TASK_FIELDS}


def _check_budget(stored: ChangeRequest, add_budget: bool, category: str) -> None:
    if not add_budget:
        return
    if stored.cost_impact <= 0:
        raise ChangeImpactError(
            _(
                "%(code)s adds no cost, so there is nothing to add to the budget "
                "(a budget line cannot be negative)."
            )
            % {"code": stored.code},
            "add_budget",
        )
    if stored.currency not in Currency.values:
        raise ChangeImpactError(
            _("%(currency)s is not a currency of the budget.")
            % {"currency": stored.currency},
            "add_budget",
        )
    if category not in CostCategory.values:
        raise ChangeImpactError(
            _("Choose the budget category of the cost."), "budget_category"
        )


def _check_baseline_name(project: Project, name: str) -> None:
    if len(name) > BASELINE_NAME_LENGTH:
        raise ChangeImpactError(
            _("A baseline name has at most %(limit)d characters.")
            % {"limit": BASELINE_NAME_LENGTH},
            "baseline_name",
        )
    if Baseline.objects.filter(project=project, name=name).exists():
        raise ChangeImpactError(
            _("A baseline with this name already exists."), "baseline_name"
        )


def _move(
    project: Project, tasks: list[Task], days: int, user: Any
) -> tuple[MovedTask, ...]:
    """Give each task its new constraint, recompute the plan once (rather than once a
    task, as ``schedule.services.update_task`` would), and return the tasks' dates
    before and after."""
    if not tasks:
        return ()
    rows = [_row(task) for task in tasks]
    shifts = _shifts(project, rows, days, date.min)
    for task, shift in zip(tasks, shifts, strict=True):
        task.constraint = shift.constraint
        task.constraint_date = shift.new_date
        save_versioned(task, task.version, fields=["constraint", "constraint_date"])
    try:
        schedule_services.recompute(project, actor=user)
    except schedule_services.PlanError as error:
        raise ChangeImpactError(error.message, "task_ids") from error
    after = {
        pk: (start, finish)
        for pk, start, finish in Task.objects.filter(
            pk__in=[row["id"] for row in rows]
        ).values_list("pk", "start", "finish")
    }
    return tuple(
        MovedTask(
            task_id=row["id"],
            wbs=row["wbs"],
            name=row["name"],
            old_start=row["start"],
            old_finish=row["finish"],
            new_start=after[row["id"]][0],
            new_finish=after[row["id"]][1],
        )
        for row in rows
    )


def _summary(
    stored: ChangeRequest,
    moved: Sequence[MovedTask],
    line: BudgetLine | None,
    baseline: Baseline,
    before: date | None,
    after: date | None,
) -> str:
    """The comment of the implemented step: what was applied, in the active language."""

    def day(value: date | None) -> str:
        return value.isoformat() if value else "—"

    if moved:
        lines = [
            ngettext(
                "%(count)d task moved by %(days)s days; the plan finishes on "
                "%(after)s (was %(before)s).",
                "%(count)d tasks moved by %(days)s days; the plan finishes on "
                "%(after)s (was %(before)s).",
                len(moved),
            )
            % {
                "count": len(moved),
                "days": f"{stored.schedule_impact_days:+d}",
                "after": day(after),
                "before": day(before),
            }
        ]
        lines += [
            f"· {task.wbs} {task.name[:NAME_LENGTH]}: "
            f"{day(task.old_start)} → {day(task.new_start)}"
            for task in moved[:LISTED_TASKS]
        ]
        if len(moved) > LISTED_TASKS:
            more = len(moved) - LISTED_TASKS
            lines.append(
                ngettext(
                    "· and %(count)d more task",
                    "· and %(count)d more tasks",
                    more,
                )
                % {"count": more}
            )
    else:
        lines = [_("No task moved.")]
    if line is not None:
        lines.append(
            _("Budget line added: %(amount)s, %(category)s, “%(description)s”.")
            % {
                "amount": str(Money(line.amount, line.currency)),
                "category": line.get_category_display(),
                "description": line.description,
            }
        )
    else:
        lines.append(_("No budget line added."))
    lines.append(_("Baseline saved: “%(name)s”.") % {"name": baseline.name})
    return "\n".join(lines)


def apply_change_request(
    change_request: ChangeRequest,
    *,
    task_shifts: Iterable[int] | None,
    add_budget: bool,
    budget_category: str,
    baseline_name: str,
    user: Any,
    expected_version: int | None,
) -> AppliedChange:
    """Apply an approved change, all or nothing, and mark it implemented.

    ``task_shifts``: ids of the project's tasks to move by the change's schedule impact
    (calendar days; see the module's docstring), ``None`` for the default ones of
    ``plan_change``. With ``add_budget`` the positive cost impact becomes a budget line
    of ``budget_category`` in the change's currency, described as the change
    ("CR-003 增加报表模块") and linked to it. A baseline named ``baseline_name`` (blank:
    ``default_baseline_name``) is saved after the plan is recomputed. The change request
    then moves approved → implemented (``change_control.transition``) with a comment
    summarising all of it, by ``user``.

    Raises ``StaleVersion`` when the change request is no longer at
    ``expected_version``, and ``ChangeImpactError`` when it is not approved, was applied
    already, a task is not one of the project's tasks that can move, there is no cost to
    add, the category is missing, the baseline name is taken or too long, or the plan
    cannot be computed. Permissions are the caller's to check (``may_apply``).
    """
    with transaction.atomic():
        stored = (
            ChangeRequest.objects.select_for_update()
            .select_related("project")
            .get(pk=change_request.pk)
        )
        if expected_version is not None and expected_version != stored.version:
            raise StaleVersion(stored)
        _check_applicable(stored)
        project = stored.project
        if task_shifts is None:
            task_shifts = plan_change(stored).default_task_ids
        tasks = _chosen_tasks(project, stored, task_shifts)
        _check_budget(stored, add_budget, budget_category)
        name = (baseline_name or "").strip() or default_baseline_name(stored)
        _check_baseline_name(project, name)

        before = schedule_services.ensure_schedule(project).computed_finish
        moved = _move(project, tasks, stored.schedule_impact_days, user)
        line = None
        if add_budget:
            line = services.create_budget_line(
                BudgetLine(
                    project=project,
                    category=budget_category,
                    description=_description(stored),
                    amount=stored.cost_impact,
                    currency=stored.currency,
                    notes=_("Cost impact of %(code)s, approved on %(date)s.")
                    % {
                        "code": stored.code,
                        "date": _decision_date(stored).isoformat(),
                    },
                    change_request=stored,
                )
            )
        after = schedule_services.ensure_schedule(project).computed_finish
        try:
            baseline = schedule_services.save_baseline(
                project,
                name,
                user=user,
                note=_("Saved when %(code)s was applied.") % {"code": stored.code},
            )
        except schedule_services.PlanError as error:
            raise ChangeImpactError(error.message, "baseline_name") from error
        comment = _summary(stored, moved, line, baseline, before, after)
        change_control.transition(
            stored,
            ChangeRequest.Status.IMPLEMENTED,
            user,
            comment,
            expected_version=stored.version,
        )
    return AppliedChange(
        change_request=stored,
        moved=moved,
        budget_line=line,
        baseline=baseline,
        finish_before=before,
        finish_after=after,
        comment=comment,
    )
