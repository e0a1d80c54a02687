"""Demo closure data: lessons learned on every demo project, and the completed demo
project closed with its handover, final evaluation and a follow-up visit. Deterministic;
written through the services."""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from clientfolio.clients.models import FollowUp
from clientfolio.clients.services import save_record
from clientfolio.closure import services
from clientfolio.closure.models import Closure, Evaluation, Handover, Lesson
from clientfolio.projects.models import Project

__all__ = ["load"]

LESSONS_CN = [
    ("went_well", "每周与客户对齐需求范围", "每周五与客户产品负责人过一遍需求清单，范围蔓延明显减少，变更都走了正式流程。", ["范围管理"]),
    ("went_well", "接口联调提前两周启动", "开发中期就用模拟数据开始联调，上线前的集成问题比上个项目少了一半。", ["接口", "集成"]),
    ("went_wrong", "数据迁移低估了清洗工作量", "历史数据质量差，清洗规则反复确认，迁移延期 8 个工作日。下次在需求阶段就抽样评估数据质量。", ["数据迁移"]),
    ("went_wrong", "客户关键用户参与不足", "UAT 阶段关键用户频繁请假，验收推迟。应在启动会上明确客户方投入并写进项目章程。", ["沟通", "验收"]),
    ("suggestion", "培训材料提前交付", "上线前一周把操作手册和培训视频交给客户，培训效果更好，上线后的咨询量下降。", ["培训"]),
    ("suggestion", "里程碑验收单模板化", "统一使用带签字栏的验收单模板，回款节点不再因为单据不全而卡住。", ["验收", "回款"]),
    ("went_well", "风险登记册每周更新", "项目例会固定留十分钟过风险，两项高风险在发生前就处理掉了。", ["风险管理"]),
]  # fmt: skip
LESSONS_EN = [
    ("went_well", "Weekly demo to the client", "A 30-minute demo every Friday kept the client engaged and surfaced misunderstandings early.", ["communication"]),
    ("went_wrong", "Underestimated the invoice export", "The legacy PDF layout took three times the estimate. Spike unknown formats before committing.", ["estimation"]),
    ("suggestion", "Agree the definition of done per deliverable", "Write acceptance criteria with the client before the build starts; it made sign-off painless.", ["acceptance"]),
]  # fmt: skip

NARRATIVE_CN = """## 项目总结

电商中台升级项目完成了**订单、库存与营销**三大模块向新中台的迁移，系统已稳定运行一个月。

- 进度：因数据迁移清洗工作量超出预期，整体延期约一周。
- 成本：外包测试费用略超预算，其余科目在预算内。
- 质量：两次质量评审均通过，客户一次验收通过。

### 后续建议

1. 三个月后安排回访，收集运营数据；
2. 营销模块二期可作为新商机跟进。
"""


def _chinese(project: Project) -> bool:
    return "\u4e00" <= project.name[0] <= "\u9fff"


def load(today: date, seed: int = 20261128) -> dict[str, int]:
    """Lessons on every demo project; the first completed one closed. Returns counts."""
    rng = random.Random(seed)
    counts = {"lessons": 0, "closures": 0}
    projects = list(
        Project.objects.select_related("client", "manager")
        .prefetch_related("tags", "memberships__user")
        .order_by("id")
    )
    for index, project in enumerate(projects):
        pool = LESSONS_CN if _chinese(project) else LESSONS_EN
        picked = rng.sample(pool, min(len(pool), 3 if index % 2 else 2))
        team = [m.user for m in project.memberships.all()] or [project.manager]
        project_tags = [t.name for t in project.tags.all()]
        for offset, (kind, title, text, tags) in enumerate(picked):
            services.save_lesson(
                Lesson(
                    project=project,
                    kind=kind,
                    title=title,
                    text=text,
                    author=team[offset % len(team)],
                    recorded_on=today - timedelta(days=rng.randint(5, 120)),
                ),
                tags=[*tags, *project_tags],
            )
            counts["lessons"] += 1
    closed = next(
        (p for p in projects if p.status == Project.Status.COMPLETED and _chinese(p)),
        None,
    )
    if closed is not None:
        _close(closed, today)
        counts["closures"] += 1
    return counts


def _close(project: Project, today: date) -> None:
    """Record the closure of a project the demo created as completed: handover, final
    evaluation, the closure record and the follow-up visit."""
    finished = project.actual_finish_on or today - timedelta(days=30)
    contacts = list(project.client.contacts.order_by("-is_primary", "id")[:2])
    services.save_handover(
        Handover(
            project=project,
            handed_over_on=finished,
            handed_over_by=project.manager,
            training="面向客户运营团队的两场培训：订单与库存管理、营销活动配置（共 12 人参加）。",
            notes="源代码、部署脚本与运维手册已交付客户 IT 部门。",
        ),
        documents=list(project.documents.filter(deleted_at__isnull=True)),
        deliverables=list(project.deliverables.all()),
        recipients=contacts,
    )
    services.save_evaluation(
        Evaluation(
            project=project,
            satisfaction=4,
            narrative=NARRATIVE_CN,
            evaluated_by=project.manager,
        )
    )
    rows = services.checklist_rows(project)
    unmet = [row for row in rows if row.is_not_met]
    follow_up = FollowUp(
        client=project.client,
        owner=project.manager,
        contact=contacts[0] if contacts else None,
        planned_on=finished + timedelta(days=30),
        purpose=f"项目收尾回访：{project.code} {project.name}",
    )
    save_record(follow_up)
    Closure.objects.create(
        project=project,
        closed_at=timezone.make_aware(datetime.combine(finished, time(17, 0))),
        closed_by=project.manager,
        overridden=bool(unmet),
        override_reason="尾款按合同约定在质保期满后支付，客户已书面确认。"
        if unmet
        else "",
        unmet_items=[
            {"key": row.key, "label": row.label, "count": row.count} for row in unmet
        ],
        follow_up=follow_up,
    )
