"""A project's progress over the reporting periods: the percent planned by the baseline
and the percent actually done at the end of each period (the progress chart of a
report's PDF).

Pure Python: imports only the standard library. Leaf tasks are weighted by their
duration, as the report's percent complete is. A task's planned share at a day grows
linearly over its baseline dates (whole by its baseline finish); its actual percent at
a day is its latest recorded percent on or before that day (0 before the first record);
a day before any task's first record has no actual figure (the history does not reach it).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["PlannedTask", "Point", "period_ends", "progress_series"]


@dataclass(frozen=True)
class PlannedTask:
    id: int
    weight: int  # the task's duration in working days (its weight in the percent)
    start: date | None  # baseline start
    finish: date | None  # baseline finish


@dataclass(frozen=True)
class Point:
    on: date
    planned: int | None  # None without a baseline
    actual: int | None  # None before the first recorded percent of any task


def period_ends(
    as_of: date,
    count: int,
    period_of: Callable[[str, date], tuple[date, date]],
    kind: str,
) -> list[date]:
    """The ends of the ``count`` periods up to the one holding ``as_of`` (that one
    measured at ``as_of``), oldest first; ``period_of(kind, day)`` gives a period."""
    ends = [as_of]
    start, _end = period_of(kind, as_of)
    while len(ends) < count:
        previous = start - timedelta(days=1)
        ends.append(previous)
        start, _end = period_of(kind, previous)
    return ends[::-1]


def _planned_share(task: PlannedTask, day: date) -> float:
    if task.start is None or task.finish is None:
        return 0.0
    if day >= task.finish:
        return 1.0
    if day < task.start:
        return 0.0
    span = (task.finish - task.start).days + 1
    return ((day - task.start).days + 1) / span


def progress_series(
    tasks: Sequence[PlannedTask],
    history: Iterable[tuple[date, int, int]],
    points: Sequence[date],
) -> list[Point]:
    """Planned and actual percent (0–100, rounded) at each day of ``points``.
    ``history`` holds (day, task id, percent complete) records of the tasks."""
    weights = {task.id: max(task.weight, 0) for task in tasks}
    total = sum(weights.values())
    records: dict[int, tuple[list[date], list[int]]] = {}
    for day, task_id, percent in sorted(history, key=lambda r: r[0]):
        if task_id in weights:
            days, values = records.setdefault(task_id, ([], []))
            days.append(day)
            values.append(min(max(int(percent), 0), 100))
    has_baseline = any(t.start is not None and t.finish is not None for t in tasks)
    result = []
    for day in points:
        if not total:
            result.append(Point(day, None, None))
            continue
        done, known = 0.0, False
        for task_id, (days, values) in records.items():
            index = bisect_right(days, day)
            if index:
                known = True
                done += weights[task_id] * values[index - 1]
        planned = None
        if has_baseline:
            planned = round(
                100 * sum(weights[t.id] * _planned_share(t, day) for t in tasks) / total
            )
        result.append(Point(day, planned, round(done / total) if known else None))
    return result
