"""Costs in a browser: a member submits an expense with its receipt and the manager
approves it; a member fills a week of time in the timesheet with the keyboard."""

import datetime
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.documents.factories import PDF
from tests.e2e.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def team(staff_user, make_client, settings, tmp_path):
    """客户数据平台一期 managed by li.na (staff_user), with zhang.wei as a member assigned
    to 接口开发 for the whole of November 2026."""
    from clientfolio.core.models import User
    from clientfolio.projects import services
    from clientfolio.projects.models import Membership, Project
    from clientfolio.schedule import services as schedule_services
    from clientfolio.schedule.models import Task

    settings.MEDIA_ROOT = tmp_path / "media"
    member = User.objects.create_user(
        username="zhang.wei",
        password=PASSWORD,
        role="staff",
        language="en",
        first_name="伟",
        last_name="张",
    )
    client = make_client("上海云帆信息科技有限公司", owner=staff_user)
    project = services.create_project(
        Project(
            name="客户数据平台一期",
            client=client,
            manager=staff_user,
            starts_on=datetime.date(2026, 11, 2),
        ),
        user=staff_user,
    )
    Membership.objects.create(project=project, user=member, role="member")
    # the plan as of the week the test fills in, whatever today is
    schedule = schedule_services.ensure_schedule(project)
    schedule.status_date = datetime.date(2026, 11, 23)
    schedule.save(update_fields=["status_date"])
    task = schedule_services.create_task(
        Task(project=project, name="接口开发", duration=25)
    )
    schedule_services.set_assignments(task, {member: Decimal("160")})
    return {"project": project, "member": member, "manager": staff_user}


def test_a_member_submits_an_expense_and_the_manager_approves_it(
    live_server, page, context, login, team, shots, tmp_path
):
    project = team["project"]
    expenses = f"{live_server.url}/projects/{project.pk}/finance/expenses/"
    receipt = tmp_path / "发票.pdf"
    receipt.write_bytes(PDF)

    # The member submits a taxi expense with its receipt.
    login(team["member"])
    page.goto(expenses)
    expect(page.locator(".cf-empty")).to_contain_text("No expenses yet")
    page.get_by_role("link", name="Submit expense").first.click()
    page.fill("#id_spent_on", "2026-11-20")
    page.select_option("#id_category", "travel")
    page.fill("#id_description", "客户现场打车")
    page.fill("#id_amount", "86.50")
    page.set_input_files("#id_receipt_file", str(receipt))
    page.click("#submit-expense")
    expect(page.get_by_role("alert").first).to_contain_text("Expense submitted.")
    row = page.locator("#expense-table tbody tr").first
    expect(row).to_contain_text("客户现场打车")
    expect(row).to_contain_text("Submitted")
    expect(row).to_contain_text("Receipt")
    # A member has no approve button.
    expect(page.get_by_role("button", name="Approve")).to_have_count(0)

    # The manager rejects without a note (refused), then approves.
    context.clear_cookies()
    login(team["manager"])
    page.goto(expenses)
    page.get_by_role("button", name="Reject").click()
    expect(page.get_by_role("alert").first).to_contain_text(
        "Say why the expense is rejected."
    )
    page.fill("input[name=decision_note]", "已核对发票")
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("alert").first).to_contain_text("Expense approved.")
    row = page.locator("#expense-table tbody tr").first
    expect(row).to_contain_text("Approved")
    expect(row).to_contain_text("已核对发票")
    page.screenshot(path=str(shots / "finance-expense-approved.png"), full_page=True)
    assert not page.js_errors


def test_a_member_enters_a_week_in_the_timesheet(live_server, page, login, team, shots):
    from clientfolio.finance.models import TimeEntry

    login(team["member"])
    page.goto(f"{live_server.url}/timesheet/?week=2026-W48")
    expect(page.locator("#timesheet")).to_contain_text("接口开发")

    # Monday to Friday with the keyboard: type, Tab to the next day.
    page.locator("input[name=r0-d0]").focus()
    for hours in ["8", "7.5", "8", "6", "4"]:
        page.keyboard.type(hours)
        page.keyboard.press("Tab")
    expect(page.locator("#week-total")).to_have_text("33.5")

    # A bad cell: nothing is saved and the cell says why.
    page.fill("input[name=r0-d5]", "30")
    page.click("#save-timesheet")
    expect(page.locator("input[name=r0-d5]")).to_have_class(re.compile("is-invalid"))
    expect(page.locator("#timesheet")).to_contain_text("A day has 24 hours.")
    assert not TimeEntry.objects.exists()

    # Corrected and saved with Enter.
    page.fill("input[name=r0-d5]", "")
    page.locator("input[name=r0-d4]").press("Enter")
    expect(page.get_by_role("alert").first).to_contain_text("Timesheet saved.")
    expect(page.locator("input[name=r0-d1]")).to_have_value("7.5")
    expect(page.locator("#week-total")).to_have_text("33.5")
    page.screenshot(path=str(shots / "finance-timesheet.png"), full_page=True)
    assert TimeEntry.objects.filter(user=team["member"]).count() == 5
    # (the refused save answered 400, which the console reports)
    assert not [e for e in page.js_errors if "status of 400" not in e]
