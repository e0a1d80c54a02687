"""The surveys' demo: on 客户数据平台一期 (the first project of 上海云帆), a quarterly
survey answered by the client's contacts (one low score, which opened a follow-up
visit) and a milestone survey waiting for 王敏 (``client.demo``) in the portal."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from clientfolio.clients.models import Client
from clientfolio.projects.models import Project
from clientfolio.reports import surveys
from clientfolio.reports.survey_models import Answer, Invitation, Survey

__all__ = ["load"]

CLIENT = "上海云帆信息科技有限公司"
# (scores by dimension, NPS, comment) of the answered survey, one per contact in turn.
ANSWERS = [
    (
        {
            "quality": 5,
            "schedule": 4,
            "communication": 5,
            "responsiveness": 4,
            "value": 4,
        },
        9,
        "项目经理沟通及时，交付质量很好。",
    ),
    (
        {
            "quality": 4,
            "schedule": 2,
            "communication": 4,
            "responsiveness": 3,
            "value": 3,
        },
        6,
        "第二个里程碑延期了两周，希望提前告知风险。",
    ),
    (
        {
            "quality": 4,
            "schedule": 4,
            "communication": 4,
            "responsiveness": 5,
            "value": 4,
        },
        8,
        "",
    ),
]


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def load(today: date) -> dict[str, int]:
    """One answered survey and one waiting for 王敏 on demo project 1."""
    client = Client.objects.filter(name=CLIENT).first()
    if client is None or not client.contacts.filter(name="王敏").exists():
        return {}
    project = Project.objects.filter(client=client).order_by("id").first()
    if project is None:
        return {}
    answered = surveys.create_survey(
        project,
        occasion=Survey.Occasion.PERIOD,
        title="2026年第三季度满意度调查",
        user=project.manager,
    )
    Survey.objects.filter(pk=answered.pk).update(
        sent_at=_at(today - timedelta(days=45))
    )
    answered.refresh_from_db()
    count = 0
    for offset, invitation in enumerate(answered.invitations.order_by("id")):
        if offset >= len(ANSWERS):
            break
        scores, nps, comment = ANSWERS[offset]
        answer = surveys.answer_survey(invitation, scores, nps, comment)
        when = _at(today - timedelta(days=40 - 5 * offset))
        Answer.objects.filter(pk=answer.pk).update(answered_at=when)
        Invitation.objects.filter(pk=invitation.pk).update(
            answered_at=when, emailed_at=answered.sent_at
        )
        count += 1
    waiting = surveys.create_survey(
        project,
        occasion=Survey.Occasion.MILESTONE,
        title="里程碑验收满意度调查：需求规格说明书",
        user=project.manager,
        contacts=list(client.contacts.filter(name="王敏")),
    )
    Survey.objects.filter(pk=waiting.pk).update(sent_at=_at(today - timedelta(days=2)))
    return {"surveys": 2, "survey answers": count}
