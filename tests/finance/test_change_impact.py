"""Applying an approved change request (finance.change_impact): the chosen tasks move by
the schedule impact on the working calendar and the plan is recomputed, the cost becomes
a budget line naming the change, a new baseline is saved and the change is implemented;
every refusal changes nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from clientfolio.core.locking import StaleVersion
from clientfolio.finance import change_impact
from clientfolio.finance.models import BudgetLine
from clientfolio.projects import change_control
from clientfolio.projects.models import ChangeRequest, ChangeRequestTransition
from clientfolio.schedule import services as schedule_services
from clientfolio.schedule.models import Baseline, BaselineTask, ProjectSchedule, Task
from tests.projects.factories import ProjectFactory
from tests.schedule.factories import TaskFactory

D = date


@pytest.fixture(autouse=True)
def english():
    """Messages in English unless a test says otherwise."""
    with translation.override("en"):
        yield


def apply(change, user, **overrides):
    options = {
        "task_shifts": None,
        "add_budget": True,
        "budget_category": "labor",
        "baseline_name": "",
        "expected_version": change.version,
        **overrides,
    }
    return change_impact.apply_change_request(change, user=user, **options)


def dates(task):
    task.refresh_from_db()
    return task.start, task.finish


def snapshot(project):
    """Everything applying writes, to compare before and after a refusal."""
    return {
        "tasks": list(
            Task.objects.filter(project=project)
            .order_by("id")
            .values_list(
                "id", "start", "finish", "constraint", "constraint_date", "version"
            )
        ),
        "budget": list(BudgetLine.objects.values_list("id", "amount")),
        "baselines": list(Baseline.objects.values_list("id", "name")),
        "changes": list(
            ChangeRequest.objects.order_by("id").values_list("id", "status", "version")
        ),
        "steps": ChangeRequestTransition.objects.count(),
        "finish": list(ProjectSchedule.objects.values_list("id", "computed_finish")),
    }


# --- the preview -------------------------------------------------------------------------


def test_the_preview_offers_the_tasks_not_started_ticking_those_after_the_decision(
    approved_change, change_plan
):
    # given CR-001 decided on 04-23; 设计 is done, 开发 starts 04-23
    ChangeRequest.objects.filter(pk=approved_change.pk).update(
        decided_on=D(2026, 4, 24)
    )
    approved_change.refresh_from_db()

    # when the preview is made
    plan = change_impact.plan_change(approved_change)

    # then the done task is not offered, and only what starts after the decision is ticked
    assert [(s.name, s.is_default) for s in plan.shifts] == [
        ("开发", False),
        ("报表", True),
        ("验收", True),
    ]
    # and the new dates are on the working calendar: 04-30 + 5 days is in the Labour
    # Day holiday, so 报表 may start on 05-06
    assert [s.new_date for s in plan.shifts] == [
        D(2026, 4, 28),
        D(2026, 5, 6),
        D(2026, 5, 11),
    ]
    assert plan.budget_amount == Decimal("12000.00")
    assert plan.can_add_budget
    assert plan.budget_description == "CR-001 增加报表模块"
    assert plan.finish == D(2026, 5, 6)


def test_the_default_baseline_name_is_in_the_users_language(approved_change):
    with translation.override("zh-hans"):
        assert change_impact.plan_change(approved_change).baseline_name == "CR-001 之后"
    with translation.override("en"):
        assert (
            change_impact.plan_change(approved_change).baseline_name == "After CR-001"
        )


# --- applying ----------------------------------------------------------------------------


def test_applying_moves_the_tasks_on_the_working_calendar_and_dependencies_hold(
    approved_change, change_plan, project_manager
):
    # when CR-001 (+5 days) is applied with the default tasks
    result = apply(approved_change, project_manager)

    # then 开发 starts 5 days later and works around the Labour Day holiday
    assert dates(change_plan["build"]) == (D(2026, 4, 28), D(2026, 5, 7))
    # and 报表 follows it, working the make-up Saturday 05-09
    assert dates(change_plan["reports"]) == (D(2026, 5, 8), D(2026, 5, 9))
    # and the milestone moved 5 days to Monday 05-11
    assert dates(change_plan["accept"]) == (D(2026, 5, 11), D(2026, 5, 11))
    # and the done task stayed
    assert dates(change_plan["design"]) == (D(2026, 4, 20), D(2026, 4, 22))
    build = Task.objects.get(pk=change_plan["build"].pk)
    assert (build.constraint, build.constraint_date) == ("snet", D(2026, 4, 28))
    assert (result.finish_before, result.finish_after) == (
        D(2026, 5, 6),
        D(2026, 5, 11),
    )
    assert [(t.name, t.old_start, t.new_start) for t in result.moved] == [
        ("开发", D(2026, 4, 23), D(2026, 4, 28)),
        ("报表", D(2026, 4, 30), D(2026, 5, 8)),
        ("验收", D(2026, 5, 6), D(2026, 5, 11)),
    ]


def test_a_task_not_chosen_follows_its_moved_predecessor(
    approved_change, change_plan, project_manager
):
    # when only 开发 is moved
    apply(approved_change, project_manager, task_shifts=[change_plan["build"].pk])

    # then 报表 and the milestone follow through their links, keeping their constraint
    assert dates(change_plan["reports"]) == (D(2026, 5, 8), D(2026, 5, 9))
    assert dates(change_plan["accept"]) == (D(2026, 5, 9), D(2026, 5, 9))
    assert Task.objects.get(pk=change_plan["reports"].pk).constraint == "asap"


def test_a_start_in_a_holiday_moves_to_the_next_working_day(
    approved_change, change_plan, project_manager
):
    # when only 报表 (04-30) is moved 5 days, to 05-05, a Labour Day holiday
    apply(approved_change, project_manager, task_shifts=[change_plan["reports"].pk])

    # then it starts on the first working day after it
    assert dates(change_plan["reports"]) == (D(2026, 5, 6), D(2026, 5, 7))
    assert dates(change_plan["build"]) == (D(2026, 4, 23), D(2026, 4, 29))


def test_a_deadline_moves_with_the_change_instead_of_pinning_the_start(
    approved_change, change_plan, project_manager
):
    # given 报表 must finish no later than 05-06
    reports = change_plan["reports"]
    reports.constraint, reports.constraint_date = "fnlt", D(2026, 5, 6)
    schedule_services.update_task(reports, reports.version)

    # when the change is applied to 开发 and 报表
    apply(
        approved_change,
        project_manager,
        task_shifts=[change_plan["build"].pk, reports.pk],
    )

    # then the deadline moved 5 days (to Monday 05-11) and 报表 follows 开发
    reports.refresh_from_db()
    assert (reports.constraint, reports.constraint_date) == ("fnlt", D(2026, 5, 11))
    assert (reports.start, reports.finish) == (D(2026, 5, 8), D(2026, 5, 9))
    assert reports.total_float >= 0


def test_the_cost_becomes_a_budget_line_that_names_the_change(
    approved_change, project_manager
):
    # when CR-001 is applied with its cost under outsourcing
    result = apply(approved_change, project_manager, budget_category="outsourcing")

    # then one line of ¥12,000 names the change and is linked to it
    line = BudgetLine.objects.get()
    assert result.budget_line == line
    assert (line.project, line.category, line.amount, line.currency) == (
        approved_change.project,
        "outsourcing",
        Decimal("12000.00"),
        "CNY",
    )
    assert line.description == "CR-001 增加报表模块"
    assert line.change_request == approved_change
    assert "CR-001" in line.notes


def test_without_add_budget_no_line_is_added(approved_change, project_manager):
    apply(approved_change, project_manager, add_budget=False, budget_category="")
    assert not BudgetLine.objects.exists()


def test_a_new_baseline_holds_the_moved_plan(
    approved_change, change_plan, project_manager
):
    # when CR-001 is applied in Chinese without a baseline name
    with translation.override("zh-hans"):
        result = apply(approved_change, project_manager)

    # then the baseline is named after the change and holds the new dates
    baseline = Baseline.objects.get(project=approved_change.project)
    assert result.baseline == baseline
    assert baseline.name == "CR-001 之后"
    assert baseline.finish == D(2026, 5, 11)
    assert baseline.created_by == project_manager
    entry = BaselineTask.objects.get(baseline=baseline, task=change_plan["build"])
    assert (entry.start, entry.finish) == (D(2026, 4, 28), D(2026, 5, 7))


def test_a_named_baseline_keeps_its_name(approved_change, project_manager):
    apply(approved_change, project_manager, baseline_name="  变更后基线 ")
    assert Baseline.objects.get().name == "变更后基线"


def test_the_change_is_implemented_with_a_comment_of_what_was_applied(
    approved_change, project_manager
):
    # when CR-001 is applied in English
    with translation.override("en"):
        result = apply(approved_change, project_manager)

    # then it is implemented, by the manager, and the step says what changed
    approved_change.refresh_from_db()
    assert approved_change.status == ChangeRequest.Status.IMPLEMENTED
    step = approved_change.transitions.order_by("-id").first()
    assert (step.from_status, step.to_status, step.user) == (
        "approved",
        "implemented",
        project_manager,
    )
    assert step.comment == result.comment
    lines = step.comment.splitlines()
    assert lines[0] == (
        "3 tasks moved by +5 days; the plan finishes on 2026-05-11 (was 2026-05-06)."
    )
    assert "· 2 开发: 2026-04-23 → 2026-04-28" in lines
    assert "Budget line added: 12000.00 CNY, Labor, “CR-001 增加报表模块”." in lines
    assert lines[-1] == "Baseline saved: “After CR-001”."


def test_a_change_without_schedule_impact_moves_nothing(
    approved_change, change_plan, project_manager
):
    # given a change of cost only
    ChangeRequest.objects.filter(pk=approved_change.pk).update(schedule_impact_days=0)
    approved_change.refresh_from_db()
    assert change_impact.plan_change(approved_change).shifts == ()

    # when it is applied
    result = apply(approved_change, project_manager)

    # then no task moved, the budget line and the baseline are there
    assert result.moved == ()
    assert dates(change_plan["build"]) == (D(2026, 4, 23), D(2026, 4, 29))
    assert result.budget_line is not None
    assert result.comment.splitlines()[0] == "No task moved."


# --- refusals: a clear message, and nothing changed ------------------------------------


def _refused(change, user, **overrides):
    before = snapshot(change.project)
    with pytest.raises(change_impact.ChangeImpactError) as refusal:
        apply(change, user, **overrides)
    assert snapshot(change.project) == before
    return refusal.value


def test_a_change_that_is_not_approved_is_refused(approved_change, project_manager):
    ChangeRequest.objects.filter(pk=approved_change.pk).update(
        status=ChangeRequest.Status.AWAITING_CLIENT
    )
    approved_change.refresh_from_db()
    error = _refused(approved_change, project_manager)
    assert error.message == (
        "Only an approved change can be applied: CR-001 is “Awaiting client decision”."
    )
    assert error.field is None


def test_applying_twice_is_refused(approved_change, project_manager):
    apply(approved_change, project_manager)
    approved_change.refresh_from_db()
    error = _refused(approved_change, project_manager, baseline_name="再来一次")
    assert error.message == "CR-001 has already been applied."


def test_a_budget_line_of_the_change_blocks_a_second_application(
    approved_change, project_manager
):
    # given a line of the change left behind while the change is still approved
    BudgetLine.objects.create(
        project=approved_change.project,
        category="labor",
        amount=Decimal("1"),
        change_request=approved_change,
    )
    error = _refused(approved_change, project_manager)
    assert error.message == "CR-001 has already been applied."


def test_a_stale_version_is_refused(approved_change, project_manager):
    before = snapshot(approved_change.project)
    with pytest.raises(StaleVersion):
        apply(
            approved_change,
            project_manager,
            expected_version=approved_change.version - 1,
        )
    assert snapshot(approved_change.project) == before


def test_a_task_of_another_project_is_refused_without_naming_it(
    approved_change, change_plan, project_manager
):
    foreign = TaskFactory(project=ProjectFactory(), name="别的项目的任务")
    error = _refused(
        approved_change,
        project_manager,
        task_shifts=[change_plan["build"].pk, foreign.pk],
    )
    assert error.message == "Choose tasks of this project."
    assert error.field == "task_ids"


def test_an_unknown_task_is_refused(approved_change, project_manager):
    error = _refused(approved_change, project_manager, task_shifts=[987654])
    assert error.message == "Choose tasks of this project."


def test_a_done_task_is_refused(approved_change, change_plan, project_manager):
    error = _refused(
        approved_change, project_manager, task_shifts=[change_plan["design"].pk]
    )
    assert error.message == (
        "“设计” cannot be moved: it is a summary task, or it has started or is done."
    )
    assert error.field == "task_ids"


def test_moving_tasks_of_a_change_without_schedule_impact_is_refused(
    approved_change, change_plan, project_manager
):
    ChangeRequest.objects.filter(pk=approved_change.pk).update(schedule_impact_days=0)
    approved_change.refresh_from_db()
    error = _refused(
        approved_change, project_manager, task_shifts=[change_plan["build"].pk]
    )
    assert error.message == "CR-001 has no schedule impact: no task can be moved."


@pytest.mark.parametrize("cost", ["0.00", "-500.00"])
def test_a_cost_that_is_not_positive_cannot_be_added(
    approved_change, project_manager, cost
):
    ChangeRequest.objects.filter(pk=approved_change.pk).update(cost_impact=cost)
    approved_change.refresh_from_db()
    error = _refused(approved_change, project_manager)
    assert error.field == "add_budget"
    assert "there is nothing to add to the budget" in error.message


def test_a_budget_line_needs_a_category(approved_change, project_manager):
    error = _refused(approved_change, project_manager, budget_category="")
    assert (error.field, error.message) == (
        "budget_category",
        "Choose the budget category of the cost.",
    )


def test_a_baseline_name_in_use_is_refused(approved_change, project_manager):
    schedule_services.save_baseline(
        approved_change.project, "After CR-001", user=project_manager
    )
    with translation.override("en"):
        error = _refused(approved_change, project_manager)
    assert (error.field, error.message) == (
        "baseline_name",
        "A baseline with this name already exists.",
    )


def test_a_failure_at_the_last_step_undoes_everything(
    approved_change, project_manager, monkeypatch
):
    # given the change request's step refused after the plan, budget and baseline
    def refuse(*args, **kwargs):
        raise change_control.ChangeControlError("refused at the end")

    monkeypatch.setattr(change_control, "transition", refuse)
    before = snapshot(approved_change.project)

    # when it is applied
    with pytest.raises(change_control.ChangeControlError):
        apply(approved_change, project_manager)

    # then no task moved and no line or baseline is left
    assert snapshot(approved_change.project) == before


# --- who may ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("project_manager", True),
        ("admin", True),
        ("member", False),
        ("viewer", False),
        ("accountant", False),
        ("staff", False),
        ("client_user", False),
    ],
)
def test_only_the_manager_and_administrators_may_apply(
    request, project, persona, allowed
):
    user = request.getfixturevalue(persona)
    assert change_impact.may_apply(user, project) is allowed


def test_the_comment_lists_twenty_moved_tasks_and_counts_the_rest(
    approved_change, project, project_manager
):
    # given 22 more tasks after the decision
    for n in range(22):
        TaskFactory(project=project, name=f"附加任务{n}", duration=1)

    # when all of them move
    result = apply(approved_change, project_manager)

    # then the comment names 20 and counts the others
    lines = result.comment.splitlines()
    assert len(result.moved) == 25
    assert sum(line.startswith("· ") for line in lines) == 21
    assert "· and 5 more tasks" in lines
