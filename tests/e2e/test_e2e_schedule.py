"""The schedule in a browser: build a small plan across the National Day holiday, see the
finish skip it, save a baseline, slip a task in the tree and see the variance, and drag a
card on the board to Done."""

import datetime
import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def project(staff_user, make_client):
    """客户数据平台一期 from Monday 2026-09-28, progress measured at that date."""
    from clientfolio.projects import services
    from clientfolio.projects.models import Project
    from clientfolio.schedule.models import ProjectSchedule

    client = make_client("上海云帆信息科技有限公司", owner=staff_user)
    project = services.create_project(
        Project(
            name="客户数据平台一期",
            client=client,
            manager=staff_user,
            starts_on=datetime.date(2026, 9, 28),
        ),
        user=staff_user,
    )
    ProjectSchedule.objects.create(
        project=project, status_date=datetime.date(2026, 9, 28)
    )
    return project


def _add_task(page, name, days):
    page.get_by_role("link", name="Add task").first.click()
    page.fill("#id_name", name)
    page.fill("#id_duration", str(days))
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_role("alert").first).to_contain_text(f"{name} added")


def test_a_plan_skips_the_holiday_and_shows_variance_and_board_moves(
    live_server, page, signed_in, project, shots
):
    # The Schedule tab starts empty and says what it is for.
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    page.locator(".nav-tabs").get_by_role("link", name="Schedule").click()
    expect(page).to_have_url(re.compile(rf"/projects/{project.pk}/schedule/$"))
    expect(page.locator(".cf-empty")).to_contain_text("No tasks yet")

    # Two tasks and a milestone.
    _add_task(page, "需求分析", 3)
    _add_task(page, "开发", 5)
    page.get_by_role("link", name="Add milestone").first.click()
    page.fill("#id_name", "验收")
    page.fill("#id_acceptance_criteria", "客户签署验收单")
    page.get_by_role("button", name="Add").click()
    rows = page.locator("#task-rows")
    expect(rows).to_contain_text("需求分析")
    expect(rows).to_contain_text("验收")

    # Link 需求分析 → 开发 on 开发's page: 开发 starts after 30 September and skips 1–7
    # October (National Day), working the make-up Saturday 10 October.
    rows.get_by_role("link", name="开发").click()
    page.select_option("#id_predecessor", label="1 需求分析")
    page.get_by_role("button", name="Add link").click()
    expect(page.get_by_role("alert").first).to_contain_text("Link added")
    expect(page.locator("#task-start")).to_have_text("2026-10-08")
    expect(page.locator("#task-finish")).to_have_text("2026-10-13")
    page.screenshot(path=str(shots / "schedule-task-detail.png"), full_page=True)

    # Save a baseline.
    page.locator(".cf-schedule-nav").get_by_role("link", name="Baselines").click()
    page.fill("#id_name", "签约基线")
    page.get_by_role("button", name="Save baseline").click()
    expect(page.locator("#baseline-list")).to_contain_text("签约基线")

    # Slip 开发 by two days with an inline edit; the table body re-renders.
    page.get_by_role("link", name="Compare").click()
    row = page.locator("#task-rows tr", has_text="开发")
    expect(row.locator("td.cf-variance").last).to_have_text("0")
    row.get_by_role("button", name="Edit 开发").click()
    page.locator("#task-rows form input[name=duration]").fill("7")
    page.locator("#task-rows form").get_by_role("button", name="Save").click()
    row = page.locator("#task-rows tr", has_text="开发")
    expect(row).to_contain_text("2026-10-15")
    expect(row.locator("td.cf-variance").last).to_have_text("+2")
    expect(row).to_have_class(re.compile("cf-late"))
    page.screenshot(path=str(shots / "schedule-task-tree.png"), full_page=True)

    # Drag 需求分析 on the board from To do to Done.
    page.locator(".cf-schedule-nav").get_by_role("link", name="Board").click()
    card = page.locator(".cf-card", has_text="需求分析")
    card.drag_to(page.locator('.cf-board-cards[data-status="done"]'))
    expect(page.locator('.cf-board-cards[data-status="done"]')).to_contain_text(
        "需求分析"
    )
    expect(page.locator(".cf-card.cf-saving")).to_have_count(0)
    page.reload()
    expect(page.locator('.cf-board-cards[data-status="done"]')).to_contain_text(
        "需求分析"
    )
    page.screenshot(path=str(shots / "schedule-board.png"), full_page=True)
    assert page.js_errors == []


def test_a_calendar_change_of_a_large_plan_runs_as_a_job_and_ends_on_the_gantt(
    live_server, page, signed_in, project, settings
):
    from clientfolio.schedule import services
    from clientfolio.schedule.models import Task

    settings.PLAN_RECOMPUTE_INLINE_LIMIT = 1  # two tasks are "large"
    for name in ("需求分析", "开发"):
        services.create_task(Task(project=project, name=name, duration=15))
    before = Task.objects.get(name="开发").finish

    page.goto(f"{live_server.url}/projects/{project.pk}/schedule/calendar/")
    page.locator("#calendar-form input[type=checkbox][value='5']").check()
    page.get_by_role("button", name="Save and recompute").click()

    # the recompute ran as a job: its page shows the bar at 100% and the new finish
    expect(page).to_have_url(re.compile(r"/jobs/\d+/$"))
    expect(page.get_by_role("alert").first).to_contain_text(
        "The schedule of 2 tasks is being recomputed in the background"
    )
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")
    expect(page.locator("#job-progress")).to_contain_text(
        "2 tasks recomputed; the plan finishes on"
    )
    # fifteen working days now take in Saturday 10-17: an earlier finish
    assert Task.objects.get(name="开发").finish < before
    # and the bell tells of the finished job
    expect(page.locator("#notification-count")).to_have_text("1")
    page.get_by_role("link", name="Open the Gantt chart").click()
    expect(page).to_have_url(re.compile(rf"/projects/{project.pk}/schedule/gantt/$"))
    assert page.js_errors == []
