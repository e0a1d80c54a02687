"""A plan between two tools: the intermediate structure every importer reads into and
every exporter writes from, and the report of what a reader mapped, approximated or
dropped, field by field.

Pure Python (no Django): readers (``mspdi``, ``sheet``) turn a file into a ``Plan`` and a
``Report``; ``validate`` finds what would stop the plan from being written (a cycle, a
link to a task that is not there, a duration out of range); ``interchange.services``
writes a valid plan into a project in one transaction.

Units: durations and lags are **working days** of the plan's calendar (what the schedule
computes in); a percent lag is kept as given (``lag_percent``) beside the working days it
was approximated to. Dates are ``date`` values. Messages are codes with parameters (the
Django side words them in the user's language: ``interchange.messages``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

__all__ = [
    "LINK_KINDS",
    "MAX_DURATION",
    "MAX_LAG",
    "MAX_NAME",
    "Assignment",
    "Calendar",
    "CalendarException",
    "FieldTally",
    "Link",
    "Outcome",
    "Plan",
    "PlanTask",
    "Problem",
    "Report",
    "Resource",
    "drop_summary_links",
    "find_cycle",
    "parents",
    "validate",
    "wbs_codes",
]

LINK_KINDS = ("FS", "SS", "FF", "SF")
CONSTRAINTS = ("asap", "snet", "fnlt")
MAX_DURATION = 5000  # working days, as schedule.Task.duration allows
MAX_LAG = 1000
MAX_NAME = 300


class Outcome(StrEnum):
    MAPPED = "mapped"
    APPROXIMATED = "approximated"
    DROPPED = "dropped"


@dataclass
class PlanTask:
    """One row of the plan in outline order. ``key`` is the source's identifier (an
    MSPDI UID, a spreadsheet row's ID) that links and assignments refer to;
    ``outline_level`` starts at 1."""

    key: str
    name: str
    outline_level: int = 1
    duration: int = 1
    is_milestone: bool = False
    constraint: str = "asap"
    constraint_date: date | None = None
    percent_complete: int = 0
    actual_start: date | None = None
    actual_finish: date | None = None
    start: date | None = None
    finish: date | None = None
    baseline_start: date | None = None
    baseline_finish: date | None = None
    baseline_duration: int | None = None
    notes: str = ""
    priority: str = "medium"
    # "todo", "in_progress" or "done" when the source says so; else from the progress.
    status: str = ""
    # Where the row came from, for messages ("Task UID 7", "row 12").
    element: str = ""


@dataclass
class Link:
    """``predecessor`` → ``successor`` (task keys) of one of ``LINK_KINDS``; ``lag`` in
    working days, negative for a lead."""

    predecessor: str
    successor: str
    kind: str = "FS"
    lag: int = 0
    lag_percent: float | None = None
    element: str = ""


@dataclass(frozen=True)
class CalendarException:
    """A day the calendar treats differently: ``working`` False for a holiday."""

    day: date
    working: bool
    name: str = ""


@dataclass
class Calendar:
    """The plan's working calendar: weekdays (Monday = 0) and exceptions by day."""

    name: str = ""
    workdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    exceptions: list[CalendarException] = field(default_factory=list)


@dataclass
class Resource:
    """A person (or material) of the source plan; matched to a user by ``email``."""

    key: str
    name: str
    email: str = ""
    element: str = ""


@dataclass
class Assignment:
    """``resource`` (key) works ``hours`` on ``task`` (key)."""

    task: str
    resource: str
    hours: Decimal = Decimal("0")
    element: str = ""


@dataclass
class Plan:
    """A whole plan: tasks in outline order, links, calendar, people and baseline."""

    name: str = ""
    start: date | None = None
    tasks: list[PlanTask] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    calendar: Calendar = field(default_factory=Calendar)
    resources: list[Resource] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)
    baseline_name: str = ""

    @property
    def has_baseline(self) -> bool:
        return any(
            t.baseline_start is not None or t.baseline_finish is not None
            for t in self.tasks
        )


@dataclass(frozen=True)
class Problem:
    """Something that stops the plan from being imported: ``code`` with ``params``, at
    ``element`` (a task, a link, a row)."""

    code: str
    element: str = ""
    params: tuple[tuple[str, object], ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "element": self.element, "params": dict(self.params)}


@dataclass
class FieldTally:
    """What happened to one field of the source over the whole file."""

    mapped: int = 0
    approximated: int = 0
    dropped: int = 0
    # Up to ``Report.EXAMPLES`` (element, code, params) of the approximated and dropped.
    examples: list[tuple[str, str, str, dict[str, object]]] = field(
        default_factory=list
    )


@dataclass
class Report:
    """A reader's account of the file: per field what it mapped, approximated or dropped
    (with element numbers), and the problems that block the import."""

    EXAMPLES = 5

    fields: dict[str, FieldTally] = field(
        default_factory=lambda: defaultdict(FieldTally)
    )
    problems: list[Problem] = field(default_factory=list)

    def mapped(self, name: str, /, count: int = 1) -> None:
        self.fields[name].mapped += count

    def approximated(
        self, name: str, element: str, code: str, /, **params: object
    ) -> None:
        self._note(name, Outcome.APPROXIMATED, element, code, params)

    def dropped(self, name: str, element: str, code: str, /, **params: object) -> None:
        self._note(name, Outcome.DROPPED, element, code, params)

    def dropped_many(
        self, name: str, count: int, element: str, code: str, /, **params: object
    ) -> None:
        """``count`` things of field ``name`` dropped, described by one example."""
        self._note(name, Outcome.DROPPED, element, code, params)
        self.fields[name].dropped += count - 1

    def problem(self, code: str, element: str = "", /, **params: object) -> None:
        self.problems.append(Problem(code, element, tuple(sorted(params.items()))))

    def _note(
        self,
        name: str,
        outcome: Outcome,
        element: str,
        code: str,
        params: dict[str, object],
    ) -> None:
        tally = self.fields[name]
        if outcome == Outcome.APPROXIMATED:
            tally.approximated += 1
        else:
            tally.dropped += 1
        if len(tally.examples) < self.EXAMPLES:
            tally.examples.append((str(outcome), element, code, params))

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, object]:
        return {
            "fields": {
                name: {
                    "mapped": tally.mapped,
                    "approximated": tally.approximated,
                    "dropped": tally.dropped,
                    "examples": [
                        {
                            "outcome": outcome,
                            "element": element,
                            "code": code,
                            "params": params,
                        }
                        for outcome, element, code, params in tally.examples
                    ],
                }
                for name, tally in self.fields.items()
            },
            "problems": [p.as_dict() for p in self.problems],
        }


# --- the tree ------------------------------------------------------------------------------------


def parents(tasks: list[PlanTask]) -> list[int | None]:
    """For each task (by index) the index of its parent from the outline levels; a level
    that jumps more than one deeper hangs under the last task above it."""
    result: list[int | None] = []
    stack: list[tuple[int, int]] = []  # (level, index)
    for index, task in enumerate(tasks):
        while stack and stack[-1][0] >= task.outline_level:
            stack.pop()
        result.append(stack[-1][1] if stack else None)
        stack.append((task.outline_level, index))
    return result


def wbs_codes(tasks: list[PlanTask]) -> list[str]:
    """The WBS code (1, 1.2, 1.2.3) of each task from the outline, as the schedule
    numbers its tree."""
    parent_of = parents(tasks)
    counters: dict[int | None, int] = defaultdict(int)
    codes: list[str] = []
    for index, parent in enumerate(parent_of):
        counters[parent] += 1
        number = str(counters[parent])
        codes.append(f"{codes[parent]}.{number}" if parent is not None else number)
        del index
    return codes


def find_cycle(keys: list[str], links: list[tuple[str, str]]) -> list[str]:
    """A cycle among the links (``[a, b, a]``), or ``[]``; iterative, so a plan of any
    size cannot overflow the stack."""
    successors: dict[str, list[str]] = defaultdict(list)
    for predecessor, successor in links:
        successors[predecessor].append(successor)
    white, grey, black = 0, 1, 2
    colour = dict.fromkeys(keys, white)
    for key, _successor in links:
        colour.setdefault(key, white)
    for root in list(colour):
        if colour[root] != white:
            continue
        path = [root]
        iterators = [iter(successors[root])]
        colour[root] = grey
        while iterators:
            nxt = next(iterators[-1], None)
            if nxt is None:
                colour[path.pop()] = black
                iterators.pop()
                continue
            state = colour.get(nxt, white)
            if state == grey:
                return [*path[path.index(nxt) :], nxt]
            if state == white:
                colour[nxt] = grey
                path.append(nxt)
                iterators.append(iter(successors[nxt]))
    return []


def drop_summary_links(plan: Plan, report: Report) -> None:
    """Links to or from a summary task are not scheduled here: dropped, each noted."""
    summaries = {plan.tasks[i].key for i in parents(plan.tasks) if i is not None}
    if not summaries:
        return
    kept = []
    for link in plan.links:
        if link.predecessor in summaries or link.successor in summaries:
            report.dropped("link", link.element, "summary_link")
        else:
            kept.append(link)
    plan.links = kept


def validate(plan: Plan, report: Report) -> None:
    """Add to ``report`` every problem that stops ``plan`` from being written: no tasks,
    a task without a name, a duplicate key, a duration or lag out of range, a constraint
    without a date, a link naming a missing task, linking a task to itself, touching a
    summary task or closing a cycle, an assignment to a missing task. Nothing here
    changes the plan."""
    if not plan.tasks:
        report.problem("no_tasks")
        return
    keys: dict[str, PlanTask] = {}
    for task in plan.tasks:
        if task.key in keys:
            report.problem("duplicate_key", task.element, key=task.key)
        keys[task.key] = task
        if not task.name.strip():
            report.problem("name_missing", task.element)
        if not 0 <= task.duration <= MAX_DURATION:
            report.problem(
                "duration_range", task.element, value=task.duration, limit=MAX_DURATION
            )
        if task.constraint not in CONSTRAINTS:
            report.problem("constraint_unknown", task.element, value=task.constraint)
        elif task.constraint != "asap" and task.constraint_date is None:
            report.problem("constraint_date_missing", task.element)
        if not 0 <= task.percent_complete <= 100:
            report.problem("percent_range", task.element, value=task.percent_complete)
        if (
            task.actual_start
            and task.actual_finish
            and task.actual_finish < task.actual_start
        ):
            report.problem("actual_finish_before_start", task.element)
    parent_of = parents(plan.tasks)
    summaries = {plan.tasks[p].key for p in parent_of if p is not None}
    for index, parent in enumerate(parent_of):
        if parent is not None and plan.tasks[parent].is_milestone:
            report.problem(
                "milestone_with_children",
                plan.tasks[parent].element,
                name=plan.tasks[parent].name,
            )
        del index
    seen: set[tuple[str, str]] = set()
    for link in plan.links:
        for end in (link.predecessor, link.successor):
            if end not in keys:
                report.problem("link_missing_task", link.element, key=end)
        if link.predecessor == link.successor:
            report.problem("link_self", link.element)
        if link.kind not in LINK_KINDS:
            report.problem("link_kind", link.element, value=link.kind)
        if not -MAX_LAG <= link.lag <= MAX_LAG:
            report.problem("lag_range", link.element, value=link.lag, limit=MAX_LAG)
        if link.predecessor in summaries or link.successor in summaries:
            report.problem("link_summary", link.element)
        pair = (link.predecessor, link.successor)
        if pair in seen:
            report.problem("link_duplicate", link.element)
        seen.add(pair)
    cycle = find_cycle(
        list(keys), [(lk.predecessor, lk.successor) for lk in plan.links]
    )
    if cycle:
        report.problem(
            "cycle",
            keys[cycle[0]].element if cycle[0] in keys else "",
            path=" → ".join(keys[k].name if k in keys else k for k in cycle),
        )
    resources = {r.key for r in plan.resources}
    for assignment in plan.assignments:
        if assignment.task not in keys:
            report.problem(
                "assignment_missing_task", assignment.element, key=assignment.task
            )
        if assignment.resource not in resources:
            report.problem(
                "assignment_missing_resource",
                assignment.element,
                key=assignment.resource,
            )
