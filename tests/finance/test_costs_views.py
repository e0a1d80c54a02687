"""Cost pages: budget by category, expenses with approval, time by person and week, rates,
exchange rates, exports and the weekly timesheet; query counts do not grow with rows."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from clientfolio.finance import services
from clientfolio.finance.models import BudgetLine, Expense, TimeEntry
from clientfolio.projects.models import Membership
from clientfolio.schedule import services as schedule_services
from tests.finance.factories import (
    BudgetLineFactory,
    ExpenseFactory,
    RateFactory,
    TimeEntryFactory,
)
from tests.projects.factories import ProjectFactory
from tests.schedule.factories import TaskFactory

D = datetime.date
MONDAY = D(2026, 11, 23)


def url(name, project=None, **kwargs):
    if project is not None:
        kwargs["pk"] = project.pk
    return reverse(f"finance:{name}", kwargs=kwargs)


def test_the_budget_groups_lines_by_category_and_flags_90_percent(
    as_persona, project, member
):
    # given a travel budget of 1,000 with 950 approved and a labor line
    BudgetLineFactory(project=project, category="travel", amount=Decimal("1000"))
    BudgetLineFactory(project=project, category="labor", description="实施人力")
    expense = ExpenseFactory(
        project=project, submitted_by=member, category="travel", amount=Decimal("950")
    )
    services.approve_expense(expense, expense.version, user=project.manager)

    # when the accountant opens the budget
    body = as_persona("accountant").get(url("budget_list", project)).content.decode()

    # then travel is 95 % used and flagged; labor lists its line
    assert "95%" in body
    assert "Over 90 percent of the budget is spent" in body
    assert "实施人力" in body
    assert "¥10,000.00" in body


def test_budget_queries_do_not_grow_with_lines(
    as_persona, project, django_assert_max_num_queries
):
    for n in range(30):
        BudgetLineFactory(project=project, description=f"行{n}")
    browser = as_persona("project_manager")
    with django_assert_max_num_queries(16):
        response = browser.get(url("budget_list", project))
    assert response.status_code == 200


def test_a_budget_line_is_added_and_a_negative_one_refused(as_persona, project):
    browser = as_persona("project_manager")
    response = browser.post(
        url("budget_create", project),
        {"category": "travel", "amount": "-5", "currency": "CNY"},
    )
    assert response.status_code == 400
    assert "The amount cannot be negative." in response.content.decode()
    assert not BudgetLine.objects.exists()
    response = browser.post(
        url("budget_create", project),
        {"category": "travel", "amount": "5000", "currency": "CNY"},
    )
    assert response.status_code == 302
    assert BudgetLine.objects.get().amount == Decimal("5000")


def test_a_member_sees_only_their_own_expenses(as_persona, project, member):
    ExpenseFactory(project=project, submitted_by=member, description="我的打车费")
    ExpenseFactory(
        project=project, submitted_by=project.manager, description="经理的机票"
    )
    body = as_persona("member").get(url("expense_list", project)).content.decode()
    assert "我的打车费" in body
    assert "经理的机票" not in body
    # and no approve button for a member
    assert 'value="approve"' not in body
    body = as_persona("accountant").get(url("expense_list", project)).content.decode()
    assert "经理的机票" in body
    assert 'value="approve"' in body


def test_expenses_filter_by_status(as_persona, project, member):
    ExpenseFactory(project=project, submitted_by=member, description="待审批")
    rejected = ExpenseFactory(
        project=project, submitted_by=member, description="被驳回"
    )
    services.reject_expense(
        rejected, rejected.version, user=project.manager, note="无票"
    )
    body = (
        as_persona("project_manager")
        .get(url("expense_list", project) + "?status=rejected")
        .content.decode()
    )
    assert "被驳回" in body
    assert "待审批" not in body


def test_expense_list_queries_do_not_grow(
    as_persona, project, member, django_assert_max_num_queries
):
    for n in range(30):
        ExpenseFactory(project=project, submitted_by=member, description=f"费用{n}")
    browser = as_persona("accountant")
    with django_assert_max_num_queries(18):
        response = browser.get(url("expense_list", project))
    assert response.status_code == 200


def test_a_rejection_without_a_note_is_refused_on_the_page(as_persona, project, member):
    expense = ExpenseFactory(project=project, submitted_by=member)
    browser = as_persona("project_manager")
    response = browser.post(
        url("expense_decide", project, expense_pk=expense.pk),
        {"decision": "reject", "version": expense.version},
        follow=True,
    )
    assert "Say why the expense is rejected." in response.content.decode()
    assert Expense.objects.get().status == "submitted"
    browser.post(
        url("expense_decide", project, expense_pk=expense.pk),
        {"decision": "approve", "version": expense.version},
    )
    assert Expense.objects.get().status == "approved"


def test_a_member_submits_an_expense(as_persona, project, member):
    response = as_persona("member").post(
        url("expense_create", project),
        {
            "spent_on": "2026-11-20",
            "category": "travel",
            "description": "客户现场打车",
            "amount": "86.50",
            "currency": "CNY",
        },
    )
    assert response.status_code == 302
    expense = Expense.objects.get()
    assert (expense.submitted_by, expense.status) == (member, "submitted")


def test_time_is_summed_by_person_and_week(
    as_persona, project, member, django_assert_max_num_queries
):
    RateFactory(user=member, cost_rate=Decimal("100"))
    for day in range(5):
        TimeEntryFactory(
            project=project, user=member, worked_on=MONDAY + datetime.timedelta(day)
        )
    browser = as_persona("accountant")
    with django_assert_max_num_queries(18):
        response = browser.get(url("time_list", project))
    body = response.content.decode()
    assert "2026-W48" in body
    assert "¥4,000.00" in body  # 40 h at 100


def test_a_sunday_belongs_to_the_iso_week_of_its_monday(as_persona, project, member):
    # given 2 h on the Monday of 2026-W48 and 3 h on its Sunday
    TimeEntryFactory(project=project, user=member, worked_on=MONDAY, hours=2)
    TimeEntryFactory(
        project=project,
        user=member,
        worked_on=MONDAY + datetime.timedelta(6),
        hours=3,
    )

    # when the accountant opens the time list
    body = as_persona("accountant").get(url("time_list", project)).content.decode()

    # then one week row holds the 5 h and no 2026-W49 row appears
    assert "2026-W48" in body
    assert "2026-W49" not in body


def test_large_plans_filter_time_by_wbs_code(as_persona, project, member, monkeypatch):
    # given task 1 with 1.1 below it, and task 2, each with time on it, in a plan
    # larger than the task list shows
    from clientfolio.finance.views import time as time_views

    parent = TaskFactory(project=project, name="需求分析")
    child = TaskFactory(project=project, name="访谈", parent=parent)
    other = TaskFactory(project=project, name="系统设计")
    for task in (parent, child, other):
        task.refresh_from_db()
    TimeEntryFactory(project=project, user=member, task=child, note="访谈记录")
    TimeEntryFactory(project=project, user=member, task=other, note="设计记录")
    monkeypatch.setattr(time_views, "TASK_CHOICES_MAX", 1)

    # when the accountant filters by the WBS code of task 1
    response = as_persona("accountant").get(
        url("time_list", project), {"wbs": parent.wbs}
    )

    # then only time below task 1 is listed, and the filter is a WBS code box
    body = response.content.decode()
    assert 'name="wbs"' in body
    assert "访谈记录" in body
    assert "设计记录" not in body


def test_a_member_sees_only_their_own_time(as_persona, project, member):
    TimeEntryFactory(project=project, user=member, note="我的工时")
    TimeEntryFactory(project=project, user=project.manager, note="经理的工时")
    body = as_persona("member").get(url("time_list", project)).content.decode()
    assert "我的工时" in body
    assert "经理的工时" not in body


def test_exports_have_a_bom_and_excel_is_a_workbook(as_persona, project, member):
    TimeEntryFactory(project=project, user=member, note="=cmd")
    browser = as_persona("accountant")
    response = browser.get(url("time_export", project))
    content = b"".join(response.streaming_content)
    assert content.startswith("\ufeff".encode())
    assert "'=cmd" in content.decode("utf-8-sig")
    response = browser.get(url("budget_export", project) + "?format=xlsx")
    assert response.content[:2] == b"PK"
    response = browser.get(url("expense_export", project) + "?format=xlsx")
    assert response.status_code == 200


def test_an_overlapping_project_rate_is_refused_on_the_page(
    as_persona, project, member
):
    RateFactory(project=project, user=member, valid_from=D(2026, 1, 1))
    response = as_persona("project_manager").post(
        url("rate_create", project),
        {
            "user": member.pk,
            "cost_rate": "1",
            "bill_rate": "2",
            "currency": "CNY",
            "valid_from": "2026-03-01",
        },
    )
    assert response.status_code == 400
    assert "overlaps the rate valid from 2026-01-01" in response.content.decode()


# --- the timesheet ---------------------------------------------------------------------------


@pytest.fixture
def assigned_task(project, member):
    # the plan as of the timesheet's week, whatever today is: the project started two
    # weeks before it, and unstarted work is not pushed past the real date
    project.starts_on = MONDAY - datetime.timedelta(days=14)
    project.save(update_fields=["starts_on"])
    schedule = schedule_services.ensure_schedule(project)
    schedule.status_date = MONDAY
    schedule.save(update_fields=["status_date"])
    task = TaskFactory(project=project, name="接口开发", duration=20)
    schedule_services.set_assignments(task, {member: Decimal("80")})
    task.refresh_from_db()
    return task


def _week(project, task, hours, billable=True, week="2026-W48"):
    data = {
        "week": week,
        "rows": "1",
        "r0-project": project.pk,
        "r0-task": task.pk if task else "",
    }
    if billable:
        data["r0-billable"] = "on"
    for day, value in enumerate(hours):
        data[f"r0-d{day}"] = value
    return data


def test_the_timesheet_saves_a_week_at_once(as_persona, project, member, assigned_task):
    browser = as_persona("member")
    response = browser.post(
        url("timesheet"),
        _week(project, assigned_task, ["8", "7.5", "", "6", "4", "", ""]),
    )
    assert response.status_code == 302
    assert TimeEntry.objects.filter(user=member).count() == 4
    assert sum(e.hours for e in TimeEntry.objects.all()) == Decimal("25.5")

    # when the week is saved again with Monday emptied and Wednesday filled
    browser.post(
        url("timesheet"),
        _week(project, assigned_task, ["", "7.5", "3", "6", "4", "", ""]),
    )
    assert sorted(e.worked_on.day for e in TimeEntry.objects.all()) == [24, 25, 26, 27]


def test_a_bad_cell_saves_nothing_and_is_marked(
    as_persona, project, member, assigned_task
):
    response = as_persona("member").post(
        url("timesheet"),
        _week(project, assigned_task, ["8", "abc", "25", "1.1", "", "", ""]),
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Enter a number of hours, e.g. 7.5." in body
    assert "A day has 24 hours." in body
    assert "Enter hours in quarter-hour steps (0.25)." in body
    assert 'value="abc"' in body  # the typed value is kept
    assert not TimeEntry.objects.exists()


def test_the_day_limit_counts_other_projects_in_the_grid(
    as_persona, project, member, assigned_task
):
    other = ProjectFactory(name="移动端二期")
    Membership.objects.create(project=other, user=member, role="member")
    TimeEntryFactory(project=other, user=member, worked_on=MONDAY, hours=Decimal(20))
    response = as_persona("member").post(
        url("timesheet"), _week(project, assigned_task, ["6", "", "", "", "", "", ""])
    )
    assert response.status_code == 400
    assert "across all projects" in response.content.decode()
    assert TimeEntry.objects.count() == 1


def test_the_grid_shows_assigned_tasks_and_copies_last_week(
    as_persona, project, member, assigned_task, django_assert_max_num_queries
):
    TimeEntryFactory(
        project=project, user=member, worked_on=MONDAY - datetime.timedelta(days=7)
    )
    browser = as_persona("member")
    with django_assert_max_num_queries(20):
        body = browser.get(url("timesheet") + "?week=2026-W48").content.decode()
    assert "接口开发" in body
    assert "2026-W47" in body  # previous week
    assert "2026-W49" in body  # next week
    body = browser.get(url("timesheet") + "?week=2026-W48&copy=1").content.decode()
    assert body.count('name="r1-project"') == 1  # the "no task" row of last week


def test_a_viewer_cannot_record_time_in_the_grid(as_persona, project, viewer):
    response = as_persona("viewer").post(
        url("timesheet"), _week(project, None, ["4", "", "", "", "", "", ""])
    )
    # then the row is dropped: it is not one of the viewer's projects
    assert response.status_code == 302
    assert not TimeEntry.objects.exists()
