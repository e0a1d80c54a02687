"""Chat channels in a browser: an administrator adds a DingTalk group robot that points
at a receiver on 127.0.0.1, sends it a test message and sees that it was delivered;
the receiver got a message signed as DingTalk documents it."""

import base64
import hashlib
import hmac

import pytest
from playwright.sync_api import expect

from clientfolio.integrations.models import ChatChannel
from tests.e2e.conftest import PASSWORD
from tests.integrations.conftest import receiver  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def admin_user(transactional_db):
    from clientfolio.core.models import User

    return User.objects.create_user(
        username="wang.admin", password=PASSWORD, role="admin", language="en"
    )


def test_an_admin_adds_a_dingtalk_channel_and_sends_a_test_message(
    live_server,
    page,
    login,
    admin_user,
    receiver,  # noqa: F811
    settings,
    shots,
):
    # given the test receiver's network allowed, and the admin on the integrations page
    settings.INTEGRATIONS_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    login(admin_user)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Chat and webhooks").click()

    # when they add a DingTalk robot with its signing secret
    page.get_by_role("button", name="Add a chat channel").click()
    page.get_by_role("link", name="DingTalk").click()
    expect(page.locator("#id_platform")).to_have_value("dingtalk")
    page.fill("#id_name", "交付中心群")
    page.fill("#id_url", receiver.url + "?access_token=e2e")
    page.fill("#id_secret", "SECe2e-secret")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".alert-success")).to_contain_text("交付中心群")

    # and click "Send a test message"
    channel = ChatChannel.objects.get()
    row = page.locator(f"#channel-{channel.pk}")
    row.get_by_role("button", name="Send a test message").click()

    # then the page says it was delivered, and the channel is working
    status = page.locator(f"#channel-status-{channel.pk}")
    expect(status).to_contain_text("The test message was delivered.")
    expect(status).to_contain_text("Working")
    page.screenshot(path=str(shots / "integrations-channel-test.png"), full_page=True)

    # and the robot received a message signed as DingTalk documents it
    sent = receiver.last
    assert sent.query["access_token"] == "e2e"
    timestamp = sent.query["timestamp"]
    digest = hmac.new(
        b"SECe2e-secret", f"{timestamp}\nSECe2e-secret".encode(), hashlib.sha256
    ).digest()
    assert sent.query["sign"] == base64.b64encode(digest).decode()
    assert sent.json["msgtype"] in ("actionCard", "markdown")
    assert page.js_errors == []
