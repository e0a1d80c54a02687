"""Fixtures of the reports tests: a small plan with a baseline, a slipped milestone,
records of every section, in the week of 2026-11-09 (progress reports); the search world,
built once per test module: two projects of the client 琥珀数据, a staff user on the
first only, and in each kind of record one that says 琥珀 (amber)."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from tests.conftest import shared_records

TODAY = datetime.date(2026, 11, 11)  # a Wednesday: the week 2026-11-09 – 2026-11-15


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def _english_messages():
    from django.utils import translation

    with translation.override("en"):
        yield


def build_plan(project, manager, contact):
    """Design (5 days, done on 11-06), review (1 day, done on 11-10), build (5 days planned, now 7, 40 %) and the
    milestone 上线验收 after it; the baseline was saved before build grew by two days.
    Plus a decision with the client, an open change awaiting the client, a risk, an
    issue, a submitted deliverable, budget, time and an approved expense."""
    from clientfolio.finance.models import Expense
    from clientfolio.quality.models import Deliverable
    from clientfolio.risks.models import Issue, Risk
    from clientfolio.schedule import services as schedule
    from clientfolio.schedule.models import Dependency, Task
    from tests.comms.factories import CommRecordFactory
    from tests.finance.factories import (
        BudgetLineFactory,
        ExpenseFactory,
        TimeEntryFactory,
    )
    from tests.projects.factories import ChangeRequestFactory

    project.starts_on = datetime.date(2026, 11, 2)
    project.save(update_fields=["starts_on"])
    settings_row = schedule.ensure_schedule(project)
    settings_row.status_date = datetime.date(2026, 11, 2)
    settings_row.save()
    design = schedule.create_task(Task(project=project, name="需求设计", duration=5))
    build = schedule.create_task(Task(project=project, name="开发实现", duration=5))
    milestone = schedule.create_task(
        Task(project=project, name="上线验收", is_milestone=True)
    )
    review = schedule.create_task(Task(project=project, name="接口评审", duration=1))
    schedule.add_dependency(
        Dependency(project=project, predecessor=design, successor=build)
    )
    schedule.add_dependency(
        Dependency(project=project, predecessor=build, successor=milestone)
    )
    schedule.recompute(project)
    schedule.save_baseline(project, "初始基线", user=manager)
    Task.objects.filter(pk=design.pk).update(
        status="done",
        percent_complete=100,
        actual_start=datetime.date(2026, 11, 2),
        actual_finish=datetime.date(2026, 11, 6),
    )
    Task.objects.filter(pk=review.pk).update(
        status="done",
        percent_complete=100,
        actual_start=datetime.date(2026, 11, 10),
        actual_finish=datetime.date(2026, 11, 10),
    )
    Task.objects.filter(pk=build.pk).update(
        duration=7, percent_complete=10, status="in_progress"
    )
    settings_row.refresh_from_db()
    settings_row.status_date = datetime.date(2026, 11, 9)
    settings_row.save()
    schedule.recompute(project)
    CommRecordFactory(
        project=project,
        subject="周例会",
        occurred_at=datetime.datetime(2026, 11, 10, 10, tzinfo=datetime.UTC),
        decisions="范围冻结",
        participant_users=[manager],
        participant_contacts=[contact],
    )
    CommRecordFactory(
        project=project,
        subject="内部复盘",
        occurred_at=datetime.datetime(2026, 11, 12, 10, tzinfo=datetime.UTC),
        decisions="增加测试人员",
        participant_users=[manager],
    )
    ChangeRequestFactory(
        project=project,
        title="增加大屏",
        status="awaiting_client",
        requested_on=datetime.date(2026, 11, 10),
        schedule_impact_days=3,
        cost_impact=Decimal("12000.00"),
    )
    Risk.objects.create(project=project, title="关键人员离职")
    Issue.objects.create(project=project, title="接口超时", severity="high")
    Deliverable.objects.create(
        project=project,
        name="原型",
        status="submitted",
        due_on=datetime.date(2026, 11, 13),
    )
    BudgetLineFactory(project=project, amount=Decimal("100000.00"), task=build)
    TimeEntryFactory(
        project=project,
        user=manager,
        task=build,
        worked_on=datetime.date(2026, 11, 10),
        hours=Decimal("8"),
        cost_amount=Decimal("1600.00"),
    )
    ExpenseFactory(
        project=project,
        submitted_by=manager,
        spent_on=datetime.date(2026, 11, 10),
        amount=Decimal("860.00"),
        status=Expense.Status.APPROVED,
    )
    return {"design": design, "build": build, "review": review, "milestone": milestone}


@pytest.fixture
def contact(client_record):
    return client_record.contacts.order_by("pk").first()


@pytest.fixture
def plan(project, project_manager, contact):
    return build_plan(project, project_manager, contact)


# --- search ----------------------------------------------------------------------------


def build_search_world():
    from clientfolio.clients.models import Contact
    from clientfolio.projects.models import Membership
    from tests.clients.factories import ClientFactory, RequirementFactory
    from tests.comms.factories import CommRecordFactory
    from tests.core.factories import UserFactory
    from tests.documents.factories import DocumentFactory
    from tests.projects.factories import (
        ChangeRequestFactory,
        ProjectFactory,
        ProjectRequirementFactory,
    )
    from tests.schedule.factories import TaskFactory

    staff = UserFactory(username="searcher", first_name="搜索", last_name="员")
    admin = UserFactory(admin=True, username="search-admin")
    client_user = UserFactory(client_contact=True, username="search-client")
    client = ClientFactory(
        name="琥珀数据有限公司",
        contacts=[Contact(name="王琥珀", phone="13900001111", email="amber@hupo.cn")],
    )
    project = ProjectFactory(name="琥珀平台一期", client=client)
    Membership.objects.create(project=project, user=staff, role="member")
    elsewhere = ProjectFactory(name="别的项目", client=client)
    from clientfolio.risks import services as risk_services
    from clientfolio.risks.models import Risk

    return SimpleNamespace(
        staff=staff,
        admin=admin,
        client_user=client_user,
        client=client,
        contact=client.contacts.get(),
        project=project,
        elsewhere=elsewhere,
        task=TaskFactory(project=project, name="琥珀接口联调"),
        secret_task=TaskFactory(project=elsewhere, name="琥珀保密任务"),
        record=CommRecordFactory(
            project=project,
            subject="第三次周例会",
            minutes="双方确认 Amber 迁移计划\n- 琥珀数据清洗由客户负责",
            decisions="下周五上线",
        ),
        document=DocumentFactory(project=project, title="琥珀需求规格说明书"),
        project_requirement=ProjectRequirementFactory(
            project=project, title="报表导出", description="按琥珀模板导出"
        ),
        client_requirement=RequirementFactory(client=client, title="琥珀移动端审批"),
        change=ChangeRequestFactory(project=project, title="琥珀范围变更"),
        risk=risk_services.create_risk(
            Risk(project=project, title="琥珀供应商延期", probability=3, impact=4),
            user=project.manager,
        ),
    )


@pytest.fixture(scope="module")
def search_world(django_db_setup, django_db_blocker):
    with shared_records(django_db_blocker) as records:
        yield records.build(build_search_world)
