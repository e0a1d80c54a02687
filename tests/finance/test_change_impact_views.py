"""The page that applies an approved change to the plan and the budget, and the card
that offers it on the change request's page: preview, confirm, refusals, who sees it and
query counts that do not grow with the tasks."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from clientfolio.finance.models import BudgetLine
from clientfolio.projects.models import ChangeRequest
from clientfolio.schedule.models import Baseline, Task
from tests.projects.factories import ProjectFactory
from tests.schedule.factories import TaskFactory

D = date


@pytest.fixture
def pm(as_persona):
    return as_persona("project_manager")


def apply_url(change):
    return reverse("finance:change_apply", args=[change.project_id, change.number])


def detail_url(change):
    return reverse("projects:change_detail", args=[change.project_id, change.number])


def form_data(change, tasks, **overrides):
    return {
        "version": change.version,
        "task_ids": [task.pk for task in tasks],
        "add_budget": "on",
        "budget_category": "labor",
        "baseline_name": "",
        **overrides,
    }


def body(response):
    return response.content.decode()


def test_the_preview_shows_the_moves_the_budget_line_and_the_baseline(
    pm, approved_change, change_plan
):
    # when the manager opens the page of CR-001
    response = pm.get(apply_url(approved_change))

    # then each task not started is offered with its new date, ticked
    assert response.status_code == 200
    page = body(response)
    assert "设计" not in page
    rows = response.context["shifts"]
    assert [(row["shift"].name, row["checked"]) for row in rows] == [
        ("开发", True),
        ("报表", True),
        ("验收", True),
    ]
    assert "2026-04-23 – 2026-04-29" in page
    assert "start on or after 2026-04-28" in page
    assert "start on or after 2026-05-06" in page
    # and the budget line and the baseline are named
    assert "A budget line of ¥12,000.00 described as “CR-001 增加报表模块”" in page
    assert 'value="After CR-001"' in page
    assert "The plan finishes on 2026-05-06 now." in page


def test_the_page_shows_the_changes_tab_as_open(pm, approved_change):
    tabs = pm.get(apply_url(approved_change)).context["tabs"]
    assert [tab["label"] for tab in tabs if tab["active"]] == ["Changes"]


@pytest.mark.parametrize("extra_tasks", [0, 20])
def test_the_preview_takes_the_same_queries_for_few_and_many_tasks(
    pm, approved_change, project, django_assert_num_queries, extra_tasks
):
    # given more tasks to offer
    for n in range(extra_tasks):
        TaskFactory(project=project, name=f"任务{n}", duration=2)

    # then the page takes a fixed number of queries
    with django_assert_num_queries(11):  # 2 of them the folder's tab counts
        response = pm.get(apply_url(approved_change))
    assert len(response.context["shifts"]) == 3 + extra_tasks


def test_confirming_applies_the_change_and_returns_to_it(
    pm, approved_change, change_plan
):
    # when the manager ticks 开发 only and confirms
    response = pm.post(
        apply_url(approved_change),
        form_data(
            approved_change,
            [change_plan["build"]],
            budget_category="outsourcing",
            baseline_name="变更后基线",
        ),
    )

    # then they are back on the change request, which is implemented
    assert response.status_code == 302
    assert response["Location"] == detail_url(approved_change)
    approved_change.refresh_from_db()
    assert approved_change.status == ChangeRequest.Status.IMPLEMENTED
    task = Task.objects.get(pk=change_plan["build"].pk)
    assert (task.start, task.finish) == (D(2026, 4, 28), D(2026, 5, 7))
    line = BudgetLine.objects.get()
    assert (line.category, line.amount, line.change_request) == (
        "outsourcing",
        Decimal("12000.00"),
        approved_change,
    )
    assert Baseline.objects.get().name == "变更后基线"

    # and the change request page says so, and no longer offers to apply it
    page = pm.get(response["Location"])
    text = body(page)
    assert "CR-001 is applied to the plan and the budget, and implemented." in text
    assert "1 task moved by +5 days" in text
    assert "change-apply-link" not in text


def test_the_change_request_page_offers_the_manager_to_apply_an_approved_change(
    as_persona, approved_change
):
    # the manager sees the offer; a member, who may not change the budget, does not
    page = body(as_persona("project_manager").get(detail_url(approved_change)))
    assert apply_url(approved_change) in page
    assert apply_url(approved_change) not in body(
        as_persona("member").get(detail_url(approved_change))
    )


def test_a_change_not_yet_approved_offers_nothing_and_its_page_sends_back(
    pm, approved_change
):
    # given CR-001 still awaiting the client
    ChangeRequest.objects.filter(pk=approved_change.pk).update(
        status=ChangeRequest.Status.AWAITING_CLIENT
    )
    assert apply_url(approved_change) not in body(pm.get(detail_url(approved_change)))

    # when its apply page is opened anyway, it sends back with the reason
    response = pm.get(apply_url(approved_change), follow=True)
    assert response.redirect_chain[-1][0] == detail_url(approved_change)
    assert (
        "Only an approved change can be applied: CR-001 is “Awaiting client decision”."
        in body(response)
    )


def _unchanged(change, plan):
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.APPROVED
    assert not BudgetLine.objects.exists()
    assert not Baseline.objects.exists()
    task = Task.objects.get(pk=plan["build"].pk)
    assert (task.start, task.constraint) == (D(2026, 4, 23), "asap")


def test_a_task_of_another_project_is_refused_inline(pm, approved_change, change_plan):
    foreign = TaskFactory(project=ProjectFactory(), name="别的项目的任务")
    response = pm.post(
        apply_url(approved_change),
        form_data(approved_change, [change_plan["build"], foreign]),
    )
    assert response.status_code == 400
    page = body(response)
    assert "Choose tasks of this project." in page
    assert "别的项目的任务" not in page
    _unchanged(approved_change, change_plan)


def test_a_missing_category_is_shown_under_its_field_and_the_input_kept(
    pm, approved_change, change_plan
):
    response = pm.post(
        apply_url(approved_change),
        form_data(
            approved_change,
            [change_plan["reports"]],
            budget_category="",
            baseline_name="我的基线",
        ),
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "budget_category": ["Choose the budget category of the cost."]
    }
    assert [row["checked"] for row in response.context["shifts"]] == [
        False,
        True,
        False,
    ]
    assert 'value="我的基线"' in body(response)
    _unchanged(approved_change, change_plan)


def test_a_stale_version_is_a_conflict(pm, approved_change, change_plan):
    response = pm.post(
        apply_url(approved_change),
        form_data(
            approved_change, [change_plan["build"]], version=approved_change.version - 1
        ),
    )
    assert response.status_code == 409
    assert "Someone else changed this record" in body(response)
    _unchanged(approved_change, change_plan)


def test_applying_twice_is_refused(pm, approved_change, change_plan):
    pm.post(apply_url(approved_change), form_data(approved_change, []))
    approved_change.refresh_from_db()
    response = pm.post(
        apply_url(approved_change),
        form_data(approved_change, [], baseline_name="第二次"),
    )
    assert response.status_code == 400
    assert "CR-001 has already been applied." in body(response)
    assert BudgetLine.objects.count() == 1
    assert Baseline.objects.count() == 1


@pytest.mark.parametrize(
    ("persona", "status"),
    [("member", 403), ("viewer", 403), ("accountant", 403), ("staff", 404)],
)
def test_only_the_manager_may_apply(
    as_persona, approved_change, change_plan, persona, status
):
    browser = as_persona(persona)
    assert browser.get(apply_url(approved_change)).status_code == status
    response = browser.post(
        apply_url(approved_change), form_data(approved_change, [change_plan["build"]])
    )
    assert response.status_code == status
    _unchanged(approved_change, change_plan)


def test_an_unknown_change_request_is_not_found(pm, approved_change):
    url = reverse("finance:change_apply", args=[approved_change.project_id, 99])
    assert pm.get(url).status_code == 404


def test_the_page_reads_in_chinese_for_a_chinese_manager(
    project_manager, approved_change, change_plan
):
    # given a manager who works in Chinese
    from django.test import Client

    project_manager.language = "zh-hans"
    project_manager.save()
    browser = Client()
    browser.force_login(project_manager)

    # when they open the page
    page = body(browser.get(apply_url(approved_change)))

    # then it is in Chinese, down to the baseline's default name
    assert "将 CR-001 增加报表模块 应用到计划和预算" in page
    assert "不早于 2026-04-28 开始" in page
    assert 'value="CR-001 之后"' in page
    assert "应用变更" in page
    for english in ("Apply the change", "start on or after", "After CR-001"):
        assert english not in page
