"""A link whose other end is in another project (imported, made by an administrator, or
left behind when a task moved) never shows the foreign task to a reader outside that
project, and the schedule ignores it with a warning instead of failing.

The links are made with the ORM, as an import or the admin would: the services refuse
them."""

import pytest
from django.utils import translation

from clientfolio.schedule import services
from clientfolio.schedule.models import Dependency, Task
from tests.projects.factories import ProjectFactory
from tests.schedule.factories import TaskFactory

SECRET = "机密并购尽调"


@pytest.fixture
def foreign(plan, project):
    """A task of a project nobody on the shared project is on, linked into the shared
    plan both ways: it precedes 开发 (a link filed under the shared project) and follows
    需求分析 (a link filed under the other project)."""
    other = ProjectFactory(name="另一家客户的项目")
    secret = TaskFactory(project=other, name=SECRET, duration=4)
    into = Dependency.objects.create(
        project=project, predecessor=secret, successor=plan["build"]
    )
    out_of = Dependency.objects.create(
        project=other, predecessor=plan["analysis"], successor=secret
    )
    return {"project": other, "task": secret, "into": into, "out_of": out_of}


# --- the engine inputs ---------------------------------------------------------------------


def test_recompute_ignores_a_link_to_another_project_with_a_warning(
    plan, project, foreign
):
    result = services.recompute(project)

    assert result.ignored_links == 2
    build = Task.objects.get(pk=plan["build"].pk)
    assert build.finish is not None
    with translation.override("en"):
        warnings = services.plan_warnings(services.ensure_schedule(project))
    assert warnings == [
        "2 links to tasks of other projects are ignored by the schedule."
    ]


def test_a_plan_without_foreign_links_has_no_warning(plan, project):
    assert services.recompute(project).ignored_links == 0
    assert services.plan_warnings(services.ensure_schedule(project)) == []


def test_editing_the_plan_still_works_with_a_foreign_link(
    plan, project, foreign, api_as
):
    build = plan["build"]
    response = api_as("member").patch(
        f"/api/v1/tasks/{build.pk}/",
        {"duration": 6, "version": build.version},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["duration"] == 6
    assert SECRET not in response.content.decode()


def test_a_new_task_is_added_next_to_a_foreign_link(plan, project, foreign, api_as):
    response = api_as("member").post(
        "/api/v1/tasks/",
        {"project": project.pk, "name": "上线", "duration": 2},
        format="json",
    )

    assert response.status_code == 201, response.content


# --- the API -------------------------------------------------------------------------------


def test_the_dependency_list_hides_links_with_a_foreign_end(plan, foreign, api_as):
    response = api_as("member").get("/api/v1/dependencies/")

    assert response.status_code == 200
    rows = response.json()["results"]
    ends = {(row["predecessor"], row["successor"]) for row in rows}
    assert ends == {
        (plan["analysis"].pk, plan["build"].pk),
        (plan["build"].pk, plan["accept"].pk),
    }
    assert all(foreign["task"].pk not in pair for pair in ends)


def test_the_dependency_list_filtered_by_task_hides_the_foreign_link(
    plan, foreign, api_as
):
    response = api_as("member").get(
        "/api/v1/dependencies/", {"successor": plan["build"].pk}
    )

    assert response.status_code == 200
    assert [row["predecessor"] for row in response.json()["results"]] == [
        plan["analysis"].pk
    ]


def test_a_link_with_a_foreign_end_is_not_found(foreign, api_as):
    api = api_as("member")

    for link in (foreign["into"], foreign["out_of"]):
        response = api.get(f"/api/v1/dependencies/{link.pk}/")
        assert response.status_code == 404
        assert str(foreign["task"].pk) not in response.json()["detail"]
    assert api.delete(f"/api/v1/dependencies/{foreign['into'].pk}/").status_code == 404
    assert Dependency.objects.filter(pk=foreign["into"].pk).exists()


def test_an_administrator_sees_the_link_that_crosses_projects(
    plan, foreign, api_as, admin
):
    response = api_as("admin").get(f"/api/v1/dependencies/{foreign['into'].pk}/")

    assert response.status_code == 200
    assert response.json()["predecessor"] == foreign["task"].pk


def test_the_forecast_answers_with_a_warning_instead_of_500(
    plan, project, foreign, api_as
):
    response = api_as("member").get(
        f"/api/v1/projects/{project.pk}/forecast/", {"runs": 100}
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["project"]["p50"]
    assert body["warnings"] == [
        "2 links to tasks of other projects are ignored by the schedule."
    ]
    assert SECRET not in response.content.decode()


def test_the_computed_schedule_names_no_foreign_task_and_warns(
    plan, project, foreign, api_as
):
    services.recompute(project)

    response = api_as("member").get(f"/api/v1/projects/{project.pk}/schedule/")

    assert response.status_code == 200
    body = response.json()
    assert foreign["task"].pk not in {task["id"] for task in body["tasks"]}
    assert body["warnings"] == [
        "2 links to tasks of other projects are ignored by the schedule."
    ]


# --- the pages -----------------------------------------------------------------------------


def test_the_task_page_does_not_name_the_foreign_task(
    plan, project, foreign, as_persona
):
    for task in (plan["build"], plan["analysis"]):
        response = as_persona("member").get(
            f"/projects/{project.pk}/schedule/tasks/{task.pk}/"
        )
        assert response.status_code == 200
        assert SECRET not in response.content.decode()


def test_the_gantt_data_has_no_foreign_task_and_a_warning(
    plan, project, foreign, as_persona
):
    services.recompute(project)

    response = as_persona("member").get(f"/projects/{project.pk}/schedule/gantt/data/")

    assert response.status_code == 200
    data = response.json()
    assert SECRET not in response.content.decode()
    assert all(foreign["task"].pk not in link[:2] for link in data["links"])
    assert len(data["links"]) == 2
    assert data["warnings"] == [
        "2 links to tasks of other projects are ignored by the schedule."
    ]


def test_the_schedule_pages_show_the_warning(plan, project, foreign, as_persona):
    services.recompute(project)
    browser = as_persona("member")

    for page in ("", "gantt/"):
        response = browser.get(f"/projects/{project.pk}/schedule/{page}")
        assert response.status_code == 200
        body = response.content.decode()
        assert "links to tasks of other projects are ignored" in body
        assert SECRET not in body


def test_a_baseline_leaves_out_a_task_that_moved_to_another_project(
    plan, project, foreign, api_as, project_manager
):
    # given a baseline of the plan, and one of its tasks later moved to the other project
    baseline = services.save_baseline(project, "签约基线", user=project_manager)
    Task.objects.filter(pk=plan["accept"].pk).update(project=foreign["project"])

    response = api_as("member").get(f"/api/v1/baselines/{baseline.pk}/")

    assert response.status_code == 200
    listed = {row["task"] for row in response.json()["tasks"]}
    assert plan["accept"].pk not in listed
    assert plan["build"].pk in listed


def test_a_task_read_leaves_out_the_link_to_a_foreign_task(plan, foreign, api_as):
    # given 开发, preceded by 需求分析 and by a task of a project the member is not on
    # when the member reads 开发
    response = api_as("member").get(f"/api/v1/tasks/{plan['build'].pk}/")

    # then only the link inside the plan is shown, and nothing names the foreign task
    assert response.status_code == 200
    body = response.json()
    assert [link["task"] for link in body["predecessors"]] == [plan["analysis"].pk]
    assert SECRET not in response.content.decode()
    assert foreign["into"].pk not in {link["id"] for link in body["predecessors"]}


def test_an_administrator_reads_the_task_with_its_link_to_another_project(
    plan, foreign, api_as, admin
):
    response = api_as("admin").get(f"/api/v1/tasks/{plan['build'].pk}/")

    assert response.status_code == 200
    assert {link["task"] for link in response.json()["predecessors"]} == {
        plan["analysis"].pk,
        foreign["task"].pk,
    }
