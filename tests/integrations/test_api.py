"""The chat channel, webhook and delivery API: the pages' permissions, field errors
(a URL that is not http(s) or points at a private address saves nothing), write-only
secrets, the test action against a real receiver, rotation and the read-only log."""

import hashlib
import hmac

import pytest

from clientfolio.integrations.models import ChatChannel, Delivery, Webhook

pytestmark = pytest.mark.django_db

PUBLIC = "https://93.184.215.14/robot/send?access_token=x"


def channel_body(project=None, **extra):
    return {
        "project": getattr(project, "pk", project),
        "platform": "dingtalk",
        "name": "交付群",
        "url": PUBLIC,
        "secret": "SECapi",
        "kinds": ["task.assigned"],
        "language": "zh-hans",
        **extra,
    }


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://127.0.0.1:8000/robot", "is not public"),
        ("http://[::ffff:10.0.0.1]/robot", "is not public"),
        ("ftp://93.184.215.14/robot", "Only http:// and https://"),
        ("https://no-such-host.invalid/robot", "could not be found"),
    ],
)
def test_a_refused_url_is_a_field_error_and_nothing_is_saved(admin_api, url, message):
    response = admin_api.post(
        "/api/v1/chat-channels/", channel_body(url=url), format="json"
    )

    assert response.status_code == 400
    assert message in str(response.json()["url"])
    assert not ChatChannel.objects.exists()


def test_the_channel_secret_is_write_only(admin_api):
    response = admin_api.post("/api/v1/chat-channels/", channel_body(), format="json")

    assert response.status_code == 201
    body = response.json()
    assert "secret" not in body
    assert body["has_secret"] is True
    assert ChatChannel.objects.get().secret == "SECapi"


def test_an_update_without_the_secret_keeps_it(admin_api):
    channel = ChatChannel.objects.create(
        platform="dingtalk", name="群", url=PUBLIC, secret="SECkept", kinds=[]
    )

    response = admin_api.patch(
        f"/api/v1/chat-channels/{channel.pk}/",
        {"name": "新群", "version": channel.version},
        format="json",
    )

    assert response.status_code == 200
    channel.refresh_from_db()
    assert channel.name == "新群"
    assert channel.secret == "SECkept"


def test_a_stale_update_is_409(admin_api):
    channel = ChatChannel.objects.create(
        platform="slack", name="群", url=PUBLIC, kinds=[]
    )

    response = admin_api.patch(
        f"/api/v1/chat-channels/{channel.pk}/",
        {"name": "新群", "version": channel.version + 1},
        format="json",
    )

    assert response.status_code == 409
    channel.refresh_from_db()
    assert channel.name == "群"


def test_a_manager_adds_a_channel_to_their_project_but_not_a_firm_wide_one(
    api_as, project
):
    manager = api_as("project_manager")

    firm = manager.post("/api/v1/chat-channels/", channel_body(), format="json")
    own = manager.post("/api/v1/chat-channels/", channel_body(project), format="json")

    assert firm.status_code == 403
    assert own.status_code == 201
    assert list(ChatChannel.objects.values_list("project_id", flat=True)) == [
        project.pk
    ]


def test_a_manager_lists_only_their_projects_channels(api_as, project):
    ChatChannel.objects.create(platform="slack", name="全公司", url=PUBLIC, kinds=[])
    ChatChannel.objects.create(
        project=project, platform="slack", name="项目群", url=PUBLIC, kinds=[]
    )

    names = [
        row["name"]
        for row in api_as("project_manager")
        .get("/api/v1/chat-channels/")
        .json()["results"]
    ]
    member = api_as("member").get("/api/v1/chat-channels/").json()["results"]

    assert names == ["项目群"]
    assert member == []


@pytest.mark.usefixtures("local_allowed")
def test_the_test_action_answers_what_the_platform_said(admin_api, receiver):
    receiver.answer_with(200, {"errcode": 310000, "errmsg": "keywords not in content"})
    channel = ChatChannel.objects.create(
        platform="dingtalk", name="群", url=receiver.url, kinds=[]
    )

    response = admin_api.post(f"/api/v1/chat-channels/{channel.pk}/test/")

    assert response.status_code == 200
    delivery = response.json()["delivery"]
    assert delivery["status"] == "failed"
    assert "keywords not in content" in delivery["error"]
    channel.refresh_from_db()
    assert "keywords not in content" in channel.last_error


def test_a_new_webhooks_secret_is_in_the_create_answer_only(admin_api):
    response = admin_api.post(
        "/api/v1/webhooks/",
        {"name": "ERP", "url": PUBLIC, "kinds": ["task.assigned", "risk.level_rose"]},
        format="json",
    )

    assert response.status_code == 201
    secret = response.json()["secret"]
    webhook = Webhook.objects.get()
    assert secret == webhook.secret
    detail = admin_api.get(f"/api/v1/webhooks/{webhook.pk}/").json()
    assert "secret" not in detail
    assert detail["is_enabled"] is True


def test_a_webhook_to_a_private_address_is_400(admin_api):
    response = admin_api.post(
        "/api/v1/webhooks/",
        {"name": "内网", "url": "http://172.16.0.5/hook", "kinds": ["task.assigned"]},
        format="json",
    )

    assert response.status_code == 400
    assert "url" in response.json()
    assert not Webhook.objects.exists()


def test_webhooks_are_the_administrators(staff_api, api_as):
    assert staff_api.get("/api/v1/webhooks/").status_code == 403
    assert api_as("project_manager").get("/api/v1/deliveries/").status_code == 403


@pytest.mark.usefixtures("local_allowed")
def test_a_rotated_secret_signs_the_next_test(admin_api, receiver):
    receiver.answer_with(200, b"ok")
    webhook = Webhook.objects.create(name="ERP", url=receiver.url, kinds=[])
    old = webhook.secret

    secret = admin_api.post(f"/api/v1/webhooks/{webhook.pk}/rotate-secret/").json()[
        "secret"
    ]
    answer = admin_api.post(f"/api/v1/webhooks/{webhook.pk}/test/").json()

    assert secret != old
    sent = receiver.last
    timestamp = sent.headers["x-clientfolio-timestamp"]
    expected = hmac.new(
        secret.encode(), timestamp.encode() + b"." + sent.body, hashlib.sha256
    ).hexdigest()
    assert sent.headers["x-clientfolio-signature"] == f"sha256={expected}"
    assert answer["delivery"]["status"] == "ok"
    assert answer["payload"]["version"] == 1
    assert answer["payload"]["kind"] == "ping"


def test_switching_a_disabled_webhook_on_again_clears_the_failures(admin_api):
    from django.utils import timezone

    webhook = Webhook.objects.create(
        name="ERP",
        url=PUBLIC,
        kinds=["task.assigned"],
        active=True,
        consecutive_failures=10,
        disabled_at=timezone.now(),
    )

    response = admin_api.patch(
        f"/api/v1/webhooks/{webhook.pk}/",
        {"active": True, "version": webhook.version},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["is_enabled"] is True
    webhook.refresh_from_db()
    assert webhook.disabled_at is None
    assert webhook.consecutive_failures == 0


def test_the_delivery_log_is_read_only_and_filters_by_webhook(admin_api):
    one = Webhook.objects.create(name="一", url=PUBLIC, kinds=[])
    two = Webhook.objects.create(name="二", url=PUBLIC, kinds=[])
    for webhook in (one, two):
        Delivery.objects.create(webhook=webhook, kind="ping", status="ok")

    rows = admin_api.get(f"/api/v1/deliveries/?webhook={one.pk}").json()["results"]

    assert [row["webhook"] for row in rows] == [one.pk]
    # no write, not even for an administrator (the permission layer refuses first)
    assert admin_api.post("/api/v1/deliveries/", {}).status_code == 403
    assert admin_api.delete(f"/api/v1/deliveries/{rows[0]['id']}/").status_code == 403
    assert Delivery.objects.count() == 2
