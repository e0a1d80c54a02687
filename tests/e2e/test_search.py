"""Search in a browser: "/" focuses the top bar's box, a Chinese substring of a task's
name finds the task and a word of a meeting's minutes the meeting; each hit opens its
page. Screenshots of the results at desktop width and at 390 px."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def project(make_client, staff_user):
    from django.utils import timezone

    from clientfolio.comms import services as comms_services
    from clientfolio.comms.models import CommRecord
    from clientfolio.projects import services
    from clientfolio.projects.models import Project
    from clientfolio.schedule import services as schedule_services
    from clientfolio.schedule.models import Task

    client = make_client("上海云帆信息科技有限公司", owner=staff_user)
    project = services.create_project(
        Project(name="客户数据平台一期", client=client, manager=staff_user),
        user=staff_user,
    )
    schedule_services.create_task(
        Task(project=project, name="订单接口联调", duration=3)
    )
    comms_services.create_record(
        CommRecord(
            project=project,
            kind=CommRecord.Kind.MEETING,
            subject="第三次周例会",
            occurred_at=timezone.now(),
            minutes="- 双方确认上线窗口\n- 数据迁移演练安排在周四",
        ),
        user=staff_user,
    )
    return project


def test_search_from_the_top_bar_finds_a_task_and_a_meeting(
    live_server, page, signed_in, project, shots
):
    # given the staff user on the home page
    page.goto(f"{live_server.url}/")

    # when they press "/" and type a Chinese substring of the task's name
    page.keyboard.press("/")
    box = page.locator(".cf-global-search input[name=q]")
    expect(box).to_be_focused()
    box.fill("接口联")
    box.press("Enter")

    # then the task is found, with its project, and opens its page
    tasks = page.locator("#cf-search-tasks")
    expect(tasks).to_contain_text("订单接口联调")
    expect(tasks).to_contain_text("客户数据平台一期")
    page.screenshot(path=str(shots / "search-results.png"), full_page=True)
    tasks.get_by_role("link", name="订单接口联调").click()
    expect(page).to_have_url(
        re.compile(rf"/projects/{project.pk}/schedule/tasks/\d+/$")
    )
    expect(page.locator(".page-body")).to_contain_text("订单接口联调")

    # when they search a word of the meeting's minutes
    page.keyboard.press("/")
    box.fill("演练")
    box.press("Enter")

    # then the meeting is found with the minutes around the word, and opens
    records = page.locator("#cf-search-records")
    expect(records.locator("mark")).to_have_text("演练")
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(shots / "search-results-390.png"), full_page=True)
    records.locator("a.cf-search-hit").first.click()
    expect(page).to_have_url(re.compile(rf"/projects/{project.pk}/communication/\d+/$"))
    expect(page.locator("body")).to_contain_text("第三次周例会")
    assert not page.js_errors
