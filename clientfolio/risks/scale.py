"""The risk part of the benchmark data set: 20,000 risks over the existing projects, each
with its first assessment, and a few overdue reviews. Everything goes in through
``bulk_create``; no history rows."""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from clientfolio.projects.models import Membership, Project
from clientfolio.risks import scoring
from clientfolio.risks.models import Risk, RiskAssessment

__all__ = ["RiskScaleCounts", "seed", "seed_from_options"]

TITLES = [
    "核心人员流失",
    "需求变更频繁",
    "第三方接口延期",
    "性能不达标",
    "预算超支",
    "数据迁移质量",
    "干系人变动",
    "上线窗口冲突",
    "供应商交付质量",
    "安全合规审查",
]
# Most risks are unlikely or mild; a few sit in the top-right corner.
WEIGHTS = [30, 30, 20, 12, 8]


@dataclass
class RiskScaleCounts:
    risks: int = 0
    assessments: int = 0
    projects: int = 0


def seed(*, risks: int, seed: int, today: date, batch: int = 5000) -> RiskScaleCounts:
    """Spread ``risks`` risks over every project (round robin), owners from the teams."""
    rng = random.Random(seed)
    counts = RiskScaleCounts()
    projects = list(Project.objects.order_by("id").values_list("id", flat=True))
    if not projects or risks <= 0:
        return counts
    teams: dict[int, list[int]] = {}
    for project_id, user_id in Membership.objects.values_list("project_id", "user_id"):
        teams.setdefault(project_id, []).append(user_id)
    categories = Risk.Category.values
    strategies = Risk.Strategy.values
    statuses = [*Risk.OPEN_STATUSES, Risk.Status.CLOSED, Risk.Status.OCCURRED]
    status_weights = [20, 15, 20, 30, 10, 5]
    assessed_at = timezone.make_aware(datetime.combine(today, time(9, 0)))
    thresholds = scoring.DEFAULT_THRESHOLDS
    made = 0
    while made < risks:
        rows = []
        for n in range(made, min(risks, made + batch)):
            project_id = projects[n % len(projects)]
            p = rng.choices(range(1, 6), WEIGHTS)[0]
            i = rng.choices(range(1, 6), WEIGHTS)[0]
            score = p * i
            team: list[int | None] = [*teams.get(project_id, [])] or [None]
            rows.append(
                Risk(
                    project_id=project_id,
                    title=f"{rng.choice(TITLES)} #{n + 1}",
                    category=rng.choice(categories),
                    probability=p,
                    impact=i,
                    score=score,
                    level=scoring.level(score, thresholds),
                    strategy=rng.choice(strategies),
                    owner_id=rng.choice(team),
                    review_on=today + timedelta(days=rng.randint(-20, 60)),
                    status=rng.choices(statuses, status_weights)[0],
                )
            )
        with transaction.atomic():
            Risk.objects.bulk_create(rows, batch_size=2000)
            RiskAssessment.objects.bulk_create(
                [
                    RiskAssessment(
                        risk=r,
                        probability=r.probability,
                        impact=r.impact,
                        score=r.score,
                        assessed_by_id=r.owner_id,
                        assessed_at=assessed_at,
                    )
                    for r in rows
                ],
                batch_size=2000,
            )
        made += len(rows)
        counts.assessments += len(rows)
    counts.risks = made
    counts.projects = min(len(projects), risks)
    return counts


def seed_from_options(options: dict[str, Any]) -> str:
    """The risk part of ``clientfolio seed-scale``; returns a summary line."""
    counts = seed(
        risks=options.get("risks", 20_000),
        seed=options["seed"] + 5,
        today=options["today"],
        batch=options.get("batch", 5000),
    )
    return f"Seeded {counts.risks} risks over {counts.projects} projects."
