"""The schedule API: tasks with versions and 409, PlanError as 400 with the field, links,
assignments, baselines, calendar settings and the computed schedule; constant queries."""

import datetime

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clientfolio.schedule import services
from clientfolio.schedule.models import Dependency, ProjectSchedule, Task

D = datetime.date


def test_the_task_list_has_computed_dates(plan, api_as, project):
    response = api_as("viewer").get("/api/v1/tasks/", {"project": project.pk})
    assert response.status_code == 200
    rows = {row["name"]: row for row in response.json()["results"]}
    assert rows["开发"]["finish"] == "2026-10-13"
    assert rows["开发"]["is_critical"] is True
    assert rows["需求分析"]["owner_name"]


def test_an_outsider_sees_no_tasks(plan, api_as):
    assert api_as("staff").get("/api/v1/tasks/").json()["results"] == []
    assert api_as("staff").get(f"/api/v1/tasks/{plan['build'].pk}/").status_code == 404


def test_a_task_is_created_and_updated_with_its_version(plan, api_as, project):
    api = api_as("member")
    response = api.post(
        "/api/v1/tasks/",
        {
            "project": project.pk,
            "parent": plan["phase"].pk,
            "name": "测试",
            "duration": 2,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["wbs"] == "1.3"
    response = api.patch(
        f"/api/v1/tasks/{created['id']}/",
        {"duration": 4, "version": created["version"]},
        format="json",
    )
    assert response.status_code == 200
    stale = api.patch(
        f"/api/v1/tasks/{created['id']}/",
        {"duration": 9, "version": created["version"]},
        format="json",
    )
    assert stale.status_code == 409
    assert Task.objects.get(pk=created["id"]).duration == 4


def test_a_milestone_created_through_the_api_is_visible_to_the_client(
    plan, api_as, project
):
    response = api_as("project_manager").post(
        "/api/v1/tasks/",
        {"project": project.pk, "name": "上线", "is_milestone": True, "duration": 0},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["is_client_visible"] is True
    assert Task.objects.get(pk=response.json()["id"]).is_client_visible


def test_a_viewer_cannot_create_tasks(plan, api_as, project):
    response = api_as("viewer").post(
        "/api/v1/tasks/", {"project": project.pk, "name": "不允许"}, format="json"
    )
    assert response.status_code == 403
    assert not Task.objects.filter(name="不允许").exists()


def test_a_cycle_is_400_on_the_predecessor_field(plan, api_as):
    response = api_as("member").post(
        "/api/v1/dependencies/",
        {
            "predecessor": plan["accept"].pk,
            "successor": plan["analysis"].pk,
            "kind": "FS",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "验收" in response.json()["predecessor"][0]
    assert Dependency.objects.count() == 2


def test_three_estimates_or_none(plan, api_as):
    task = plan["build"]
    response = api_as("member").patch(
        f"/api/v1/tasks/{task.pk}/",
        {"optimistic_days": 3, "version": task.version},
        format="json",
    )
    assert response.status_code == 400
    assert "pessimistic_days" in response.json()


def test_assignments_and_baselines(plan, api_as, member, project):
    api = api_as("project_manager")
    response = api.post(
        "/api/v1/assignments/",
        {"task": plan["build"].pk, "user": member.pk, "hours": "40"},
        format="json",
    )
    assert response.status_code == 201, response.content
    response = api.post(
        "/api/v1/baselines/", {"project": project.pk, "name": "基线A"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert len(response.json()["tasks"]) == 4
    again = api.post(
        "/api/v1/baselines/", {"project": project.pk, "name": "基线A"}, format="json"
    )
    assert again.status_code == 400
    assert "name" in again.json()


def test_calendar_settings_with_days_recompute(plan, api_as, project):
    settings_row = ProjectSchedule.objects.get(project=project)
    api = api_as("project_manager")
    response = api.patch(
        f"/api/v1/project-schedules/{settings_row.pk}/",
        {
            "calendar_days": [{"day": "2026-10-08", "kind": "holiday", "name": "团建"}],
            "workdays": [0, 1, 2, 3, 4],
            "version": settings_row.version,
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["calendar_days"][0]["day"] == "2026-10-08"
    assert Task.objects.get(pk=plan["build"].pk).finish == D(2026, 10, 14)
    member = api_as("member").patch(
        f"/api/v1/project-schedules/{settings_row.pk}/",
        {"buffer_days": 3, "version": 2},
        format="json",
    )
    assert member.status_code == 403


def test_the_computed_schedule_has_the_critical_path(plan, api_as, project):
    response = api_as("viewer").get(f"/api/v1/projects/{project.pk}/schedule/")
    assert response.status_code == 200
    data = response.json()
    assert data["finish"] == "2026-10-13"
    assert data["critical_path"] == [
        plan["analysis"].pk,
        plan["build"].pk,
        plan["accept"].pk,
    ]
    assert (
        api_as("staff").get(f"/api/v1/projects/{project.pk}/schedule/").status_code
        == 404
    )


def test_the_task_list_needs_the_same_queries_for_1_and_20_tasks(
    project, api_as, member
):
    api = api_as("member")

    def count():
        with CaptureQueriesContext(connection) as context:
            assert (
                api.get(
                    "/api/v1/tasks/", {"project": project.pk, "page_size": 100}
                ).status_code
                == 200
            )
        return len(context.captured_queries)

    services.create_task(Task(project=project, name="一", owner=member))
    one = count()
    for n in range(19):
        services.create_task(
            Task(project=project, name=f"任务{n}", owner=member), recompute_after=False
        )
    assert count() == one


def test_a_task_is_read_with_its_dependencies(plan, api_as):
    # given 需求分析 → 开发 (FS) and 开发 → 验收, the second with a lag of 2 days
    link = Dependency.objects.get(predecessor=plan["build"], successor=plan["accept"])
    link.lag = 2
    link.kind = Dependency.Kind.SS
    link.save()
    before = Dependency.objects.get(successor=plan["build"])

    # when a member reads 开发
    response = api_as("member").get(f"/api/v1/tasks/{plan['build'].pk}/")

    # then its links come in the same answer, seen from 开发
    assert response.status_code == 200
    body = response.json()
    assert body["predecessors"] == [
        {"id": before.pk, "task": plan["analysis"].pk, "kind": "FS", "lag": 0}
    ]
    assert body["successors"] == [
        {"id": link.pk, "task": plan["accept"].pk, "kind": "SS", "lag": 2}
    ]
    assert body["name"] == "开发"


def test_a_task_read_needs_the_same_queries_with_1_and_10_links(plan, api_as):
    api = api_as("member")
    url = f"/api/v1/tasks/{plan['build'].pk}/"

    def count():
        cache.clear()  # uncached each time, like a first request (core.caching)
        with CaptureQueriesContext(connection) as context:
            assert api.get(url).status_code == 200
        return len(context.captured_queries)

    one = count()
    for n in range(9):
        extra = services.create_task(
            Task(project=plan["build"].project, name=f"后续{n}"), recompute_after=False
        )
        Dependency.objects.create(
            project=extra.project, predecessor=plan["build"], successor=extra
        )
    assert count() == one
    assert len(api.get(url).json()["successors"]) == 10


def test_the_forecast_gives_percentiles_for_the_project_and_milestones(
    plan, api_as, project
):
    build = plan["build"]
    Task.objects.filter(pk=build.pk).update(
        optimistic_days=4, likely_days=5, pessimistic_days=12
    )
    response = api_as("viewer").get(
        f"/api/v1/projects/{project.pk}/forecast/", {"runs": 1000}
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["estimated_tasks"] == 1
    assert data["project"]["p50"] <= data["project"]["p80"] <= data["project"]["p95"]
    milestone = data["milestones"][0]
    assert milestone["name"] == "验收"
    assert milestone["p95"] >= "2026-10-13"
    assert 0 <= milestone["probability"] <= 1
    assert (
        api_as("viewer")
        .get(f"/api/v1/projects/{project.pk}/forecast/", {"runs": "many"})
        .status_code
        == 400
    )
