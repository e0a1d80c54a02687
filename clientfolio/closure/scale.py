"""The closure part of the benchmark data set: 20,000 lessons learned spread over the
scale projects (20 per project by default), with tags from a small vocabulary.
``bulk_create`` only, no history rows; the search text is filled like the service does."""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from clientfolio.closure.models import Lesson
from clientfolio.closure.services import lesson_search_text
from clientfolio.core.models import Tag
from clientfolio.projects.models import Membership, Project

__all__ = ["LessonScaleCounts", "seed", "seed_from_options"]

SUBJECTS = [
    "接口联调",
    "数据迁移",
    "需求评审",
    "上线切换",
    "用户培训",
    "性能测试",
    "权限设计",
    "报表开发",
    "验收签字",
    "回款跟进",
]
OUTCOMES = {
    "went_well": ["提前完成", "客户评价很好", "减少了返工", "一次通过验收"],
    "went_wrong": ["延期一周", "返工严重", "客户投诉", "预算超支"],
    "suggestion": ["下次提前准备", "建议模板化", "建议增加评审", "建议客户早参与"],
}
DETAILS = [
    "关键用户参与不足",
    "需求变更频繁",
    "测试环境不稳定",
    "第三方接口文档缺失",
    "团队沟通顺畅",
    "每周例会对齐范围",
    "风险提前识别",
]
TAGS = [
    "范围管理",
    "沟通",
    "接口",
    "数据迁移",
    "验收",
    "培训",
    "风险管理",
    "质量",
    "成本",
    "进度",
]
KINDS = list(OUTCOMES)


@dataclass
class LessonScaleCounts:
    lessons: int = 0
    projects: int = 0


def seed(
    lessons: int,
    seed: int,
    today: date,
    batch: int = 5000,
    progress: Callable[[int], Callable[[int], object]] | None = None,
) -> LessonScaleCounts:
    """Add ``lessons`` lessons over the existing projects (authors from each team)."""
    rng = random.Random(seed)
    projects = list(Project.objects.order_by("id").values_list("id", "manager_id"))
    counts = LessonScaleCounts(projects=len(projects))
    if not projects or lessons <= 0:
        return counts
    Tag.objects.bulk_create([Tag(name=n) for n in TAGS], ignore_conflicts=True)
    tags = dict(Tag.objects.filter(name__in=TAGS).values_list("name", "id"))
    teams: dict[int, list[int]] = {}
    for project_id, user_id in Membership.objects.values_list("project_id", "user_id"):
        teams.setdefault(project_id, []).append(user_id)
    update = progress(lessons) if progress else None
    through = Lesson.tags.through
    made = 0
    while made < lessons:
        size = min(batch, lessons - made)
        rows, chosen = [], []
        for i in range(size):
            project_id, manager_id = projects[(made + i) % len(projects)]
            kind = rng.choice(KINDS)
            subject = rng.choice(SUBJECTS)
            title = f"{subject}{rng.choice(OUTCOMES[kind])}"
            text = (
                f"{rng.choice(DETAILS)}，{rng.choice(DETAILS)}。{subject}阶段的经验。"
            )
            names = rng.sample(TAGS, rng.randint(1, 3))
            rows.append(
                Lesson(
                    project_id=project_id,
                    kind=kind,
                    title=title,
                    text=text,
                    author_id=rng.choice(teams.get(project_id, [manager_id])),
                    recorded_on=today - timedelta(days=rng.randint(0, 900)),
                    search_text=lesson_search_text(title, text, names),
                )
            )
            chosen.append(names)
        with transaction.atomic():
            created = Lesson.objects.bulk_create(rows)
            through.objects.bulk_create(
                [
                    through(lesson_id=lesson.pk, tag_id=tags[name])
                    for lesson, names in zip(created, chosen, strict=True)
                    for name in names
                ]
            )
        made += size
        if update:
            update(size)
    counts.lessons = made
    return counts


def seed_from_options(options: dict[str, Any]) -> str:
    """The closure part of ``clientfolio seed-scale``; returns a summary line.

    ``options["lessons"]`` if given, else 20 per project (20,000 over 1,000 projects)."""
    from tqdm import tqdm

    bars = []

    def progress(total: int) -> Callable[[int], object]:
        bar = tqdm(total=total, unit="lesson", disable=options.get("verbosity", 1) == 0)
        bars.append(bar)
        return bar.update

    total = options.get("lessons")
    if total is None:
        total = 20 * Project.objects.count()
    try:
        counts = seed(
            lessons=total,
            seed=options.get("seed", 20260101) + 7,
            today=options.get("today") or timezone.localdate(),
            batch=options.get("batch", 5000),
            progress=progress,
        )
    finally:
        for bar in bars:
            bar.close()
    return f"Seeded {counts.lessons} lessons learned over {counts.projects} projects."
