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


# --- replacing the linked tasks keeps the links the editor cannot see ---------------------


def _form_data(risk, tasks):
    return {
        "title": risk.title,
        "category": risk.category,
        "probability": risk.probability,
        "impact": risk.impact,
        "status": risk.status,
        "strategy": risk.strategy,
        "version": risk.version,
        "tasks": [task.pk for task in tasks],
    }


def _linked_ids(risk):
    return set(risk.tasks.values_list("pk", flat=True))


def test_replacing_the_tasks_in_the_form_keeps_a_link_the_editor_cannot_see(
    linked, project, as_persona
):
    risk = linked["risk"]
    other = TaskFactory(project=project, name="数据迁移")
    url = reverse("risks:risk_edit", kwargs={"pk": project.pk, "risk_pk": risk.pk})
    browser = as_persona("project_manager")

    shown = browser.get(url)
    saved = browser.post(url, _form_data(risk, [other]))

    assert SECRET not in shown.content.decode()
    assert saved.status_code == 302
    assert _linked_ids(risk) == {other.pk, linked["secret"].pk}


def test_replacing_the_tasks_through_the_api_keeps_a_link_the_editor_cannot_see(
    linked, project, api_as
):
    risk = linked["risk"]
    other = TaskFactory(project=project, name="数据迁移")

    response = api_as("project_manager").patch(
        f"/api/v1/risks/{risk.pk}/",
        {"tasks": [other.pk], "version": risk.version},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["tasks"] == [other.pk]
    assert _linked_ids(risk) == {other.pk, linked["secret"].pk}


def test_an_editor_who_sees_the_other_task_can_keep_or_drop_its_link(
    linked, project, admin_api, admin_browser
):
    risk = linked["risk"]
    url = reverse("risks:risk_edit", kwargs={"pk": project.pk, "risk_pk": risk.pk})

    shown = admin_browser.get(url)
    kept = admin_api.patch(
        f"/api/v1/risks/{risk.pk}/",
        {"tasks": [linked["task"].pk, linked["secret"].pk], "version": risk.version},
        format="json",
    )
    risk.refresh_from_db()
    in_form = _linked_ids(risk)
    dropped = admin_browser.post(url, _form_data(risk, [linked["task"]]))

    assert SECRET in shown.content.decode()  # offered, selected
    assert kept.status_code == 200, kept.content
    assert in_form == {linked["task"].pk, linked["secret"].pk}
    assert dropped.status_code == 302
    assert _linked_ids(risk) == {linked["task"].pk}


def test_a_new_link_to_a_task_of_another_project_is_still_refused(
    linked, project, admin_api
):
    risk = linked["risk"]
    elsewhere = TaskFactory(project=linked["secret"].project, name="另一项任务")

    response = admin_api.patch(
        f"/api/v1/risks/{risk.pk}/",
        {"tasks": [linked["task"].pk, elsewhere.pk], "version": risk.version},
        format="json",
    )

    assert response.status_code == 400
    assert "Linked tasks must belong to this project." in response.content.decode()
    assert _linked_ids(risk) == {linked["task"].pk, linked["secret"].pk}
