"""``core.events.publish_many``: the bulk form of ``publish`` that reminder sweeps use."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from clientfolio.core import events
from clientfolio.core.models import Event
from tests.core.factories import UserFactory

pytestmark = pytest.mark.django_db

HEARD: list[int] = []


def hear(event):
    """A handler named in settings by the tests below."""
    HEARD.append(event.pk)


@pytest.fixture(autouse=True)
def _clean():
    HEARD.clear()


def _due(user, n, *, start=1):
    return [
        events.pending_event(
            events.Kind.TASK_OVERDUE,
            "schedule.task",
            task_id,
            recipients=[user, user.pk],
            project=7,
            data={"title": f"任务 {task_id}", "due": "2026-05-04"},
            key=f"task.overdue:{task_id}:2026-05-04",
        )
        for task_id in range(start, start + n)
    ]


@override_settings(CLIENTFOLIO_EVENT_HANDLERS=["tests.core.test_events.hear"])
def test_publishing_the_same_events_twice_stores_and_delivers_each_once(
    django_capture_on_commit_callbacks,
):
    user = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        first = events.publish_many(_due(user, 5))
    with django_capture_on_commit_callbacks(execute=True):
        again = events.publish_many(_due(user, 5))

    assert len(first) == 5
    assert again == []
    assert Event.objects.count() == 5
    assert sorted(HEARD) == sorted(first)
    event = Event.objects.get(key="task.overdue:3:2026-05-04")
    assert (event.kind, event.target_type, event.target_id) == (
        "task.overdue",
        "schedule.task",
        3,
    )
    assert event.recipient_ids == [user.pk]
    assert event.project_id == 7
    assert event.data == {"title": "任务 3", "due": "2026-05-04"}
    assert event.delivered_at is not None


@override_settings(CLIENTFOLIO_EVENT_HANDLERS=["tests.core.test_events.hear"])
def test_only_the_events_not_yet_stored_are_delivered(
    django_capture_on_commit_callbacks,
):
    # given one event published on its own and three by an earlier sweep
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        alone = events.publish(
            events.Kind.TASK_OVERDUE, user, key="task.overdue:2:2026-05-04"
        )
        events.publish_many(_due(user, 3, start=4))
    HEARD.clear()

    # when a sweep publishes tasks 1 to 7
    with django_capture_on_commit_callbacks(execute=True):
        created = events.publish_many(_due(user, 7), batch_size=2)

    # then tasks 1, 3 and 7 are new, and only they are delivered
    new = Event.objects.filter(pk__in=created).order_by("target_id")
    assert [e.target_id for e in new] == [1, 3, 7]
    assert sorted(HEARD) == sorted(created)
    assert alone.pk not in created
    assert Event.objects.count() == 7


def test_nothing_is_delivered_before_the_commit(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        created = events.publish_many(_due(user, 450))
    assert len(created) == 450
    # one delivery job per DELIVERY_BATCH events, queued on commit
    assert len(callbacks) == 3
    assert not Event.objects.filter(delivered_at__isnull=False).exists()


def test_the_same_key_twice_in_one_call_is_stored_once():
    user = UserFactory()
    created = events.publish_many([*_due(user, 2), *_due(user, 2)])
    assert len(created) == 2
    assert Event.objects.count() == 2


def test_an_event_without_a_key_is_refused():
    with pytest.raises(ValueError, match="key"):
        events.pending_event(events.Kind.TASK_OVERDUE, "schedule.task", 1, key="")
    with pytest.raises(ValueError, match="target_id"):
        events.pending_event(events.Kind.TASK_OVERDUE, "schedule.task", key="k")


def test_a_record_target_gives_its_label_and_project():
    user = UserFactory()
    event = events.pending_event(events.Kind.JOB_FINISHED, user, key="k")
    assert (event.target_type, event.target_id, event.project_id) == (
        "core.user",
        user.pk,
        None,
    )


def test_the_statements_do_not_grow_with_the_events_of_a_batch():
    # (Django splits an INSERT on SQLite every 90 events or so: 80 stay in one.)
    user = UserFactory()

    def statements(n, start):
        with CaptureQueriesContext(connection) as queries:
            events.publish_many(_due(user, n, start=start))
        return len(queries)

    assert statements(2, 1) == statements(80, 100)
