"""The writes of channels and webhooks, redelivery, and running an event twice."""

import pytest

from clientfolio.core.events import Kind
from clientfolio.core.locking import StaleVersion
from clientfolio.integrations import services
from clientfolio.integrations.handlers import handle_event
from clientfolio.integrations.models import ChatChannel, Delivery, Webhook
from tests.schedule.factories import TaskFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("local_allowed")]


@pytest.fixture
def task(project, member):
    return TaskFactory(project=project, name="需求调研", owner=member)


def test_a_new_address_forgets_the_old_error(receiver, project, admin):
    channel = services.create_channel(
        ChatChannel(project=project, platform="wecom", name="群", url=receiver.url),
        user=admin,
    )
    receiver.answer_with(200, {"errcode": 93000, "errmsg": "invalid webhook url"})
    services.test_channel(channel)
    channel.refresh_from_db()
    assert channel.last_error == "93000 invalid webhook url"
    assert channel.created_by == admin

    channel.name = "项目群"
    services.update_channel(channel, channel.version)
    channel.refresh_from_db()
    assert channel.last_error == "93000 invalid webhook url"

    channel.url = receiver.url + "?key=new"
    services.update_channel(channel, channel.version)
    channel.refresh_from_db()
    assert channel.last_error == ""
    assert channel.last_error_at is None


def test_a_stale_edit_is_refused(receiver, admin):
    hook = Webhook(name="ERP", url=receiver.url, kinds=[Kind.TASK_ASSIGNED])
    secret = services.create_webhook(hook, user=admin)
    assert secret == hook.secret
    assert len(secret) > 32
    hook.name = "ERP 2"
    services.update_webhook(hook, 1)

    hook.name = "ERP 3"
    with pytest.raises(StaleVersion):
        services.update_webhook(hook, 1)
    assert Webhook.objects.get().name == "ERP 2"


def test_a_failing_event_handled_twice_is_tried_once(
    receiver, project, task, publish, project_manager, member
):
    receiver.answer_with(500, b"down")
    hook = Webhook.objects.create(name="ERP", url=receiver.url, kinds=["task.assigned"])
    event = publish(
        Kind.TASK_ASSIGNED, task, actor=project_manager, recipients=[member]
    )
    assert len(receiver.requests) == services.MAX_ATTEMPTS

    handle_event(event)  # a redelivery sweep, a second worker

    assert len(receiver.requests) == services.MAX_ATTEMPTS
    hook.refresh_from_db()
    assert hook.consecutive_failures == 1


def test_redeliver_posts_again_as_the_next_attempt(
    receiver,
    project,
    task,
    publish,
    project_manager,
    member,
    django_capture_on_commit_callbacks,
):
    hook = Webhook.objects.create(name="ERP", url=receiver.url, kinds=["task.assigned"])
    publish(Kind.TASK_ASSIGNED, task, actor=project_manager, recipients=[member])
    first = Delivery.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        services.redeliver(first)

    assert len(receiver.requests) == 2
    assert receiver.requests[0].body == receiver.requests[1].body
    again = hook.deliveries.order_by("-attempt").first()
    assert again.attempt == 2
    assert again.status == Delivery.Status.OK


def test_a_disabled_webhook_is_switched_on_again(receiver):
    hook = Webhook.objects.create(name="ERP", url=receiver.url, consecutive_failures=10)
    Webhook.objects.filter(pk=hook.pk).update(active=True)
    hook.disabled_at = hook.created_at
    hook.save()

    services.enable(hook, True)

    hook.refresh_from_db()
    assert hook.disabled_at is None
    assert hook.consecutive_failures == 0
    services.enable(hook, False)
    hook.refresh_from_db()
    assert not hook.active


def test_old_deliveries_are_forgotten(receiver, time_machine):
    from datetime import timedelta

    from django.utils import timezone

    from clientfolio.integrations.tasks import prune_deliveries

    hook = Webhook.objects.create(name="ERP", url=receiver.url)
    time_machine.move_to(timezone.now() - timedelta(days=91), tick=False)
    services.test_webhook(hook)
    time_machine.move_to(timezone.now() + timedelta(days=91), tick=False)
    services.test_webhook(hook)

    assert prune_deliveries.call() == 1
    assert hook.deliveries.count() == 1


def test_a_job_tells_its_own_errors_in_the_channels_language(
    project, task, publish, project_manager, member, settings
):
    settings.INTEGRATIONS_ALLOWED_NETWORKS = []
    channel = ChatChannel.objects.create(
        project=project,
        platform="slack",
        name="team",
        url="http://127.0.0.1:9/hook",
        language="en",
        kinds=["task.assigned"],
    )

    publish(Kind.TASK_ASSIGNED, task, actor=project_manager, recipients=[member])

    channel.refresh_from_db()
    assert "is not public" in channel.last_error
