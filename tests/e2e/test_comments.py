"""Comments in a browser: on a task's page, type "@" and the start of a team member's
name, pick the suggestion, post, and see the comment with the mention marked; the
mentioned member is told (a comment.mentioned event, and their notification)."""

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from clientfolio.core.models import Event

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NOTIFICATIONS_HANDLER = "clientfolio.notifications.handlers.handle_event"


@pytest.fixture
def task(make_client, staff_user):
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
    from clientfolio.projects.models import Membership

    user = django_user_model.objects.create_user(
        "wang.fang", first_name="芳", last_name="王", role="staff", language="en"
    )
    Membership.objects.create(project=task.project, user=user, role="member")
    return user


def test_mention_a_team_member_in_a_comment(
    live_server, page, signed_in, task, wang_fang, shots
):
    # given the project manager on the task's page
    path = reverse("schedule:task_detail", args=[task.project_id, task.pk])
    page.goto(f"{live_server.url}{path}")
    expect(page.locator("#comments")).to_contain_text("No comments yet.")

    # when they type "@" and the start of a team member's name
    box = page.locator("#id_comment_body")
    box.click()
    box.press_sequentially("接口文档已更新，@王")

    # then the team member is suggested, and picking them writes their user name
    option = page.locator(".cf-mention-menu [role='option']")
    expect(option).to_have_count(1)
    expect(option).to_contain_text("王芳")
    page.screenshot(path=str(shots / "comments-mention-suggestion.png"))
    option.click()
    expect(box).to_have_value("接口文档已更新，@wang.fang ")
    box.press_sequentially("请评审")

    # when they post it
    page.get_by_role("button", name="Post comment").click()

    # then the comment shows in the thread with the mention marked, the box is empty
    comment = page.locator("#comment-list .cf-comment")
    expect(comment).to_have_count(1)
    expect(comment.locator(".cf-mention")).to_have_text("@wang.fang")
    expect(comment).to_contain_text("请评审")
    expect(page.locator("#comment-count")).to_have_text("1")
    expect(page.locator("#id_comment_body")).to_have_value("")
    page.screenshot(path=str(shots / "comments-posted.png"), full_page=True)
    assert page.js_errors == []  # type: ignore[attr-defined]

    # and the mentioned member was told
    mentioned = Event.objects.get(kind="comment.mentioned")
    assert mentioned.recipient_ids == [wang_fang.pk]
    assert (mentioned.target_type, mentioned.target_id) == ("schedule.task", task.pk)
    if NOTIFICATIONS_HANDLER in settings.CLIENTFOLIO_EVENT_HANDLERS:
        from clientfolio.notifications.models import Notification

        assert Notification.objects.filter(
            user=wang_fang, kind="comment.mentioned", target_id=task.pk
        ).exists()
