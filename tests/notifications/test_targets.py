"""``describe``: every event kind reads as one line in both languages, with the object's page."""

import pytest
from django.utils import translation

from clientfolio.core.events import Kind
from clientfolio.core.models import Event
from clientfolio.notifications.targets import describe, target_of
from tests.schedule.factories import TaskFactory


def _event(kind, target, actor=None, data=None):
    return Event.objects.create(
        kind=kind,
        target_type=target._meta.label_lower,
        target_id=target.pk,
        project_id=getattr(target, "project_id", None),
        actor=actor,
        data=data or {"title": str(target)},
        occurred_at="2026-03-02T09:00:00+08:00",
    )


@pytest.fixture
def task(project):
    return TaskFactory(project=project, name="需求调研")


def test_it_titles_an_assignment_in_both_languages(task, project, project_manager):
    project_manager.first_name, project_manager.last_name = "娜", "李"
    project_manager.save()
    event = _event(Kind.TASK_ASSIGNED, task, actor=project_manager)
    with translation.override("zh-hans"):
        zh = describe(event)
    with translation.override("en"):
        en = describe(event)
    assert zh.title == f"李娜 把你指派到任务「{task}」"
    assert en.title == f"李娜 assigned you to {task}"
    assert zh.url == f"/projects/{project.pk}/schedule/tasks/{task.pk}/"
    assert zh.project_name == str(project)
    assert zh.kind_label == "被指派任务"
    assert en.kind_label == "Assigned to a task"


def test_it_falls_back_to_the_snapshot_when_the_record_is_gone(task):
    event = _event(
        Kind.TASK_OVERDUE, task, data={"title": "旧任务", "due": "2026-03-01"}
    )
    task.delete()
    assert target_of(event) is None
    with translation.override("en"):
        description = describe(event)
    assert description.url == ""
    assert description.title == "旧任务 is overdue (due 1 Mar 2026)"


@pytest.mark.parametrize("kind", list(Kind))
def test_every_kind_has_a_title_in_both_languages(kind, task):
    event = _event(kind, task, data={"title": "X", "decision": "approved"})
    with translation.override("en"):
        en = describe(event).title
    with translation.override("zh-hans"):
        zh = describe(event).title
    assert str(task) in en
    assert en != zh
