"""The project part of the benchmark data set: 1,000 projects with teams for clients that
already exist. The communication records come from ``clientfolio.comms.scale``, which makes
the first project the busy one.

Rows go in through ``bulk_create`` in batches, so there are no history rows. Deterministic
for a given seed and date.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction

from clientfolio.clients.models import Client
from clientfolio.core.models import User
from clientfolio.projects.models import Membership, Project, ProjectEvent, ProjectRole

__all__ = ["ProjectScaleCounts", "seed", "seed_from_options"]

PROJECT_KINDS = [
    ("客户数据平台", "Customer data platform"),
    ("ERP 升级", "ERP upgrade"),
    ("移动端应用", "Mobile app"),
    ("供应链可视化", "Supply-chain visibility"),
    ("数据中台建设", "Data hub"),
    ("官网改版", "Website relaunch"),
    ("智能客服系统", "Service desk automation"),
    ("财务共享中心", "Shared finance centre"),
]


@dataclass
class ProjectScaleCounts:
    projects: int = 0
    memberships: int = 0


def seed(
    *,
    projects: int = 1000,
    seed: int = 20260102,
    today: date,
) -> ProjectScaleCounts:
    """Write projects and their teams for existing clients and staff."""
    rng = random.Random(seed)
    counts = ProjectScaleCounts()
    staff = list(User.objects.internal().active().order_by("id"))
    client_ids = list(Client.objects.order_by("id").values_list("id", flat=True))
    if not staff or not client_ids or projects <= 0:
        return counts
    chosen = rng.sample(client_ids, min(projects, len(client_ids)))

    start = Project.objects.count()
    project_rows = []
    for n in range(projects):
        kind_cn, kind_en = rng.choice(PROJECT_KINDS)
        starts = today - timedelta(days=rng.randint(0, 900))
        status = rng.choices(
            [Project.Status.ACTIVE, Project.Status.COMPLETED, Project.Status.ON_HOLD,
             Project.Status.PROPOSED, Project.Status.CANCELLED],
            weights=[6, 3, 1, 1, 1],
        )[0]  # fmt: skip
        project_rows.append(
            Project(
                code=f"S{start + n + 1:05d}",
                name=f"{kind_cn}项目 {n + 1}"
                if rng.random() < 0.7
                else f"{kind_en} {n + 1}",
                client_id=chosen[n % len(chosen)],
                manager=rng.choice(staff),
                goals="按期交付并通过客户验收。",
                starts_on=starts,
                planned_finish_on=starts + timedelta(days=rng.randint(60, 400)),
                status=status,
                phase=rng.choice(Project.Phase.values),
                priority=rng.choice(["low", "medium", "high", "critical"]),
            )
        )
    with transaction.atomic():
        Project.objects.bulk_create(project_rows, batch_size=1000)
        memberships: list[Membership] = []
        events = []
        for project in project_rows:
            roles: dict[int, str] = {project.manager_id: ProjectRole.MANAGER}
            for user in rng.sample(staff, min(len(staff), rng.randint(2, 7))):
                roles.setdefault(
                    user.pk,
                    rng.choice(
                        [ProjectRole.MEMBER, ProjectRole.MEMBER, ProjectRole.VIEWER]
                    ),
                )
            memberships.extend(
                Membership(project=project, user_id=user_id, role=role)
                for user_id, role in roles.items()
            )
            events.append(
                ProjectEvent(project=project, kind="status", new_value=project.status)
            )
            events.append(
                ProjectEvent(project=project, kind="phase", new_value=project.phase)
            )
        Membership.objects.bulk_create(memberships, batch_size=2000)
        ProjectEvent.objects.bulk_create(events, batch_size=2000)
    counts.projects = len(project_rows)
    counts.memberships = len(memberships)
    return counts


def seed_from_options(options: dict[str, Any]) -> str:
    """The project part of ``clientfolio seed-scale``; returns a summary line."""
    counts = seed(
        projects=options["projects"],
        seed=options["seed"] + 1,
        today=options["today"],
    )
    return (
        f"Seeded {counts.projects} projects with {counts.memberships} team memberships."
    )
