"""The lean reads (core/lean.py) write exactly what DRF's fields would: the same keys in
the same order and the same values, for readers who may and may not see the records a
row points to, in two time zones."""

import datetime
import zoneinfo

import pytest
from django.http import HttpRequest
from django.utils import timezone
from rest_framework import serializers

from clientfolio.core.lean import LeanRepresentation
from clientfolio.core.renderers import dumps
from clientfolio.projects.api.serializers import ProjectSerializer
from clientfolio.projects.models import Project
from clientfolio.schedule.api.serializers import TaskDetailSerializer, TaskSerializer
from clientfolio.schedule.models import Dependency, Task
from tests.core.factories import UserFactory
from tests.projects.factories import ProjectFactory
from tests.schedule.factories import TaskFactory


class ClassicTask(TaskSerializer):
    lean = False


class ClassicTaskDetail(TaskDetailSerializer):
    lean = False


class ClassicProject(ProjectSerializer):
    lean = False


def _request(user):
    request = HttpRequest()
    request.user = user
    return request


@pytest.fixture
def rows(project, member):
    """Tasks of the shared project with and without owner, dates and parent, one whose
    parent is in a project nobody on the shared one is on, and a second project."""
    other = ProjectFactory(name="另一家客户的项目", tags=["机密"])
    foreign_parent = TaskFactory(project=other, name="机密父任务")
    phase = TaskFactory(project=project, name="一期")
    tasks = [
        phase,
        TaskFactory(
            project=project,
            parent=phase,
            name="需求分析",
            owner=member,
            constraint=Task.Constraint.SNET,
            constraint_date=datetime.date(2026, 10, 12),
            optimistic_days=2,
            likely_days=3,
            pessimistic_days=6,
        ),
        TaskFactory(project=project, name="验收", milestone=True),
    ]
    orphan = TaskFactory(project=project, name="移来的任务")
    Task.objects.filter(pk=orphan.pk).update(parent=foreign_parent)
    Dependency.objects.create(
        project=project, predecessor=tasks[1], successor=tasks[2], lag=-1
    )
    Dependency.objects.create(
        project=project, predecessor=foreign_parent, successor=tasks[2]
    )
    project.tags.set([])
    return {
        "tasks": Task.objects.select_related("owner").order_by("id"),
        "other": other,
    }


@pytest.mark.parametrize("reader", ["member", "staff", "admin"])
@pytest.mark.parametrize("zone", ["Asia/Shanghai", "UTC"])
def test_the_lean_task_list_is_the_serializers_output(rows, reader, zone, request):
    user = request.getfixturevalue(reader)
    tasks = list(rows["tasks"])
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        lean = TaskSerializer(tasks, many=True, context={"request": _request(user)})
        classic = ClassicTask(tasks, many=True, context={"request": _request(user)})
        assert dumps(lean.data) == dumps(classic.data)
    assert len(lean.data) == 5


@pytest.mark.parametrize("reader", ["member", "admin"])
def test_the_lean_task_detail_is_the_serializers_output(rows, reader, request):
    user = request.getfixturevalue(reader)
    for task in rows["tasks"]:
        task.links = list(
            Dependency.objects.filter(successor=task).values(
                "id", "predecessor_id", "successor_id", "kind", "lag"
            )
        )
        lean = TaskDetailSerializer(task, context={"request": _request(user)}).data
        classic = ClassicTaskDetail(task, context={"request": _request(user)}).data
        assert list(lean) == list(classic)
        assert lean == classic


@pytest.mark.parametrize("reader", ["member", "staff", "admin"])
def test_the_lean_project_list_is_the_serializers_output(rows, reader, request):
    user = request.getfixturevalue(reader)
    projects = list(Project.objects.prefetch_related("tags").order_by("id"))
    lean = ProjectSerializer(projects, many=True, context={"request": _request(user)})
    classic = ClassicProject(projects, many=True, context={"request": _request(user)})
    assert dumps(lean.data) == dumps(classic.data)
    assert [tags for row in lean.data if (tags := row["tags"])] == [["机密"]]


def test_a_task_whose_parent_the_reader_cannot_see_has_no_parent(rows, member):
    orphan = rows["tasks"].get(name="移来的任务")
    data = TaskSerializer(orphan, context={"request": _request(member)}).data
    assert data["parent"] is None
    admin = UserFactory(admin=True, username="root")
    data = TaskSerializer(orphan, context={"request": _request(admin)}).data
    assert data["parent"] == orphan.parent_id


def test_a_field_without_a_lean_read_is_refused():
    class Nested(LeanRepresentation, serializers.ModelSerializer):
        tasks = TaskSerializer(many=True, read_only=True)

        class Meta:
            model = Project
            fields = ["id", "tasks"]

    with pytest.raises(Exception, match="no lean read"):
        Nested(Project(pk=1)).data  # noqa: B018
