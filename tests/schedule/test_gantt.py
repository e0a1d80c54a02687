"""The Gantt chart: its data (content and constant query count) and the edits made by
dragging, which go through the same validation as every edit."""

import json
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clientfolio.schedule import services
from clientfolio.schedule.gantt import gantt_data
from clientfolio.schedule.models import Task
from tests.schedule.gantt_plan import START, build_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(project, member):
    return build_plan(project, owner=member)


def _post(browser, project, **change):
    return browser.post(
        reverse("schedule:gantt_update", args=[project.pk]),
        json.dumps(change),
        content_type="application/json",
    )


def test_gantt_data_lists_tasks_in_wbs_order_with_critical_path_and_links(
    project, plan
):
    # when the chart's data is built
    data = gantt_data(project, today=date(2026, 3, 4))

    # then the tasks come in WBS order with their computed dates and flags
    tasks = {t["name"]: t for t in data["tasks"]}
    assert [t["wbs"] for t in data["tasks"]] == [
        "1",
        "1.1",
        "1.2",
        "2",
        "2.1",
        "2.2",
        "2.3",
    ]
    assert tasks["需求调研"]["start"] == START.isoformat()
    assert tasks["需求调研"]["critical"]
    assert tasks["编码实现"]["critical"]
    assert not tasks["环境准备"]["critical"]
    assert tasks["设计"]["summary"]
    assert tasks["验收里程碑"]["milestone"]
    assert tasks["方案设计"]["level"] == 1
    # and the links, today and the range around the plan
    assert [plan.a.pk, plan.b.pk, "FS", 0] in data["links"]
    assert data["today"] == "2026-03-04"
    assert data["range"][0] <= START.isoformat() <= data["range"][1]


def test_gantt_data_shades_weekends_and_holidays_and_marks_make_up_workdays(
    project, plan
):
    # when the chart's data is built (the range starts two weeks before 2 March 2026)
    calendar = gantt_data(project, today=START)["calendar"]

    # then Saturdays and the Spring Festival are off, and Saturday 28 February is a workday
    assert "2026-03-07" in calendar["off"]
    assert "2026-02-18" in calendar["off"]
    assert "2026-02-28" in calendar["makeup"]
    assert "2026-02-28" not in calendar["off"]
    assert "2026-02-17" in calendar["names"]


def test_gantt_data_carries_the_chosen_baseline(project, plan, project_manager):
    # given a baseline, then a slip of the coding task
    baseline = services.save_baseline(project, "签约基线", user=project_manager)
    plan.c.duration = 8
    services.update_task(plan.c, plan.c.version)

    # when the chart's data is built against the baseline
    data = gantt_data(project, baseline)

    # then each task has its baseline dates beside the current ones
    coding = next(t for t in data["tasks"] if t["id"] == plan.c.pk)
    assert data["baseline"] == {"id": baseline.pk, "name": "签约基线"}
    assert coding["bfinish"] < coding["finish"]


def test_gantt_data_query_count_does_not_grow_with_the_tasks(
    project, plan, project_manager
):
    # given the count for the small plan (with a baseline)
    baseline = services.save_baseline(project, "基线", user=project_manager)
    with CaptureQueriesContext(connection) as small:
        gantt_data(project, baseline)

    # when 50 more tasks are added
    Task.objects.bulk_create(
        [
            Task(project=project, name=f"任务{i}", wbs=f"3.{i}", wbs_sort=f"3.{i:05d}")
            for i in range(50)
        ]
    )
    with CaptureQueriesContext(connection) as large:
        data = gantt_data(project, baseline)

    # then the number of queries is the same, and small
    assert len(data["tasks"]) == 57
    assert len(large) == len(small) <= 8


def test_gantt_page_and_data_open_for_a_viewer(project, plan, as_persona):
    # given a viewer of the project
    browser = as_persona("viewer")

    # when they open the Gantt and its data
    page = browser.get(reverse("schedule:gantt", args=[project.pk]))
    data = browser.get(reverse("schedule:gantt_data", args=[project.pk]))

    # then both answer, and the page does not offer editing
    assert page.status_code == 200
    assert b'id="gantt-config"' in page.content
    config = page.context["gantt_config"]
    assert config["editable"] is False
    assert data.status_code == 200
    assert len(data.json()["tasks"]) == 7


def test_dragging_a_task_moves_its_successors(project, plan, as_persona):
    # given the manager's browser and the coding task's current dates
    browser = as_persona("project_manager")
    milestone_before = plan.milestone.finish

    # when the coding task is dragged three days later
    response = _post(
        browser,
        project,
        task=plan.c.pk,
        version=plan.c.version,
        action="move",
        value=(plan.c.start + timedelta(days=7)).isoformat(),
    )

    # then it starts no earlier than that date and the milestone after it moved too
    assert response.status_code == 200, response.content
    plan.c.refresh_from_db()
    plan.milestone.refresh_from_db()
    assert plan.c.constraint == Task.Constraint.SNET
    assert response.json()["version"] == plan.c.version
    assert plan.milestone.finish > milestone_before


def test_resizing_and_progress_go_through_the_service(project, plan, as_persona):
    browser = as_persona("member")

    # when a member stretches the first task to 5 working days
    response = _post(
        browser,
        project,
        task=plan.a.pk,
        version=plan.a.version,
        action="resize",
        value=5,
    )

    # then its duration and its successors' dates change
    assert response.status_code == 200
    plan.a.refresh_from_db()
    plan.b.refresh_from_db()
    assert plan.a.duration == 5
    assert plan.b.start > plan.a.start + timedelta(days=4)

    # when they drag its progress to 40 %
    response = _post(
        browser,
        project,
        task=plan.a.pk,
        version=plan.a.version,
        action="progress",
        value=40,
    )

    # then the task is in progress
    assert response.status_code == 200
    plan.a.refresh_from_db()
    assert plan.a.percent_complete == 40
    assert plan.a.status == Task.Status.IN_PROGRESS


def test_a_stale_version_is_refused_with_409_and_nothing_changes(
    project, plan, as_persona
):
    browser = as_persona("project_manager")

    # when the chart sends an edit based on an old version
    response = _post(
        browser,
        project,
        task=plan.c.pk,
        version=plan.c.version - 1,
        action="resize",
        value=9,
    )

    # then it is refused and the task is unchanged
    assert response.status_code == 409
    assert "error" in response.json()
    plan.c.refresh_from_db()
    assert plan.c.duration == 5


@pytest.mark.parametrize(
    ("action", "value"),
    [
        ("move", "not-a-date"),
        ("resize", 0),
        ("resize", "many"),
        ("progress", 120),
        ("explode", 1),
    ],
)
def test_invalid_edits_are_refused_with_400(project, plan, as_persona, action, value):
    browser = as_persona("project_manager")

    # when the chart sends a bad value
    response = _post(
        browser,
        project,
        task=plan.c.pk,
        version=plan.c.version,
        action=action,
        value=value,
    )

    # then it is refused with a message and nothing is saved
    assert response.status_code == 400
    assert response.json()["error"]
    plan.c.refresh_from_db()
    assert (plan.c.duration, plan.c.constraint, plan.c.version) == (
        5,
        "asap",
        plan.c.version,
    )


def test_summary_tasks_and_milestone_durations_cannot_be_dragged(
    project, plan, as_persona
):
    browser = as_persona("project_manager")
    summary = _post(
        browser,
        project,
        task=plan.design.pk,
        version=plan.design.version,
        action="move",
        value="2026-04-01",
    )
    milestone = _post(
        browser,
        project,
        task=plan.milestone.pk,
        version=plan.milestone.version,
        action="resize",
        value=3,
    )
    assert summary.status_code == 400
    assert milestone.status_code == 400


def test_a_viewer_may_not_edit_and_an_outsider_does_not_see_the_project(
    project, plan, as_persona
):
    # when a viewer and a staff member outside the project send an edit
    change = {
        "task": plan.c.pk,
        "version": plan.c.version,
        "action": "resize",
        "value": 9,
    }
    viewer = _post(as_persona("viewer"), project, **change)
    outsider = _post(as_persona("staff"), project, **change)

    # then the viewer is refused, the outsider is told nothing exists, nothing changed
    assert viewer.status_code == 403
    assert outsider.status_code == 404
    plan.c.refresh_from_db()
    assert plan.c.duration == 5


def test_a_task_of_another_project_is_not_found(
    project, plan, as_persona, project_manager
):
    from clientfolio.projects import services as project_services
    from clientfolio.projects.models import Project

    other = project_services.create_project(
        Project(name="另一个项目", client=project.client, manager=project_manager),
        user=project_manager,
    )
    foreign = services.create_task(Task(project=other, name="别人的任务"))
    response = _post(
        as_persona("project_manager"),
        project,
        task=foreign.pk,
        version=foreign.version,
        action="resize",
        value=3,
    )
    assert response.status_code == 404
