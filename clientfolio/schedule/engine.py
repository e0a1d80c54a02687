"""Critical path scheduling over a working calendar: early and late dates, float, critical path.

Pure Python: no Django. Every duration, lag and float is in **working days** of the calendar
passed in; dates are ``datetime.date`` values. The services build the inputs (one query per
table) and write the results back; "today" arrives as ``status_date``.

Conventions (MS Project's, where it has one):

* A task of duration ``d >= 1`` starting on working day ``S`` works ``d`` working days and
  finishes on ``add_workdays(S, d - 1)``: start and finish dates are both inclusive.
* Internally a task occupies the half-open interval ``[s, s + d)`` of working-day numbers
  (day ``k`` is the span from the start to the end of the ``k``-th working day), so with
  ``F`` the finish date the links read (``+1`` is "the next working day"):

  - FS: successor start  >= predecessor finish + 1 + lag
  - SS: successor start  >= predecessor start + lag
  - FF: successor finish >= predecessor finish + lag
  - SF: successor finish >= predecessor start + lag - 1

  A negative lag is a lead. Lags count working days, so a two-day lag over a weekend is
  four calendar days.
* A milestone (duration 0) is a point in time. Its date is the working day it falls on:
  a milestone pushed by a *finish* (FS or FF predecessor) sits at the end of that day and
  shows the predecessor's finish date; one pushed by a *start* (SS, SF, the project start,
  the status date, a "start no earlier than") sits at the start of that day and shows that
  date. When both push it to the same moment, the start wins. A task that follows a
  milestone by FS starts on the next working day after an end-of-day milestone, and on
  the milestone's own date after a start-of-day one. So a milestone's total float may be
  one working day while its early and late dates are the same date (the milestone may
  move from the start to the end of that day), as in MS Project.
* No date produced here is a non-working day, and no task starts before the project start
  (moved to the next working day) unless it has an actual start.
* Constraints: ``"snet"`` (start no earlier than ``constraint_date``) raises the early
  start; ``"fnlt"`` (finish no later than ``constraint_date``) lowers the late finish, and a
  violated one shows as negative total float rather than an error. ``"asap"`` ignores any
  ``constraint_date``.
* Progress counts only when ``status_date`` is given (without it the plan is computed from
  the network alone, as for a baseline):

  - a task with ``actual_finish`` is fixed at its actual dates (start from ``actual_start``,
    else ``duration`` working days before the finish); it has zero float, is never
    critical, and its links are not re-checked;
  - a task with ``actual_start`` (or ``percent_complete > 0``) and no actual finish keeps
    its start (the actual one, else the one the network gives) and its remaining work,
    ``ceil(duration * (1 - percent_complete / 100))`` working days, runs from the status
    date (or its start, if later); FF and SF links still hold its finish, FS and SS links
    no longer move its start;
  - a task or milestone at 100 % without an actual finish is done at its planned dates:
    from its actual start (else where the network puts it, not held back by the status
    date) for its duration; like a finished one it has zero float and is never critical
    (issue 12: it used to be drawn finishing on the status date);
  - a task that has not started cannot start before the status date.

  Actual dates on non-working days are moved to working days: starts forward, finishes back.
* The backward pass starts from the project finish (the latest early finish). Total float is
  late start minus early start (for a started task: late finish minus early finish); free
  float is the smallest slack of the task's outgoing links and of the project finish
  (project finish minus early finish), so that, as in MS Project, free float never exceeds
  total float unless a "finish no later than" cuts the latter. A task is critical when its
  total float is <= 0.

Performance: the calendar becomes an integer index of working days (built once per
calendar), and both passes run over dense integer lists in topological order (Kahn's
algorithm), so 100,000 tasks take about a second.
"""

from __future__ import annotations

import gc
import math
from collections import deque
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from itertools import accumulate, repeat
from operator import attrgetter
from typing import Literal

__all__ = [
    "Calendar",
    "CycleError",
    "DateRangeError",
    "Link",
    "LinkError",
    "Schedule",
    "ScheduleError",
    "TaskError",
    "TaskInput",
    "TaskKind",
    "TaskSchedule",
    "downstream",
    "partition_links",
    "rollup",
    "schedule",
]

TaskKind = Literal["task", "milestone"]

CONSTRAINTS = frozenset({"asap", "snet", "fnlt"})
LINK_KINDS = ("FS", "SS", "FF", "SF")


# --- calendar ----------------------------------------------------------------------------


class _CalendarIndex:
    """Numbers the working days of a calendar with consecutive integers.

    ``ceil(o)`` is the number of the first working day on or after the day with ordinal
    ``o``; it equals the count of working days in ``[lo, o)`` (negative before ``lo``).
    Holidays and make-up days only occur inside the window ``[lo, hi)`` (whole weeks, from
    a Monday), which is tabulated; outside it the weekly pattern repeats, so conversions
    there are arithmetic and the index never needs extending.
    """

    __slots__ = (
        "days",
        "hi",
        "lo",
        "n_window",
        "offsets",
        "per_week",
        "prefix",
        "suffix",
        "table",
        "workdays",
    )

    def __init__(
        self,
        workdays: frozenset[int],
        holidays: frozenset[date],
        extra_workdays: frozenset[date],
    ) -> None:
        special = [d.toordinal() for d in holidays] + [
            d.toordinal() for d in extra_workdays
        ]
        first, last = (min(special), max(special)) if special else (1, 0)
        # Ordinal 1 (0001-01-01) is a Monday, so (o - 1) % 7 == date.weekday().
        self.lo = first - (first - 1) % 7
        hi = last + 1
        self.hi = hi + (-(hi - 1)) % 7
        self.workdays = workdays
        self.offsets = sorted(workdays)
        self.per_week = len(self.offsets)
        self.prefix = [sum(1 for w in self.offsets if w < r) for r in range(8)]
        self.suffix = [sum(1 for w in self.offsets if w >= 7 - r) for r in range(8)]
        off = {d.toordinal() for d in holidays}
        on = {d.toordinal() for d in extra_workdays}
        table: list[int] = []
        days: list[int] = []
        for o in range(self.lo, self.hi):
            table.append(len(days))
            if o in on or ((o - 1) % 7 in workdays and o not in off):
                days.append(o)
        table.append(len(days))
        self.table = table
        self.days = days
        self.n_window = len(days)

    def ceil(self, o: int) -> int:
        """Number of the first working day on or after ordinal ``o``."""
        if self.lo <= o < self.hi:
            return self.table[o - self.lo]
        if o >= self.hi:
            q, r = divmod(o - self.hi, 7)
            return self.n_window + q * self.per_week + self.prefix[r]
        q, r = divmod(self.lo - o, 7)
        return -(q * self.per_week + self.suffix[r])

    def is_working(self, o: int) -> bool:
        if self.lo <= o < self.hi:
            i = o - self.lo
            return self.table[i + 1] != self.table[i]
        return (o - 1) % 7 in self.workdays

    def floor(self, o: int) -> int:
        """Number of the last working day on or before ordinal ``o``."""
        k = self.ceil(o)
        return k if self.is_working(o) else k - 1

    def ordinal(self, k: int) -> int:
        """Ordinal of working day number ``k``."""
        if 0 <= k < self.n_window:
            return self.days[k]
        if k >= self.n_window:
            q, r = divmod(k - self.n_window, self.per_week)
            return self.hi + 7 * q + self.offsets[r]
        q, r = divmod(-k - 1, self.per_week)
        return self.lo - 7 * (q + 1) + self.offsets[self.per_week - 1 - r]

    def dates(self, first: int, last: int) -> list[date]:
        """The dates of working days ``first..last`` (inclusive), in order."""
        fromordinal = date.fromordinal
        return [fromordinal(self.ordinal(k)) for k in range(first, last + 1)]


@dataclass(frozen=True)
class Calendar:
    """A working calendar: working weekdays, holidays and make-up workdays (调休).

    ``workdays`` holds ``date.weekday()`` numbers (Monday 0 … Sunday 6). A day is a working
    day if it is an ``extra_workday``, or if its weekday is a workday and it is not a
    holiday. Holidays on weekends and make-up days on weekdays are harmless.

    Raises ``ValueError`` if ``workdays`` is empty or holds numbers outside 0..6, or if a
    date is both a holiday and a make-up workday. Any iterables are accepted and stored as
    frozensets, so calendars are hashable and compare by value.
    """

    workdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    holidays: frozenset[date] = frozenset()
    extra_workdays: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "workdays", frozenset(self.workdays))
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        object.__setattr__(self, "extra_workdays", frozenset(self.extra_workdays))
        if not self.workdays or not self.workdays <= frozenset(range(7)):
            raise ValueError("workdays must be a non-empty set of weekday numbers 0..6")
        both = self.holidays & self.extra_workdays
        if both:
            raise ValueError(
                f"dates cannot be both holidays and make-up workdays: {sorted(both)}"
            )

    def _index(self) -> _CalendarIndex:
        # Built on first use and kept on the instance; not a field, so it takes no part
        # in equality, hashing or repr.
        index = self.__dict__.get("_index_cache")
        if index is None:
            index = _CalendarIndex(self.workdays, self.holidays, self.extra_workdays)
            object.__setattr__(self, "_index_cache", index)
        assert isinstance(index, _CalendarIndex)
        return index

    def is_workday(self, day: date) -> bool:
        """Whether ``day`` is a working day."""
        if day in self.extra_workdays:
            return True
        return day.weekday() in self.workdays and day not in self.holidays

    def next_workday(self, day: date) -> date:
        """``day`` itself if it is a working day, else the first working day after it."""
        index = self._index()
        return date.fromordinal(index.ordinal(index.ceil(day.toordinal())))

    def previous_workday(self, day: date) -> date:
        """``day`` itself if it is a working day, else the last working day before it."""
        index = self._index()
        return date.fromordinal(index.ordinal(index.floor(day.toordinal())))

    def add_workdays(self, day: date, n: int) -> date:
        """The working day ``n`` working days after ``day`` (before it if ``n < 0``).

        A non-working ``day`` first moves to the next working day, so
        ``add_workdays(saturday, 0)`` is Monday and ``add_workdays(saturday, -1)`` is Friday
        (with a Monday-to-Friday week). Raises ``ValueError`` beyond ``date``'s range.
        """
        index = self._index()
        return date.fromordinal(index.ordinal(index.ceil(day.toordinal()) + n))

    def workdays_between(self, start: date, end: date) -> int:
        """The number of working days in ``[start, end)``; negative if ``end < start``.

        Inverse of ``add_workdays`` on working days:
        ``workdays_between(d, add_workdays(d, n)) == n``.
        """
        index = self._index()
        return index.ceil(end.toordinal()) - index.ceil(start.toordinal())


# --- inputs and results ------------------------------------------------------------------


@dataclass(frozen=True)
class TaskInput:
    """One task or milestone to schedule. ``duration`` is in working days (0: milestone).

    ``percent_complete`` is 0..100; ``constraint`` is ``"asap"``, ``"snet"`` or ``"fnlt"``
    (the last two need ``constraint_date``). Actual dates count only with a status date.
    """

    id: int
    duration: int
    constraint: str = "asap"
    constraint_date: date | None = None
    percent_complete: float = 0.0
    actual_start: date | None = None
    actual_finish: date | None = None

    @property
    def kind(self) -> TaskKind:
        """``"milestone"`` for a zero-duration task, else ``"task"``."""
        return "milestone" if self.duration == 0 else "task"


@dataclass(frozen=True)
class Link:
    """A dependency: ``kind`` is ``"FS"``, ``"SS"``, ``"FF"`` or ``"SF"``; ``lag`` is in
    working days (negative: a lead)."""

    predecessor: int
    successor: int
    kind: str = "FS"
    lag: int = 0


def partition_links(
    task_ids: Iterable[int], links: Iterable[Link]
) -> tuple[list[Link], list[Link]]:
    """Split ``links`` into those between two of ``task_ids`` (the network to schedule)
    and the others (a link to a task of another project, or to one left out such as a
    summary task), each list in input order.

    ``schedule`` refuses a link naming an unknown task; a caller that cannot vouch for
    its links passes the first list and reports the second, rather than failing.
    """
    known = set(task_ids)
    inside: list[Link] = []
    outside: list[Link] = []
    for link in links:
        both = link.predecessor in known and link.successor in known
        (inside if both else outside).append(link)
    return inside, outside


@dataclass(frozen=True, slots=True)
class TaskSchedule:
    """The computed dates of one task (working days, both ends inclusive) and its float in
    working days. Invariant for tasks not yet started: ``early_start <= late_start`` unless
    ``total_float < 0`` (a violated "finish no later than")."""

    id: int
    early_start: date
    early_finish: date
    late_start: date
    late_finish: date
    total_float: int
    free_float: int
    critical: bool


@dataclass(frozen=True)
class Schedule:
    """The whole schedule: per-task results, the project's start and finish (the latest
    early finish) and the ids of the critical tasks ordered by early start, then early
    finish, then input order."""

    tasks: dict[int, TaskSchedule]
    start: date
    finish: date
    critical_path: tuple[int, ...]


class ScheduleError(ValueError):
    """The network cannot be scheduled; the message says why in English."""


class CycleError(ScheduleError):
    """The links form a cycle; ``cycle`` holds the task ids around one of them, in link
    order (the first id is not repeated at the end)."""

    def __init__(self, cycle: tuple[int, ...]) -> None:
        self.cycle = cycle
        path = " → ".join(str(task_id) for task_id in (*cycle, cycle[0]))
        super().__init__(f"dependency cycle between tasks {path}")


class DateRangeError(ScheduleError):
    """A computed date would fall after the last date Python can hold (9999-12-31)."""


def _date_overflow(error: Exception) -> bool:
    return isinstance(error, OverflowError) or "out of range" in str(error)


class LinkError(ScheduleError):
    """A link is a self-link, names an unknown task, has an unknown kind or a non-integer
    lag, or duplicates another link (same predecessor, successor and kind). ``link`` is
    the offending link."""

    def __init__(self, message: str, link: Link) -> None:
        self.link = link
        super().__init__(message)


class TaskError(ScheduleError):
    """A task is invalid: duplicate id, negative or non-integer duration, percent complete
    outside 0..100, unknown constraint or a constraint without its date, or an actual
    finish before the actual start. ``task_id`` names the task."""

    def __init__(self, message: str, task_id: int) -> None:
        self.task_id = task_id
        super().__init__(message)


# --- network -----------------------------------------------------------------------------

# Link kinds as codes: bit 1 set = the link reads the predecessor's start (SS, SF);
# bit 0 set = the link bounds the successor's finish (FF, SF).
_KIND_CODE = {"FS": 0, "SS": 2, "FF": 1, "SF": 3}
_BIG = 1 << 62


@dataclass(frozen=True, slots=True)
class _Network:
    """Validated tasks and links as dense lists, tasks numbered by input position.

    ``link_*`` are the links in input order; ``out_*`` the same links grouped by
    predecessor, those of task ``u`` at ``first_out[u]:first_out[u + 1]`` (flat lists of
    ints rather than a list per task: far fewer objects for the garbage collector).
    """

    tasks: Sequence[TaskInput]
    ids: list[int]
    durations: list[int]
    link_pred: list[int]
    link_succ: list[int]
    link_code: list[int]
    link_lag: list[int]
    first_out: list[int]
    out_succ: list[int]
    out_code: list[int]
    out_lag: list[int]
    order: list[int]


def _check_tasks(tasks: Sequence[TaskInput]) -> tuple[list[int], list[int]]:
    ids = list(map(attrgetter("id"), tasks))
    if len(set(ids)) != len(ids):
        seen: set[int] = set()
        for task_id in ids:
            if task_id in seen:
                raise TaskError(f"task {task_id} appears twice", task_id)
            seen.add(task_id)
    durations = list(map(attrgetter("duration"), tasks))
    if not set(map(type, durations)) <= {int} or (durations and min(durations) < 0):
        for task in tasks:
            if type(task.duration) is not int or task.duration < 0:
                raise TaskError(
                    f"task {task.id} has duration {task.duration!r}; it must be a "
                    "whole number of working days, 0 or more",
                    task.id,
                )
    percents = list(map(attrgetter("percent_complete"), tasks))
    if percents and (
        min(percents) < 0 or max(percents) > 100 or any(map(math.isnan, percents))
    ):
        # (written so that NaN fails too)
        bad = next(t for t in tasks if not 0 <= t.percent_complete <= 100)
        raise TaskError(
            f"task {bad.id} has percent complete {bad.percent_complete}; it must be "
            "between 0 and 100",
            bad.id,
        )
    for task in tasks:
        if task.constraint != "asap" or task.actual_finish is not None:
            _check_special_task(task)
    return ids, durations


def _check_special_task(task: TaskInput) -> None:
    if task.constraint not in CONSTRAINTS:
        raise TaskError(
            f"task {task.id} has unknown constraint {task.constraint!r}", task.id
        )
    if task.constraint != "asap" and task.constraint_date is None:
        raise TaskError(
            f"task {task.id} has constraint {task.constraint!r} without a date", task.id
        )
    if (
        task.actual_start is not None
        and task.actual_finish is not None
        and task.actual_finish < task.actual_start
    ):
        raise TaskError(
            f"task {task.id} finished ({task.actual_finish}) before it started "
            f"({task.actual_start})",
            task.id,
        )


def _compile(tasks: Sequence[TaskInput], links: Sequence[Link]) -> _Network:
    """Validate the inputs and order the tasks topologically.

    Raises ``TaskError``, ``LinkError`` or ``CycleError``.
    """
    ids, durations = _check_tasks(tasks)
    position = {task_id: i for i, task_id in enumerate(ids)}
    get = position.get
    link_pred = list(map(get, map(attrgetter("predecessor"), links), repeat(-1)))
    link_succ = list(map(get, map(attrgetter("successor"), links), repeat(-1)))
    link_code = list(map(_KIND_CODE.get, map(attrgetter("kind"), links), repeat(-1)))
    link_lag = list(map(attrgetter("lag"), links))
    if link_pred and (
        min(link_pred) < 0
        or min(link_succ) < 0
        or min(link_code) < 0
        or not set(map(type, link_lag)) <= {int}
        or any(map(int.__eq__, link_pred, link_succ))
    ):
        for link, u, v, code in zip(
            links, link_pred, link_succ, link_code, strict=True
        ):
            _check_link(link, u, v, code)
    n = len(ids)
    keys = {
        (u * n + v) * 4 + c
        for u, v, c in zip(link_pred, link_succ, link_code, strict=True)
    }
    if len(keys) != len(links):
        seen: set[int] = set()
        for link, u, v, code in zip(
            links, link_pred, link_succ, link_code, strict=True
        ):
            key = (u * n + v) * 4 + code
            if key in seen:
                raise LinkError(
                    f"link {link.predecessor} → {link.successor} ({link.kind}) is given "
                    "twice",
                    link,
                )
            seen.add(key)
    by_predecessor = sorted(range(len(links)), key=link_pred.__getitem__)
    counts = [0] * n
    for u in link_pred:
        counts[u] += 1
    first_out = [0, *accumulate(counts)]
    out_succ = list(map(link_succ.__getitem__, by_predecessor))
    order = _topological_order(n, first_out, out_succ, link_pred, link_succ, ids)
    return _Network(
        tasks,
        ids,
        durations,
        link_pred,
        link_succ,
        link_code,
        link_lag,
        first_out,
        out_succ,
        list(map(link_code.__getitem__, by_predecessor)),
        list(map(link_lag.__getitem__, by_predecessor)),
        order,
    )


def _check_link(link: Link, u: int, v: int, code: int) -> None:
    if link.predecessor == link.successor:
        raise LinkError(f"task {link.predecessor} cannot depend on itself", link)
    for task_id, pos in ((link.predecessor, u), (link.successor, v)):
        if pos < 0:
            raise LinkError(
                f"link {link.predecessor} → {link.successor} names unknown task "
                f"{task_id}",
                link,
            )
    if code < 0:
        raise LinkError(
            f"link {link.predecessor} → {link.successor} has unknown kind {link.kind!r}",
            link,
        )
    if type(link.lag) is not int:
        raise LinkError(
            f"link {link.predecessor} → {link.successor} has lag {link.lag!r}; it "
            "must be a whole number of working days",
            link,
        )


def _topological_order(
    n: int,
    first_out: list[int],
    out_succ: list[int],
    link_pred: list[int],
    link_succ: list[int],
    ids: list[int],
) -> list[int]:
    """Kahn's algorithm; raises ``CycleError`` naming one cycle."""
    indegree = [0] * n
    for v in link_succ:
        indegree[v] += 1
    order = [i for i in range(n) if not indegree[i]]
    for u in order:  # the list grows while we walk it
        for k in range(first_out[u], first_out[u + 1]):
            v = out_succ[k]
            left = indegree[v] - 1
            indegree[v] = left
            if not left:
                order.append(v)
    if len(order) < n:
        raise CycleError(_find_cycle(indegree, link_pred, link_succ, ids))
    return order


def _find_cycle(
    indegree: list[int], link_pred: list[int], link_succ: list[int], ids: list[int]
) -> tuple[int, ...]:
    # Every task Kahn's algorithm left behind still has a predecessor that was left
    # behind, so walking back from any of them must come round to a task seen before.
    predecessor: dict[int, int] = {}
    for u, v in zip(link_pred, link_succ, strict=True):
        if indegree[u] and indegree[v]:
            predecessor.setdefault(v, u)
    node = next(iter(predecessor))
    seen: dict[int, int] = {}
    walk: list[int] = []
    while node not in seen:
        seen[node] = len(walk)
        walk.append(node)
        node = predecessor[node]
    loop = walk[seen[node] :]
    loop.reverse()
    return tuple(ids[i] for i in loop)


# --- scheduling --------------------------------------------------------------------------
#
# The passes work in "clock" values: c = 2 * k + 1 is the start of working day k and
# c = 2 * k the end of working day k - 1 (the same moment of working time, ordered so
# that the start wins ties). Tasks start at odd and finish at even clocks; a milestone's
# parity records whether it sits at the start or the end of its day. Every date shown is
# working day (c - 1) >> 1, and every float is computed on k = c >> 1.


def _floors(
    net: _Network, index: _CalendarIndex, start_k: int, status_k: int | None
) -> list[int]:
    """The earliest start clock of each task: project start, status date, "snet"."""
    floor = 2 * start_k + 1
    unstarted = floor if status_k is None else 2 * max(start_k, status_k) + 1
    floors = [unstarted] * len(net.ids)
    for i, task in enumerate(net.tasks):
        started = status_k is not None and (_is_started(task) or _is_complete(task))
        if task.constraint == "snet" and task.constraint_date is not None:
            snet = 2 * index.ceil(task.constraint_date.toordinal()) + 1
            floors[i] = max(floor if started else unstarted, snet)
        elif started:
            floors[i] = floor
    return floors


def _is_complete(task: TaskInput) -> bool:
    """Whether a task or milestone is reported complete (its dates are then its plan's,
    unless it has actual ones)."""
    return task.percent_complete >= 100


def _is_started(task: TaskInput) -> bool:
    """Whether a task (not a milestone) has progress, so its remaining work is planned."""
    return task.duration > 0 and (
        task.actual_start is not None or task.percent_complete > 0
    )


def schedule(
    tasks: Sequence[TaskInput],
    links: Sequence[Link],
    calendar: Calendar,
    *,
    project_start: date,
    status_date: date | None = None,
) -> Schedule:
    """Forward and backward pass of the critical path method (see the module docstring).

    Returns early and late dates, total and free float (working days) and the critical
    path. Invariants: nothing is dated on a non-working day; unstarted tasks start no
    earlier than ``project_start`` and ``status_date``; without progress and "fnlt"
    constraints every float is >= 0 and the critical tasks have total float 0.

    Raises ``TaskError`` (bad task), ``LinkError`` (self-link, unknown task, duplicate
    link, bad kind or lag), ``CycleError`` (names the tasks of one cycle) or
    ``DateRangeError`` (a date past 9999-12-31); all are ``ScheduleError``, a
    ``ValueError``.
    """
    with _gc_paused():
        try:
            return _schedule(tasks, links, calendar, project_start, status_date)
        except ScheduleError:
            raise
        except (OverflowError, ValueError) as error:
            if not _date_overflow(error):
                raise
            raise DateRangeError("the plan runs past 9999-12-31") from error


@contextmanager
def _gc_paused() -> Iterator[None]:
    # The passes allocate a few hundred thousand objects while the caller's inputs (often
    # as many again) are alive, and each automatic collection walks them all: pausing the
    # collector saves about a fifth of the time on 100,000 tasks. Nothing here makes
    # reference cycles, so nothing is left for the collector to find.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _schedule(
    tasks: Sequence[TaskInput],
    links: Sequence[Link],
    calendar: Calendar,
    project_start: date,
    status_date: date | None,
) -> Schedule:
    net = _compile(tasks, links)
    index = calendar._index()
    n = len(net.ids)
    start_k = index.ceil(project_start.toordinal())
    status_k = None if status_date is None else index.ceil(status_date.toordinal())
    if n == 0:
        day = date.fromordinal(index.ordinal(start_k))
        return Schedule({}, day, day, ())

    durations = net.durations
    dur2 = [2 * d for d in durations]
    floors = _floors(net, index, start_k, status_k)
    # mode: 0 task, 1 milestone, 2 started, 3 finished (fixed at its actuals), 4 complete
    # without an actual finish (fixed at its planned dates).
    mode = [0 if d else 1 for d in durations]
    if status_k is not None:
        for i, task in enumerate(tasks):
            if task.actual_finish is not None or (
                task.actual_start is not None and not task.duration
            ):
                mode[i] = 3
            elif _is_complete(task):
                mode[i] = 4
            elif _is_started(task):
                mode[i] = 2

    first_out = net.first_out
    out_succ = net.out_succ
    reads_finish = [not code & 2 for code in net.out_code]
    bounds_start = [not code & 1 for code in net.out_code]
    lag2 = [2 * lag for lag in net.out_lag]

    # Forward pass.
    lbs = floors  # lower bound on each start clock (starts at the floors)
    lbf = [-_BIG] * n  # lower bound on each finish clock
    early_start = [0] * n
    early_finish = [0] * n
    for u in net.order:
        m = mode[u]
        if m == 0:
            d2 = dur2[u]
            es = lbs[u]
            x = lbf[u] - d2
            if x > es:
                es = x
            es |= 1
            ef = es + d2 - 1
        elif m == 1:
            es = lbs[u]
            if lbf[u] > es:
                es = lbf[u]
            ef = es
        elif m == 4:
            es, ef = _complete_dates(tasks[u], index, lbs[u], lbf[u])
        else:
            es, ef = _progress_dates(
                tasks[u], index, lbs[u], lbf[u], status_k, fixed=m == 3
            )
        early_start[u] = es
        early_finish[u] = ef
        for k in range(first_out[u], first_out[u + 1]):
            v = out_succ[k]
            c = (ef if reads_finish[k] else es) + lag2[k]
            if bounds_start[k]:
                if c > lbs[v]:
                    lbs[v] = c
            elif c > lbf[v]:
                lbf[v] = c

    project_finish = max(early_finish)
    finish_k = project_finish >> 1

    # Upper bound on each finish clock: the project finish, or an earlier "fnlt".
    ubf0 = [project_finish] * n
    for i, task in enumerate(tasks):
        if task.constraint == "fnlt" and task.constraint_date is not None:
            fnlt = 2 * (index.floor(task.constraint_date.toordinal()) + 1)
            if fnlt < project_finish:
                ubf0[i] = fnlt

    # Backward pass, with free float (in working days) from the same links.
    late_start = [0] * n
    late_finish = [0] * n
    total_float = [0] * n
    free_float = [0] * n
    for u in reversed(net.order):
        es = early_start[u]
        ef = early_finish[u]
        ubs = _BIG
        ubf = ubf0[u]
        es_k = es >> 1
        ef_k = ef >> 1
        ff = finish_k - ef_k
        for k in range(first_out[u], first_out[u + 1]):
            v = out_succ[k]
            if bounds_start[k]:
                c = late_start[v] - lag2[k]
                slack = early_start[v] >> 1
            else:
                c = late_finish[v] - lag2[k]
                slack = early_finish[v] >> 1
            if reads_finish[k]:
                if c < ubf:
                    ubf = c
                slack -= ef_k + (lag2[k] >> 1)
            else:
                if c < ubs:
                    ubs = c
                slack -= es_k + (lag2[k] >> 1)
            if slack < ff:
                ff = slack
        m = mode[u]
        if m == 0:
            lf_k = ubf >> 1
            x = (ubs >> 1) + durations[u]
            if x < lf_k:
                lf_k = x
            ls = 2 * (lf_k - durations[u]) + 1
            lf = 2 * lf_k
            tf = lf_k - ef_k
        elif m == 1:
            lf = ubs if ubs < ubf else ubf
            if lf >> 1 == es_k:
                lf = es  # same day: keep the early position, so the dates agree
            ls = lf
            tf = (lf >> 1) - es_k
        elif m == 2:
            lf_k = ubf >> 1
            lf = 2 * lf_k
            tf = lf_k - ef_k
            ls = es + 2 * tf
        else:
            ls, lf, tf, ff = es, ef, 0, 0
        late_start[u] = ls
        late_finish[u] = lf
        total_float[u] = tf
        free_float[u] = ff

    # Dates: every clock shows as working day (c - 1) >> 1.
    lowest = (min(min(early_start), min(late_start), 2 * start_k + 1) - 1) >> 1
    highest = (max(project_finish, max(late_finish)) - 1) >> 1
    day_list = index.dates(lowest, highest)
    shift = 1 + 2 * lowest  # ((c - 1) >> 1) - lowest == (c - shift) >> 1

    def days(clocks: list[int]) -> list[date]:
        return [day_list[(c - shift) >> 1] for c in clocks]

    critical = [tf <= 0 for tf in total_float]
    if status_k is not None:
        for i in range(n):
            if mode[i] >= 3:
                critical[i] = False
    ids = net.ids
    results = list(
        map(
            TaskSchedule,
            ids,
            days(early_start),
            days(early_finish),
            days(late_start),
            days(late_finish),
            total_float,
            free_float,
            critical,
        )
    )
    critical_positions = [i for i in range(n) if critical[i]]
    critical_positions.sort(key=lambda i: (early_start[i], early_finish[i], i))
    first = min(min(early_start), 2 * start_k + 1)
    return Schedule(
        tasks=dict(zip(ids, results, strict=True)),
        start=day_list[((first - 1) >> 1) - lowest],
        finish=day_list[((project_finish - 1) >> 1) - lowest],
        critical_path=tuple(ids[i] for i in critical_positions),
    )


def _progress_dates(
    task: TaskInput,
    index: _CalendarIndex,
    lower_start: int,
    lower_finish: int,
    status_k: int | None,
    *,
    fixed: bool,
) -> tuple[int, int]:
    """Early start and finish clocks of a finished or started task (status date given)."""
    assert status_k is not None
    d = task.duration
    if fixed:
        if task.actual_finish is not None:
            finish_k = index.floor(task.actual_finish.toordinal()) + 1
            if task.actual_start is not None:
                start_k = min(index.ceil(task.actual_start.toordinal()), finish_k - 1)
            else:
                start_k = finish_k - d
            if not d:
                return 2 * finish_k, 2 * finish_k
            return 2 * start_k + 1, 2 * finish_k
        assert task.actual_start is not None  # a milestone that has happened
        c = 2 * index.ceil(task.actual_start.toordinal()) + 1
        return c, c
    if task.actual_start is not None:
        start_k = index.ceil(task.actual_start.toordinal())
    else:
        start_k = max(lower_start >> 1, (lower_finish >> 1) - d)
    remaining = math.ceil(d * (1 - task.percent_complete / 100))
    finish_k = max(status_k, start_k) + remaining
    finish_k = max(finish_k, lower_finish >> 1, start_k + 1)
    return 2 * start_k + 1, 2 * finish_k


def _complete_dates(
    task: TaskInput, index: _CalendarIndex, lower_start: int, lower_finish: int
) -> tuple[int, int]:
    """Early start and finish clocks of a task at 100 % without an actual finish: its
    duration from its actual start, else where its links put it (as for a task not
    started, but not held back by the status date)."""
    d2 = 2 * task.duration
    if task.actual_start is not None:
        start = 2 * index.ceil(task.actual_start.toordinal()) + 1
    elif d2:
        start = max(lower_start, lower_finish - d2) | 1
    else:
        start = max(lower_start, lower_finish)  # a milestone, placed as when unstarted
    return (start, start + d2 - 1) if d2 else (start, start)


# --- roll-up -----------------------------------------------------------------------------


def rollup(
    parent_of: Mapping[int, int | None],
    results: Mapping[int, TaskSchedule],
    durations: Mapping[int, int],
    progress: Mapping[int, float],
) -> dict[int, tuple[date, date, float]]:
    """Dates and progress of every summary task, from the scheduled tasks beneath it.

    ``parent_of`` maps each task id (summary or not) to its parent's id or ``None``; the
    leaves are the ids in ``results`` that are nobody's parent. Returns, for every summary task (an id that is some
    task's parent) with at least one scheduled descendant: the earliest early start, the
    latest early finish, and the percent complete (0..100) of its descendants weighted by
    ``durations`` in working days (a plain mean when all are milestones). A missing
    duration or progress counts as 0. Raises ``ScheduleError`` if ``parent_of`` has a loop.
    """
    start: dict[int, date] = {}
    finish: dict[int, date] = {}
    weighted: dict[int, float] = {}
    weight: dict[int, int] = {}
    plain: dict[int, float] = {}
    count: dict[int, int] = {}
    limit = len(parent_of) + 1
    parents = {p for p in parent_of.values() if p is not None}
    for leaf, result in results.items():
        if leaf in parents:
            continue
        duration = durations.get(leaf, 0)
        pct = progress.get(leaf, 0.0)
        parent = parent_of.get(leaf)
        steps = 0
        while parent is not None:
            steps += 1
            if steps > limit:
                raise ScheduleError(f"the task tree loops above task {leaf}")
            if parent not in start or result.early_start < start[parent]:
                start[parent] = result.early_start
            if parent not in finish or result.early_finish > finish[parent]:
                finish[parent] = result.early_finish
            weighted[parent] = weighted.get(parent, 0.0) + duration * pct
            weight[parent] = weight.get(parent, 0) + duration
            plain[parent] = plain.get(parent, 0.0) + pct
            count[parent] = count.get(parent, 0) + 1
            parent = parent_of.get(parent)
    return {
        summary: (
            start[summary],
            finish[summary],
            weighted[summary] / weight[summary]
            if weight[summary]
            else plain[summary] / count[summary],
        )
        for summary in start
    }


# --- what a change moved -----------------------------------------------------------------


def downstream(
    links: Iterable[Link], sources: Iterable[int], among: Collection[int]
) -> dict[int, int]:
    """The tasks of ``among`` reached from ``sources`` along links, each with the source
    it was first reached from, walking only through tasks of ``among``.

    Used to tell whose dates a late finish moved: ``sources`` are the tasks that finished
    late and ``among`` the tasks whose dates the recomputation changed. Each task and
    link is looked at once (breadth first), so the cost is bounded by the plan's size.
    Sources are not in the result unless another source reaches them.
    """
    successors: dict[int, list[int]] = {}
    for link in links:
        if link.successor in among:
            successors.setdefault(link.predecessor, []).append(link.successor)
    reached: dict[int, int] = {}
    queue = deque((source, source) for source in dict.fromkeys(sources))
    while queue:
        task, source = queue.popleft()
        for successor in successors.get(task, ()):
            if successor not in reached:
                reached[successor] = source
                queue.append((successor, source))
    return reached
