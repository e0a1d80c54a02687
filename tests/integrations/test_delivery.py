"""Events reach chat channels and webhooks as each platform documents it, checked by a
real receiver on 127.0.0.1: signatures, card shapes, languages, errors, retries."""

import base64
import hashlib
import hmac
import json
import time

import pytest
from django.urls import reverse

from clientfolio.core.events import Kind
from clientfolio.integrations import services
from clientfolio.integrations.models import ChatChannel, Delivery, Webhook
from tests.schedule.factories import TaskFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("local_allowed")]


@pytest.fixture
def task(project, member):
    return TaskFactory(project=project, name="需求调研", owner=member)


def channel(receiver, project, platform, **kwargs):
    kwargs.setdefault("kinds", [Kind.TASK_ASSIGNED])
    kwargs.setdefault("name", platform)
    return ChatChannel.objects.create(
        project=project, platform=platform, url=receiver.url, **kwargs
    )


def assign(publish, task, project_manager, member):
    return publish(Kind.TASK_ASSIGNED, task, actor=project_manager, recipients=[member])


def test_dingtalk_signs_the_query_as_documented(
    receiver, project, task, publish, project_manager, member
):
    channel(receiver, project, "dingtalk", secret="SECabc123", language="zh-hans")

    assign(publish, task, project_manager, member)

    sent = receiver.last
    timestamp = sent.query["timestamp"]
    assert abs(int(timestamp) - time.time() * 1000) < 60_000
    expected = base64.b64encode(
        hmac.new(
            b"SECabc123", f"{timestamp}\nSECabc123".encode(), hashlib.sha256
        ).digest()
    ).decode()
    # parse_qs decoded the URL encoding once: the sign is the Base64 itself.
    assert sent.query["sign"] == expected
    body = sent.json
    assert body["msgtype"] == "actionCard"
    card = body["actionCard"]
    assert "需求调研" in card["text"]
    assert "客户数据平台一期" in card["text"]
    assert card["singleURL"].startswith("https://pm.example.com/projects/")
    assert card["singleTitle"] == "在 Clientfolio 中打开"
    delivery = Delivery.objects.get()
    assert delivery.status == "ok"
    assert delivery.status_code == 200
    assert delivery.attempt == 1


def test_the_dingtalk_error_is_kept_on_the_channel(
    receiver, project, task, publish, project_manager, member
):
    receiver.answer_with(200, {"errcode": 310000, "errmsg": "sign not match"})
    target = channel(receiver, project, "dingtalk", secret="wrong")

    assign(publish, task, project_manager, member)

    target.refresh_from_db()
    assert target.last_error == "310000 sign not match"
    assert target.last_error_at is not None
    assert target.last_ok_at is None
    deliveries = list(Delivery.objects.order_by("attempt"))
    assert [d.attempt for d in deliveries] == [1, 2, 3, 4, 5]
    assert {d.error for d in deliveries} == {"310000 sign not match"}
    assert {d.status for d in deliveries} == {"failed"}


def test_feishu_signs_the_body_as_documented(
    receiver, project, task, publish, project_manager, member
):
    receiver.answer_with(200, {"code": 0, "msg": "success", "data": {}})
    channel(receiver, project, "feishu", secret="feishu-secret", language="en")

    assign(publish, task, project_manager, member)

    body = receiver.last.json
    timestamp = body["timestamp"]
    assert abs(int(timestamp) - time.time()) < 60
    key = f"{timestamp}\nfeishu-secret".encode()
    assert (
        body["sign"]
        == base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
    )
    assert body["msg_type"] == "interactive"
    card = body["card"]
    assert "需求调研" in card["header"]["title"]["content"]
    button = card["elements"][-1]["actions"][0]
    assert button["text"]["content"] == "Open in Clientfolio"
    assert button["url"].startswith("https://pm.example.com/")


def test_feishu_error_code(receiver, project, task, publish, project_manager, member):
    receiver.answer_with(200, {"code": 19021, "msg": "sign match fail"})
    target = channel(receiver, project, "feishu", secret="x")

    assign(publish, task, project_manager, member)

    target.refresh_from_db()
    assert target.last_error == "19021 sign match fail"


def test_wecom_markdown(receiver, project, task, publish, project_manager, member):
    channel(receiver, project, "wecom", language="en")

    assign(publish, task, project_manager, member)

    body = receiver.last.json
    assert body["msgtype"] == "markdown"
    content = body["markdown"]["content"]
    assert f"**Project**: {project.code} 客户数据平台一期" in content
    assert "[Open in Clientfolio](https://pm.example.com/" in content


def test_slack_blocks_and_ok(receiver, project, task, publish, project_manager, member):
    receiver.answer_with(200, b"ok")
    target = channel(receiver, project, "slack", language="en")

    assign(publish, task, project_manager, member)

    body = receiver.last.json
    assert "需求调研" in body["text"]
    assert [b["type"] for b in body["blocks"]] == ["section", "section", "actions"]
    assert body["blocks"][2]["elements"][0]["url"].startswith("https://pm.example.com/")
    target.refresh_from_db()
    assert target.last_ok_at is not None
    assert target.last_error == ""


def test_slack_error_body(receiver, project, task, publish, project_manager, member):
    receiver.answer_with(400, b"invalid_payload")
    target = channel(receiver, project, "slack")

    assign(publish, task, project_manager, member)

    target.refresh_from_db()
    assert "invalid_payload" in target.last_error


def test_teams_adaptive_card(receiver, project, task, publish, project_manager, member):
    receiver.answer_with(202, b"")
    target = channel(receiver, project, "teams", language="en")

    assign(publish, task, project_manager, member)

    body = receiver.last.json
    assert body["type"] == "message"
    attachment = body["attachments"][0]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard"
    assert card["version"] == "1.4"
    assert card["actions"][0]["type"] == "Action.OpenUrl"
    assert {"title": "Project", "value": str(project)} in card["body"][1]["facts"]
    target.refresh_from_db()
    assert target.last_ok_at is not None


def test_the_card_speaks_the_channels_language(
    receiver, project, task, publish, project_manager, member
):
    channel(receiver, project, "wecom", language="zh-hans")
    channel(receiver, project, "wecom", language="en")

    assign(publish, task, project_manager, member)

    texts = sorted(r.json["markdown"]["content"] for r in receiver.requests)
    assert len(texts) == 2
    english = next(t for t in texts if "Open in Clientfolio" in t)
    chinese = next(t for t in texts if "在 Clientfolio 中打开" in t)
    assert "**Project**" in english
    assert "**项目**" in chinese


def test_a_group_card_names_who_was_assigned_never_you(
    receiver, project, task, publish, project_manager, member
):
    channel(receiver, project, "wecom", language="zh-hans")
    channel(receiver, project, "dingtalk", language="en")

    assign(publish, task, project_manager, member)

    dingtalk, wecom = sorted(receiver.requests, key=lambda r: "markdown" in r.json)
    title = wecom.json["markdown"]["content"].splitlines()[0]
    assert title == f"### 项目经理 把 团队成员 指派到任务「{task}」"
    card = dingtalk.json["actionCard"]
    assert card["title"] == f"团队成员 was assigned to {task} by 项目经理"
    assert card["text"].startswith(f"### 团队成员 was assigned to {task} by 项目经理")


def test_only_subscribed_active_channels_of_the_project_or_firm(
    receiver, project, task, publish, project_manager, member
):
    from tests.projects.factories import ProjectFactory

    other = ProjectFactory()
    channel(receiver, None, "wecom", name="firm")
    channel(receiver, other, "wecom", name="other project")
    channel(receiver, project, "wecom", name="off", active=False)
    channel(receiver, project, "wecom", name="other kind", kinds=[Kind.RISK_LEVEL_ROSE])

    assign(publish, task, project_manager, member)

    assert [d.channel.name for d in Delivery.objects.select_related("channel")] == [
        "firm"
    ]


def test_a_second_delivery_of_the_event_posts_nothing(
    receiver, project, task, publish, project_manager, member
):
    from clientfolio.integrations.handlers import handle_event

    channel(receiver, project, "wecom")
    event = assign(publish, task, project_manager, member)

    handle_event(event)
    handle_event(event)

    assert len(receiver.requests) == 1


# --- webhooks -------------------------------------------------------------------


def webhook(receiver, **kwargs):
    kwargs.setdefault("kinds", [Kind.TASK_ASSIGNED])
    return Webhook.objects.create(name="ERP", url=receiver.url, **kwargs)


def test_webhook_payload_and_signature(
    receiver, project, task, publish, project_manager, member
):
    hook = webhook(receiver)

    event = assign(publish, task, project_manager, member)

    sent = receiver.last
    headers = sent.headers
    assert headers["x-clientfolio-event"] == "task.assigned"
    assert headers["x-clientfolio-delivery"] == f"{event.pk}-{hook.pk}"
    timestamp = headers["x-clientfolio-timestamp"]
    expected = hmac.new(
        hook.secret.encode(), f"{timestamp}.".encode() + sent.body, hashlib.sha256
    ).hexdigest()
    assert hmac.compare_digest(headers["x-clientfolio-signature"], f"sha256={expected}")
    payload = sent.json
    assert payload == {
        "version": 1,
        "id": event.pk,
        "kind": "task.assigned",
        "occurred_at": event.occurred_at.isoformat(),
        "project": {"id": project.pk, "code": project.code, "name": project.name},
        "target": {
            "type": "schedule.task",
            "id": task.pk,
            "url": "https://pm.example.com"
            + reverse("schedule:task_detail", args=[project.pk, task.pk]),
        },
        "actor": {"id": project_manager.pk, "name": str(project_manager)},
        "data": {"title": str(task)},
    }
    assert len(hook.secret) >= 32


def test_retries_then_the_webhook_is_disabled(
    receiver, project, task, publish, project_manager, member, settings
):
    settings.INTEGRATIONS_DISABLE_AFTER = 3
    receiver.answer_with(500, b"boom")
    hook = webhook(receiver)

    for _ in range(3):
        assign(publish, task, project_manager, member)

    hook.refresh_from_db()
    assert hook.consecutive_failures == 3
    assert hook.disabled_at is not None
    assert len(receiver.requests) == 3 * services.MAX_ATTEMPTS
    assert Delivery.objects.filter(webhook=hook, status_code=500).count() == 15

    assign(publish, task, project_manager, member)
    assert len(receiver.requests) == 15  # disabled: nothing more

    services.enable(hook, True)
    receiver.answer_with(200, b"{}")
    assign(publish, task, project_manager, member)
    hook.refresh_from_db()
    assert hook.consecutive_failures == 0
    assert hook.disabled_at is None
    assert len(receiver.requests) == 16


def test_a_success_resets_the_failures(
    receiver, project, task, publish, project_manager, member
):
    hook = webhook(receiver)
    Webhook.objects.filter(pk=hook.pk).update(consecutive_failures=7)

    assign(publish, task, project_manager, member)

    hook.refresh_from_db()
    assert hook.consecutive_failures == 0


def test_a_redirect_is_not_followed(
    receiver, project, task, publish, project_manager, member
):
    receiver.answer_with(302, b"", Location="http://10.0.0.1/")
    hook = webhook(receiver)

    assign(publish, task, project_manager, member)

    assert len(receiver.requests) == services.MAX_ATTEMPTS
    assert set(hook.deliveries.values_list("status_code", flat=True)) == {302}


def test_the_address_is_checked_again_at_send_time(
    receiver, project, task, publish, project_manager, member, settings
):
    hook = webhook(receiver)
    settings.INTEGRATIONS_ALLOWED_NETWORKS = []  # the admin no longer allows it

    assign(publish, task, project_manager, member)

    assert receiver.requests == []
    delivery = hook.deliveries.first()
    assert "127.0.0.1" in delivery.error
    assert delivery.status_code is None


def test_the_response_kept_is_at_most_2_kb(receiver):
    receiver.answer_with(200, b"x" * 10_000)
    hook = webhook(receiver)

    delivery = services.test_webhook(hook)

    assert delivery.status == "ok"
    assert len(delivery.response_excerpt) == 2048
    assert json.loads(receiver.last.body)["kind"] == "ping"
