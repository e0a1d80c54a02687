"""The plan grid in a real browser: a ten-task plan typed with the keyboard only (names,
durations, predecessors in MS Project notation), a refused cell, undo, and the Gantt
that draws it."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NAMES = [
    "需求调研",
    "方案设计",
    "原型",
    "评审",
    "开发",
    "联调",
    "测试",
    "培训",
    "上线",
    "验收",
]
DURATIONS = ["3", "5", "2", "1", "2w", "3", "4", "1", "1", "0"]
# Predecessors of rows 2..10 by row number.
PREDECESSORS = ["1", "2SS+1", "3", "4", "5FS+1", "6", "7FF", "8", "9"]


@pytest.fixture
def empty_project(transactional_db, signed_in):
    from datetime import date

    from clientfolio.clients.models import Client
    from clientfolio.projects import services as project_services
    from clientfolio.projects.models import Project
    from clientfolio.schedule.models import ProjectSchedule

    client = Client.objects.create(name="上海云帆信息科技有限公司", owner=signed_in)
    project = project_services.create_project(
        Project(
            name="客户数据平台一期",
            client=client,
            manager=signed_in,
            starts_on=date(2026, 3, 2),
        ),
        user=signed_in,
    )
    # Progress is measured on the first day, whatever the real date is.
    ProjectSchedule.objects.update_or_create(
        project=project, defaults={"status_date": date(2026, 3, 2)}
    )
    return project


def test_a_plan_typed_with_the_keyboard_only_shows_on_the_gantt(
    live_server, page, empty_project, shots
):
    project = empty_project
    page.goto(f"{live_server.url}/projects/{project.pk}/schedule/grid/")
    expect(page.locator("[data-plan-grid][data-grid-ready]")).to_have_count(1)
    idle = page.locator("[data-plan-grid]:not([aria-busy])")
    keys = page.keyboard

    def enter(text):
        keys.type(text)
        keys.press("Enter")
        expect(idle).to_have_count(1)

    # The cursor starts on the blank row: type ten names, Enter after each.
    for name in NAMES:
        enter(name)
    expect(page.locator("tbody tr[data-id]")).to_have_count(10)

    # Durations, down the column.
    keys.press("Control+Home")
    for _ in range(3):
        keys.press("ArrowRight")
    for duration in DURATIONS:
        enter(duration)

    # Predecessors, from row 2 down; a row that does not exist is refused on the cell.
    keys.press("Control+Home")
    keys.press("End")
    keys.press("ArrowDown")
    for predecessors in PREDECESSORS:
        enter(predecessors)
    keys.press("Control+End")
    keys.press("ArrowUp")
    keys.press("F2")
    keys.press("End")
    keys.type(", 42")
    keys.press("Enter")
    expect(page.locator(".cf-grid-error")).to_have_text("There is no row 42.")
    keys.press("Escape")
    expect(page.locator(".cf-grid-error")).to_have_count(0)

    rows = page.locator("tbody tr[data-id]")
    expect(rows.nth(9).locator('[data-col="predecessors"]')).to_have_text("9")
    expect(rows.nth(2).locator('[data-col="start"]')).to_have_text("2026-03-06")
    expect(rows.nth(4).locator('[data-col="duration"]')).to_contain_text("10")
    expect(rows.nth(9).locator('[data-col="name"] .cf-grid-milestone')).to_have_count(1)

    # Ctrl+Z takes back the last change (验收's predecessor), ? lists the keys.
    keys.press("Control+z")
    expect(idle).to_have_count(1)
    expect(rows.nth(9).locator('[data-col="predecessors"]')).to_have_text("")
    keys.press("?")
    expect(page.locator("[data-grid-shortcuts]")).to_be_visible()
    keys.press("Escape")
    expect(page.locator("[data-grid-shortcuts]")).to_be_hidden()
    # (the browser logs the refused cell's 400; nothing else went wrong)
    assert [e for e in page.js_errors if "400 (Bad Request)" not in e] == []
    page.screenshot(path=str(shots / "plan-grid-en.png"), full_page=True)

    # The Gantt draws the ten tasks and the eight links left.
    page.goto(f"{live_server.url}/projects/{project.pk}/schedule/gantt/")
    expect(page.locator("[data-gantt][data-gantt-ready]")).to_have_count(1)
    expect(page.locator(".cf-g-task")).to_have_count(10)
    expect(page.locator(".cf-g-link")).to_have_count(8)
    expect(page.locator(".cf-g-milestone")).to_have_count(1)
