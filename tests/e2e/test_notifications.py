"""Notifications in a browser: a manager assigns a task to a member on the task's page and
the member's bell count rises; the member opens it and lands on the task; the member
switches an event to the daily digest on the preferences page and it is kept."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def task(make_client, staff_user):
    """接口设计 of a project that ``staff_user`` (li.na) manages."""
    from clientfolio.projects import services
    from clientfolio.projects.models import Project
    from clientfolio.schedule import services as schedule
    from clientfolio.schedule.models import Task

    client = make_client("上海云帆信息科技有限公司", owner=staff_user)
    project = services.create_project(
        Project(name="客户数据平台一期", client=client, manager=staff_user),
        user=staff_user,
    )
    return schedule.create_task(Task(project=project, name="接口设计", duration=3))


@pytest.fixture
def wang_fang(task, django_user_model):
    """A member of the project's team."""
    from clientfolio.projects.models import Membership

    user = django_user_model.objects.create_user(
        "wang.fang",
        password=PASSWORD,
        first_name="芳",
        last_name="王",
        role="staff",
        language="en",
    )
    Membership.objects.create(project=task.project, user=user, role="member")
    return user


@pytest.fixture
def member_page(own_browser, wang_fang):
    """A second browser, signed in as the member."""
    return own_browser(wang_fang, {"viewport": {"width": 1400, "height": 900}})


def test_assigning_a_task_raises_the_assignees_bell(
    live_server, page, signed_in, task, wang_fang, member_page, shots
):
    # given the member on their home page, with nothing unread
    member_page.goto(f"{live_server.url}/")
    count = member_page.locator("#notification-count")
    expect(count).to_have_attribute("data-unread", "0")
    expect(count).to_have_text("")

    # when the manager gives them 8 hours on the task's page
    task_page = reverse("schedule:task_detail", args=[task.project_id, task.pk])
    page.goto(live_server.url + task_page)
    page.fill(f"#hours-{wang_fang.pk}", "8")
    page.get_by_role("button", name="Save assignees").click()
    expect(page.get_by_role("alert").first).to_contain_text("Assignees saved.")
    expect(page.locator(f"#hours-{wang_fang.pk}")).to_have_value("8.0")

    # then, on reloading, the member's bell counts one unread notification
    member_page.reload()
    expect(count).to_have_text("1")
    expect(count).to_have_attribute("aria-label", "1 unread notification")

    # and its menu says who assigned them to what; opening it shows the task, read
    member_page.locator("#notification-bell .cf-bell").click()
    item = member_page.locator("#notification-menu .list-group-item.cf-unread")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("assigned you to")
    expect(item).to_contain_text("接口设计")
    member_page.screenshot(path=str(shots / "notifications-bell-menu.png"))
    item.click()
    expect(member_page).to_have_url(live_server.url + task_page)
    expect(member_page.locator(f"#hours-{wang_fang.pk}")).to_have_value("8.0")
    expect(member_page.locator("#notification-count")).to_have_text("")
    assert member_page.js_errors == []  # type: ignore[attr-defined]
    assert page.js_errors == []  # type: ignore[attr-defined]


def test_switching_an_event_to_the_daily_digest(
    live_server, page, login, wang_fang, shots
):
    from clientfolio.notifications.models import (
        EmailMode,
        NotificationSettings,
        Preference,
    )

    login(wang_fang)
    page.goto(f"{live_server.url}{reverse('notifications:preferences')}")
    # an assignment is e-mailed at once by default
    email = page.locator("#preference-grid tr[data-kind='task.assigned'] select")
    expect(email).to_have_value("immediate")

    # when they choose the daily digest for it, at 18:30, and save
    email.select_option(label="Daily digest")
    page.select_option("#id_digest_time", "18:30")
    page.get_by_role("button", name="Save").click()

    # then it is saved and shown so
    expect(page.get_by_role("alert").first).to_contain_text(
        "Your notification preferences are saved."
    )
    expect(email).to_have_value("digest")
    expect(page.locator("#id_digest_time")).to_have_value("18:30")
    page.screenshot(path=str(shots / "notifications-preferences.png"), full_page=True)
    assert page.js_errors == []  # type: ignore[attr-defined]
    row = Preference.objects.get(user=wang_fang, kind="task.assigned")
    assert (row.in_app, row.email) == (True, EmailMode.DIGEST)
    assert NotificationSettings.objects.get(user=wang_fang).digest_time.strftime(
        "%H:%M"
    ) == ("18:30")
