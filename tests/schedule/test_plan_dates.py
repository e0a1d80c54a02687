"""Absurd plan dates are refused where they enter (model, form, API), and a plan whose
computed dates would run off the calendar is a 400 naming the limit, never a 500."""

import datetime

import pytest

from clientfolio.projects.forms import ProjectForm
from clientfolio.projects.models import Project
from clientfolio.schedule import services
from clientfolio.schedule.models import Dependency, Task
from tests.projects.factories import ProjectFactory

RANGE = "Enter a date between 1970-01-01 and 2200-12-31."
TOO_LATE = (
    "The plan would finish after 2200-12-31: shorten durations or lags, or start the "
    "project earlier. Nothing was saved."
)


def _project_body(client_record, manager, **dates):
    return {
        "name": "时间旅行项目",
        "client": client_record.pk,
        "manager": manager.pk,
        **dates,
    }


@pytest.mark.parametrize(
    "field", ["starts_on", "planned_finish_on", "actual_finish_on"]
)
@pytest.mark.parametrize("day", ["9999-12-31", "1900-01-01"])
def test_an_api_project_with_an_absurd_date_is_400(
    staff_api, staff, client_record, field, day
):
    response = staff_api.post(
        "/api/v1/projects/",
        _project_body(client_record, staff, **{field: day}),
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {field: [RANGE]}
    assert not Project.objects.filter(name="时间旅行项目").exists()


def test_the_last_plan_date_itself_is_accepted(staff_api, staff, client_record):
    response = staff_api.post(
        "/api/v1/projects/",
        _project_body(client_record, staff, starts_on="2200-12-31"),
        format="json",
    )

    assert response.status_code == 201, response.content


def test_the_project_form_refuses_an_absurd_start(client_record, staff):
    form = ProjectForm(
        data={
            "name": "时间旅行项目",
            "client": client_record.pk,
            "manager": staff.pk,
            "priority": "medium",
            "status": "proposed",
            "phase": "initiation",
            "starts_on": "9999-12-31",
        }
    )

    assert not form.is_valid()
    assert form.errors["starts_on"] == [RANGE]


def test_the_project_page_refuses_an_absurd_start(as_persona, project):
    response = as_persona("project_manager").post(
        f"/projects/{project.pk}/edit/",
        {
            "name": project.name,
            "manager": project.manager_id,
            "priority": project.priority,
            "status": project.status,
            "phase": project.phase,
            "starts_on": "9999-12-31",
            "version": project.version,
        },
    )

    assert response.status_code == 400
    assert RANGE in response.content.decode()
    project.refresh_from_db()
    assert project.starts_on != datetime.date(9999, 12, 31)


@pytest.mark.parametrize("field", ["constraint_date", "actual_start", "actual_finish"])
def test_an_api_task_with_an_absurd_date_is_400(plan, project, api_as, field):
    body = {"project": project.pk, "name": "穿越", "duration": 2, field: "9999-12-31"}
    if field == "constraint_date":
        body["constraint"] = "snet"

    response = api_as("member").post("/api/v1/tasks/", body, format="json")

    assert response.status_code == 400
    assert response.json()[field] == [RANGE]
    assert not Task.objects.filter(name="穿越").exists()


def test_an_absurd_status_date_is_400(plan, project, api_as):
    settings_row = services.ensure_schedule(project)

    response = api_as("project_manager").patch(
        f"/api/v1/project-schedules/{settings_row.pk}/",
        {"status_date": "9999-12-31", "version": settings_row.version},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"status_date": [RANGE]}


def test_a_gantt_move_to_an_absurd_date_is_400(plan, project, as_persona):
    task = plan["build"]

    response = as_persona("member").post(
        f"/projects/{project.pk}/schedule/gantt/update/",
        {
            "task": task.pk,
            "version": task.version,
            "action": "move",
            "value": "9999-12-31",
        },
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json() == {"error": RANGE}


# --- what is already stored (from before the dates were checked) ----------------------------


@pytest.fixture
def end_of_time(project):
    """The shared project as an old import left it: starting on 9999-12-31."""
    Project.objects.filter(pk=project.pk).update(starts_on=datetime.date(9999, 12, 31))
    project.refresh_from_db()
    return project


def test_a_task_added_to_a_project_starting_9999_12_31_is_400(end_of_time, api_as):
    response = api_as("member").post(
        "/api/v1/tasks/",
        {"project": end_of_time.pk, "name": "最后一天", "duration": 3},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [TOO_LATE]}
    assert not Task.objects.filter(name="最后一天").exists()


def test_the_task_page_refuses_it_with_the_message(end_of_time, as_persona):
    response = as_persona("member").post(
        f"/projects/{end_of_time.pk}/schedule/tasks/new/",
        {
            "name": "最后一天",
            "duration": 3,
            "buffer_days": 0,
            "priority": "medium",
            "constraint": "asap",
            "status": "todo",
            "percent_complete": 0,
        },
    )

    assert response.status_code == 400
    assert TOO_LATE in response.content.decode()


def test_the_forecast_of_such_a_project_is_400(end_of_time, api_as):
    Task.objects.create(project=end_of_time, name="遗留", duration=5)

    response = api_as("member").get(
        f"/api/v1/projects/{end_of_time.pk}/forecast/", {"runs": 100}
    )

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [TOO_LATE]}


def test_a_chain_running_past_the_last_plan_date_is_refused(project):
    # given a project starting on the last plan date and a chain of long tasks
    Project.objects.filter(pk=project.pk).update(starts_on=datetime.date(2200, 12, 1))
    project.refresh_from_db()
    first = services.create_task(Task(project=project, name="一", duration=5))
    second = services.create_task(
        Task(project=project, name="二", duration=5), recompute_after=False
    )
    Dependency.objects.create(project=project, predecessor=first, successor=second)

    # when the second task grows past the end of 2200
    second.duration = 100
    with pytest.raises(services.PlanError) as refused:
        services.update_task(second, second.version)

    # then the edit is refused with the limit, and nothing was saved
    assert refused.value.message == TOO_LATE
    assert Task.objects.get(pk=second.pk).duration == 5


def test_a_chain_running_past_9999_is_refused_not_a_crash(db):
    # given a project whose computed dates overflow Python's dates
    project = ProjectFactory(starts_on=datetime.date(2200, 1, 5))
    tasks = Task.objects.bulk_create(
        [
            Task(project=project, name=f"长任务{i}", duration=5000, position=i)
            for i in range(420)
        ]
    )
    Dependency.objects.bulk_create(
        [
            Dependency(project=project, predecessor=a, successor=b)
            for a, b in zip(tasks, tasks[1:], strict=False)
        ]
    )

    # when the plan is computed, then it is refused with the limit
    with pytest.raises(services.PlanError) as refused:
        services.recompute(project)
    assert refused.value.message == TOO_LATE
