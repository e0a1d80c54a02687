"""The schedule part of the benchmark data set: 200,000 tasks over the existing projects,
one of which (the busiest) has 10,000 tasks and 15,000 dependencies.

Each project gets phases (summary tasks) of short parallel finish-to-start work streams and a
closing milestone, with links across them (see ``_plan``). Dates are computed in memory with the real
engine and calendar, then everything goes in through ``bulk_create``; no history rows.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from clientfolio.projects.models import Project
from clientfolio.schedule import engine
from clientfolio.schedule.calendars import build_calendar
from clientfolio.schedule.models import Dependency, ProjectSchedule, Task

__all__ = ["ScheduleScaleCounts", "seed", "seed_from_options"]

PHASES = ["需求分析", "系统设计", "开发实现", "测试验证", "上线部署", "培训与验收"]
TASK_WORDS = [
    "接口",
    "报表",
    "数据迁移",
    "权限",
    "流程配置",
    "页面",
    "性能优化",
    "文档",
    "联调",
]
# Tasks in one work stream of a phase (chained finish to start).
STREAM_MIN, STREAM_MAX = 3, 8


@dataclass
class ScheduleScaleCounts:
    tasks: int = 0
    dependencies: int = 0
    projects: int = 0
    biggest: int = 0


def _plan(
    rng: random.Random, project: Project, size: int, links_per_task: float
) -> tuple[list[Task], list[tuple[int, int, str, int]]]:
    """Tasks (unsaved, in WBS order) and links as (predecessor index, successor index, kind,
    lag) for one project of about ``size`` tasks.

    The plan runs in releases of the six phases of ``PHASES`` (需求分析 1 … 培训与验收 1,
    需求分析 2 …). A phase holds parallel work streams of a few tasks each, chained finish
    to start and closed by the phase's milestone; a stream starts after the milestone of
    the phase before it in its release (the first phase of a release after the first phase
    of the release before). Extra links run only from a task of an earlier stage to one of
    a later stage (a stage is a phase's place in that pipeline plus a task's place in its
    stream), so there are no cycles and the critical path crosses at most
    ``releases + 5`` phases of ``STREAM_MAX`` tasks: the 10,000-task plan finishes about
    three years after its start, instead of in 2221 as when every phase was one chain of
    400 tasks.
    """
    phases = max(2, min(len(PHASES) * 4, size // 40))
    per_phase = max(1, (size - phases) // phases - 1)
    tasks: list[Task] = []
    links: list[tuple[int, int, str, int]] = []
    leaves: list[int] = []
    level: dict[int, int] = {}
    milestones: list[int] = []
    for p in range(phases):
        release, kind = divmod(p, len(PHASES))
        stage = release + kind
        phase = Task(
            project=project,
            name=f"{PHASES[kind]} {release + 1}",
            duration=0,
            position=p + 1,
            wbs=str(p + 1),
            wbs_sort=f"{p + 1:05d}",
        )
        phase_index = len(tasks)
        tasks.append(phase)
        if kind:
            gate: int | None = milestones[p - 1]
        elif release:
            gate = milestones[p - len(PHASES)]
        else:
            gate = None
        previous: int | None = None
        step = 0
        stream_length = rng.randint(STREAM_MIN, STREAM_MAX)
        stream_ends: list[int] = []
        for t in range(per_phase + 1):
            milestone = t == per_phase
            task = Task(
                project=project,
                name=f"{PHASES[kind]}里程碑 {p + 1}"
                if milestone
                else f"{rng.choice(TASK_WORDS)} {p + 1}.{t + 1}",
                duration=0 if milestone else rng.randint(1, 10),
                is_milestone=milestone,
                is_client_visible=milestone,
                position=t + 1,
                wbs=f"{p + 1}.{t + 1}",
                wbs_sort=f"{p + 1:05d}.{t + 1:05d}",
                percent_complete=rng.choice([0, 0, 0, 20, 50, 100]),
            )
            task._cf_parent_index = phase_index  # type: ignore[attr-defined]
            index = len(tasks)
            tasks.append(task)
            leaves.append(index)
            if milestone:
                if previous is not None:
                    stream_ends.append(previous)
                links.extend((end, index, "FS", 0) for end in stream_ends)
                level[index] = (stage + 1) * (STREAM_MAX + 1) - 1
                milestones.append(index)
                continue
            if previous is None:
                if gate is not None:
                    links.append((gate, index, "FS", 0))
            else:
                links.append((previous, index, "FS", 0))
            level[index] = stage * (STREAM_MAX + 1) + step
            previous, step = index, step + 1
            if step == stream_length:
                stream_ends.append(index)
                previous, step = None, 0
                stream_length = rng.randint(STREAM_MIN, STREAM_MAX)
    # Extra links from an earlier stage to a later one, between tasks near each other in
    # the WBS (never backwards in the pipeline: no cycles, no long chains).
    wanted = int(len(leaves) * links_per_task)
    seen = {(a, b) for a, b, _k, _l in links}
    attempts = 0
    while len(links) < wanted and attempts < wanted * 4:
        attempts += 1
        b_pos = rng.randrange(1, len(leaves))
        a_pos = rng.randrange(max(0, b_pos - 200), b_pos)
        pair = (leaves[a_pos], leaves[b_pos])
        if pair in seen or level[pair[0]] >= level[pair[1]]:
            continue
        seen.add(pair)
        link_kind = rng.choices(["FS", "SS", "FF"], weights=[8, 1, 1])[0]
        links.append((*pair, link_kind, rng.choice([0, 0, 0, 1, 2, -1])))
    return tasks, links


def seed(
    *,
    tasks: int = 200_000,
    biggest: int = 10_000,
    biggest_links: int = 15_000,
    links_per_task: float = 1.4,
    seed: int = 20260103,
    today: date,
    progress: Callable[[int], Callable[[int], object]] | None = None,
) -> ScheduleScaleCounts:
    """Write tasks and dependencies for the existing projects, dates computed: the first
    project gets ``biggest`` tasks and about ``biggest_links`` links, the others share the
    rest with about ``links_per_task`` links per task."""
    rng = random.Random(seed)
    counts = ScheduleScaleCounts()
    projects = list(Project.objects.order_by("id"))
    if not projects or tasks <= 0:
        return counts
    info = build_calendar(
        frozenset({0, 1, 2, 3, 4}), range(today.year - 3, today.year + 6)
    )
    sizes = [biggest] + [max(5, (tasks - biggest) // max(1, len(projects) - 1))] * (
        len(projects) - 1
    )
    tick = progress(tasks) if progress else None
    for project, size in zip(projects, sizes, strict=True):
        per_task = biggest_links / biggest if project is projects[0] else links_per_task
        plan, links = _plan(rng, project, size, per_task)
        leaf_inputs = [
            engine.TaskInput(
                id=i,
                duration=t.duration,
                percent_complete=float(t.percent_complete),
            )
            for i, t in enumerate(plan)
            if hasattr(t, "_cf_parent_index")
        ]
        result = engine.schedule(
            leaf_inputs,
            [engine.Link(a, b, kind, lag) for a, b, kind, lag in links],
            info.calendar,
            project_start=project.starts_on or today,
        )
        spans: dict[int, list[date]] = {}
        for i, task in enumerate(plan):
            computed = result.tasks.get(i)
            if computed is None:
                continue
            task.start, task.finish = computed.early_start, computed.early_finish
            task.late_start, task.late_finish = (
                computed.late_start,
                computed.late_finish,
            )
            task.total_float, task.free_float = (
                computed.total_float,
                computed.free_float,
            )
            task.is_critical = computed.critical
            parent_index = task._cf_parent_index  # type: ignore[attr-defined]
            span = spans.setdefault(parent_index, [task.start, task.finish])
            span[0], span[1] = min(span[0], task.start), max(span[1], task.finish)
        for parent_index, (start, finish) in spans.items():
            phase = plan[parent_index]
            phase.start, phase.finish, phase.is_summary = start, finish, True
        with transaction.atomic():
            phases = [t for t in plan if not hasattr(t, "_cf_parent_index")]
            Task.objects.bulk_create(phases, batch_size=1000)
            for task in plan:
                if hasattr(task, "_cf_parent_index"):
                    task.parent = plan[task._cf_parent_index]
            Task.objects.bulk_create(
                [t for t in plan if hasattr(t, "_cf_parent_index")], batch_size=1000
            )
            Dependency.objects.bulk_create(
                [
                    Dependency(
                        project=project,
                        predecessor=plan[a],
                        successor=plan[b],
                        kind=kind,
                        lag=lag,
                    )
                    for a, b, kind, lag in links
                ],
                batch_size=2000,
            )
            ProjectSchedule.objects.update_or_create(
                project=project, defaults={"computed_finish": result.finish}
            )
        counts.projects += 1
        counts.tasks += len(plan)
        counts.dependencies += len(links)
        counts.biggest = max(counts.biggest, len(plan))
        if tick:
            tick(len(plan))
    return counts


def seed_from_options(options: dict[str, Any]) -> str:
    """The schedule part of ``clientfolio seed-scale``; returns a summary line."""
    from tqdm import tqdm

    bars = []

    def progress(total: int) -> Callable[[int], object]:
        bar = tqdm(total=total, unit="task", disable=options.get("verbosity", 1) == 0)
        bars.append(bar)
        return bar.update

    total = options.get("tasks", 200_000)
    try:
        counts = seed(
            tasks=total,
            biggest=min(10_000, total),
            biggest_links=min(15_000, int(total * 1.5)),
            seed=options["seed"] + 2,
            today=options["today"],
            progress=progress,
        )
    finally:
        for bar in bars:
            bar.close()
    return (
        f"Seeded {counts.tasks} tasks and {counts.dependencies} dependencies over "
        f"{counts.projects} projects (the biggest has {counts.biggest} tasks)."
    )
