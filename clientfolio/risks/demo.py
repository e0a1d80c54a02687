"""Demo risks and issues for the demo projects: a realistic register per project (Chinese
projects in Chinese), reassessment history so trend lines show, one review overdue, and one
risk that occurred with its issue — written through the services."""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from clientfolio.projects.models import Project
from clientfolio.risks import services
from clientfolio.risks.models import Risk, RiskAssessment
from clientfolio.schedule.models import Task

__all__ = ["load"]

# (title, category, probability, impact, strategy, trigger, response plan, history of
# earlier (probability, impact) ratings, oldest first)
RISKS_CN = [
    ("核心开发人员离职", "resource", 2, 4, "mitigate", "关键人员提出离职或长期请假",
     "关键模块安排 AB 角，每周代码走查与知识分享", [(3, 4), (3, 4)]),
    ("客户需求频繁变更", "client", 4, 3, "mitigate", "单周内提交两个以上需求变更",
     "严格执行变更控制流程，变更须经评估并由客户书面确认", [(3, 3), (4, 4)]),
    ("第三方支付接口延期交付", "external", 3, 4, "transfer", "供应商未按期提供联调环境",
     "合同中约定延期违约条款，同时准备模拟接口先行开发", [(2, 4)]),
    ("性能不达标", "technical", 3, 5, "mitigate", "压测 TPS 低于 500",
     "提前进行性能测试，关键查询加缓存与索引", [(4, 5), (3, 5)]),
    ("预算超支", "cost", 2, 3, "accept", "成本绩效指数 CPI 低于 0.9", "每月复核成本，超支时上报", []),
    ("数据迁移质量问题", "technical", 2, 4, "avoid", "迁移演练数据差异率超过 0.1%",
     "至少两轮迁移演练，逐表核对记录数与金额", []),
    ("客户方关键干系人变动", "management", 1, 4, "accept", "客户组织架构调整",
     "保持与客户高层的定期沟通", []),
    ("上线窗口与春节假期冲突", "schedule", 3, 3, "avoid", "上线日期晚于 1 月 20 日",
     "提前两周锁定上线窗口，预留应急人员", [(2, 3)]),
]  # fmt: skip
RISKS_EN = [
    ("Key developer leaves", "resource", 2, 4, "mitigate", "Resignation or long leave",
     "Pair owners on key modules; weekly code walkthroughs", [(3, 4)]),
    ("Frequent scope changes from the client", "client", 4, 3, "mitigate",
     "More than two change requests in a week", "Run every change through change control",
     [(3, 3)]),
    ("Payment gateway sandbox late", "external", 3, 4, "transfer",
     "Vendor misses the sandbox date", "Penalty clause; build against a mock meanwhile", []),
    ("Performance below target", "technical", 3, 5, "mitigate", "Load test under 500 TPS",
     "Load test early; cache and index the hot queries", [(4, 5)]),
    ("Budget overrun", "cost", 2, 3, "accept", "CPI under 0.9", "Review cost monthly", []),
]  # fmt: skip


def _chinese(project: Project) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in project.name)


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def load(today: date, seed: int = 20261128) -> dict[str, int]:
    """Risks for every demo project that is not cancelled. Returns counts."""
    rng = random.Random(seed)
    counts = {"risks": 0, "risk assessments": 0, "issues": 0}
    overdue_done = occurred_done = False
    projects = Project.objects.exclude(status=Project.Status.CANCELLED).select_related(
        "manager"
    )
    for project in projects.order_by("id"):
        team = [m.user for m in project.memberships.select_related("user")]
        if not team:
            continue
        tasks = list(
            Task.objects.filter(project=project, is_summary=False).order_by("wbs_sort")
        )
        chinese = _chinese(project)
        rows = RISKS_CN if chinese else RISKS_EN
        for index, row in enumerate(rows):
            title, category, p, i, strategy, trigger, plan, earlier = row
            start = (project.starts_on or today) - timedelta(days=7)
            review = today + timedelta(days=rng.randint(5, 40))
            owner = rng.choice(team)
            if index == 1 and not overdue_done and project.status == "active":
                review, owner, overdue_done = (
                    today - timedelta(days=6),
                    project.manager,
                    True,
                )
            status = rng.choice(
                [Risk.Status.MONITORING, Risk.Status.RESPONDING, Risk.Status.ANALYSING]
            )
            if project.status == Project.Status.COMPLETED:
                status = Risk.Status.CLOSED
            first = earlier[0] if earlier else (p, i)
            risk = services.create_risk(
                Risk(
                    project=project,
                    title=title,
                    description=trigger,
                    category=category,
                    probability=first[0],
                    impact=first[1],
                    strategy=strategy,
                    trigger=trigger,
                    response_plan=plan,
                    contingency_plan="启动应急预案并上报项目经理"
                    if chinese
                    else "Escalate to the project manager",
                    owner=owner,
                    review_on=review,
                    status=status,
                ),
                user=project.manager,
                tasks=rng.sample(tasks, k=min(len(tasks), rng.randint(0, 2))),
                note="初始评估" if chinese else "Initial assessment",
            )
            counts["risks"] += 1
            counts["risk assessments"] += 1
            ratings = [*earlier[1:], (p, i)] if earlier else []
            for rp, ri in ratings:
                services.reassess(
                    risk,
                    rp,
                    ri,
                    user=project.manager,
                    note=("例行评审" if chinese else "Regular review"),
                )
                counts["risk assessments"] += 1
            # Spread the history over the weeks before today so the trend reads as one.
            rows_ = list(RiskAssessment.objects.filter(risk=risk).order_by("id"))
            span = max(1, (today - start).days)
            for n, assessment in enumerate(rows_):
                offset = span * n // max(1, len(rows_))
                assessment.assessed_at = _at(start + timedelta(days=offset))
            RiskAssessment.objects.bulk_update(rows_, ["assessed_at"])
            if (
                category == "external"
                and not occurred_done
                and project.status == "active"
            ):
                risk.status = Risk.Status.OCCURRED
                services.update_risk(risk, risk.version, user=project.manager)
                services.open_issue(
                    project,
                    title=(
                        "第三方支付接口未按期交付"
                        if chinese
                        else "Gateway sandbox late"
                    ),
                    description=(
                        "供应商联调环境延期两周，影响接口联调进度。"
                        if chinese
                        else "The vendor's sandbox is two weeks late."
                    ),
                    severity="high",
                    owner=project.manager,
                    due_on=today + timedelta(days=10),
                    user=project.manager,
                    source_risk=risk,
                )
                counts["issues"] += 1
                occurred_done = True
    return counts
