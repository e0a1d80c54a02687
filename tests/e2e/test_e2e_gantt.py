"""The Gantt chart and the client timeline in a real browser: the critical path in red,
dragging a task moves its successor, and the timeline exports as a PNG that opens."""

import io

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CRITICAL_RED = "rgb(227, 93, 93)"
NORMAL_BLUE = "rgb(77, 143, 220)"


@pytest.fixture
def planned_project(transactional_db, signed_in):
    from clientfolio.clients.models import Client
    from clientfolio.projects import services as project_services
    from clientfolio.projects.models import Project
    from tests.schedule.gantt_plan import build_plan

    client = Client.objects.create(name="上海云帆信息科技有限公司", owner=signed_in)
    project = project_services.create_project(
        Project(name="客户数据平台一期", client=client, manager=signed_in),
        user=signed_in,
    )
    plan = build_plan(project, owner=signed_in)
    return project, plan


def _bar(page, task):
    return page.locator(f'.cf-g-task[data-id="{task.pk}"]')


def test_gantt_shows_the_critical_path_and_dragging_moves_the_successor(
    live_server, page, planned_project, shots
):
    project, plan = planned_project
    page.goto(f"{live_server.url}/projects/{project.pk}/schedule/gantt/")
    expect(page.locator("[data-gantt][data-gantt-ready]")).to_have_count(1)

    # The critical path is red, the task with float blue; the milestone is a diamond.
    coding = _bar(page, plan.c).locator(".cf-g-bar")
    expect(coding).to_be_visible()
    assert coding.evaluate("e => getComputedStyle(e).fill") == CRITICAL_RED
    spare = _bar(page, plan.d).locator(".cf-g-bar")
    assert spare.evaluate("e => getComputedStyle(e).fill") == NORMAL_BLUE
    expect(
        page.locator(f'.cf-g-milestone[data-id="{plan.milestone.pk}"] path')
    ).to_have_count(1)
    expect(page.locator(".cf-g-today, .cf-g-off").first).to_be_attached()
    page.screenshot(path=str(shots / "gantt-en.png"), full_page=True)

    # Drag the coding task a week later: the milestone after it moves too.
    milestone_before = page.locator(
        f'.cf-g-milestone[data-id="{plan.milestone.pk}"]'
    ).bounding_box()
    box = coding.bounding_box()
    x, y = box["x"] + box["width"] / 3, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 8):
        page.mouse.move(x + step * 28, y)
    page.mouse.up()
    expect(page.locator("[data-gantt-message]")).to_contain_text("Saved")
    milestone = page.locator(f'.cf-g-milestone[data-id="{plan.milestone.pk}"]')
    expect(milestone).to_be_visible()
    page.wait_for_function(
        '([id, x]) => { const e = document.querySelector(`.cf-g-milestone[data-id="${id}"]`);'
        " return e && e.getBoundingClientRect().x > x + 50; }",
        arg=[plan.milestone.pk, milestone_before["x"]],
    )
    plan.milestone.refresh_from_db()
    before = plan.milestone.finish
    from clientfolio.schedule.models import Task

    assert Task.objects.get(pk=plan.c.pk).constraint == "snet"
    assert before > plan.c.finish
    assert not page.js_errors


def test_timeline_exports_a_png_that_opens(
    live_server, page, planned_project, shots, tmp_path
):
    from PIL import Image

    project, plan = planned_project
    page.goto(f"{live_server.url}/projects/{project.pk}/schedule/timeline/")
    expect(page.locator("[data-timeline-chart][data-timeline-ready]")).to_have_count(1)
    expect(page.locator("#timeline-table")).to_contain_text("验收里程碑")
    page.screenshot(path=str(shots / "timeline-en.png"), full_page=True)

    with page.expect_download() as download:
        page.locator('a[data-export="photo"]').click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name.startswith(project.code)
    content = path.read_bytes()
    assert content[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(io.BytesIO(content)).convert("RGB")
    assert image.width >= 800
    assert len(image.getcolors(maxcolors=1_000_000) or []) > 20
    assert not page.js_errors
