"""The rows of a task tracker's export (Jira issues, Asana tasks) into a ``plan.Plan``.

A reader turns each row into an ``Item``: its own key and the other names it is
referred to by, its parent, the phase it sits in, its dates, estimate, status, person
and the items it waits for or holds up. ``build`` makes the plan from them:

- the tree from the parents (an issue under its epic, a sub-task under its issue);
  items without a parent sit under their phase (a summary task per phase, in the
  order phases first appear), else at the top; a parent outside the file leaves the
  item where it is, noted; parents that loop are a problem;
- a start date becomes "start no earlier than"; a due date alone "finish no later
  than"; with both, the working days between them are the duration unless the source
  has an estimate; without either the duration is one working day (a milestone none);
- "blocks" and "is blocked by" become finish-to-start links; a link to something not
  in the file is dropped, noted;
- people are resources matched later by e-mail (or user name).

Summary tasks take their dates from their children, so a summary's own dates are
dropped, noted. Pure Python.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from clientfolio.interchange import plan as p
from clientfolio.interchange.table import workdays_between

__all__ = ["Item", "build"]


@dataclass
class Item:
    """One row of a tracker's export, read."""

    key: str
    name: str
    element: str
    aliases: tuple[str, ...] = ()
    parent: str = ""
    phase: str = ""
    notes: str = ""
    status: str = ""
    start: date | None = None
    due: date | None = None
    duration: int | None = None
    milestone: bool = False
    priority: str = "medium"
    person: tuple[str, str] | None = None  # (name, e-mail)
    after: list[str] = field(default_factory=list)  # what it waits for
    before: list[str] = field(default_factory=list)  # what it holds up


def _index(items: list[Item]) -> tuple[dict[str, int], set[str]]:
    """Reference -> item index, by key first, then by alias; and the aliases that name
    more than one item (the first of them is taken)."""
    by_ref: dict[str, int] = {}
    for index, item in enumerate(items):
        by_ref.setdefault(item.key, index)
    owners: dict[str, set[int]] = defaultdict(set)
    for index, item in enumerate(items):
        for alias in item.aliases:
            if alias:
                owners[alias].add(index)
    ambiguous: set[str] = set()
    for alias, indexes in owners.items():
        if alias in by_ref:
            continue
        by_ref[alias] = min(indexes)
        if len(indexes) > 1:
            ambiguous.add(alias)
    return by_ref, ambiguous


def build(items: list[Item], report: p.Report, *, name: str = "") -> p.Plan:
    """The plan of ``items`` (in file order); notes and problems go to ``report``. The
    plan is validated (``plan.validate``) before it is returned."""
    plan = p.Plan(name=name[:200])
    by_ref, ambiguous = _index(items)
    seen_keys: set[str] = set()
    for item in items:
        if item.key in seen_keys:
            report.problem("duplicate_key", item.element, key=item.key)
        seen_keys.add(item.key)
    parent_of: dict[int, int | None] = {}
    for index, item in enumerate(items):
        parent_of[index] = None
        if not item.parent:
            continue
        found = by_ref.get(item.parent)
        if found is None or found == index:
            report.approximated(
                "parent", item.element, "parent_missing", key=item.parent[:60]
            )
            continue
        if item.parent in ambiguous:
            report.approximated(
                "parent", item.element, "parent_ambiguous", key=item.parent[:60]
            )
        parent_of[index] = found
        report.mapped("parent")
    for index in parent_of:
        seen = {index}
        current = parent_of[index]
        while current is not None:
            if current in seen:
                report.problem("parent_cycle", items[index].element)
                parent_of[index] = None
                break
            seen.add(current)
            current = parent_of[current]
    children: dict[int | None, list[int]] = defaultdict(list)
    phases: dict[str, list[int]] = {}
    roots: list[tuple[str, int | str]] = []  # ("item", index) or ("phase", name)
    for index, item in enumerate(items):
        parent = parent_of[index]
        if parent is not None:
            children[parent].append(index)
        elif item.phase:
            if item.phase not in phases:
                phases[item.phase] = []
                roots.append(("phase", item.phase))
                report.mapped("phase")
            phases[item.phase].append(index)
        else:
            roots.append(("item", index))
    summaries = set(children)
    ordered: list[tuple[int, int]] = []  # (item index, level)

    def walk(index: int, level: int) -> None:
        stack = [(index, level)]
        while stack:
            current, depth = stack.pop()
            ordered.append((current, depth))
            stack.extend(
                (child, depth + 1) for child in reversed(children.get(current, []))
            )

    keys: dict[int, str] = {}
    phase_number = 0
    for kind, value in roots:
        if kind == "phase":
            phase_number += 1
            phase_name = str(value)
            plan.tasks.append(
                p.PlanTask(
                    f"phase:{phase_number}",
                    phase_name[: p.MAX_NAME],
                    1,
                    element=f"list {phase_name}"[:80],
                )
            )
            for index in phases[phase_name]:
                walk(index, 2)
        else:
            walk(int(value), 1)
        for index, level in ordered:
            plan.tasks.append(_task(items[index], level, index in summaries, report))
            keys[index] = plan.tasks[-1].key
        ordered.clear()
    _links(items, by_ref, keys, children, plan, report)
    _people(items, keys, plan, report)
    plan.start = min(
        (item.start for item in items if item.start),
        default=None,
    )
    p.drop_summary_links(plan, report)
    p.validate(plan, report)
    return plan


def _task(item: Item, level: int, summary: bool, report: p.Report) -> p.PlanTask:
    task = p.PlanTask(
        item.key,
        item.name.strip()[: p.MAX_NAME],
        level,
        element=item.element,
        notes=item.notes[:20000],
        priority=item.priority,
        status=item.status,
        percent_complete=100 if item.status == "done" else 0,
    )
    report.mapped("name")
    if len(item.name.strip()) > p.MAX_NAME:
        report.approximated("name", item.element, "name_truncated", limit=p.MAX_NAME)
    if item.status:
        report.mapped("status")
    if summary:
        if item.start or item.due or item.duration:
            report.dropped("due", item.element, "summary_dates")
        return task
    if item.milestone:
        task.is_milestone, task.duration = True, 0
        report.mapped("milestone")
    elif item.duration is not None:
        task.duration = max(item.duration, 0)
    elif item.start and item.due:
        task.duration = max(workdays_between(item.start, item.due), 1)
        report.approximated(
            "duration",
            item.element,
            "dates_as_duration",
            start=item.start.isoformat(),
            due=item.due.isoformat(),
            days=task.duration,
        )
    if item.start:
        task.constraint, task.constraint_date = "snet", item.start
        task.start = item.start
        report.mapped("start")
    elif item.due:
        task.constraint, task.constraint_date = "fnlt", item.due
        report.approximated(
            "due", item.element, "due_as_deadline", date=item.due.isoformat()
        )
    return task


def _leaves(index: int, children: dict[int | None, list[int]]) -> list[int]:
    """``index`` itself, or for a summary the tasks without children under it."""
    result, stack = [], [index]
    while stack:
        current = stack.pop()
        below = children.get(current, [])
        if below:
            stack.extend(reversed(below))
        else:
            result.append(current)
    return result


def _links(
    items: list[Item],
    by_ref: dict[str, int],
    keys: dict[int, str],
    children: dict[int | None, list[int]],
    plan: p.Plan,
    report: p.Report,
) -> None:
    """The "blocks" links; one that touches a summary (an epic, an issue with
    sub-tasks) joins the work under it instead, as blocking an epic blocks its issues."""
    pairs: set[tuple[str, str]] = set()
    handled: set[tuple[int, int]] = set()
    for index, item in enumerate(items):
        wanted = [(ref, True) for ref in item.after] + [
            (ref, False) for ref in item.before
        ]
        for ref, waits in wanted:
            other = by_ref.get(ref)
            if other is None:
                report.dropped("link", item.element, "link_outside", key=ref[:60])
                continue
            if other == index:
                continue
            first, then = (other, index) if waits else (index, other)
            if (first, then) in handled:
                continue  # written on both rows: "blocks" and "is blocked by"
            handled.add((first, then))
            ends = [
                (keys[a], keys[b])
                for a in _leaves(first, children)
                for b in _leaves(then, children)
                if a != b
            ]
            if len(ends) != 1 or ends[0] != (keys[first], keys[then]):
                report.approximated(
                    "link",
                    item.element,
                    "link_to_summary_expanded",
                    count=len(ends),
                )
            else:
                report.mapped("link")
            for pair in ends:
                if pair not in pairs:
                    pairs.add(pair)
                    plan.links.append(p.Link(*pair, "FS", 0, None, item.element))


def _people(
    items: list[Item], keys: dict[int, str], plan: p.Plan, report: p.Report
) -> None:
    resources: dict[str, p.Resource] = {}
    for index, item in enumerate(items):
        if item.person is None:
            continue
        person_name, email = item.person
        key = (email or person_name).casefold()
        if not key:
            continue
        if key not in resources:
            resources[key] = p.Resource(
                key, (person_name or email)[:150], email[:254], item.element
            )
            report.mapped("resource")
        plan.assignments.append(p.Assignment(keys[index], key, element=item.element))
        report.mapped("assignment")
    plan.resources = list(resources.values())
