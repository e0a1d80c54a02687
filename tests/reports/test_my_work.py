"""My work and the projects' health on it: what needs the signed-in user, section by
section, with each project's health and its reasons; money only for those who see it;
a constant number of queries."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clientfolio.clients.models import Feedback
from clientfolio.reports.dashboards import my_work, project_health
from clientfolio.risks.models import Risk
from clientfolio.schedule.models import Assignment, Task
from tests.clients.factories import FeedbackFactory
from tests.comms.factories import ActionItemFactory, CommRecordFactory
from tests.finance.factories import BudgetLineFactory, ExpenseFactory, TimeEntryFactory
from tests.projects.factories import ChangeRequestFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 7, 1)  # a Wednesday
D = datetime.date


def make_task(project, name, finish, *, assignee=None, percent=0, duration=5):
    task = Task.objects.create(project=project, name=name, duration=duration)
    Task.objects.filter(pk=task.pk).update(
        start=finish - datetime.timedelta(days=duration),
        finish=finish,
        percent_complete=percent,
    )
    if assignee is not None:
        Assignment.objects.create(task=task, user=assignee)
    return task


@pytest.fixture
def running(project, member, project_manager):
    """The project from June to July 2026, half planned and a third done; a task of the
    member overdue, one due this week and one later; a budget nearly spent; an overdue
    high risk and a severe complaint of the client."""
    project.__class__.objects.filter(pk=project.pk).update(
        status="active", starts_on=D(2026, 6, 1), planned_finish_on=D(2026, 7, 31)
    )
    project.refresh_from_db()
    late = make_task(project, "接口联调", D(2026, 6, 26), assignee=member, percent=50)
    soon = make_task(project, "数据迁移", D(2026, 7, 3), assignee=member, percent=20)
    make_task(project, "上线验收", D(2026, 7, 30), assignee=member, percent=0)
    make_task(project, "培训", D(2026, 6, 20), percent=100)  # nobody's, done
    BudgetLineFactory(project=project, amount=Decimal("10000.00"))
    TimeEntryFactory(project=project, user=member, cost_amount=Decimal("9000.00"))
    Risk.objects.create(
        project=project,
        title="关键人员离职",
        owner=project_manager,
        probability=4,
        impact=4,
        level="high",
        review_on=D(2026, 6, 15),
        status="monitoring",
    )
    FeedbackFactory(
        client=project.client,
        kind=Feedback.Kind.COMPLAINT,
        severity=Feedback.Severity.HIGH,
        subject="报表加载慢",
    )
    return {"late": late, "soon": soon}


def test_health_and_its_reasons_with_money_for_the_manager_only(
    running, project, project_manager, member
):
    entry = project_health([project], TODAY, project_manager)[project.pk]

    assert entry.health.colour == "red"
    codes = [(r.code, r.colour) for r in entry.health.reasons]
    # 42 % done where 31 of 61 days (51 %) have passed: SPI 0.83; ¥4,200 of work
    # for ¥9,000 spent: CPI 0.47; a severe complaint: all red, before the amber risk
    assert codes[:3] == [("spi", "red"), ("cpi", "red"), ("complaints", "red")]
    assert (entry.signals.spi, entry.signals.cpi) == (Decimal("0.83"), Decimal("0.47"))
    assert ("risks", "amber") in codes
    assert entry.percent is not None
    assert (entry.budget, entry.spent, entry.burn) == (
        Decimal("10000.00"),
        Decimal("9000.00"),
        90,
    )
    assert "Over budget: ¥9,000.00 spent for ¥4,200.00 of budgeted work done." in (
        entry.reasons
    )
    assert any(
        "1 high or critical risk is past its review date." == t for t in entry.reasons
    )

    # the member does not see the project's money: no CPI, no burn
    seen = project_health([project], TODAY, member)[project.pk]
    assert (seen.budget, seen.spent, seen.burn, seen.signals.cpi) == (
        None,
        None,
        None,
        None,
    )
    assert not any(text.startswith("Over budget") for text in seen.reasons)


def test_a_closed_project_is_grey_whatever_its_figures(
    running, project, project_manager
):
    project.__class__.objects.filter(pk=project.pk).update(status="completed")
    project.refresh_from_db()
    entry = project_health([project], TODAY, project_manager)[project.pk]
    assert (entry.health.colour, entry.reasons, entry.label) == (
        "grey",
        [],
        "Not judged",
    )


def test_my_work_gathers_tasks_items_decisions_and_projects(
    running, project, project_manager, member
):
    record = CommRecordFactory(project=project)
    item = ActionItemFactory(record=record, owner=member, due_on=D(2026, 6, 30))
    change = ChangeRequestFactory(project=project, status="submitted")
    expense = ExpenseFactory(
        project=project, submitted_by=member, status="submitted", spent_on=TODAY
    )

    mine = my_work(member, TODAY)
    assert [t.pk for t in mine.overdue_tasks] == [running["late"].pk]
    assert [t.pk for t in mine.week_tasks] == [running["soon"].pk]
    assert mine.task_count == 3
    assert [i.pk for i in mine.action_items] == [item.pk]
    # the member decides nothing; their own expense waits for the manager
    assert (mine.change_requests, mine.expenses) == ([], [])
    assert [p.project.pk for p in mine.projects] == [project.pk]

    manager = my_work(project_manager, TODAY)
    assert [c.pk for c in manager.change_requests] == [change.pk]
    assert [e.pk for e in manager.expenses] == [expense.pk]
    assert manager.overdue_tasks == manager.week_tasks == []


def _page(browser):
    with CaptureQueriesContext(connection) as queries:
        response = browser.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode(), len(queries.captured_queries)


def test_the_page_shows_overdue_tasks_and_health_in_constant_queries(
    running, project, member, as_persona
):
    member.language = "en"
    member.save()
    browser = as_persona("member")
    with time_machine.travel(
        datetime.datetime(2026, 7, 1, 1, 0, tzinfo=datetime.UTC), tick=False
    ):
        html, count = _page(browser)
        assert 'id="my-tasks"' in html
        assert "接口联调" in html
        assert "数据迁移" in html
        assert "上线验收" not in html  # due later than this week
        assert 'id="overdue-task-count">1<' in html
        assert 'id="my-projects"' in html
        assert 'data-health="red"' in html
        assert "Off track" in html
        complaints = Feedback.objects.filter(
            client=project.client, kind="complaint", status="open"
        ).count()
        assert (
            f"The client has {complaints} open complaints, some of high severity."
            in html
        )
        # sections without anything stay out
        assert 'id="my-decisions"' not in html
        assert 'id="my-follow-ups"' not in html

        for n in range(5):
            make_task(project, f"测试{n}", D(2026, 6, 29), assignee=member)
        html, again = _page(browser)
        assert "测试4" in html
    assert again == count == 21


def test_someone_with_nothing_to_do_is_told_so(staff_browser):
    html = staff_browser.get(reverse("home")).content.decode()
    assert "Nothing needs you right now." in html or "现在没有需要你处理的事。" in html
    assert 'id="my-tasks"' not in html
