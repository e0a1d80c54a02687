"""What the schedule tells people: who was assigned to a task, and whose dates a late
finish moved (``core.events``)."""

import datetime
from decimal import Decimal

import pytest

from clientfolio.core.models import Event
from clientfolio.schedule import services
from clientfolio.schedule.models import Task
from tests.schedule.factories import TaskFactory

pytestmark = pytest.mark.django_db


def _events(kind):
    return list(Event.objects.filter(kind=kind).order_by("target_id", "pk"))


# --- assigned ------------------------------------------------------------------------------


def test_only_the_people_newly_assigned_are_told(project, project_manager, member):
    task = TaskFactory(project=project, name="接口设计")

    services.set_assignments(task, {member: Decimal(8)}, actor=project_manager)
    services.set_assignments(
        task, {member: Decimal(16), project_manager: Decimal(4)}, actor=project_manager
    )

    told = _events("task.assigned")
    assert [e.recipient_ids for e in told] == [[member.pk], [project_manager.pk]]
    first = told[0]
    assert (first.target_type, first.target_id, first.project_id) == (
        "schedule.task",
        task.pk,
        project.pk,
    )
    assert first.actor_id == project_manager.pk
    assert first.data == {"title": "1 接口设计", "role": "assignee"}


def test_someone_assigned_again_after_removal_is_told_again(
    project, project_manager, member
):
    task = TaskFactory(project=project)
    services.set_assignments(task, {member: Decimal(8)}, actor=project_manager)
    services.set_assignments(task, {}, actor=project_manager)
    services.set_assignments(task, {member: Decimal(8)}, actor=project_manager)
    assert len(_events("task.assigned")) == 2


def test_the_api_assignment_tells_the_assignee(project, member, api_as):
    task = TaskFactory(project=project, name="数据迁移")

    response = api_as("project_manager").post(
        "/api/v1/assignments/",
        {"task": task.pk, "user": member.pk, "hours": "6"},
        format="json",
    )

    assert response.status_code == 201, response.content
    [told] = _events("task.assigned")
    assert told.recipient_ids == [member.pk]
    assert told.actor_id == project.manager_id
    assert told.data["title"] == "1 数据迁移"


def test_an_imported_plan_tells_each_person_once_per_task(project, member, viewer):
    # given a plan written in bulk, as an import does
    tasks = [TaskFactory(project=project) for _ in range(3)]
    rows = [
        services.add_assignment(task, person, Decimal(1))
        for task in tasks
        for person in (member, viewer)
    ]
    Event.objects.all().delete()

    # when the import announces its assignments, twice (a retried job)
    first = services.announce_assignments(rows)
    again = services.announce_assignments(rows)

    # then one event per task and person, and nothing the second time
    assert len(first) == 6
    assert again == []
    assert sorted(
        (e.target_id, e.recipient_ids[0]) for e in _events("task.assigned")
    ) == sorted((t.pk, p.pk) for t in tasks for p in (member, viewer))


def test_a_new_owner_is_told_on_create_and_on_edit(project, project_manager, member):
    task = services.create_task(
        Task(project=project, name="报表", duration=2, owner=member),
        actor=project_manager,
    )
    task.name = "报表开发"
    services.update_task(task, task.version, actor=project_manager)  # same owner
    task.owner = project_manager
    services.update_task(task, task.version, actor=member)

    told = _events("task.assigned")
    assert [(e.recipient_ids, e.actor_id) for e in told] == [
        ([member.pk], project_manager.pk),
        ([project_manager.pk], member.pk),
    ]
    assert told[0].data == {"title": "1 报表", "role": "owner"}


# --- rescheduled -------------------------------------------------------------------------


def _finish(task, actual_finish, actor):
    task.refresh_from_db()
    task.status = Task.Status.DONE
    task.actual_start = task.start
    task.actual_finish = actual_finish
    services.update_task(task, task.version, actor=actor)


def test_a_late_finish_tells_the_people_whose_dates_it_moved(
    plan, project_manager, member, viewer
):
    # given 需求分析 (planned to finish on 30 September) → 开发 → 验收
    analysis, build, accept = plan["analysis"], plan["build"], plan["accept"]
    assert analysis.finish == datetime.date(2026, 9, 30)
    services.set_assignments(build, {viewer: Decimal(8)})
    old_build, old_accept = (build.start, build.finish), (accept.start, accept.finish)

    # when 需求分析 finishes on 12 October instead
    _finish(analysis, datetime.date(2026, 10, 12), project_manager)

    # then 开发 and 验收, which moved, are told; 需求分析 itself is not
    build.refresh_from_db()
    accept.refresh_from_db()
    moved = _events("task.rescheduled")
    assert [e.target_id for e in moved] == [build.pk, accept.pk]
    told_build, told_accept = moved
    assert told_build.recipient_ids == [viewer.pk]
    assert told_accept.recipient_ids == []  # nobody on it: followers only
    assert told_build.actor_id == project_manager.pk
    assert told_build.project_id == build.project_id
    assert told_build.data == {
        "title": "1.2 开发",
        "old_start": old_build[0].isoformat(),
        "old_finish": old_build[1].isoformat(),
        "new_start": build.start.isoformat(),
        "new_finish": build.finish.isoformat(),
        "late_task": "1.1 需求分析",
    }
    assert build.start > old_build[0]
    assert told_accept.data["new_finish"] == accept.finish.isoformat()
    assert told_accept.data["old_finish"] == old_accept[1].isoformat()


def test_the_owner_of_a_moved_task_is_told(plan, project_manager, member):
    build = plan["build"]
    build.owner = member
    services.update_task(build, build.version)
    Event.objects.all().delete()

    _finish(plan["analysis"], datetime.date(2026, 10, 12), project_manager)

    told = Event.objects.get(kind="task.rescheduled", target_id=build.pk)
    assert told.recipient_ids == [member.pk]


def test_recomputing_again_tells_nobody_again(plan, project_manager):
    _finish(plan["analysis"], datetime.date(2026, 10, 12), project_manager)
    assert len(_events("task.rescheduled")) == 2

    services.recompute(plan["analysis"].project)
    build = Task.objects.get(pk=plan["build"].pk)
    build.description = "接口先行"
    services.update_task(build, build.version)

    assert len(_events("task.rescheduled")) == 2


def test_a_finish_on_time_or_early_tells_nobody(plan, project_manager):
    _finish(plan["analysis"], datetime.date(2026, 9, 30), project_manager)
    assert _events("task.rescheduled") == []


def test_a_longer_duration_is_no_late_finish(plan, project_manager):
    analysis = plan["analysis"]
    analysis.duration = 6
    services.update_task(analysis, analysis.version, actor=project_manager)
    assert _events("task.rescheduled") == []


def test_downstream_walks_only_through_moved_tasks():
    from clientfolio.schedule.engine import Link, downstream

    links = [Link(1, 2), Link(2, 3), Link(3, 4), Link(1, 5), Link(6, 7)]
    # 3 did not move, so 4 (behind it) is not reached through it
    assert downstream(links, [1], among={2, 4, 5, 7}) == {2: 1, 5: 1}
    assert downstream(links, [1, 6], among={2, 3, 4, 7}) == {2: 1, 3: 1, 4: 1, 7: 6}
    assert downstream(links, [], among={2}) == {}
