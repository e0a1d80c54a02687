"""A risk linked to a task of another project (left behind when the task moved, or linked
by an administrator) never shows that task to a reader who is not on its project, and
nothing breaks. The links are made with the ORM, as an import or the admin would."""

import pytest
from django.urls import reverse

from clientfolio.schedule.models import Task
from tests.projects.factories import ProjectFactory
from tests.schedule.factories import TaskFactory

SECRET = "机密并购尽调"


@pytest.fixture
def linked(make_risk, task):
    other = ProjectFactory(name="另一家客户的项目")
    secret = TaskFactory(project=other, name=SECRET)
    risk = make_risk()
    risk.tasks.add(task, secret)
    return {"risk": risk, "task": task, "secret": secret}


def test_the_risk_list_and_detail_leave_out_a_task_of_another_project(linked, api_as):
    api = api_as("member")
    risk = linked["risk"]

    listed = api.get("/api/v1/risks/")
    detail = api.get(f"/api/v1/risks/{risk.pk}/")

    assert listed.status_code == 200
    assert [row["tasks"] for row in listed.json()["results"]] == [[linked["task"].pk]]
    assert detail.status_code == 200
    assert detail.json()["tasks"] == [linked["task"].pk]


def test_the_risk_page_does_not_name_a_task_of_another_project(
    linked, project, as_persona
):
    url = reverse(
        "risks:risk_detail", kwargs={"pk": project.pk, "risk_pk": linked["risk"].pk}
    )

    response = as_persona("member").get(url)

    assert response.status_code == 200
    body = response.content.decode()
    assert SECRET not in body
    assert linked["task"].name in body
    assert f"/tasks/{linked['secret'].pk}/" not in body


def test_a_risk_with_a_foreign_task_can_still_be_edited(linked, api_as):
    risk = linked["risk"]

    response = api_as("project_manager").patch(
        f"/api/v1/risks/{risk.pk}/",
        {"title": "需求变更更频繁", "version": risk.version},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["tasks"] == [linked["task"].pk]
    assert SECRET not in response.content.decode()


def test_an_administrator_sees_the_task_of_another_project(linked, admin_api):
    response = admin_api.get(f"/api/v1/risks/{linked['risk'].pk}/")

    assert response.status_code == 200
    assert sorted(response.json()["tasks"]) == sorted(
        [linked["task"].pk, linked["secret"].pk]
    )


def test_a_reader_on_both_projects_sees_both_tasks(linked, member, api_as):
    from clientfolio.projects.models import Membership

    other = Task.objects.get(pk=linked["secret"].pk).project
    Membership.objects.create(project=other, user=member, role="viewer")

    response = api_as("member").get(f"/api/v1/risks/{linked['risk'].pk}/")

    assert sorted(response.json()["tasks"]) == sorted(
        [linked["task"].pk, linked["secret"].pk]
    )
