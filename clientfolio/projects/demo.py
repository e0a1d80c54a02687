"""Demo projects: teams, meetings with minutes and action items, requirements and change
requests in every state, for the demo clients. Deterministic; written through the services
so the data is exactly what a user would have produced."""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from clientfolio.clients.models import Client
from clientfolio.core.models import User
from clientfolio.projects import services
from clientfolio.projects.models import Membership, Project, ProjectRole

__all__ = ["load"]

PROJECTS = [
    # (client name, project name, goals, phase, status, start offset days, length days)
    (
        "上海云帆信息科技有限公司",
        "客户数据平台一期",
        "整合 CRM、ERP 与客服系统数据，建立统一客户视图，支撑精准营销。",
        Project.Phase.EXECUTION,
        Project.Status.ACTIVE,
        -90,
        240,
    ),
    (
        "深圳华创智能制造股份有限公司",
        "MES 生产执行系统实施",
        "三个工厂上线 MES，实现工单、质检与设备数据的实时采集。",
        Project.Phase.PLANNING,
        Project.Status.ACTIVE,
        -20,
        300,
    ),
    (
        "南京金陵银行股份有限公司",
        "手机银行体验优化",
        "重构开户与转账流程，将转化率提升 15%。",
        Project.Phase.MONITORING,
        Project.Status.ACTIVE,
        -200,
        260,
    ),
    (
        "杭州西湖电子商务有限公司",
        "电商中台升级",
        "订单、库存与营销模块迁移至新中台。",
        Project.Phase.CLOSING,
        Project.Status.COMPLETED,
        -400,
        330,
    ),
    (
        "Northwind Traders Ltd.",
        "Customer portal",
        "Self-service portal for order tracking and invoice downloads.",
        Project.Phase.EXECUTION,
        Project.Status.ACTIVE,
        -60,
        180,
    ),
    (
        "Contoso Pharmaceuticals",
        "Clinical data warehouse",
        "Consolidate trial data from three CROs into one governed warehouse.",
        Project.Phase.INITIATION,
        Project.Status.PROPOSED,
        14,
        365,
    ),
    (
        "武汉长江物流集团",
        "运输管理系统（TMS）",
        "车辆调度、在途跟踪与结算一体化。",
        Project.Phase.EXECUTION,
        Project.Status.ON_HOLD,
        -150,
        270,
    ),
]
TEAM = ["li.na", "zhang.wei", "emma.hall", "chen.jie"]
RESPONSIBILITIES = {
    ProjectRole.MEMBER: [
        "接口开发与联调",
        "测试与质量保证",
        "数据迁移",
        "Frontend and UX",
    ],
    ProjectRole.VIEWER: ["了解进度，参与评审", "Steering committee"],
    ProjectRole.FINANCE: ["预算与回款跟踪"],
}


def load(today: date, seed: int = 20261126) -> dict[str, int]:
    """Create the demo projects for the demo clients. Returns counts."""
    rng = random.Random(seed)
    users = {u.username: u for u in User.objects.filter(username__in=TEAM)}
    clients = {
        c.name: c for c in Client.objects.filter(name__in=[p[0] for p in PROJECTS])
    }
    created = []
    for index, (client_name, name, goals, phase, status, offset, length) in enumerate(
        PROJECTS
    ):
        client = clients.get(client_name)
        if client is None:
            continue
        manager = (
            users[TEAM[index % 2]]
            if "\u4e00" <= name[0] <= "\u9fff"
            else users["emma.hall"]
        )
        starts = today + timedelta(days=offset)
        project = services.create_project(
            Project(
                name=name,
                client=client,
                manager=manager,
                goals=goals,
                scope_in="需求调研、系统设计、开发、测试、上线与培训。"
                if "\u4e00" <= name[0] <= "\u9fff"
                else "Discovery, design, build, test, go-live and training.",
                scope_out="硬件采购与机房建设。"
                if "\u4e00" <= name[0] <= "\u9fff"
                else "Hardware and data-centre work.",
                outcomes="上线的系统、操作手册、培训记录与验收报告。"
                if "\u4e00" <= name[0] <= "\u9fff"
                else "Running system, manuals, training records, acceptance report.",
                starts_on=starts,
                planned_finish_on=starts + timedelta(days=length),
                priority=rng.choice(["medium", "high", "critical"]),
            ),
            user=manager,
            tags=rng.sample(["数字化转型", "重点项目", "SaaS", "Data"], 1),
        )
        for username in TEAM:
            user = users[username]
            if user == manager:
                continue
            role = rng.choice(
                [
                    ProjectRole.MEMBER,
                    ProjectRole.MEMBER,
                    ProjectRole.VIEWER,
                    ProjectRole.FINANCE,
                ]
            )
            services.add_member(
                Membership(
                    project=project,
                    user=user,
                    role=role,
                    responsibilities=rng.choice(RESPONSIBILITIES[role]),
                )
            )
        if (project.phase, project.status) != (phase, status):
            project.phase, project.status = phase, status
            services.update_project(
                project, project.version, user=manager, comment="项目进入新阶段"
            )
        created.append(project)
    extra = _load_folder_records(created, today, rng)
    return {"projects": len(created), **extra}


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
CHANGES = [
    # (title, reason, days, cost, final status)
    ("报表导出增加 PDF 格式", "客户管理层需要打印归档。", 5, "28000", "implemented"),
    (
        "增加企业微信消息提醒",
        "一线人员不常登录系统，需要移动端提醒。",
        8,
        "45000",
        "approved",
    ),
    (
        "数据迁移范围扩大至 2019 年历史数据",
        "审计要求保留五年数据。",
        12,
        "60000",
        "awaiting_client",
    ),
    ("首页改版", "市场部希望突出新品。", 3, "15000", "evaluating"),
    ("取消离线模式", "网络覆盖已改善。", -6, "-20000", "submitted"),
    ("接入第三方征信接口", "合规评估未通过。", 15, "80000", "rejected"),
]


def _load_folder_records(projects, today, rng) -> dict[str, int]:
    """Communication with minutes and action items, requirements and change requests for
    the demo projects, written through the services."""
    from django.test.utils import override_settings

    from clientfolio.clients.models import Requirement as ClientNeed
    from clientfolio.comms import services as comms
    from clientfolio.comms.models import ActionItem, CommRecord, Participant
    from clientfolio.projects import change_control
    from clientfolio.projects.models import ChangeRequest, ProjectRequirement

    counts = {"communication records": 0, "requirements": 0, "change requests": 0}
    for project in projects:
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
                comms.ItemChange(
                    ActionItem(
                        text=text,
                        owner=rng.choice(team),
                        due_on=day + timedelta(days=due),
                        status=rng.choice(["open", "open", "in_progress", "done"]),
                    )
                )
                for text, due in rng.sample(ACTION_TEXTS, rng.randint(0, 2))
            ]
            record = comms.create_record(
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
            counts["communication records"] += 1
            if kind == "meeting" and days_ago > 5:
                with override_settings(
                    EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"
                ):
                    comms.send_minutes_for_confirmation(record, "http://127.0.0.1:8000")
                for participant in record.participants.all():
                    if rng.random() < 0.7:
                        state = (
                            Participant.State.DISPUTED
                            if rng.random() < 0.15
                            else Participant.State.CONFIRMED
                        )
                        comms.respond(
                            participant,
                            state,
                            "第二条的日期需要再确认。" if state == "disputed" else "",
                        )
        needs = list(ClientNeed.objects.filter(client=project.client))
        for need in needs:
            change_control.create_requirement(project, source=need)
            counts["requirements"] += 1
        for title, status in [
            ("单点登录（SSO）", ProjectRequirement.Status.IN_SCOPE),
            ("报表导出 Excel/PDF", ProjectRequirement.Status.DELIVERED),
            ("操作日志审计", ProjectRequirement.Status.CONFIRMED),
            ("多语言界面", ProjectRequirement.Status.COLLECTED),
            ("区块链存证", ProjectRequirement.Status.REJECTED),
        ]:
            requirement = change_control.create_requirement(project, title=title)
            counts["requirements"] += 1
            path = {
                "collected": [],
                "confirmed": ["confirmed"],
                "in_scope": ["confirmed", "in_scope"],
                "delivered": ["confirmed", "in_scope", "delivered"],
                "rejected": ["rejected"],
            }[status]
            for step in path:
                change_control.move_requirement(
                    requirement,
                    step,
                    confirmed_by=contacts[0]
                    if step == "confirmed" and contacts
                    else None,
                    confirmed_on=today - timedelta(days=20)
                    if step == "confirmed"
                    else None,
                )
        if project.status == Project.Status.PROPOSED or not contacts:
            continue
        for title, reason, days, cost, final in CHANGES:
            change = change_control.create_change_request(
                ChangeRequest(
                    project=project,
                    title=title,
                    requested_by_contact=contacts[0],
                    requested_on=today - timedelta(days=rng.randint(10, 30)),
                    description=reason,
                    reason=reason,
                    scope_impact="影响报表与通知模块。",
                    schedule_impact_days=days,
                    cost_impact=Decimal(cost),
                    risk_notes="需要客户配合测试。",
                ),
                user=project.manager,
            )
            counts["change requests"] += 1
            path = {
                "submitted": [],
                "evaluating": ["evaluating"],
                "awaiting_client": ["evaluating", "awaiting_client"],
                "approved": ["evaluating", "awaiting_client", "approved"],
                "implemented": [
                    "evaluating",
                    "awaiting_client",
                    "approved",
                    "implemented",
                ],
                "rejected": ["evaluating", "awaiting_client", "rejected"],
            }[final]
            for step in path:
                deciding = step in ("approved", "rejected")
                change_control.transition(
                    change,
                    step,
                    project.manager,
                    comment="已评估影响，提交客户决策。"
                    if step == "awaiting_client"
                    else "",
                    decided_by=contacts[0] if deciding else None,
                    decided_on=today - timedelta(days=5) if deciding else None,
                )
                change.refresh_from_db()
    return counts


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))
