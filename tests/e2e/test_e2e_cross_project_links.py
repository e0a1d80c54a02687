"""A link left behind to a task of a project the user is not on: in a real browser, the
task page and the Gantt chart open without an error, never name the foreign task, and
say that the schedule ignores the link."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SECRET = "机密并购尽调"


@pytest.fixture
def linked_project(transactional_db, signed_in):
    from clientfolio.clients.models import Client
    from clientfolio.core.models import User
    from clientfolio.projects import services as project_services
    from clientfolio.projects.models import Project
    from clientfolio.schedule import services
    from clientfolio.schedule.models import Dependency, Task

    client = Client.objects.create(name="上海云帆信息科技有限公司", owner=signed_in)
    project = project_services.create_project(
        Project(name="客户数据平台一期", client=client, manager=signed_in),
        user=signed_in,
    )
    stranger = User.objects.create_user(username="stranger", role="staff")
    other = project_services.create_project(
        Project(name="另一家客户的项目", client=client, manager=stranger),
        user=stranger,
    )
    build = services.create_task(Task(project=project, name="开发", duration=5))
    secret = services.create_task(Task(project=other, name=SECRET, duration=4))
    # As an import or an administrator would leave it: the services refuse such a link.
    Dependency.objects.create(project=project, predecessor=secret, successor=build)
    services.recompute(project)
    return project, build


def test_the_task_page_and_gantt_hide_the_foreign_task(
    live_server, page, linked_project
):
    project, build = linked_project
    build.refresh_from_db()

    page.goto(f"{live_server.url}/projects/{project.pk}/schedule/tasks/{build.pk}/")
    expect(page.locator("h3").filter(has_text="开发").first).to_be_visible()
    expect(page.locator("#task-finish")).to_have_text(build.finish.isoformat())
    expect(page.locator("#dependencies")).to_contain_text("None")
    assert SECRET not in page.content()

    page.goto(f"{live_server.url}/projects/{project.pk}/schedule/gantt/")
    expect(page.locator("[data-gantt][data-gantt-ready]")).to_have_count(1)
    expect(page.locator(f'.cf-g-task[data-id="{build.pk}"]')).to_be_visible()
    expect(page.get_by_test_id("plan-warning")).to_contain_text(
        "1 link to a task of another project is ignored by the schedule."
    )
    assert SECRET not in page.content()
    assert not page.js_errors
