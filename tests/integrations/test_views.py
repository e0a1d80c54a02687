"""The chat channel and webhook pages: forms with inline errors (a URL that is not
http(s) or points at a private address saves nothing), the test button, the switch,
the delivery log with its redeliver button, and their query counts."""

import base64
import hashlib
import hmac

import pytest
from django.urls import reverse

from clientfolio.integrations.models import ChatChannel, Delivery, Webhook

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def channel_form(url, **extra):
    return {
        "platform": "dingtalk",
        "name": "交付群",
        "url": url,
        "secret": "SECtest-secret",
        "kinds": ["task.assigned", "risk.level_rose"],
        "language": "zh-hans",
        **extra,
    }


def dingtalk_sign(secret, timestamp):
    digest = hmac.new(
        secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256
    ).digest()
    return base64.b64encode(digest).decode()


# --- channels ----------------------------------------------------------------------


@pytest.mark.usefixtures("local_allowed")
def test_an_admin_adds_a_dingtalk_channel_and_sends_a_signed_test_message(
    admin_browser, receiver
):
    # when the admin adds a firm-wide DingTalk channel with its signing secret
    response = admin_browser.post(
        reverse("integrations:channel_create"), channel_form(receiver.url)
    )
    assert response.status_code == 302
    channel = ChatChannel.objects.get()
    assert channel.project is None
    assert channel.secret == "SECtest-secret"

    # and clicks "Send a test message"
    response = admin_browser.post(
        reverse("integrations:channel_test", args=[channel.pk]), **HTMX
    )

    # then the page says it was delivered and the robot got a signed message
    assert response.status_code == 200
    assert "The test message was delivered." in response.text
    sent = receiver.last
    assert sent.query["sign"] == dingtalk_sign(
        "SECtest-secret", sent.query["timestamp"]
    )
    channel.refresh_from_db()
    assert channel.last_ok_at is not None
    assert not channel.is_failing


@pytest.mark.usefixtures("local_allowed")
def test_the_platforms_error_shows_in_place_and_stays_on_the_channel(
    admin_browser, receiver
):
    # given a channel whose robot refuses the signature
    receiver.answer_with(200, {"errcode": 310000, "errmsg": "sign not match"})
    admin_browser.post(
        reverse("integrations:channel_create"), channel_form(receiver.url)
    )
    channel = ChatChannel.objects.get()

    # when the admin sends a test message
    response = admin_browser.post(
        reverse("integrations:channel_test", args=[channel.pk]), **HTMX
    )

    # then the platform's error is shown, and the list shows it on the channel
    assert "The test message failed:" in response.text
    assert "310000" in response.text
    assert "sign not match" in response.text
    page = admin_browser.get(reverse("integrations:index"))
    assert "Failing" in page.text
    assert "sign not match" in page.text


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/robot",
        "http://localhost/robot",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.1.2.3/robot",
        "http://[::1]/robot",
    ],
)
def test_a_private_address_is_refused_with_a_clear_message_and_nothing_saved(
    admin_browser, url
):
    response = admin_browser.post(
        reverse("integrations:channel_create"), channel_form(url)
    )

    assert response.status_code == 200
    assert "is not public" in response.text
    assert "Nothing was saved" in response.text
    assert not ChatChannel.objects.exists()


@pytest.mark.parametrize(
    "url", ["ftp://93.184.215.14/robot", "file:///etc/passwd", "oapi.dingtalk.com"]
)
def test_a_url_that_is_not_http_is_refused(admin_browser, url):
    response = admin_browser.post(
        reverse("integrations:channel_create"), channel_form(url)
    )

    assert "Only http:// and https:// addresses are allowed." in response.text
    assert not ChatChannel.objects.exists()


def test_a_channel_needs_an_event_and_only_signed_platforms_take_a_secret(
    admin_browser,
):
    response = admin_browser.post(
        reverse("integrations:channel_create"),
        channel_form("https://93.184.215.14/x", platform="slack", kinds=[]),
    )

    assert "Choose at least one event." in response.text
    assert "Only DingTalk and Feishu / Lark robots sign" in response.text
    assert not ChatChannel.objects.exists()


def test_the_stored_secret_is_never_shown_and_kept_when_left_empty(admin_browser):
    channel = ChatChannel.objects.create(
        platform="feishu",
        name="飞书群",
        url="https://93.184.215.14/open-apis/bot/v2/hook/x",
        secret="feishu-secret",
        kinds=["task.assigned"],
    )
    url = reverse("integrations:channel_edit", args=[channel.pk])

    page = admin_browser.get(url)
    assert "feishu-secret" not in page.text
    response = admin_browser.post(
        url,
        channel_form(
            channel.url,
            platform="feishu",
            secret="",
            name="飞书群（改）",
            version=channel.version,
        ),
    )

    assert response.status_code == 302
    channel.refresh_from_db()
    assert channel.name == "飞书群（改）"
    assert channel.secret == "feishu-secret"


def test_a_stale_edit_is_refused_with_409(admin_browser):
    channel = ChatChannel.objects.create(
        platform="slack",
        name="Slack",
        url="https://93.184.215.14/services/x",
        kinds=["task.assigned"],
    )
    data = channel_form(
        channel.url, platform="slack", secret="", version=channel.version
    )
    admin_browser.post(
        reverse("integrations:channel_edit", args=[channel.pk]),
        {**data, "name": "first"},
    )

    response = admin_browser.post(
        reverse("integrations:channel_edit", args=[channel.pk]),
        {**data, "name": "second"},
    )

    assert response.status_code == 409
    channel.refresh_from_db()
    assert channel.name == "first"


def test_a_channel_can_be_switched_off_and_on(admin_browser):
    channel = ChatChannel.objects.create(
        platform="wecom", name="企微群", url="https://93.184.215.14/x", kinds=[]
    )
    toggle = reverse("integrations:channel_toggle", args=[channel.pk])

    admin_browser.post(toggle)
    channel.refresh_from_db()
    assert not channel.active
    admin_browser.post(toggle)
    channel.refresh_from_db()
    assert channel.active


@pytest.mark.usefixtures("local_allowed")
def test_a_project_manager_keeps_the_projects_channels_in_the_folder(
    as_persona, project, receiver
):
    manager = as_persona("project_manager")

    # the overview links to the channels, and the manager adds one
    overview = manager.get(reverse("projects:project_detail", args=[project.pk]))
    assert reverse("integrations:project_channels", args=[project.pk]) in overview.text
    response = manager.post(
        reverse("integrations:project_channel_create", args=[project.pk]),
        channel_form(receiver.url, platform="slack", secret="", language="en"),
    )
    assert response.status_code == 302
    channel = ChatChannel.objects.get()
    assert channel.project == project
    assert channel.language == "en"

    # and sees it in the folder, without the firm-wide ones
    ChatChannel.objects.create(
        platform="slack", name="全公司群", url=receiver.url, kinds=[]
    )
    listing = manager.get(reverse("integrations:project_channels", args=[project.pk]))
    assert "交付群" in listing.text
    assert "全公司群" not in listing.text


def test_a_member_has_no_channels_link_and_no_channels_page(as_persona, project):
    member = as_persona("member")

    overview = member.get(reverse("projects:project_detail", args=[project.pk]))
    assert reverse("integrations:project_channels", args=[project.pk]) not in (
        overview.text
    )
    assert (
        member.get(
            reverse("integrations:project_channels", args=[project.pk])
        ).status_code
        == 403
    )


def test_a_project_manager_cannot_add_a_firm_wide_channel(as_persona):
    manager = as_persona("project_manager")

    response = manager.post(
        reverse("integrations:channel_create"),
        channel_form("https://93.184.215.14/x"),
    )

    assert response.status_code == 403
    assert not ChatChannel.objects.exists()


def test_only_admins_see_the_navigation_entry(admin_browser, staff_browser):
    url = reverse("integrations:index")

    assert f'href="{url}"' in admin_browser.get(reverse("home")).text
    assert f'href="{url}"' not in staff_browser.get(reverse("home")).text


def _channels(project, count):
    for n in range(count):
        ChatChannel.objects.create(
            platform="slack",
            name=f"频道 {n}",
            url="https://93.184.215.14/x",
            kinds=["task.assigned"],
            project=project if n % 2 else None,
        )
        Webhook.objects.create(
            name=f"集成 {n}", url="https://93.184.215.14/x", kinds=["task.assigned"]
        )


@pytest.mark.parametrize("count", [1, 20])
def test_the_integrations_page_reads_a_fixed_number_of_rows(
    admin_browser, project, count, django_assert_num_queries
):
    _channels(project, count)

    # session, user, channels with their projects, webhooks
    with django_assert_num_queries(4):
        response = admin_browser.get(reverse("integrations:index"))

    assert response.status_code == 200
    assert "频道 0" in response.text
    assert f"集成 {count - 1}" in response.text


@pytest.mark.parametrize("count", [1, 20])
def test_the_project_channel_page_reads_a_fixed_number_of_rows(
    as_persona, project, count, django_assert_num_queries
):
    manager = as_persona("project_manager")
    _channels(project, count * 2)

    # session, user, the project, the manager's roles, the folder's two tab counts,
    # the channels
    with django_assert_num_queries(7):
        response = manager.get(
            reverse("integrations:project_channels", args=[project.pk])
        )

    assert response.status_code == 200


# --- webhooks ----------------------------------------------------------------------


def test_a_new_webhooks_secret_is_shown_once(admin_browser):
    response = admin_browser.post(
        reverse("integrations:webhook_create"),
        {
            "name": "ERP",
            "url": "https://93.184.215.14/hooks/clientfolio",
            "kinds": ["task.assigned"],
        },
    )
    webhook = Webhook.objects.get()
    assert response["Location"] == reverse(
        "integrations:webhook_detail", args=[webhook.pk]
    )
    assert webhook.secret.startswith("whsec_")

    first = admin_browser.get(response["Location"])
    again = admin_browser.get(response["Location"])

    assert webhook.secret in first.text
    assert webhook.secret not in again.text


def test_a_webhook_to_a_private_address_is_refused(admin_browser):
    response = admin_browser.post(
        reverse("integrations:webhook_create"),
        {"name": "内网", "url": "http://192.168.1.20/hook", "kinds": ["task.assigned"]},
    )

    assert "is not public" in response.text
    assert not Webhook.objects.exists()


def test_rotating_the_secret_shows_the_new_one_once(admin_browser):
    webhook = Webhook.objects.create(
        name="ERP", url="https://93.184.215.14/x", kinds=["task.assigned"]
    )
    old = webhook.secret

    response = admin_browser.post(
        reverse("integrations:webhook_rotate", args=[webhook.pk]), follow=True
    )

    webhook.refresh_from_db()
    assert webhook.secret != old
    assert webhook.secret in response.text


@pytest.mark.usefixtures("local_allowed")
def test_a_webhook_test_shows_the_receivers_answer(admin_browser, receiver):
    receiver.answer_with(503, b"busy")
    webhook = Webhook.objects.create(name="ERP", url=receiver.url, kinds=[])

    response = admin_browser.post(
        reverse("integrations:webhook_test", args=[webhook.pk]), **HTMX
    )

    assert "The test message failed:" in response.text
    assert "503" in response.text
    assert receiver.last.headers["x-clientfolio-event"] == "ping"
    delivery = Delivery.objects.get()
    assert delivery.status == "failed"
    assert delivery.status_code == 503


def test_a_webhook_disabled_after_failures_says_so_and_can_be_turned_on_again(
    admin_browser,
):
    from django.utils import timezone

    webhook = Webhook.objects.create(
        name="ERP",
        url="https://93.184.215.14/x",
        kinds=["task.assigned"],
        consecutive_failures=10,
        disabled_at=timezone.now(),
    )
    url = reverse("integrations:webhook_detail", args=[webhook.pk])

    page = admin_browser.get(url)
    assert "Disabled after failures" in page.text
    assert "10 events in a row failed every attempt" in page.text

    admin_browser.post(reverse("integrations:webhook_toggle", args=[webhook.pk]))
    webhook.refresh_from_db()
    assert webhook.is_enabled
    assert webhook.consecutive_failures == 0


def _deliveries(webhook, count):
    Delivery.objects.bulk_create(
        Delivery(
            webhook=webhook,
            kind="task.assigned",
            attempt=1 + n % 3,
            status="failed" if n % 2 else "ok",
            status_code=500 if n % 2 else 200,
            error="HTTP 500" if n % 2 else "",
            response_excerpt='{"ok":true}',
            duration_ms=20 + n,
        )
        for n in range(count)
    )


@pytest.mark.parametrize("count", [1, 20])
def test_the_delivery_log_reads_a_fixed_number_of_rows(
    admin_browser, count, django_assert_num_queries
):
    webhook = Webhook.objects.create(
        name="ERP", url="https://93.184.215.14/x", kinds=["task.assigned"]
    )
    _deliveries(webhook, count)

    # session, user, the webhook, the count of deliveries, the page of them
    with django_assert_num_queries(5):
        response = admin_browser.get(
            reverse("integrations:webhook_detail", args=[webhook.pk])
        )

    assert response.status_code == 200
    assert response.text.count("Redeliver") == count
    assert "HTTP 500" in response.text or count == 1


@pytest.mark.usefixtures("local_allowed")
def test_redeliver_posts_the_event_again_as_the_next_attempt(
    admin_browser, receiver, django_capture_on_commit_callbacks
):
    webhook = Webhook.objects.create(name="ERP", url=receiver.url, kinds=[])
    receiver.answer_with(500, b"down")
    admin_browser.post(reverse("integrations:webhook_test", args=[webhook.pk]))
    first = Delivery.objects.get()
    receiver.answer_with(200, b"ok")

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_browser.post(
            reverse("integrations:delivery_redeliver", args=[first.pk])
        )

    assert response.status_code == 302
    assert len(receiver.requests) == 2
    assert Delivery.objects.filter(status="ok").exists()


def test_a_new_channel_hears_every_event_until_told_otherwise(admin_browser):
    from clientfolio.core.events import Kind

    page = admin_browser.get(
        reverse("integrations:channel_create") + "?platform=feishu"
    )

    assert page.text.count("checked") == len(Kind)
    assert '<option value="feishu" selected>' in page.text
