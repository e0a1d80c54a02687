"""Demo projects: teams, requirements and change requests in every state, for the demo
clients. Deterministic; written through the services so the data is exactly what a user
would have produced. Their communication records come from ``clientfolio.comms.demo``,
which the settings run after this loader."""

import random
from datetime import date, timedelta
from decimal import Decimal

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
    """Requirements and change requests for the demo projects, written through the
    services. (Their communication records come from ``clientfolio.comms.demo``.)"""
    from clientfolio.clients.models import Requirement as ClientNeed
    from clientfolio.projects import change_control
    from clientfolio.projects.models import ChangeRequest, ProjectRequirement

    counts = {"requirements": 0, "change requests": 0}
    for project in projects:
        contacts = list(project.client.contacts.all())
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
