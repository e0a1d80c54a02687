"""Writes to the plan through schedule.services: WBS numbering, moving in the tree, link
refusals, rollup, the working calendar, baselines and assignments."""

import datetime
from decimal import Decimal

import pytest

from clientfolio.schedule import services
from clientfolio.schedule.models import (
    Assignment,
    BaselineTask,
    CalendarDay,
    Dependency,
    ProjectSchedule,
    Task,
)
from tests.projects.factories import ProjectFactory
from tests.schedule.factories import DependencyFactory, TaskFactory

D = datetime.date


def _codes(project):
    return list(Task.objects.filter(project=project).values_list("wbs", "name"))


def test_tasks_are_numbered_in_tree_order(plan, project):
    # then the WBS codes follow the tree
    assert _codes(project) == [
        ("1", "一期"),
        ("1.1", "需求分析"),
        ("1.2", "开发"),
        ("2", "验收"),
    ]


def test_indent_puts_a_task_under_its_previous_sibling_and_outdent_takes_it_back(
    project,
):
    # given three top-level tasks
    a = TaskFactory(project=project, name="A")
    b = TaskFactory(project=project, name="B")
    TaskFactory(project=project, name="C")

    # when B is indented under A
    b = services.move_task(b, a, 10**6, b.version)

    # then it is 1.1 and A is a summary task
    assert _codes(project) == [("1", "A"), ("1.1", "B"), ("2", "C")]
    assert Task.objects.get(pk=a.pk).is_summary

    # when B is outdented after A
    b = services.move_task(b, None, 1, b.version)

    # then the tree is flat again
    assert _codes(project) == [("1", "A"), ("2", "B"), ("3", "C")]
    assert not Task.objects.get(pk=a.pk).is_summary


def test_a_cycle_is_refused_naming_the_tasks(plan):
    # when the milestone is made a predecessor of the analysis
    with pytest.raises(services.PlanError) as error:
        services.add_dependency(
            Dependency(predecessor=plan["accept"], successor=plan["analysis"])
        )

    # then the message names the tasks of the cycle and nothing is saved
    assert "验收" in error.value.message
    assert "需求分析" in error.value.message
    assert "开发" in error.value.message
    assert Dependency.objects.count() == 2


def test_a_link_across_projects_is_refused(plan):
    # given a task of another project
    other = TaskFactory(project=ProjectFactory(), name="别的项目的任务")

    # when it is linked to a task of the plan, then it is refused
    with pytest.raises(services.PlanError, match="same project"):
        services.add_dependency(Dependency(predecessor=other, successor=plan["build"]))
    assert not Dependency.objects.filter(predecessor=other).exists()


def test_a_summary_task_rolls_up_dates_and_progress(plan):
    # given the analysis done (3 days, finished on 30 September as planned, whatever
    # today is) and nothing of the build (5 days)
    analysis = plan["analysis"]
    analysis.status = Task.Status.DONE
    analysis.actual_finish = D(2026, 9, 30)
    services.update_task(analysis, analysis.version)

    # then the summary spans both and is 3/8 complete, weighted by duration
    phase = Task.objects.get(pk=plan["phase"].pk)
    build = Task.objects.get(pk=plan["build"].pk)
    assert phase.is_summary
    assert phase.start == D(2026, 9, 28)
    assert phase.finish == build.finish
    assert phase.percent_complete == round(100 * 3 / 8)


def test_the_national_day_holiday_is_not_worked(plan):
    # then the 5-day build after 30 September skips 1–7 October and works the make-up
    # Saturday 10 October
    build = Task.objects.get(pk=plan["build"].pk)
    assert build.start == D(2026, 10, 8)
    assert build.finish == D(2026, 10, 13)
    assert ProjectSchedule.objects.get(
        project=plan["build"].project
    ).computed_finish == D(2026, 10, 13)


def test_without_statutory_holidays_the_build_works_through_october(plan, project):
    # when the project turns the statutory calendar off
    ProjectSchedule.objects.filter(project=project).update(use_statutory_holidays=False)
    services.recompute(project)

    # then only weekends are off
    assert Task.objects.get(pk=plan["build"].pk).finish == D(2026, 10, 7)


def test_an_own_holiday_moves_the_finish(plan, project):
    # when the project adds 8 October as its own holiday
    settings_row = services.ensure_schedule(project)
    CalendarDay.objects.create(
        schedule=settings_row, day=D(2026, 10, 8), kind="holiday"
    )
    services.recompute(project)

    # then the build finishes a working day later
    assert Task.objects.get(pk=plan["build"].pk).finish == D(2026, 10, 14)


def test_a_baseline_keeps_the_planned_dates_for_variance(
    plan, project, project_manager
):
    # given a baseline of the plan
    baseline = services.save_baseline(project, "基线1", user=project_manager)

    # when the build slips by two working days
    build = plan["build"]
    build.duration = 7
    services.update_task(build, build.version)

    # then the baseline still holds the old finish and the variance is visible
    planned = BaselineTask.objects.get(baseline=baseline, task=build)
    current = Task.objects.get(pk=build.pk)
    assert planned.finish == D(2026, 10, 13)
    assert current.finish == D(2026, 10, 15)
    assert baseline.finish == D(2026, 10, 13)


def test_a_baseline_name_is_used_once(plan, project, project_manager):
    services.save_baseline(project, "基线1", user=project_manager)
    with pytest.raises(services.PlanError) as error:
        services.save_baseline(project, "基线1", user=project_manager)
    assert error.value.field == "name"


def test_assignments_are_set_exactly(plan, member, project_manager):
    # given the member assigned 24 hours
    task = plan["analysis"]
    services.set_assignments(task, {member: Decimal("24")})

    # when the assignees become the manager only
    services.set_assignments(task, {project_manager: Decimal("8")})

    # then the member is gone and the manager has 8 hours
    assert list(Assignment.objects.filter(task=task).values_list("user", "hours")) == [
        (project_manager.pk, Decimal("8.0"))
    ]


def test_a_milestone_has_no_duration(project):
    milestone = TaskFactory(project=project, name="上线", milestone=True, duration=0)
    milestone.duration = 4
    services.update_task(milestone, milestone.version)
    assert Task.objects.get(pk=milestone.pk).duration == 0


def test_dependencies_factory_links_within_the_project(plan):
    link = DependencyFactory(predecessor=plan["analysis"], successor=plan["accept"])
    assert link.project_id == plan["accept"].project_id
