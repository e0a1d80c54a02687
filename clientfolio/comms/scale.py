"""The communication part of the benchmark data set: 100,000 communication records (with
participants and action items) over the existing projects. The first project is the busy
one: it holds about a tenth of the records.

Rows go in through ``bulk_create`` in batches, so there are no history rows. Deterministic
for a given seed and date.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, NamedTuple

from django.db import transaction

from clientfolio.clients.models import Contact
from clientfolio.comms.models import ActionItem, CommRecord, Participant
from clientfolio.comms.services import search_text as search_text_for
from clientfolio.projects.models import Membership, Project

__all__ = ["CommScaleCounts", "seed", "seed_from_options"]

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
class CommScaleCounts:
    records: int = 0
    participants: int = 0
    action_items: int = 0


class _Project(NamedTuple):
    id: int
    client_id: int
    manager_id: int | None


def seed(
    *,
    records: int = 100_000,
    batch: int = 5000,
    seed: int = 20260107,
    today: date,
    progress: Callable[[int], Callable[[int], object]] | None = None,
) -> CommScaleCounts:
    """Write communication records for the existing projects (the first one, by id, gets
    about a tenth of them), with participants from the teams and the clients' contacts.

    ``progress(total)`` returns a callable told how many records each batch wrote.
    """
    rng = random.Random(seed)
    counts = CommScaleCounts()
    projects = [
        _Project(*row)
        for row in Project.objects.order_by("id").values_list(
            "id", "client_id", "manager_id"
        )
    ]
    if not projects or records <= 0:
        return counts
    team_of: dict[int, list[int]] = {p.id: [] for p in projects}
    for project_id, user_id in Membership.objects.order_by("id").values_list(
        "project_id", "user_id"
    ):
        team_of[project_id].append(user_id)
    contacts_by_client: dict[int, list[int]] = {p.client_id: [] for p in projects}
    for contact_id, client_id in (
        Contact.objects.filter(client_id__in=contacts_by_client)
        .order_by("id")
        .values_list("id", "client_id")
    ):
        contacts_by_client[client_id].append(contact_id)

    tick = progress(records) if progress else None
    now = datetime.combine(today, time(18, 0), tzinfo=UTC)
    done = 0
    while done < records:
        size = min(batch, records - done)
        rows = []
        for _ in range(size):
            # One busy project holds a tenth of all records, the rest spread evenly.
            project = projects[0] if rng.random() < 0.1 else rng.choice(projects)
            subject_cn, subject_en = rng.choice(SUBJECTS)
            record = CommRecord(
                project_id=project.id,
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
            rows.append((project, record))
        with transaction.atomic():
            CommRecord.objects.bulk_create([r for _, r in rows], batch_size=1000)
            participants = []
            items = []
            for project, record in rows:
                team = team_of[project.id]
                for user_id in rng.sample(team, min(len(team), rng.randint(1, 3))):
                    participants.append(Participant(record=record, user_id=user_id))
                contacts = contacts_by_client[project.client_id]
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
                if not team:
                    continue
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
    """The communication part of ``clientfolio seed-scale``; returns a summary line."""
    from tqdm import tqdm

    bars = []

    def progress(total: int) -> Callable[[int], object]:
        bar = tqdm(total=total, unit="record", disable=options.get("verbosity", 1) == 0)
        bars.append(bar)
        return bar.update

    try:
        counts = seed(
            records=options["comm_records"] if options["projects"] else 0,
            batch=options["batch"],
            seed=options["seed"] + 6,
            today=options["today"],
            progress=progress,
        )
    finally:
        for bar in bars:
            bar.close()
    return (
        f"Seeded {counts.records} communication records, {counts.participants} "
        f"participants and {counts.action_items} action items."
    )
