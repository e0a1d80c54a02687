"""My work and the dashboards in a browser: an overdue task of li.na's shows on My work
with its project's health and leads to the task; the portfolio and the client analysis
draw their charts without errors."""

import datetime
import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def overdue(make_client, staff_user):
    """接口联调 of li.na's project, assigned to her, finished three days ago (dates are
    relative to the server's today, so the test holds on any day)."""
    from django.utils import timezone

    from clientfolio.projects import services
    from clientfolio.projects.models import Project
    from clientfolio.reports.insights import compute_insights
    from clientfolio.schedule.models import Assignment, Task

    today = timezone.localdate()
    client = make_client("上海云帆信息科技有限公司", owner=staff_user)
    project = services.create_project(
        Project(
            name="客户数据平台一期",
            client=client,
            manager=staff_user,
            status="active",
            starts_on=today - datetime.timedelta(days=30),
            planned_finish_on=today + datetime.timedelta(days=30),
        ),
        user=staff_user,
    )
    task = Task.objects.create(project=project, name="接口联调", duration=5)
    Task.objects.filter(pk=task.pk).update(
        start=today - datetime.timedelta(days=8),
        finish=today - datetime.timedelta(days=3),
    )
    Assignment.objects.create(task=task, user=staff_user)
    compute_insights(today)
    return task


def test_my_work_shows_the_overdue_task_and_leads_to_it(
    live_server, page, signed_in, overdue
):
    page.goto(live_server.url + "/")
    expect(page.locator("#overdue-task-count")).to_have_text("1")
    tasks = page.locator("#my-tasks")
    expect(tasks).to_contain_text("客户数据平台一期")
    row = tasks.locator("tr", has_text="接口联调")
    expect(row).to_contain_text("Overdue")
    expect(page.locator("#my-projects [data-health]")).to_be_visible()
    row.get_by_role("link", name=re.compile("接口联调")).click()
    expect(page).to_have_url(re.compile(rf"/tasks/{overdue.pk}/$"))

    page.locator("a.nav-link[href='/reports/portfolio/']").click()
    expect(page.locator("#needs-attention, #count-green").first).to_be_visible()
    expect(page.locator("[data-portfolio-chart='phases'] canvas")).to_be_visible()

    page.locator("a.nav-link[href='/reports/clients/']").click()
    expect(page.locator("[data-analysis-chart] canvas")).to_be_visible()
    expect(page.locator("#client-rows")).to_contain_text("上海云帆信息科技有限公司")
    assert page.js_errors == []
