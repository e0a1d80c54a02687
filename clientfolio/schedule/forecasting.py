"""The Monte Carlo forecast of one project, for the API: loads the plan, runs
``montecarlo.forecast`` on the working calendar and shapes the answer.

Tasks with three-point estimates vary (PERT-beta over optimistic…pessimistic working
days); the others keep their duration. The planned date tested is the project's planned
finish (else its computed finish) and each milestone's computed finish.
"""

from datetime import date
from typing import Any

from django.utils import timezone

from clientfolio.projects.models import Project
from clientfolio.schedule import engine, montecarlo, services
from clientfolio.schedule.models import Dependency, Task

__all__ = ["project_forecast"]


def _shape(result: montecarlo.FinishForecast) -> dict[str, Any]:
    return {
        "p50": result.p50,
        "p80": result.p80,
        "p95": result.p95,
        "planned": result.planned,
        "probability": None
        if result.probability is None
        else round(result.probability, 4),
    }


def project_forecast(
    project: Project, *, runs: int, seed: int | None = None
) -> dict[str, Any]:
    """P50/P80/P95 finish dates of the project and its milestones over ``runs`` runs;
    the seed defaults to the project's id so the answer is reproducible. ``warnings``
    says what was left out (links to tasks of other projects)."""
    settings_row = services.ensure_schedule(project)
    rows = list(
        Task.objects.filter(project=project).values(
            "id",
            "parent_id",
            "name",
            "wbs",
            "duration",
            "is_milestone",
            "constraint",
            "constraint_date",
            "finish",
            "optimistic_days",
            "likely_days",
            "pessimistic_days",
        )
    )
    parents = {row["parent_id"] for row in rows if row["parent_id"]}
    leaves = [row for row in rows if row["id"] not in parents]
    seed = project.pk if seed is None else seed
    warning = services.ignored_links_warning(
        Dependency.objects.count_across_projects(project)
    )
    warnings = [warning] if warning else []
    if not leaves:
        return {
            "runs": runs,
            "seed": seed,
            "estimated_tasks": 0,
            "project": None,
            "milestones": [],
            "warnings": warnings,
        }
    links = services.network_links(project, [row["id"] for row in rows], parents)
    estimates = {
        row["id"]: (row["optimistic_days"], row["likely_days"], row["pessimistic_days"])
        for row in leaves
        if not row["is_milestone"]
        and row["optimistic_days"]
        and row["likely_days"] is not None
        and row["pessimistic_days"] is not None
    }
    milestones = [row for row in leaves if row["is_milestone"]]
    start = project.starts_on or timezone.localdate()
    span_years = (
        max(2, sum(max(e) for e in estimates.values()) // 200 + 2) if estimates else 2
    )
    total = sum(row["duration"] for row in leaves) // 200 + span_years
    info = services.calendar_for(
        project, settings_row, years=range(start.year - 1, start.year + total + 1)
    )
    planned: dict[int, date] = {}
    project_planned = project.planned_finish_on or settings_row.computed_finish
    if project_planned:
        planned[montecarlo.PROJECT] = project_planned
    for row in milestones:
        if row["finish"]:
            planned[row["id"]] = row["finish"]
    tasks = [
        engine.TaskInput(
            id=row["id"],
            duration=0 if row["is_milestone"] else row["duration"],
            constraint=row["constraint"],
            constraint_date=row["constraint_date"],
        )
        for row in leaves
    ]
    try:
        result = montecarlo.forecast(
            tasks,
            links,
            info.calendar,
            project_start=start,
            estimates=estimates,
            milestones=[row["id"] for row in milestones],
            planned=planned,
            runs=runs,
            seed=seed,
        )
    except engine.DateRangeError as error:
        raise services.PlanError(services.too_late_message()) from error
    return {
        "runs": result.runs,
        "seed": result.seed,
        "estimated_tasks": len(estimates),
        "project": _shape(result.project),
        "milestones": [
            {
                "id": row["id"],
                "wbs": row["wbs"],
                "name": row["name"],
                **_shape(result.finishes[row["id"]]),
            }
            for row in milestones
        ],
        "warnings": warnings,
    }
