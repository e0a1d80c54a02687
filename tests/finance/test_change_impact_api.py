"""``POST /api/v1/change-requests/{id}/apply/``: the rules of the page through the API —
200 with what was applied, 400 with field errors, 409 for a stale version, 403 for roles
that may not, 404 outside the user's projects; a refusal saves nothing."""

from datetime import date

import pytest
from django.urls import reverse

from clientfolio.finance.models import BudgetLine
from clientfolio.projects.models import ChangeRequest
from clientfolio.schedule.models import Baseline, Task
from tests.projects.factories import ProjectFactory
from tests.schedule.factories import TaskFactory

D = date


def url(change):
    return reverse("changerequest-apply", args=[change.pk])


def body(change, **overrides):
    return {"version": change.version, "budget_category": "labor", **overrides}


def nothing_applied(change, plan):
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.APPROVED
    assert not BudgetLine.objects.exists()
    assert not Baseline.objects.exists()
    assert Task.objects.get(pk=plan["build"].pk).start == D(2026, 4, 23)


def test_the_manager_applies_a_change_and_gets_what_was_applied(
    api_as, approved_change, change_plan
):
    # when the manager applies CR-001 with the default tasks
    response = api_as("project_manager").post(
        url(approved_change), body(approved_change), format="json"
    )

    # then the answer lists the moves, the budget line and the baseline
    assert response.status_code == 200, response.json()
    data = response.json()
    line = BudgetLine.objects.get()
    baseline = Baseline.objects.get()
    assert data["change_request"] == approved_change.pk
    assert data["status"] == "implemented"
    assert data["version"] == approved_change.version + 1
    assert data["moved_tasks"][0] == {
        "id": change_plan["build"].pk,
        "wbs": "2",
        "name": "开发",
        "old_start": "2026-04-23",
        "old_finish": "2026-04-29",
        "new_start": "2026-04-28",
        "new_finish": "2026-05-07",
    }
    assert [task["name"] for task in data["moved_tasks"]] == ["开发", "报表", "验收"]
    assert data["budget_line"] == {
        "id": line.pk,
        "category": "labor",
        "description": "CR-001 增加报表模块",
        "amount": "12000.00",
        "currency": "CNY",
    }
    assert data["baseline"] == {
        "id": baseline.pk,
        "name": "After CR-001",
        "finish": "2026-05-11",
    }
    assert (data["finish_before"], data["finish_after"]) == ("2026-05-06", "2026-05-11")
    assert data["comment"].startswith("3 tasks moved by +5 days")


def test_chosen_tasks_and_no_budget(api_as, approved_change, change_plan):
    response = api_as("admin").post(
        url(approved_change),
        body(
            approved_change,
            task_ids=[change_plan["reports"].pk],
            add_budget=False,
            baseline_name="第二版计划",
        ),
        format="json",
    )
    assert response.status_code == 200, response.json()
    data = response.json()
    assert [task["name"] for task in data["moved_tasks"]] == ["报表"]
    assert data["budget_line"] is None
    assert data["baseline"]["name"] == "第二版计划"
    assert not BudgetLine.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        ({"version": None}, {"version": ["This field may not be null."]}),
        ({"task_ids": ["x"]}, {"task_ids": {"0": ["A valid integer is required."]}}),
        (
            {"budget_category": "snacks"},
            {"budget_category": ['"snacks" is not a valid choice.']},
        ),
        (
            {"budget_category": None, "add_budget": True},
            {"budget_category": ["This field may not be null."]},
        ),
    ],
)
def test_bad_input_is_400_with_field_errors(
    api_as, approved_change, change_plan, overrides, errors
):
    data = body(approved_change, **overrides)
    response = api_as("project_manager").post(url(approved_change), data, format="json")
    assert response.status_code == 400
    assert response.json() == errors
    nothing_applied(approved_change, change_plan)


def test_a_missing_version_is_400(api_as, approved_change, change_plan):
    response = api_as("project_manager").post(
        url(approved_change), {"budget_category": "labor"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"version": ["This field is required."]}
    nothing_applied(approved_change, change_plan)


def test_a_task_of_another_project_is_400_without_naming_it(
    api_as, approved_change, change_plan
):
    foreign = TaskFactory(project=ProjectFactory(), name="别的项目的任务")
    response = api_as("project_manager").post(
        url(approved_change),
        body(approved_change, task_ids=[change_plan["build"].pk, foreign.pk]),
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"task_ids": ["Choose tasks of this project."]}
    nothing_applied(approved_change, change_plan)


def test_a_missing_category_is_400(api_as, approved_change, change_plan):
    response = api_as("project_manager").post(
        url(approved_change), {"version": approved_change.version}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "budget_category": ["Choose the budget category of the cost."]
    }
    nothing_applied(approved_change, change_plan)


def test_a_change_not_approved_is_400(api_as, approved_change, change_plan):
    ChangeRequest.objects.filter(pk=approved_change.pk).update(status="evaluating")
    response = api_as("project_manager").post(
        url(approved_change), body(approved_change), format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": [
            "Only an approved change can be applied: CR-001 is “Under evaluation”."
        ]
    }


def test_applying_twice_is_400(api_as, approved_change, change_plan):
    api = api_as("project_manager")
    first = api.post(url(approved_change), body(approved_change), format="json")
    assert first.status_code == 200
    again = api.post(
        url(approved_change),
        body(approved_change, version=first.json()["version"], baseline_name="再次"),
        format="json",
    )
    assert again.status_code == 400
    assert again.json() == {"non_field_errors": ["CR-001 has already been applied."]}
    assert BudgetLine.objects.count() == 1


def test_a_stale_version_is_409(api_as, approved_change, change_plan):
    response = api_as("project_manager").post(
        url(approved_change),
        body(approved_change, version=approved_change.version - 1),
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["current_version"] == approved_change.version
    nothing_applied(approved_change, change_plan)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("member", 403),
        ("viewer", 403),
        ("accountant", 403),
        ("staff", 404),
    ],
)
def test_others_are_refused(api_as, approved_change, change_plan, persona, status):
    response = api_as(persona).post(
        url(approved_change), body(approved_change), format="json"
    )
    assert response.status_code == status
    assert "增加报表模块" not in response.content.decode()
    nothing_applied(approved_change, change_plan)


def test_get_is_not_allowed(api_as, approved_change):
    response = api_as("project_manager").get(url(approved_change))
    assert response.status_code == 405
