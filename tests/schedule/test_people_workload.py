"""Workload across projects: people × weeks over every project the viewer may see, a
person over capacity only in sum flagged, drill-down to the projects, constant queries."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from clientfolio.schedule import services
from clientfolio.schedule.models import Task
from tests.projects.factories import MembershipFactory, ProjectFactory
from tests.schedule.factories import TaskFactory

pytestmark = pytest.mark.django_db

URL = reverse("schedule:people_workload")
WEEK = "?from=2026-10-05&weeks=4"  # W41 (Mon 10-05) to W44


def _task(project, name, hours, person, start=date(2026, 10, 5), finish=None):
    task = TaskFactory(project=project, name=name, duration=5)
    Task.objects.filter(pk=task.pk).update(
        start=start, finish=finish or start.replace(day=9)
    )
    services.set_assignments(task, {person: Decimal(hours)})
    return task


@pytest.fixture
def spread(project, project_manager, member):
    """``member`` has 30 h in W41 on the shared project and 30 h on a second project of
    the same manager, which the ``viewer`` persona is not on."""
    other = ProjectFactory(name="官网改版", manager=project_manager)
    MembershipFactory(project=other, user=member)
    _task(project, "接口开发", 30, member)
    _task(other, "页面开发", 30, member)
    return other


def _rows(response):
    return {str(p["user"]): p for p in response.context["people"]}


def test_a_person_over_capacity_only_across_projects_is_flagged(
    spread, as_persona, member
):
    response = as_persona("project_manager").get(URL + WEEK)

    assert response.status_code == 200
    row = _rows(response)[str(member)]
    assert [c["hours"] for c in row["cells"]] == [60, 0, 0, 0]
    assert [c["over"] for c in row["cells"]] == [True, False, False, False]
    assert row["over_count"] == 1
    assert sorted(p["project"].name for p in row["projects"]) == [
        "官网改版",
        "客户数据平台一期",
    ]
    body = response.content.decode()
    assert "cf-over" in body
    assert reverse("schedule:workload", args=[spread.pk]) in body  # the drill-down


def test_only_the_hours_on_projects_the_viewer_sees_count(spread, as_persona, member):
    row = _rows(as_persona("viewer").get(URL + WEEK))[str(member)]
    assert [c["hours"] for c in row["cells"]][:1] == [30]
    assert row["over_count"] == 0
    assert [p["project"].name for p in row["projects"]] == ["客户数据平台一期"]
    assert "官网改版" not in as_persona("viewer").get(URL + WEEK).content.decode()
    assert as_persona("staff").get(URL + WEEK).context["people"] == []


def test_a_project_team_is_shown_with_all_their_visible_hours(
    spread, as_persona, project, member, project_manager
):
    _task(spread, "另一个人的任务", 8, MembershipFactory(project=spread).user)
    # (adding a task recomputes its project's plan: put the week back)
    Task.objects.update(start=date(2026, 10, 5), finish=date(2026, 10, 9))

    response = as_persona("project_manager").get(f"{URL}{WEEK}&project={project.pk}")

    assert list(_rows(response)) == [str(member)]
    assert _rows(response)[str(member)]["cells"][0]["hours"] == 60
    hidden = as_persona("staff").get(f"{URL}{WEEK}&project={project.pk}")
    assert hidden.status_code == 404


def test_the_page_costs_the_same_queries_for_one_project_as_for_five(
    project, project_manager, member, as_persona, django_assert_num_queries
):
    browser = as_persona("project_manager")
    _task(project, "一", 10, member)
    browser.get(URL + WEEK)  # warm the session
    with django_assert_num_queries(7) as one:
        browser.get(URL + WEEK)
    for n in range(4):
        other = ProjectFactory(manager=project_manager)
        person = MembershipFactory(project=other).user
        _task(other, f"任务{n}", 12, person)
        _task(other, f"任务{n}b", 12, member)
    Task.objects.update(start=date(2026, 10, 5), finish=date(2026, 10, 16))
    with django_assert_num_queries(len(one.captured_queries)):
        response = browser.get(URL + WEEK)
    assert len(response.context["people"]) == 5


def test_the_weeks_can_be_moved_and_bad_parameters_fall_back(spread, as_persona):
    browser = as_persona("project_manager")
    later = browser.get(f"{URL}?from=2026-10-21&weeks=2")  # 4 weeks at least
    assert [w["label"] for w in later.context["weeks"]] == ["W43", "W44", "W45", "W46"]
    assert later.context["people"] == []
    odd = browser.get(f"{URL}?from=not-a-date&weeks=999&project=x")
    assert odd.status_code == 200
    assert len(odd.context["weeks"]) == 26
