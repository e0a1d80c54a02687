"""Demo communication for the demo projects: meetings, calls and visits with minutes and
action items, minutes sent for confirmation and the participants' answers. Deterministic and
relative to ``today``; written through the services so the data is exactly what a user
would have produced. Runs after the projects' demo loader (it needs the teams)."""

import random
from datetime import date, datetime, time, timedelta

from django.test.utils import override_settings
from django.utils import timezone

from clientfolio.comms import services
from clientfolio.comms.models import ActionItem, CommRecord, Participant
from clientfolio.projects.models import Project

__all__ = ["load"]

MEETINGS = [
    # (kind, subject, agenda, minutes, decisions, days ago, hour)
    (
        "meeting",
        "项目启动会",
        "1. 项目目标与范围\n2. 组织架构与沟通机制\n3. 里程碑计划",
        "**参会双方确认了项目目标与范围。**\n\n- 每周二上午召开周例会\n- 需求冻结日期定为下月 15 日\n- 客户方指定信息部经理为接口人",
        "采用双周迭代交付；变更须走变更申请流程。",
        40,
        10,
    ),
    (
        "meeting",
        "需求评审会",
        "逐条评审需求规格说明书 V1.2",
        "- 共评审需求 38 条，通过 33 条\n- 5 条需补充业务规则，下周三前完成\n- 报表导出需支持 Excel 与 PDF",
        "报表导出纳入一期范围。",
        25,
        14,
    ),
    (
        "call",
        "接口联调沟通",
        "",
        "ERP 接口测试环境下周一可用；客户方提供测试账号。",
        "",
        12,
        16,
    ),
    (
        "visit",
        "现场调研：仓库作业流程",
        "了解入库、拣货与发货流程",
        "现场观察了两个班次的作业，拣货环节纸质单据较多，建议引入手持终端。",
        "二期评估手持终端方案。",
        6,
        9,
    ),
    (
        "meeting",
        "Weekly status meeting",
        "Progress, risks, next steps",
        "- Sprint 4 closed: 21 of 23 stories done\n- UAT environment ready on Monday\n- Risk: single sign-on depends on the client's identity team",
        "Go-live stays on plan; SSO tracked as a risk.",
        3,
        10,
    ),
]
ACTION_TEXTS = [
    ("补充 5 条需求的业务规则", 7),
    ("提供 ERP 测试账号", 3),
    ("更新里程碑计划并发送客户确认", 5),
    ("Send the UAT test plan", 4),
    ("整理现场调研报告", 10),
]


def load(today: date, seed: int = 20261126) -> dict[str, int]:
    """Communication records for every demo project. Returns counts."""
    rng = random.Random(seed)
    records = 0
    for project in Project.objects.select_related("client", "manager").order_by("id"):
        team = [m.user for m in project.memberships.select_related("user")]
        contacts = list(project.client.contacts.all())
        chinese = "\u4e00" <= project.name[0] <= "\u9fff"
        meetings = [
            m for m in MEETINGS if ("\u4e00" <= m[1][0] <= "\u9fff") == chinese
        ] or MEETINGS
        for kind, subject, agenda, minutes, decisions, days_ago, hour in meetings:
            day = today - timedelta(days=days_ago)
            if project.starts_on and day < project.starts_on:
                day = project.starts_on
            items = [
                services.ItemChange(
                    ActionItem(
                        text=text,
                        owner=rng.choice(team),
                        due_on=day + timedelta(days=due),
                        status=rng.choice(["open", "open", "in_progress", "done"]),
                    )
                )
                for text, due in rng.sample(ACTION_TEXTS, rng.randint(0, 2))
            ]
            record = services.create_record(
                CommRecord(
                    project=project,
                    kind=kind,
                    occurred_at=_at(day, hour),
                    duration_minutes=rng.choice([30, 45, 60, 90]),
                    location=rng.choice(
                        ["腾讯会议", "客户现场", "公司 3 楼会议室", "Zoom"]
                    ),
                    subject=subject,
                    agenda=agenda,
                    minutes=minutes,
                    decisions=decisions,
                ),
                user=project.manager,
                participant_users=rng.sample(team, min(len(team), 2)),
                participant_contacts=contacts[:2],
                items=items,
            )
            records += 1
            if kind == "meeting" and days_ago > 5:
                with override_settings(
                    EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"
                ):
                    services.send_minutes_for_confirmation(
                        record, "http://127.0.0.1:8000"
                    )
                for participant in record.participants.all():
                    if rng.random() < 0.7:
                        state = (
                            Participant.State.DISPUTED
                            if rng.random() < 0.15
                            else Participant.State.CONFIRMED
                        )
                        services.respond(
                            participant,
                            state,
                            "第二条的日期需要再确认。" if state == "disputed" else "",
                        )
    return {"communication records": records}


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))
