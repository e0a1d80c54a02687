"""Billing in a browser: the manager drafts an invoice with two lines (the second added
with htmx), issues it, records a partial payment and sees it on the finance overview,
whose charts (ECharts canvases) render."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def project(staff_user, make_client):
    """客户数据平台一期 for 上海云帆 (with a contract), managed by li.na, with a
    baseline, a budget and some cost so every chart has data."""
    from clientfolio.clients import services as client_services
    from clientfolio.clients.models import Contract
    from clientfolio.finance.models import BudgetLine, Expense
    from clientfolio.projects import services
    from clientfolio.projects.models import Project
    from clientfolio.schedule import services as schedule_services
    from clientfolio.schedule.models import Task

    client = make_client("上海云帆信息科技有限公司", owner=staff_user)
    client_services.save_record(
        Contract(
            client=client,
            number="YF-2026-001",
            title="一期实施",
            amount=Decimal("200000"),
        )
    )
    from django.utils import timezone

    today = timezone.localdate()
    project = services.create_project(
        Project(
            name="客户数据平台一期",
            client=client,
            manager=staff_user,
            starts_on=today - datetime.timedelta(days=30),
        ),
        user=staff_user,
    )
    task = schedule_services.create_task(
        Task(project=project, name="需求调研", duration=40)
    )
    schedule_services.save_baseline(project, "基线一", user=staff_user)
    Task.objects.filter(pk=task.pk).update(percent_complete=40)
    BudgetLine.objects.create(
        project=project, category="labor", task=task, amount=Decimal("50000")
    )
    BudgetLine.objects.create(
        project=project, category="travel", amount=Decimal("8000")
    )
    Expense.objects.create(
        project=project,
        category="travel",
        spent_on=today - datetime.timedelta(days=10),
        amount=Decimal("3000"),
        description="现场调研差旅",
        status="approved",
        submitted_by=staff_user,
    )
    return project


def test_issue_an_invoice_record_a_partial_payment_and_see_the_charts(
    live_server, page, signed_in, project, shots
):
    base = f"{live_server.url}/projects/{project.pk}/finance/"

    # given the manager on a new invoice, with one line filled in
    page.goto(f"{base}invoices/new/")
    page.fill("#id_number", "INV-E2E-001")
    page.fill("#id_tax_rate", "6")
    page.fill("#id_lines-0-description", "需求调研")
    page.fill("#id_lines-0-quantity", "1")
    page.fill("#id_lines-0-unit_price", "10000")

    # when they add a second line with htmx and save the draft
    page.click("#add-line")
    expect(page.locator("#id_lines-1-description")).to_be_visible()
    page.fill("#id_lines-1-description", "原型设计")
    page.fill("#id_lines-1-quantity", "2")
    page.fill("#id_lines-1-unit_price", "2500")
    page.get_by_role("button", name="Save draft").click()

    # then the draft totals 15,000 + 6 % tax
    expect(page.locator("#invoice-status")).to_contain_text("Draft")
    expect(page.locator("#invoice-total")).to_contain_text("15,900.00")

    # when they issue it
    page.click("#issue-invoice")
    expect(page.locator("#invoice-status")).to_contain_text("Issued")

    # and record a partial payment of 5,000
    page.fill("#id_amount", "5000")
    page.click("#record-payment")

    # then it is partly paid with 10,900 outstanding
    expect(page.get_by_role("alert").first).to_contain_text("Payment recorded.")
    expect(page.locator("#invoice-status")).to_contain_text("Partly paid")
    expect(page.locator("#invoice-outstanding")).to_contain_text("10,900.00")
    expect(page.locator("[data-testid=payments]")).to_contain_text("5,000.00")
    page.screenshot(path=str(shots / "finance-invoice-detail.png"), full_page=True)

    # when they open the finance overview
    page.goto(base)

    # then billing shows what was received and the three charts render on canvases
    expect(page.locator("#finance-kpis")).to_contain_text("5,000.00")
    for chart in ("burn", "curve", "categories"):
        expect(page.locator(f"[data-finance-chart={chart}] canvas")).to_have_count(1)
    expect(page.locator("[data-evm=bac]")).to_contain_text("58,000.00")
    page.screenshot(path=str(shots / "finance-overview.png"), full_page=True)
    assert page.js_errors == []
