"""Demo plans for the demo projects: phases, tasks and client-visible milestones with
dependencies, assignments, progress, a baseline, and a slip after it — written through the
services so the computed schedule is real."""

import random
from datetime import date
from decimal import Decimal

from clientfolio.projects.models import Project
from clientfolio.schedule import services
from clientfolio.schedule.models import Dependency, Task

__all__ = ["load"]

PLAN_CN = [
    ("需求分析", [("业务调研", 5), ("需求规格说明书", 6), ("需求评审", 2)], "需求确认"),
    ("系统设计", [("架构设计", 5), ("数据库设计", 4), ("接口设计", 4)], "设计评审通过"),
    ("开发实现", [("后端开发", 15), ("前端开发", 12), ("接口联调", 6)], "开发完成"),
    ("测试验证", [("系统测试", 8), ("用户验收测试", 6)], "UAT 通过"),
    ("上线部署", [("数据迁移", 4), ("上线切换", 2), ("培训", 3)], "项目验收"),
]
PLAN_EN = [
    ("Discovery", [("Stakeholder interviews", 5), ("Requirements specification", 6)], "Scope signed off"),
    ("Design", [("Architecture", 5), ("UX design", 6)], "Design approved"),
    ("Build", [("Backend", 15), ("Frontend", 12), ("Integration", 6)], "Feature complete"),
    ("Test", [("System test", 8), ("User acceptance test", 6)], "UAT passed"),
    ("Go-live", [("Data migration", 4), ("Cutover", 2), ("Training", 3)], "Acceptance"),
]  # fmt: skip


def load(today: date, seed: int = 20261127) -> dict[str, int]:
    """Plans for every demo project. Returns counts."""
    rng = random.Random(seed)
    counts = {"tasks": 0, "baselines": 0}
    for project in Project.objects.select_related("client").order_by("id"):
        counts["tasks"] += _plan(project, today, rng)
        if project.status in (Project.Status.ACTIVE, Project.Status.COMPLETED):
            services.save_baseline(
                project,
                "基线 1" if _chinese(project) else "Baseline 1",
                user=project.manager,
            )
            counts["baselines"] += 1
            _progress(project, today, rng)
    return counts


def _chinese(project: Project) -> bool:
    return "\u4e00" <= project.name[0] <= "\u9fff"


def _plan(project: Project, today: date, rng: random.Random) -> int:
    team = [m.user for m in project.memberships.select_related("user")]
    plan = PLAN_CN if _chinese(project) else PLAN_EN
    previous_milestone: Task | None = None
    created = 0
    for phase_name, tasks, milestone_name in plan:
        phase = services.create_task(
            Task(project=project, name=phase_name), recompute_after=False
        )
        previous: Task | None = previous_milestone
        first_in_phase = True
        for name, days in tasks:
            task = services.create_task(
                Task(
                    project=project,
                    parent=phase,
                    name=name,
                    duration=days,
                    owner=rng.choice(team),
                    optimistic_days=max(1, days - 2),
                    likely_days=days,
                    pessimistic_days=days + rng.randint(2, 6),
                ),
                recompute_after=False,
            )
            services.set_assignments(task, {rng.choice(team): Decimal(days * 6)})
            if previous is not None:
                Dependency.objects.create(
                    project=project,
                    predecessor=previous,
                    successor=task,
                    kind="FS" if not first_in_phase or rng.random() < 0.7 else "SS",
                    lag=0 if rng.random() < 0.8 else 1,
                )
            previous = task
            first_in_phase = False
            created += 1
        milestone = services.create_task(
            Task(
                project=project,
                parent=phase,
                name=milestone_name,
                duration=0,
                is_milestone=True,
                is_client_visible=True,
                buffer_days=3,
                acceptance_criteria="客户书面确认。"
                if _chinese(project)
                else "Written sign-off by the client.",
            ),
            recompute_after=False,
        )
        if previous is not None:
            Dependency.objects.create(
                project=project, predecessor=previous, successor=milestone
            )
        previous_milestone = milestone
        created += 2
    schedule = services.ensure_schedule(project)
    schedule.buffer_days = 10
    schedule.save()
    # Planned as of the project's start; progress is then measured at today.
    services.recompute(project, status_date=project.starts_on)
    return created


def _progress(project: Project, today: date, rng: random.Random) -> None:
    """Mark work before today done or in progress, and let one task slip."""
    tasks = list(
        Task.objects.filter(
            project=project, is_summary=False, start__isnull=False
        ).order_by("wbs_sort")
    )
    slipped = False
    for task in tasks:
        if task.finish and task.finish < today:
            task.status, task.percent_complete = Task.Status.DONE, 100
            task.actual_start, task.actual_finish = task.start, task.finish
        elif task.start and task.start <= today:
            task.status = Task.Status.IN_PROGRESS
            task.percent_complete = rng.choice([20, 40, 60])
            task.actual_start = task.start
            if not slipped and not task.is_milestone:
                task.duration += 4  # the slip the baseline shows
                slipped = True
        else:
            continue
        task.save()
    services.recompute(project, status_date=today)
