"""Demo quality records for the demo projects: standards, deliverables on the plan's
milestones, a passed review and one with a failed item (which opened an issue), a client
rejection followed by an acceptance with a signed PDF, and improvement actions — written
through the services, so milestones and the plan follow."""

import io
import random
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from clientfolio.core.pdf import embedded_font, font_name
from clientfolio.projects.models import Project
from clientfolio.quality import services
from clientfolio.quality.models import (
    Acceptance,
    Deliverable,
    ImprovementAction,
    QualityReview,
    QualityStandard,
    ReviewItem,
)
from clientfolio.schedule.models import Task

__all__ = ["load", "signed_pdf"]

STANDARDS_CN = [
    (
        "technical",
        "接口性能",
        "核心接口在 200 并发下的响应时间",
        "P95 响应时间 ≤ 300 ms",
    ),
    (
        "technical",
        "缺陷密度",
        "系统测试发现的缺陷数 / 千行代码",
        "≤ 0.5 个/KLOC，无遗留严重缺陷",
    ),
    ("technical", "代码评审覆盖", "合并到主干的变更均经评审", "100% 合并请求经过评审"),
    ("management", "里程碑按期", "里程碑实际完成与基线相比", "偏差 ≤ 5 个工作日"),
    (
        "management",
        "文档齐全",
        "每个阶段的交付文档归档到项目文档",
        "阶段评审前 100% 归档",
    ),
    ("service", "问题响应", "客户提出问题到首次答复的时间", "工作时间内 ≤ 4 小时"),
    ("service", "客户满意度", "阶段验收后的满意度调查", "≥ 4.5 / 5"),
]
STANDARDS_EN = [
    ("technical", "API performance", "Response time of the core APIs at 200 concurrent users", "P95 ≤ 300 ms"),
    ("technical", "Defect density", "Defects found in system test per thousand lines", "≤ 0.5 per KLOC, no open critical defects"),
    ("management", "Milestones on time", "Actual milestone dates against the baseline", "Slip ≤ 5 working days"),
    ("service", "Response to client questions", "Time to the first answer", "≤ 4 working hours"),
]  # fmt: skip

# Deliverables by milestone position (0-based) in the demo plan.
DELIVERABLES_CN = {
    0: [
        (
            "需求规格说明书",
            "覆盖全部业务流程\n每条需求有唯一编号和验收标准\n客户业务负责人签字确认",
        )
    ],
    1: [
        (
            "系统架构设计说明书",
            "包含部署架构图和网络拓扑\n性能设计满足 P95 ≤ 300 ms\n通过内部架构评审",
        ),
        ("数据库设计文档", "ER 图与数据字典一致\n敏感字段加密存储"),
    ],
    2: [("系统源代码与构建脚本", "主干构建通过\n代码评审覆盖 100%")],
    3: [("系统测试报告", "测试用例执行率 100%\n无遗留严重缺陷\n性能测试达到目标")],
    4: [
        ("用户操作手册", "覆盖全部功能菜单\n含常见问题解答"),
        ("培训记录", "关键用户全部参加培训"),
    ],
}
DELIVERABLES_EN = {
    0: [("Requirements specification", "Covers every business process\nEach requirement has an ID and acceptance criteria\nSigned off by the client's business owner")],
    1: [("Architecture document", "Deployment and network diagrams\nPerformance design meets P95 ≤ 300 ms")],
    2: [("Source code and build scripts", "Main branch builds\nEvery change reviewed")],
    3: [("System test report", "All test cases executed\nNo open critical defects")],
    4: [("User manual", "Covers every menu\nIncludes FAQ")],
}  # fmt: skip


def signed_pdf(title: str, signer: str, day: date) -> bytes:
    """A one-page acceptance form as PDF bytes (ReportLab, with the embedded CJK font of
    ``core.pdf``)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    lines = [
        (18, 760, "验收确认单 Acceptance certificate"),
        (12, 720, f"交付物 Deliverable: {title}"),
        (12, 700, f"结论 Decision: 验收通过 Accepted  {day.isoformat()}"),
        (12, 660, f"客户签字 Signed: {signer}"),
    ]
    buffer = io.BytesIO()
    font = font_name()
    with embedded_font(font, "".join(text for _size, _y, text in lines)):
        page = canvas.Canvas(buffer, pagesize=A4, invariant=True, initialFontName=font)
        for size, y, text in lines:
            page.setFont(font, size)
            page.drawString(72, y, text)
        page.showPage()
        page.save()
    return buffer.getvalue()


def load(today: date, seed: int = 20261128) -> dict[str, int]:
    """Quality records for every demo project. Returns counts."""
    rng = random.Random(seed)
    counts = {
        "quality standards": 0,
        "deliverables": 0,
        "quality reviews": 0,
        "acceptances": 0,
        "improvement actions": 0,
    }
    projects = Project.objects.select_related("client", "manager").order_by("id")
    story_told = False
    for project in projects:
        chinese = "\u4e00" <= project.name[0] <= "\u9fff"
        standards = _standards(project, chinese)
        counts["quality standards"] += len(standards)
        deliverables = _deliverables(project, chinese, rng)
        counts["deliverables"] += len(deliverables)
        if project.status not in (Project.Status.ACTIVE, Project.Status.COMPLETED):
            continue
        done = [
            d
            for d in deliverables
            if d.milestone and d.milestone.finish and d.milestone.finish < today
        ]
        if not done:
            continue
        reviews, actions = _reviews(project, done, standards, today, chinese)
        counts["quality reviews"] += reviews
        counts["improvement actions"] += actions
        counts["acceptances"] += _acceptances(
            project, done, today, chinese, story=not story_told
        )
        story_told = True
    return counts


def _standards(project: Project, chinese: bool) -> list[QualityStandard]:
    rows = STANDARDS_CN if chinese else STANDARDS_EN
    return [
        services.save_standard(
            QualityStandard(
                project=project,
                category=category,
                title=title,
                description=description,
                target=target,
            )
        )
        for category, title, description, target in rows
    ]


def _deliverables(
    project: Project, chinese: bool, rng: random.Random
) -> list[Deliverable]:
    milestones = list(
        Task.objects.filter(project=project, is_milestone=True).order_by("wbs_sort")
    )
    team = [m.user for m in project.memberships.select_related("user")]
    plan = DELIVERABLES_CN if chinese else DELIVERABLES_EN
    created = []
    for index, milestone in enumerate(milestones):
        for name, criteria in plan.get(index, []):
            status = Deliverable.Status.PLANNED
            if milestone.status == Task.Status.DONE:
                status = Deliverable.Status.SUBMITTED
            elif milestone.start and milestone.status == Task.Status.IN_PROGRESS:
                status = Deliverable.Status.IN_PROGRESS
            created.append(
                services.save_deliverable(
                    Deliverable(
                        project=project,
                        milestone=milestone,
                        name=name,
                        acceptance_criteria=criteria,
                        owner=rng.choice(team),
                        due_on=milestone.finish,
                        status=status,
                    )
                )
            )
    return created


def _reviews(project, done, standards, today, chinese) -> tuple[int, int]:
    """A passed review of the first delivered deliverable, and a review of the second
    with a failed item that opened an issue and an improvement action."""
    manager = project.manager
    first = done[0]
    services.save_review(
        QualityReview(
            project=project,
            deliverable=first,
            title=(f"{first.name}评审" if chinese else f"Review of {first.name}"),
            reviewed_on=min(first.due_on or today, today),
            reviewer=manager,
            summary="全部验收标准满足。" if chinese else "Every criterion met.",
        ),
        [
            ReviewItem(criterion=line, result=ReviewItem.Result.PASS)
            for line in first.criteria
        ],
    )
    if len(done) < 2:
        return 1, 0
    second = done[1]
    lines = second.criteria
    items = [
        ReviewItem(criterion=line, result=ReviewItem.Result.PASS) for line in lines
    ]
    items[-1].result = ReviewItem.Result.FAIL
    items[-1].findings = (
        "敏感字段（身份证号、手机号）仍为明文存储。"
        if chinese
        else "Sensitive fields are stored in clear text."
    )
    performance = next((s for s in standards if s.category == "technical"), None)
    if performance is not None:
        items.append(
            ReviewItem(
                criterion=performance.target or performance.title,
                standard=performance,
                result=ReviewItem.Result.NA,
                findings="本阶段不涉及。" if chinese else "Not in this phase.",
            )
        )
    review = services.save_review(
        QualityReview(
            project=project,
            deliverable=second,
            title=(f"{second.name}评审" if chinese else f"Review of {second.name}"),
            reviewed_on=min(second.due_on or today, today),
            reviewer=manager,
            summary="一项不通过，需整改后复审。"
            if chinese
            else "One item failed: fix and review again.",
        ),
        items,
    )
    failed = review.items.get(result=ReviewItem.Result.FAIL)
    services.open_issue_for_item(failed, user=manager, severity="high", owner=manager)
    services.save_action(
        ImprovementAction(
            project=project,
            review=review,
            problem="设计评审未检查数据安全要求"
            if chinese
            else "Design reviews missed data-security requirements",
            cause="评审检查单缺少数据安全条目。"
            if chinese
            else "The review checklist had no data-security item.",
            action="在设计评审检查单中加入数据分级与加密条目。"
            if chinese
            else "Add data classification and encryption items to the checklist.",
            owner=manager,
            planned_on=today + timedelta(days=10),
            status=ImprovementAction.Status.DO,
        )
    )
    services.save_action(
        ImprovementAction(
            project=project,
            problem="需求变更未及时通知测试"
            if chinese
            else "Testers learnt of changes late",
            cause="变更流程中没有通知测试的步骤。"
            if chinese
            else "The change process had no step to tell the testers.",
            action="变更批准后自动通知测试负责人。"
            if chinese
            else "Notify the test lead when a change is approved.",
            owner=manager,
            planned_on=today - timedelta(days=20),
            status=ImprovementAction.Status.ACT,
            completed_on=today - timedelta(days=12),
            evaluation="之后两次变更测试均按时更新用例。"
            if chinese
            else "The next two changes reached the test cases on time.",
        )
    )
    return 2, 2


def _acceptances(project, done, today, chinese, *, story: bool) -> int:
    """The first delivered deliverable accepted; on the first project the story of a
    rejection (missing signature) then an acceptance with the signed PDF."""
    contact = project.client.contacts.order_by("-is_primary", "id").first()
    if contact is None:
        return 0
    manager = project.manager
    first = done[0]
    count = 0
    if story:
        services.record_acceptance(
            project,
            deliverable=first,
            decision=Acceptance.Decision.REJECTED,
            contact=contact,
            decided_on=today - timedelta(days=9),
            comments="业务流程图缺少审批分支，请补充后重新提交。"
            if chinese
            else "The process diagrams miss the approval branch; resubmit.",
            user=manager,
        )
        count += 1
    pdf = SimpleUploadedFile(
        f"{project.code}-验收确认单.pdf"
        if chinese
        else f"{project.code}-acceptance.pdf",
        signed_pdf(first.name, contact.name, today - timedelta(days=2)),
        content_type="application/pdf",
    )
    services.record_acceptance(
        project,
        deliverable=first,
        decision=Acceptance.Decision.ACCEPTED,
        contact=contact,
        decided_on=today - timedelta(days=2),
        comments="已按意见修改，同意验收。" if chinese else "Fixed as asked; accepted.",
        files=[pdf],
        user=manager,
    )
    return count + 1
