"""The portal's demo: ``client.demo`` (王敏) becomes a contact of 上海云帆 with two
shared projects, and something waits for her in each: a change request to decide in
客户数据平台一期 (from the projects demo), a deliverable to accept and minutes to
confirm in 客服知识库建设."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from clientfolio.clients.models import Client, Contact
from clientfolio.comms import services as comms
from clientfolio.comms.models import CommRecord
from clientfolio.core.models import User
from clientfolio.documents import services as documents
from clientfolio.documents.models import Document
from clientfolio.portal.models import ProjectSharing
from clientfolio.projects import services as projects
from clientfolio.projects.models import Membership, Project
from clientfolio.quality import services as quality
from clientfolio.quality.demo import signed_pdf
from clientfolio.quality.models import Deliverable
from clientfolio.schedule import services as schedule
from clientfolio.schedule.models import Dependency, Task

__all__ = ["load"]

CLIENT = "上海云帆信息科技有限公司"


def load(today: date) -> dict[str, int]:
    """Tie the demo client login to its contact and give her two shared projects."""
    user = User.objects.filter(username="client.demo").first()
    client = Client.objects.filter(name=CLIENT).first()
    if user is None or client is None:
        return {}
    contact, _created = Contact.objects.get_or_create(
        client=client,
        name="王敏",
        defaults={
            "title": "信息部经理",
            "email": user.email,
            "phone": "13916660001",
        },
    )
    contact.portal_user = user
    contact.save(update_fields=["portal_user"])
    first = Project.objects.filter(client=client).order_by("id").first()
    if first is None:
        return {}
    second = _knowledge_base(client, first, contact, today)
    for project in (first, second):
        ProjectSharing.objects.get_or_create(project=project)
        _shared_report(project, today)
    return {"portal contacts": 1, "shared projects": 2}


def _knowledge_base(
    client: Client, first: Project, contact: Contact, today: date
) -> Project:
    """A second, shorter project with a plan, a deliverable submitted for acceptance and
    a meeting whose minutes wait for 王敏's confirmation."""
    manager = first.manager
    project = projects.create_project(
        Project(
            name="客服知识库建设",
            client=client,
            manager=manager,
            goals="建立统一的客服知识库，常见问题自助解决率达到 60%。",
            scope_in="知识库梳理、系统配置、内容迁移与培训。",
            scope_out="呼叫中心硬件改造。",
            starts_on=today - timedelta(days=45),
            planned_finish_on=today + timedelta(days=75),
            status=Project.Status.ACTIVE,
            phase=Project.Phase.EXECUTION,
        ),
        user=manager,
    )
    for membership in first.memberships.exclude(user=manager).select_related("user")[
        :2
    ]:
        projects.add_member(
            Membership(project=project, user=membership.user, role=membership.role)
        )
    steps = [
        ("知识梳理", 10, None),
        ("系统配置", 12, None),
        ("知识库原型确认", 0, "原型通过客户评审，覆盖 200 条常见问题。"),
        ("内容迁移", 15, None),
        ("上线与培训", 8, None),
        ("上线验收", 0, "客服团队完成培训，知识库正式上线。"),
    ]
    previous = None
    milestones = []
    for name, days, criteria in steps:
        task = schedule.create_task(
            Task(
                project=project,
                name=name,
                duration=days,
                is_milestone=criteria is not None,
                is_client_visible=True,
                buffer_days=3 if criteria else 0,
                acceptance_criteria=criteria or "",
                owner=manager,
            ),
            recompute_after=False,
        )
        if previous is not None:
            Dependency.objects.create(
                project=project, predecessor=previous, successor=task
            )
        if criteria:
            milestones.append(task)
        previous = task
    settings_row = schedule.ensure_schedule(project)
    settings_row.buffer_days = 8
    settings_row.save()
    schedule.recompute(project, status_date=project.starts_on)
    schedule.save_baseline(project, "基线 1", user=manager)
    for task in Task.objects.filter(project=project).order_by("wbs_sort"):
        if task.finish and task.finish < today:
            task.status, task.percent_complete = Task.Status.DONE, 100
            task.actual_start, task.actual_finish = task.start, task.finish
        elif task.start and task.start <= today:
            task.status, task.percent_complete = Task.Status.IN_PROGRESS, 50
            task.actual_start = task.start
        else:
            continue
        task.save()
    schedule.recompute(project, status_date=today)
    quality.save_deliverable(
        Deliverable(
            project=project,
            milestone=milestones[0],
            name="知识库原型与 FAQ 清单",
            description="知识库原型系统与首批 200 条常见问题。",
            acceptance_criteria="原型覆盖五大业务类别\n首批 FAQ 不少于 200 条\n检索响应时间小于 1 秒",
            owner=manager,
            due_on=today - timedelta(days=2),
            status=Deliverable.Status.SUBMITTED,
        )
    )
    record = comms.create_record(
        CommRecord(
            project=project,
            kind=CommRecord.Kind.MEETING,
            occurred_at=timezone.make_aware(
                datetime.combine(today - timedelta(days=3), time(14, 0))
            ),
            duration_minutes=60,
            location="云帆 3 楼会议室",
            subject="知识库原型评审会",
            agenda="1. 原型演示\n2. FAQ 分类讨论\n3. 上线计划",
            minutes="演示了知识库原型与检索功能；客户对分类结构无异议，建议增加“账单”类别。",
            decisions="增加“账单”类别；原型评审通过后进入内容迁移。",
        ),
        user=manager,
        participant_users=[manager],
        participant_contacts=[contact],
    )
    comms.send_minutes_for_confirmation(record, settings.SITE_URL, sender=manager)
    return project


def _shared_report(project: Project, today: date) -> None:
    """A progress report PDF shared with the client."""
    pdf = SimpleUploadedFile(
        f"{project.code}-进度报告.pdf",
        signed_pdf(
            f"{project.name} 月度进度报告", project.manager.get_full_name(), today
        ),
        content_type="application/pdf",
    )
    documents.upload_documents(
        project,
        [pdf],
        user=project.manager,
        title=f"{project.name} 月度进度报告",
        visibility=Document.Visibility.SHARED,
        note="",
    )
