"""The project part of the benchmark data set: 1,000 projects with teams and 100,000
communication records (with participants and action items) for clients that already exist.
The first project is the busy one: it holds about a tenth of the records.

Rows go in through ``bulk_create`` in batches, so there are no history rows. Deterministic
for a given seed and date.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db import transaction

from clientfolio.clients.models import Client, Contact
from clientfolio.comms.models import ActionItem, CommRecord, Participant
from clientfolio.comms.services import search_text as search_text_for
from clientfolio.core.models import User
from clientfolio.projects.models import Membership, Project, ProjectEvent, ProjectRole

__all__ = ["ProjectScaleCounts", "seed", "seed_from_options"]

PROJECT_KINDS = [
    ("客户数据平台", "Customer data platform"),
    ("ERP 升级", "ERP upgrade"),
    ("移动端应用", "Mobile app"),
    ("供应链可视化", "Supply-chain visibility"),
    ("数据中台建设", "Data hub"),
    ("官网改版", "Website relaunch"),
    ("智能客服系统", "Service desk automation"),
    ("财务共享中心", "Shared finance centre"),
]
SUBJECTS = [
    ("需求评审会", "Requirements review"),
    ("周例会", "Weekly status meeting"),
    ("接口联调沟通", "Interface integration call"),
    ("上线方案确认", "Go-live plan sign-off"),
    ("测试问题跟进", "Test issue follow-up"),
    ("变更影响评估", "Change impact assessment"),
    ("培训安排", "Training schedule"),
    ("验收准备", "Acceptance preparation"),
]
MINUTES = [
    "1. 确认了本周进度，整体按计划推进。\n2. 客户提出报表导出需要支持 Excel。\n3. 下周二前提交接口文档。",
    "- 双方确认上线窗口为周六晚间\n- 数据迁移演练安排在周四\n- 风险：历史数据质量待核实",
    "Agreed the integration sequence; the client will provide test accounts by Friday.",
    "Reviewed open defects: 12 closed, 3 remain. Performance test rescheduled to next week.",
]
DECISIONS = [
    "采用分批上线方案。",
    "报表导出纳入二期范围。",
    "Go-live postponed by one week to finish UAT.",
    "",
]
ACTIONS = [
    "提交接口文档",
    "准备测试账号",
    "整理会议纪要",
    "更新项目计划",
    "Send revised estimate",
    "Book the training room",
]


@dataclass
class ProjectScaleCounts:
    projects: int = 0
    memberships: int = 0
    records: int = 0
    participants: int = 0
    action_items: int = 0


def seed(
    *,
    projects: int = 1000,
    records: int = 100_000,
    batch: int = 5000,
    seed: int = 20260102,
    today: date,
    progress: Callable[[int], Callable[[int], object]] | None = None,
) -> ProjectScaleCounts:
    """Write projects, teams and communication records for existing clients and staff.

    ``progress(total)`` returns a callable told how many records each batch wrote.
    """
    rng = random.Random(seed)
    counts = ProjectScaleCounts()
    staff = list(User.objects.internal().active().order_by("id"))
    client_ids = list(Client.objects.order_by("id").values_list("id", flat=True))
    if not staff or not client_ids or projects <= 0:
        return counts
    chosen = rng.sample(client_ids, min(projects, len(client_ids)))
    contacts_by_client: dict[int, list[int]] = {pk: [] for pk in chosen}
    for contact_id, client_id in Contact.objects.filter(
        client_id__in=chosen
    ).values_list("id", "client_id"):
        contacts_by_client[client_id].append(contact_id)

    start = Project.objects.count()
    project_rows = []
    for n in range(projects):
        kind_cn, kind_en = rng.choice(PROJECT_KINDS)
        starts = today - timedelta(days=rng.randint(0, 900))
        status = rng.choices(
            [Project.Status.ACTIVE, Project.Status.COMPLETED, Project.Status.ON_HOLD,
             Project.Status.PROPOSED, Project.Status.CANCELLED],
            weights=[6, 3, 1, 1, 1],
        )[0]  # fmt: skip
        project_rows.append(
            Project(
                code=f"S{start + n + 1:05d}",
                name=f"{kind_cn}项目 {n + 1}"
                if rng.random() < 0.7
                else f"{kind_en} {n + 1}",
                client_id=chosen[n % len(chosen)],
                manager=rng.choice(staff),
                goals="按期交付并通过客户验收。",
                starts_on=starts,
                planned_finish_on=starts + timedelta(days=rng.randint(60, 400)),
                status=status,
                phase=rng.choice(Project.Phase.values),
                priority=rng.choice(["low", "medium", "high", "critical"]),
            )
        )
    with transaction.atomic():
        Project.objects.bulk_create(project_rows, batch_size=1000)
        memberships: list[Membership] = []
        events = []
        for project in project_rows:
            roles: dict[int, str] = {project.manager_id: ProjectRole.MANAGER}
            for user in rng.sample(staff, min(len(staff), rng.randint(2, 7))):
                roles.setdefault(
                    user.pk,
                    rng.choice(
                        [ProjectRole.MEMBER, ProjectRole.MEMBER, ProjectRole.VIEWER]
                    ),
                )
            memberships.extend(
                Membership(project=project, user_id=user_id, role=role)
                for user_id, role in roles.items()
            )
            events.append(
                ProjectEvent(project=project, kind="status", new_value=project.status)
            )
            events.append(
                ProjectEvent(project=project, kind="phase", new_value=project.phase)
            )
        Membership.objects.bulk_create(memberships, batch_size=2000)
        ProjectEvent.objects.bulk_create(events, batch_size=2000)
    counts.projects = len(project_rows)
    counts.memberships = len(memberships)
    team_of: dict[int, list[int]] = {}
    for membership in memberships:
        team_of.setdefault(membership.project.pk, []).append(membership.user_id)

    tick = progress(records) if progress else None
    now = datetime.combine(today, time(18, 0), tzinfo=UTC)
    done = 0
    while done < records:
        size = min(batch, records - done)
        rows = []
        for _ in range(size):
            # One busy project holds a tenth of all records, the rest spread evenly.
            project = (
                project_rows[0] if rng.random() < 0.1 else rng.choice(project_rows)
            )
            subject_cn, subject_en = rng.choice(SUBJECTS)
            record = CommRecord(
                project=project,
                kind=rng.choice(CommRecord.Kind.values),
                occurred_at=now - timedelta(minutes=rng.randrange(900 * 24 * 60)),
                duration_minutes=rng.choice([15, 30, 45, 60, 90, 120]),
                location=rng.choice(["腾讯会议", "客户现场", "Zoom", "电话", ""]),
                subject=subject_cn if rng.random() < 0.7 else subject_en,
                agenda="",
                minutes=rng.choice(MINUTES),
                decisions=rng.choice(DECISIONS),
                created_by_id=project.manager_id,
            )
            record.search_text = search_text_for(record)
            rows.append(record)
        with transaction.atomic():
            CommRecord.objects.bulk_create(rows, batch_size=1000)
            participants = []
            items = []
            for record in rows:
                team = team_of[record.project.pk]
                for user_id in rng.sample(team, min(len(team), rng.randint(1, 3))):
                    participants.append(Participant(record=record, user_id=user_id))
                contacts = contacts_by_client.get(record.project.client_id, [])
                for contact_id in rng.sample(
                    contacts, min(len(contacts), rng.randint(0, 2))
                ):
                    participants.append(
                        Participant(
                            record=record,
                            contact_id=contact_id,
                            state=rng.choice(["pending", "confirmed", "confirmed"]),
                        )
                    )
                for _ in range(rng.choice([0, 0, 1, 2])):
                    items.append(
                        ActionItem(
                            record=record,
                            text=rng.choice(ACTIONS),
                            owner_id=rng.choice(team),
                            due_on=record.occurred_at.date()
                            + timedelta(days=rng.randint(1, 21)),
                            status=rng.choice(["open", "done", "done", "in_progress"]),
                        )
                    )
            Participant.objects.bulk_create(participants, batch_size=2000)
            ActionItem.objects.bulk_create(items, batch_size=2000)
        counts.records += size
        counts.participants += len(participants)
        counts.action_items += len(items)
        done += size
        if tick:
            tick(size)
    return counts


def seed_from_options(options: dict[str, Any]) -> str:
    """The project part of ``clientfolio seed-scale``; returns a summary line."""
    from tqdm import tqdm

    bars = []

    def progress(total: int) -> Callable[[int], object]:
        bar = tqdm(total=total, unit="record", disable=options.get("verbosity", 1) == 0)
        bars.append(bar)
        return bar.update

    try:
        counts = seed(
            projects=options["projects"],
            records=options["comm_records"] if options["projects"] else 0,
            batch=options["batch"],
            seed=options["seed"] + 1,
            today=options["today"],
            progress=progress,
        )
    finally:
        for bar in bars:
            bar.close()
    return (
        f"Seeded {counts.projects} projects with {counts.memberships} team memberships, "
        f"{counts.records} communication records, {counts.participants} participants and "
        f"{counts.action_items} action items."
    )
