"""The plan grid: its page and API (cells, rows, indent, paste, undo, the team), the
Gantt's constraint notice and undo; statuses, bodies and query counts."""

import json
from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from clientfolio.projects.models import Membership
from clientfolio.schedule.models import Dependency, PlanChange, ProjectSchedule, Task
from tests.core.factories import UserFactory
from tests.schedule.factories import DependencyFactory, TaskFactory

pytestmark = pytest.mark.django_db
MONDAY = date(2026, 3, 2)


@pytest.fixture
def plan(project, member):
    """需求 (3 d) → 设计 (2 d) → 开发 (5 d), from Monday 2026-03-02."""
    project.starts_on = MONDAY
    project.save()
    ProjectSchedule.objects.update_or_create(
        project=project, defaults={"status_date": MONDAY}
    )
    a = TaskFactory(project=project, name="需求", duration=3, owner=member)
    b = TaskFactory(project=project, name="设计", duration=2)
    c = TaskFactory(project=project, name="开发", duration=5)
    DependencyFactory(predecessor=a, successor=b)
    for task in (a, b, c):
        task.refresh_from_db()
    return a, b, c


@pytest.fixture
def api(project_manager):
    client = APIClient(headers={"accept-language": "en"})
    client.force_login(project_manager)
    return client


def url(name, project):
    return reverse(name, kwargs={"pk": project.pk})


def cell(api, project, task, field, value, version=None):
    return api.post(
        url("plan-grid-cell", project),
        {
            "task": task.pk,
            "version": task.version if version is None else version,
            "field": field,
            "value": value,
        },
        format="json",
    )


def test_the_grid_lists_rows_with_numbers_wbs_and_predecessors(api, project, plan):
    # when the grid is read
    response = api.get(url("plan-grid", project))

    # then each task is a numbered row with its predecessors by row number
    assert response.status_code == 200
    rows = response.json()["rows"]
    assert [(r["row"], r["wbs"], r["name"], r["predecessors"]) for r in rows] == [
        (1, "1", "需求", ""),
        (2, "2", "设计", "1"),
        (3, "3", "开发", ""),
    ]
    assert rows[1]["start"] == "2026-03-05"
    assert rows[0]["owner_name"] == "团队成员"
    assert response.json()["undo"] is None


def test_the_grid_page_reads_the_plan_in_a_constant_number_of_queries(
    as_persona, project, plan
):
    browser = as_persona("project_manager")
    page = reverse("schedule:grid", args=[project.pk])
    cache.clear()  # both requests uncached, like a first one (core.caching)
    with CaptureQueriesContext(connection) as small:
        assert browser.get(page).status_code == 200
    for n in range(15):
        TaskFactory(project=project, name=f"任务{n}", duration=1)
    cache.clear()
    with CaptureQueriesContext(connection) as large:
        response = browser.get(page)
    assert response.status_code == 200
    assert len(large) == len(small)
    config = json.loads(
        response.content.decode()
        .split('id="grid-config" type="application/json">')[1]
        .split("</script>")[0]
    )
    assert len(config["rows"]) == 18
    assert config["can_edit"]
    assert config["can_add"]


def test_typed_predecessors_link_the_rows_and_move_the_dates(api, project, plan):
    a, b, c = plan

    # when 开发 is given predecessors in MS Project notation (full-width comma too)
    response = cell(api, project, c, "predecessors", "2FS+1，1SS")

    # then the links are saved, the row shows them and its dates moved
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["task"]["predecessors"] == "1SS, 2FS+1"
    assert body["task"]["start"] == "2026-03-10"
    assert body["undo"]["label"]
    links = Dependency.objects.filter(successor=c).order_by("predecessor_id")
    assert [(d.predecessor_id, d.kind, d.lag) for d in links] == [
        (a.pk, "SS", 0),
        (b.pk, "FS", 1),
    ]


def test_a_longer_duration_answers_the_tasks_it_moved(api, project, plan):
    a, b, _c = plan

    response = cell(api, project, a, "duration", "5d")

    assert response.status_code == 200
    changed = {row["id"]: row for row in response.json()["changed"]}
    assert changed[b.pk]["start"] == "2026-03-09"
    assert response.json()["task"]["finish"] == "2026-03-06"


@pytest.mark.parametrize(
    ("field", "value", "code", "message"),
    [
        ("predecessors", "9", "unknown_row", "There is no row 9."),
        ("predecessors", "3", "self", "cannot depend on itself"),
        ("predecessors", "1FS+20%", "percent_lag", "percent lags are not supported"),
        ("predecessors", "1XY", "kind", "FS, SS, FF or SF"),
        ("duration", "three", "duration", "is not a duration"),
        ("constraint", "soon", "date", "is not a constraint"),
        ("name", "  ", "invalid", "Give the task a name."),
    ],
)
def test_bad_cells_are_refused_on_the_cell_and_nothing_is_saved(
    api, project, plan, field, value, code, message
):
    _a, _b, c = plan
    before = (Task.objects.get(pk=c.pk).version, Dependency.objects.count())

    response = cell(api, project, c, field, value)

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert message in response.json()[field][0]
    assert (Task.objects.get(pk=c.pk).version, Dependency.objects.count()) == before
    assert not PlanChange.objects.exists()


def test_a_cycle_is_refused_with_the_path(api, project, plan):
    a, _b, _c = plan

    response = cell(api, project, a, "predecessors", "2")

    assert response.status_code == 400
    assert "cycle" in response.json()["predecessors"][0]
    assert "需求" in response.json()["predecessors"][0]
    assert not Dependency.objects.filter(successor=a).exists()


def test_a_stale_edit_is_409_with_the_current_row(api, project, plan):
    a, _b, _c = plan

    response = cell(api, project, a, "name", "新名字", version=a.version - 1)

    assert response.status_code == 409
    assert response.json()["current"]["name"] == "需求"
    assert "Someone else changed this task" in response.json()["detail"]
    assert Task.objects.get(pk=a.pk).name == "需求"


def test_an_owner_off_the_team_is_offered_and_added_with_a_role(api, project, plan):
    a, _b, _c = plan
    outsider = UserFactory(username="wang.wu", first_name="五", last_name="王")

    # when someone off the team is chosen as owner
    response = cell(api, project, a, "owner", str(outsider.pk))

    # then the grid is told so, to offer adding them
    assert response.status_code == 400
    assert response.json()["code"] == "not_on_team"
    assert response.json()["user"] == outsider.pk
    # and once the manager puts them on the team, they can own the task
    added = api.post(
        url("plan-grid-team", project),
        {"user": outsider.pk, "role": "member"},
        format="json",
    )
    assert added.status_code == 201
    assert Membership.objects.get(project=project, user=outsider).role == "member"
    assert cell(api, project, a, "owner", str(outsider.pk)).status_code == 200
    assert Task.objects.get(pk=a.pk).owner == outsider


def test_enter_inserts_a_row_below_and_tab_indents_it_with_wbs_following(
    api, project, plan
):
    a, b, c = plan

    # when a row is added below 设计 and indented
    response = api.post(
        url("plan-grid-row", project), {"after": b.pk, "name": "评审"}, format="json"
    )
    assert response.status_code == 201
    new = Task.objects.get(pk=response.json()["created"])
    assert [r["name"] for r in response.json()["rows"]] == [
        "需求",
        "设计",
        "评审",
        "开发",
    ]
    moved = api.post(
        url("plan-grid-move", project),
        {"task": new.pk, "version": new.version, "direction": "indent"},
        format="json",
    )

    # then it is 设计's subtask and the codes follow
    assert moved.status_code == 400  # 设计 has a link: it cannot become a summary
    assert "has dependencies" in moved.json()["name"][0]
    moved = api.post(
        url("plan-grid-move", project),
        {"task": c.pk, "version": c.version, "direction": "indent"},
        format="json",
    )
    assert moved.status_code == 200
    rows = {r["name"]: r for r in moved.json()["rows"]}
    assert (rows["开发"]["wbs"], rows["评审"]["summary"]) == ("3.1", True)


def test_pasted_rows_are_added_all_or_nothing_with_errors_per_row(api, project, plan):
    a, _b, _c = plan
    paste = url("plan-grid-paste", project)

    # when rows with mistakes are pasted
    bad = api.post(
        paste,
        {"after": a.pk, "text": "接口\t2\t9\n\t1\t\n联调\tx\t1\tnobody\n"},
        format="json",
    )

    # then nothing is added and each row says what is wrong
    assert bad.status_code == 400
    problems = bad.json()["rows"]
    assert set(problems) == {"1", "2", "3"}
    assert "There is no row 9." in problems["1"]
    assert "The name is empty." in problems["2"]
    assert len(problems["3"]) == 2
    assert Task.objects.filter(project=project).count() == 3
    # and the corrected rows go in below 需求, predecessors counted in the new grid
    good = api.post(
        paste,
        {"after": a.pk, "text": "接口\t2\t1\tmember\n联调\t1w\t2FS+1\n"},
        format="json",
    )
    assert good.status_code == 201, good.content
    rows = {r["name"]: r for r in good.json()["rows"]}
    assert [r["name"] for r in good.json()["rows"]][:3] == ["需求", "接口", "联调"]
    assert rows["联调"]["predecessors"] == "2FS+1"
    assert rows["联调"]["duration"] == 5
    assert rows["接口"]["owner_name"] == "团队成员"


def test_undo_puts_back_the_last_change_then_the_one_before(api, project, plan):
    a, _b, c = plan
    cell(api, project, a, "name", "需求调研")
    a.refresh_from_db()
    cell(api, project, c, "predecessors", "1")
    undo = url("plan-grid-undo", project)

    first = api.post(undo, format="json")
    assert first.status_code == 200
    assert not Dependency.objects.filter(successor=c).exists()
    second = api.post(undo, format="json")
    assert second.status_code == 200
    assert "需求调研" in second.json()["undone"]
    assert Task.objects.get(pk=a.pk).name == "需求"
    assert api.post(undo, format="json").status_code == 404


def test_undo_refuses_when_someone_changed_the_task_since(api, project, plan, member):
    a, _b, _c = plan
    cell(api, project, a, "duration", "4")
    other = APIClient(headers={"accept-language": "en"})
    other.force_login(member)
    a.refresh_from_db()
    assert cell(other, project, a, "name", "成员改的").status_code == 200

    response = api.post(url("plan-grid-undo", project), format="json")

    assert response.status_code == 409
    assert "can no longer be undone" in response.json()["detail"]
    assert Task.objects.get(pk=a.pk).duration == 4
    assert not PlanChange.objects.filter(user__username="pm").exists()


def test_a_gantt_move_says_it_added_a_constraint_and_undo_removes_it(
    as_persona, api, project, plan
):
    _a, b, _c = plan
    browser = as_persona("project_manager")

    response = browser.post(
        reverse("schedule:gantt_update", args=[project.pk]),
        json.dumps(
            {
                "task": b.pk,
                "version": b.version,
                "action": "move",
                "value": "2026-03-12",
            }
        ),
        content_type="application/json",
    )

    assert response.status_code == 200
    assert "start no earlier than 2026-03-12" in response.json()["notice"]
    assert response.json()["undo"]["label"] == "Move “设计” on the Gantt"
    assert api.post(url("plan-grid-undo", project), format="json").status_code == 200
    b.refresh_from_db()
    assert (b.constraint, b.constraint_date, b.start) == (
        "asap",
        None,
        date(2026, 3, 5),
    )


def test_a_viewer_reads_the_grid_but_cannot_edit_it(as_persona, project, plan):
    _a, _b, c = plan
    viewer = APIClient()
    viewer.force_login(project.memberships.get(role="viewer").user)

    assert viewer.get(url("plan-grid", project)).json()["can_edit"] is False
    assert cell(viewer, project, c, "name", "x").status_code == 403
    assert Task.objects.get(pk=c.pk).name == "开发"


def test_a_cell_edit_takes_as_many_queries_for_three_tasks_as_for_twenty(
    api, project, plan
):
    a, _b, _c = plan

    def edit_queries(value):
        a.refresh_from_db()
        cache.clear()  # uncached each time, like a first request (core.caching)
        with CaptureQueriesContext(connection) as queries:
            assert cell(api, project, a, "duration", value).status_code == 200
        return len(queries)

    small = edit_queries("4")
    for n in range(17):
        TaskFactory(project=project, name=f"任务{n}", duration=1)
    assert edit_queries("5") == small
