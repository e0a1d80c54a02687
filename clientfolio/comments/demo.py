"""Demo comments: a short discussion, with an @mention, on the first tasks and the
highest risk of every active demo project (Chinese projects in Chinese), posted through
the services and dated in the recent past."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from clientfolio.comments import mentions, services
from clientfolio.comments.models import Comment
from clientfolio.core.permissions import Action, can
from clientfolio.projects.models import Project
from clientfolio.risks.models import Risk
from clientfolio.schedule.models import Task

__all__ = ["load"]

# (question by the manager to @someone, their answer)
THREADS_CN = [
    ("@{name} 这个任务的接口文档什么时候能给到？客户下周要评审。", "周三前可以，初稿已经在写了。"),
    ("**提醒**：本周五前要和客户确认范围，@{name} 请准备一下材料。", "好的，我整理好发到群里。"),
    ("@{name} 这个风险本周有没有新的变化？", "供应商答复下周给联调环境，先按模拟接口开发。"),
]  # fmt: skip
THREADS_EN = [
    ("@{name} when can we have the interface spec? The client reviews it next week.",
     "By Wednesday; the draft is in progress."),
    ("**Reminder**: scope sign-off with the client this Friday. @{name}, please prepare "
     "the material.", "Will do, I'll share it in the channel."),
    ("@{name} any change on this risk this week?",
     "The vendor promises the sandbox next week; we build against a mock until then."),
]  # fmt: skip


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def load(today: date) -> dict[str, int]:
    """Comments on every active demo project. Returns counts."""
    counts = {"comments": 0}
    if Comment.objects.exists():
        return counts
    projects = Project.objects.filter(status=Project.Status.ACTIVE)
    for index, project in enumerate(projects.order_by("id")):
        # Two people of the team who may comment, the manager first when they may.
        writers = sorted(
            (
                person
                for person in services.mentionable(project)
                if mentions.can_name(person.username)
                and can(person, Action.ADD, Comment, project=project)
            ),
            key=lambda person: person.pk != project.manager_id,
        )
        if len(writers) < 2:
            continue
        lead, member = writers[:2]
        chinese = any("\u4e00" <= ch <= "\u9fff" for ch in project.name)
        threads = THREADS_CN if chinese else THREADS_EN
        tasks = list(
            Task.objects.filter(project=project, is_summary=False).order_by("id")[:2]
        )
        risk = Risk.objects.filter(project=project).order_by("-score", "id").first()
        records = [*tasks, *([risk] if risk else [])]
        for offset, (record, (question, answer)) in enumerate(
            zip(records, threads, strict=False)
        ):
            day = today - timedelta(days=2 + (index + offset) % 5)
            posted = [
                services.add_comment(
                    lead, record, question.format(name=member.username)
                ),
                services.add_comment(member, record, answer),
            ]
            for hour, comment in enumerate(posted, start=10):
                Comment.objects.filter(pk=comment.pk).update(created_at=_at(day, hour))
            counts["comments"] += len(posted)
    return counts
