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


# --- for a group (team chats) ------------------------------------------------------


def _for(event, language, **kwargs):
    from clientfolio.notifications.targets import GROUP

    with translation.override(language):
        return describe(event, audience=GROUP, **kwargs).title


def test_a_group_is_told_who_was_assigned_and_by_whom(
    task, project_manager, member, django_assert_num_queries
):
    project_manager.first_name, project_manager.last_name = "娜", "李"
    project_manager.save()
    member.first_name, member.last_name = "五", "王"
    member.save()
    event = _event(Kind.TASK_ASSIGNED, task, actor=project_manager)

    Event.objects.filter(pk=event.pk).update(recipient_ids=[member.pk])
    describe(Event.objects.get(pk=event.pk), target=task)  # the task knows its project
    event = Event.objects.get(pk=event.pk)
    with django_assert_num_queries(2):  # the actor, the people's names
        en = _for(event, "en", target=task)

    assert en == f"王五 was assigned to {task} by 李娜"
    assert _for(event, "zh-hans", target=task) == f"李娜 把 王五 指派到任务「{task}」"
    # the reader's own notification still speaks to them
    with translation.override("en"):
        assert describe(event, target=task).title == f"李娜 assigned you to {task}"


def test_a_group_hears_many_people_by_name_then_how_many_more(
    task, project_manager, member, viewer, staff, monkeypatch
):
    event = _event(Kind.CHANGE_REQUEST_SUBMITTED, task, actor=project_manager)
    event.recipient_ids = [viewer.pk, member.pk]
    assert (
        _for(event, "zh-hans")
        == f"项目经理 请 团队成员、访客只读 决定变更请求「{task}」"
    )

    from clientfolio.notifications import targets

    event.recipient_ids = [member.pk, viewer.pk, staff.pk]
    monkeypatch.setattr(targets, "NAMED_IN_GROUP", 1)
    title = _for(event, "en")
    named = title.removeprefix("项目经理 asks ").split(" and ")[0]
    assert named in {str(member), str(viewer), str(staff)}
    assert title == f"项目经理 asks {named} and 2 others for a decision on {task}"


def test_without_an_actor_or_known_people_a_group_title_still_names_no_you(task):
    event = _event(Kind.COMMENT_MENTIONED, task)
    assert _for(event, "en") == f"someone was mentioned on {task}"
    assert _for(event, "zh-hans") == f"有人 在「{task}」中被提到"


@pytest.mark.parametrize("kind", list(Kind))
def test_no_group_title_says_you(kind, task, project_manager, member):
    event = _event(kind, task, actor=project_manager, data={"title": "X"})
    event.recipient_ids = [member.pk]
    for actor in (project_manager, None):
        event.actor = actor
        event.actor_id = getattr(actor, "pk", None)
        en = _for(event, "en")
        zh = _for(event, "zh-hans")
        assert str(task) in en
        assert not {"you", "your"} & set(en.lower().split()), en
        assert "你" not in zh, zh
        assert "您" not in zh, zh
