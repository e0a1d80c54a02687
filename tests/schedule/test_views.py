"""Schedule pages: the task tree with inline edits and variance, adding and moving tasks,
links refused on the task page, the board, the calendar, baselines, workload and "my
tasks", and query counts that do not grow with the number of tasks."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clientfolio.schedule import services
from clientfolio.schedule.models import (
    Baseline,
    CalendarDay,
    Dependency,
    ProjectSchedule,
    Task,
)
from tests.schedule.factories import TaskFactory

D = datetime.date


def url(name, project, **kwargs):
    return reverse(f"schedule:{name}", kwargs={"pk": project.pk, **kwargs})


def _queries(browser, address) -> int:
    # Uncached, so that one request and the next compare alike (core.caching keeps
    # the user's project roles and the folder's counts between requests).
    cache.clear()
    with CaptureQueriesContext(connection) as context:
        response = browser.get(address)
    assert response.status_code == 200, response.content[:300]
    return len(context.captured_queries)


def test_the_tree_shows_wbs_dates_and_the_critical_path(plan, as_persona, project):
    response = as_persona("viewer").get(url("task_list", project))
    body = response.content.decode()
    assert response.status_code == 200
    assert "需求分析" in body
    assert "2026-10-13" in body
    assert 'data-wbs="1.2"' in body
    assert "Critical" in body
    # a viewer gets no edit buttons
    assert url("task_row", project, task_pk=plan["build"].pk) not in body


def test_the_tree_filters_by_status_and_milestones(plan, as_persona, project):
    browser = as_persona("member")
    body = browser.get(url("task_list", project) + "?milestones=1").content.decode()
    assert "验收" in body
    assert "需求分析" not in body
    body = browser.get(url("task_list", project) + "?q=开发").content.decode()
    assert "开发" in body
    assert "需求分析" not in body


def test_an_inline_edit_saves_and_rerenders_the_table_body(plan, as_persona, project):
    # given the build's row as a form
    browser = as_persona("member")
    build = plan["build"]
    row_url = url("task_row", project, task_pk=build.pk)
    form = browser.get(row_url, headers={"HX-Request": "true"})
    assert 'name="percent_complete"' in form.content.decode()

    # when the member makes it 7 days
    response = browser.post(
        row_url,
        {
            "name": "开发",
            "duration": "7",
            "owner": "",
            "status": "todo",
            "percent_complete": "0",
            "version": build.version,
        },
        headers={"HX-Request": "true"},
    )

    # then the whole body comes back with the moved dates
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#task-rows"
    body = response.content.decode()
    assert '<tbody id="task-rows">' in body
    assert "2026-10-15" in body


def test_a_stale_inline_edit_is_409_and_keeps_the_input(plan, as_persona, project):
    build = plan["build"]
    response = as_persona("member").post(
        url("task_row", project, task_pk=build.pk),
        {
            "name": "开发（改）",
            "duration": "6",
            "status": "todo",
            "percent_complete": "0",
            "version": build.version - 1 if build.version > 1 else 99,
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else changed this task" in body
    assert "开发（改）" in body
    assert Task.objects.get(pk=build.pk).duration == 5


def test_a_milestone_is_added_with_acceptance_criteria(plan, as_persona, project):
    response = as_persona("project_manager").post(
        url("task_create", project),
        {
            "name": "上线",
            "is_milestone": "on",
            "acceptance_criteria": "客户签字",
            "is_client_visible": "on",
            "buffer_days": "2",
            "constraint": "asap",
            "priority": "high",
            "status": "todo",
            "percent_complete": "0",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    milestone = Task.objects.get(name="上线")
    assert milestone.is_milestone
    assert milestone.duration == 0
    assert milestone.is_client_visible
    assert milestone.wbs == "3"


def test_a_new_milestone_is_offered_as_visible_to_the_client(project, as_persona):
    response = as_persona("project_manager").get(
        url("task_create", project), {"milestone": "1"}
    )
    assert response.status_code == 200
    checkbox = re.search(
        r'<input[^>]*name="is_client_visible"[^>]*>', response.content.decode()
    )
    assert checkbox is not None
    assert "checked" in checkbox.group(0)


def test_a_subtask_is_added_under_its_parent(plan, as_persona, project):
    response = as_persona("member").post(
        url("task_create", project),
        {
            "name": "接口开发",
            "parent": plan["phase"].pk,
            "duration": "2",
            "constraint": "asap",
            "priority": "medium",
            "status": "todo",
            "percent_complete": "0",
            "buffer_days": "0",
        },
    )
    assert response.status_code == 302
    assert Task.objects.get(name="接口开发").wbs == "1.3"


def test_move_up_and_indent_renumber_the_tree(plan, as_persona, project):
    browser = as_persona("member")
    accept = plan["accept"]
    # the milestone cannot be indented under the summary? It can: 一期 has no links
    response = browser.post(
        url("task_move", project, task_pk=accept.pk),
        {"direction": "up", "version": accept.version},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert Task.objects.get(pk=accept.pk).wbs == "1"
    accept.refresh_from_db()
    response = browser.post(
        url("task_move", project, task_pk=plan["build"].pk), {"direction": "outdent"}
    )
    assert response.status_code == 302
    assert Task.objects.get(pk=plan["build"].pk).wbs == "3"


def test_a_cycle_is_refused_on_the_task_page_and_nothing_saved(
    plan, as_persona, project
):
    analysis = plan["analysis"]
    response = as_persona("member").post(
        url("dependency_add", project, task_pk=analysis.pk),
        {
            "predecessor": plan["accept"].pk,
            "successor": analysis.pk,
            "kind": "FS",
            "lag": "0",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "cycle" in body
    assert "验收" in body
    assert Dependency.objects.count() == 2


def test_a_link_with_lag_moves_the_successor(project, as_persona):
    project.starts_on = D(2026, 11, 2)
    project.save()
    ProjectSchedule.objects.update_or_create(
        project=project, defaults={"status_date": D(2026, 11, 2)}
    )
    a = TaskFactory(project=project, name="设计", duration=2)
    b = TaskFactory(project=project, name="评审", duration=1)
    response = as_persona("member").post(
        url("dependency_add", project, task_pk=b.pk),
        {"predecessor": a.pk, "successor": b.pk, "kind": "FS", "lag": "2"},
    )
    assert response.status_code == 302
    assert Task.objects.get(pk=b.pk).start == D(2026, 11, 6)


def test_assignees_are_saved_from_the_task_page(plan, as_persona, project, member):
    response = as_persona("project_manager").post(
        url("assignments", project, task_pk=plan["build"].pk),
        {f"hours-{member.pk}": "40"},
    )
    assert response.status_code == 302
    assert plan["build"].assignments.get().hours == Decimal("40.0")


def test_the_board_moves_a_card_to_done(plan, as_persona, project):
    build = plan["build"]
    response = as_persona("member").post(
        url("task_status", project, task_pk=build.pk),
        {"status": "done", "version": build.version},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200
    assert response.json()["status"] == "done"
    build.refresh_from_db()
    assert build.percent_complete == 100
    assert build.actual_finish is not None


def test_a_stale_board_move_is_409_with_the_saved_status(plan, as_persona, project):
    build = plan["build"]
    response = as_persona("member").post(
        url("task_status", project, task_pk=build.pk),
        {"status": "done", "version": 999},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 409
    assert response.json()["status"] == "todo"


def test_calendar_settings_recompute_the_schedule(plan, as_persona, project):
    settings_row = ProjectSchedule.objects.get(project=project)
    response = as_persona("project_manager").post(
        url("calendar", project),
        {
            "weekdays": ["0", "1", "2", "3", "4"],
            "buffer_days": "3",
            "status_date": "2026-09-28",
            "version": settings_row.version,
        },
    )
    assert response.status_code == 302
    assert Task.objects.get(pk=plan["build"].pk).finish == D(2026, 10, 7)
    page = as_persona("project_manager").get(url("calendar", project) + "?year=2026")
    body = page.content.decode()
    assert "2026-10-10" in body
    assert "National Day" in body


def test_an_own_workday_is_added_and_removed(plan, as_persona, project):
    browser = as_persona("project_manager")
    response = browser.post(
        url("calendar_day_add", project),
        {"day": "2026-10-08", "kind": "holiday", "name": "团建"},
    )
    assert response.status_code == 302
    assert Task.objects.get(pk=plan["build"].pk).finish == D(2026, 10, 14)
    day = CalendarDay.objects.get()
    browser.post(url("calendar_day_delete", project, day_pk=day.pk))
    assert Task.objects.get(pk=plan["build"].pk).finish == D(2026, 10, 13)


def test_a_baseline_is_saved_and_variance_shown(plan, as_persona, project):
    browser = as_persona("member")
    assert (
        browser.post(url("baselines", project), {"name": "签约基线"}).status_code == 302
    )
    baseline = Baseline.objects.get()
    build = plan["build"]
    build.refresh_from_db()
    build.duration = 7
    services.update_task(build, build.version)
    body = browser.get(
        url("task_list", project) + f"?baseline={baseline.pk}"
    ).content.decode()
    assert "Finish var." in body
    assert "+2" in body
    assert "cf-late" in body


def test_the_unknown_years_warning_is_shown(plan, as_persona, project):
    ProjectSchedule.objects.filter(project=project).update(unknown_years="2029")
    body = as_persona("viewer").get(url("task_list", project)).content.decode()
    assert "2029" in body
    assert "not published yet" in body


def test_workload_highlights_overallocation(plan, as_persona, project, member):
    services.set_assignments(plan["analysis"], {member: Decimal("60")})
    body = as_persona("viewer").get(url("workload", project)).content.decode()
    assert "cf-over" in body
    assert "60" in body


def test_my_tasks_lists_owned_and_assigned_tasks_and_updates_progress(
    plan, as_persona, member
):
    services.set_assignments(plan["build"], {member: Decimal("8")})
    browser = as_persona("member")
    body = browser.get(reverse("schedule:my_tasks")).content.decode()
    assert "需求分析" in body
    assert "开发" in body
    assert "验收" not in body
    analysis = plan["analysis"]
    response = browser.post(
        reverse(
            "schedule:task_status",
            kwargs={"pk": analysis.project_id, "task_pk": analysis.pk},
        ),
        {
            "status": "in_progress",
            "percent_complete": "40",
            "version": analysis.version,
            "view": "mine",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    analysis.refresh_from_db()
    assert analysis.percent_complete == 40
    assert analysis.status == "in_progress"


def _many(project, count, member):
    parent = TaskFactory(project=project, name="阶段", duration=1)
    for n in range(count):
        task = Task(
            project=project, parent=parent, name=f"任务{n}", duration=2, owner=member
        )
        services.create_task(task, recompute_after=False)
    services.recompute(project)
    for task in Task.objects.filter(project=project, is_summary=False):
        services.set_assignments(task, {member: Decimal("8")})


@pytest.mark.parametrize("name", ["task_list", "board", "workload"])
def test_query_counts_do_not_grow_with_tasks(
    name, project, member, as_persona, project_manager
):
    from clientfolio.projects.models import Membership
    from tests.projects.factories import ProjectFactory

    other = ProjectFactory(manager=project_manager)
    Membership.objects.get_or_create(
        project=other, user=member, defaults={"role": "member"}
    )
    _many(project, 1, member)
    _many(other, 20, member)
    services.save_baseline(project, "b", user=project_manager)
    baseline = services.save_baseline(other, "b", user=project_manager)
    browser = as_persona("member")
    suffix = "" if name != "task_list" else "?baseline={}"
    one = _queries(
        browser,
        url(name, project) + suffix.format(Baseline.objects.get(project=project).pk),
    )
    many = _queries(browser, url(name, other) + suffix.format(baseline.pk))
    assert one == many


def test_my_tasks_query_count_does_not_grow(project, member, as_persona):
    browser = as_persona("member")
    _many(project, 1, member)
    one = _queries(browser, reverse("schedule:my_tasks"))
    _many(project, 20, member)
    assert _queries(browser, reverse("schedule:my_tasks")) == one


@pytest.mark.parametrize(
    ("headers", "template"),
    [
        ({}, "schedule/task_list.html"),
        ({"HX-Request": "true"}, "schedule/partials/task_table.html"),
        (
            {"HX-Request": "true", "HX-History-Restore-Request": "true"},
            "schedule/task_list.html",
        ),
    ],
    ids=["page", "htmx", "back"],
)
def test_the_tree_answers_htmx_with_its_table_only(
    plan, as_persona, project, django_assert_num_queries, headers, template
):
    browser = as_persona("member")

    with django_assert_num_queries(10):  # 2 of them the tab counts
        response = browser.get(url("task_list", project), headers=headers)

    assert response.status_code == 200
    assert response.templates[0].name == template
    assert "HX-Request" in response["Vary"]
