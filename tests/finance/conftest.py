"""Fixtures of the finance tests: a small hand-computed plan for earned value."""

from datetime import date
from decimal import Decimal as D

import pytest

from clientfolio.schedule.models import Baseline, BaselineTask, Task
from tests.finance.factories import (
    BudgetLineFactory,
    ExpenseFactory,
    TimeEntryFactory,
)
from tests.schedule.factories import TaskFactory


@pytest.fixture
def plan(project, project_manager, member):
    """1 设计 (5 days, done), 2 开发 with 2.1 编码 (5 days, half done); a baseline of
    2026-03-02..06 and 03-09..13. Budget: labour 10,000 on 设计 and 20,000 on 编码,
    travel 5,000 without a task. Costs: 6,000 on 设计 (03-03), 4,000 on 编码 (03-10),
    an approved trip of 1,000 (03-04); a submitted expense does not count."""
    design = TaskFactory(project=project, name="设计", duration=5)
    build = TaskFactory(project=project, name="开发", duration=1)
    coding = TaskFactory(project=project, name="编码", duration=5, parent=build)
    Task.objects.filter(pk=design.pk).update(percent_complete=100)
    Task.objects.filter(pk=coding.pk).update(percent_complete=50)
    baseline = Baseline.objects.create(project=project, name="基线一")
    for task, start, finish, days in (
        (design, date(2026, 3, 2), date(2026, 3, 6), 5),
        (build, date(2026, 3, 9), date(2026, 3, 13), 5),
        (coding, date(2026, 3, 9), date(2026, 3, 13), 5),
    ):
        BaselineTask.objects.create(
            baseline=baseline, task=task, start=start, finish=finish, duration=days
        )
    for category, task, amount in (
        ("labor", design, "10000"),
        ("labor", coding, "20000"),
        ("travel", None, "5000"),
    ):
        BudgetLineFactory(
            project=project,
            category=category,
            task=task,
            description="",
            amount=D(amount),
        )
    TimeEntryFactory(
        project=project,
        task=design,
        user=member,
        worked_on=date(2026, 3, 3),
        cost_amount=D("6000"),
    )
    TimeEntryFactory(
        project=project,
        task=coding,
        user=member,
        worked_on=date(2026, 3, 10),
        cost_amount=D("4000"),
    )
    for amount, description, status in (
        ("1000", "出差", "approved"),
        ("9999", "待审批", "submitted"),
    ):
        ExpenseFactory(
            project=project,
            spent_on=date(2026, 3, 4),
            amount=D(amount),
            description=description,
            status=status,
            submitted_by=member,
        )
    return {"design": design, "build": build, "coding": coding}


@pytest.fixture
def change_plan(project):
    """The shared project from Monday 2026-04-20, status date 04-23: 设计 (3 days, done
    04-20..22) → 开发 (5 days, 04-23..29) → 报表 (2 days, 04-30 and, after the Labour
    Day holiday, 05-06) → 验收 (milestone, 05-06)."""
    from clientfolio.schedule import services as schedule_services
    from clientfolio.schedule.models import ProjectSchedule
    from tests.schedule.factories import DependencyFactory

    project.starts_on = date(2026, 4, 20)
    project.save()
    ProjectSchedule.objects.update_or_create(
        project=project, defaults={"status_date": date(2026, 4, 23)}
    )
    design = TaskFactory(project=project, name="设计", duration=3)
    build = TaskFactory(project=project, name="开发", duration=5)
    reports = TaskFactory(project=project, name="报表", duration=2)
    accept = TaskFactory(project=project, name="验收", milestone=True)
    for predecessor, successor in (
        (design, build),
        (build, reports),
        (reports, accept),
    ):
        DependencyFactory(predecessor=predecessor, successor=successor)
    design.refresh_from_db()
    design.status = Task.Status.DONE
    design.actual_start = date(2026, 4, 20)
    design.actual_finish = date(2026, 4, 22)
    schedule_services.update_task(design, design.version)
    tasks = {"design": design, "build": build, "reports": reports, "accept": accept}
    for task in tasks.values():
        task.refresh_from_db()
    return tasks


@pytest.fixture
def approved_change(project, change_plan):
    """CR-001 增加报表模块, approved by the client's 张伟 on 2026-04-23: +5 days and
    ¥12,000."""
    from clientfolio.projects.models import ChangeRequest
    from tests.projects.factories import ChangeRequestFactory

    change = ChangeRequestFactory(
        project=project,
        title="增加报表模块",
        requested_on=date(2026, 4, 21),
        schedule_impact_days=5,
        cost_impact=D("12000.00"),
        status=ChangeRequest.Status.APPROVED,
    )
    ChangeRequest.objects.filter(pk=change.pk).update(
        decided_on=date(2026, 4, 23),
        decided_by=project.client.contacts.get(name="张伟"),
    )
    change.refresh_from_db()
    return change
