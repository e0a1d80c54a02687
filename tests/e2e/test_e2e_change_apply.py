"""Closing the change control loop in a browser: record the client's approval of a change
request on their behalf, apply it to the plan and the budget from its page, and find the
moved task, the budget line and the new baseline."""

import datetime
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def change(staff_user, make_client):
    """客户数据平台一期 from Monday 2026-04-20 (status date 04-23): 开发 (5 days) → 报表
    (2 days); CR-001 增加月度报表 (+5 days, ¥12,000) awaits the client's decision."""
    from clientfolio.projects import change_control
    from clientfolio.projects import services as project_services
    from clientfolio.projects.models import ChangeRequest, Project
    from clientfolio.schedule import services as schedule_services
    from clientfolio.schedule.models import Dependency, ProjectSchedule, Task

    client = make_client(
        "上海云帆信息科技有限公司",
        owner=staff_user,
        contacts=[("张伟", "13812345678", "zhang.wei@yunfan.example.cn")],
    )
    project = project_services.create_project(
        Project(
            name="客户数据平台一期",
            client=client,
            manager=staff_user,
            starts_on=datetime.date(2026, 4, 20),
        ),
        user=staff_user,
    )
    ProjectSchedule.objects.update_or_create(
        project=project, defaults={"status_date": datetime.date(2026, 4, 23)}
    )
    build = schedule_services.create_task(
        Task(project=project, name="开发", duration=5)
    )
    reports = schedule_services.create_task(
        Task(project=project, name="报表", duration=2)
    )
    schedule_services.add_dependency(
        Dependency(project=project, predecessor=build, successor=reports)
    )
    change = change_control.create_change_request(
        ChangeRequest(
            project=project,
            title="增加月度报表",
            requested_on=datetime.date(2026, 4, 21),
            schedule_impact_days=5,
            cost_impact=Decimal("12000"),
            requested_by_contact=client.contacts.get(),
        ),
        user=staff_user,
    )
    for step in ("evaluating", "awaiting_client"):
        change_control.transition(change, step, staff_user)
    return change


def test_an_approved_change_is_applied_to_the_plan_the_budget_and_a_baseline(
    live_server, page, signed_in, change, shots
):
    base = f"{live_server.url}/projects/{change.project_id}"

    # The manager records the client's approval with the change request's own form.
    page.goto(f"{base}/changes/1/")
    title = page.locator(".cf-change-title")
    expect(title).to_contain_text("Awaiting client decision")
    expect(page.locator("#change-apply-offer")).to_have_count(0)
    step = page.locator("#change-next-step")
    step.locator("#id_decided_by").select_option(label="张伟")
    step.locator("#id_decided_on").fill("2026-04-23")
    step.locator("#id_comment").fill("客户邮件确认同意")
    step.get_by_role("button", name="Approve").click()
    expect(title).to_contain_text("Approved")

    # The approved change offers to apply it; the preview says what will happen.
    page.locator("#change-apply-offer").get_by_role(
        "link", name="Apply the change…"
    ).click()
    expect(page).to_have_url(re.compile(r"/changes/1/apply/$"))
    tasks = page.locator("#apply-tasks tbody tr")
    expect(tasks).to_have_count(2)
    build = tasks.filter(has_text="开发")
    expect(build).to_contain_text("2026-04-23 – 2026-04-29")
    expect(build).to_contain_text("start on or after 2026-04-28")
    expect(build.locator("input[type=checkbox]")).to_be_checked()
    expect(page.locator("#apply-budget")).to_contain_text(
        "A budget line of ¥12,000.00 described as “CR-001 增加月度报表”"
    )
    expect(page.locator("#id_baseline_name")).to_have_value("After CR-001")
    page.select_option("#id_budget_category", label="Outsourcing")
    page.screenshot(path=str(shots / "change-apply.png"), full_page=True)

    # Only 开发 moves; 报表 follows it through its link.
    tasks.filter(has_text="报表").locator("input[type=checkbox]").uncheck()
    page.get_by_role("button", name="Apply the change").click()

    # Back on the change request, which is implemented with what was applied.
    expect(page).to_have_url(re.compile(r"/changes/1/$"))
    expect(page.get_by_role("alert").first).to_contain_text(
        "CR-001 is applied to the plan and the budget, and implemented."
    )
    expect(title).to_contain_text("Implemented")
    expect(page.locator("#change-apply-offer")).to_have_count(0)
    last_step = page.locator("#change-history .timeline-event").last
    expect(last_step).to_contain_text("Approved → Implemented")
    expect(last_step).to_contain_text("1 task moved by +5 days")
    expect(last_step).to_contain_text("Baseline saved: “After CR-001”.")

    # The new baseline is listed, the task moved and the cost is in the budget.
    page.goto(f"{base}/schedule/baselines/")
    expect(page.locator("#baseline-list")).to_contain_text("After CR-001")
    page.goto(f"{base}/schedule/")
    row = page.locator("#task-rows tr", has_text="开发")
    expect(row).to_contain_text("2026-04-28")
    page.goto(f"{base}/finance/budget/")
    expect(page.locator("#category-outsourcing")).to_contain_text("¥12,000.00")
    expect(page.locator("#budget-table")).to_contain_text("CR-001 增加月度报表")
    assert page.js_errors == []
