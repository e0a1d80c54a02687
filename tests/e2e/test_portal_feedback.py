"""The client's side of the conversation in a browser, on a desktop (1280 × 800) and on
a phone (390 × 844): 张伟 disputes the minutes of a meeting and the project manager sees
the dispute on the record; he sends a complaint and the account manager finds it among
the client's feedback; he writes to the team and the manager finds the conversation
among the project's communication records."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import PASSWORD, VIEWPORTS, no_sideways_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def project(make_client, staff_user, settings, tmp_path):
    """客户数据平台一期 of 上海云帆, managed by the staff user (also the account manager);
    张伟 of 上海云帆 has a portal login (English)."""
    from clientfolio.core.models import User
    from clientfolio.projects import services
    from clientfolio.projects.models import Project

    settings.MEDIA_ROOT = tmp_path / "media"
    client = make_client(
        "上海云帆信息科技有限公司",
        owner=staff_user,
        contacts=[("张伟", "13800138000", "zhang.wei@yunfan.example.cn")],
    )
    contact = client.contacts.get()
    contact.portal_user = User.objects.create_user(
        username="zhang.wei", password=PASSWORD, role="client", language="en"
    )
    contact.save(update_fields=["portal_user"])
    return services.create_project(
        Project(name="客户数据平台一期", client=client, manager=staff_user),
        user=staff_user,
    )


@pytest.fixture
def meeting(project, staff_user):
    """The kick-off with 张伟, its minutes sent to him for confirmation."""
    from clientfolio.comms import services
    from clientfolio.comms.models import CommRecord

    record = services.create_record(
        CommRecord(
            project=project,
            kind="meeting",
            subject="一期需求启动会",
            occurred_at=timezone.now() - datetime.timedelta(days=1),
            minutes="## 纪要\n- 确认**一期范围**：审批与报表",
            decisions="一期上线日期定为 6 月 30 日",
        ),
        user=staff_user,
        participant_users=[staff_user],
        participant_contacts=[project.client.contacts.get()],
    )
    services.send_minutes_for_confirmation(record, "http://testserver")
    return record


@pytest.fixture
def portal_page(own_browser, project):
    """A page of 张伟's own browser, signed in, one per device."""
    return lambda device: own_browser(project.client.contacts.get().portal_user, device)


@pytest.mark.parametrize("device", VIEWPORTS)
def test_the_client_disputes_the_minutes_and_the_manager_sees_it(
    live_server, page, signed_in, project, meeting, portal_page, shots, device
):
    client_page = portal_page(device)

    # given 张伟 on his portal, where the minutes wait for him
    client_page.goto(f"{live_server.url}/portal/")
    expect(client_page.locator("#waiting")).to_contain_text("一期需求启动会")
    client_page.goto(f"{live_server.url}/portal/projects/{project.pk}/")
    client_page.locator("#meetings").get_by_role("link", name="一期需求启动会").click()

    # then he reads the minutes and the decisions
    expect(client_page.locator("#record-subject")).to_have_text("一期需求启动会")
    expect(client_page.locator("#minutes strong")).to_have_text("一期范围")
    expect(client_page.locator("#decisions")).to_have_text(
        "一期上线日期定为 6 月 30 日"
    )
    expect(client_page.locator("#my-state")).to_have_text("Pending")
    no_sideways_scroll(client_page)

    # when he disputes them without saying why, he is asked to
    client_page.get_by_role("button", name="Dispute").click()
    expect(client_page.locator("#respond-form")).to_contain_text(
        "Say what is wrong in the minutes"
    )

    # and when he says why, the dispute is recorded
    client_page.fill("#id_comment", "上线日期应为 7 月 15 日")
    client_page.get_by_role("button", name="Dispute").click()
    expect(client_page.get_by_role("alert").first).to_contain_text(
        "your objection was sent to the project team"
    )
    expect(client_page.locator("#my-state")).to_have_text("Disputed")
    no_sideways_scroll(client_page)
    client_page.screenshot(
        path=str(shots / f"portal-minutes-{device}.png"), full_page=True
    )
    assert client_page.js_errors == []

    # and the project manager sees the dispute on the record, with the comment
    page.goto(f"{live_server.url}/projects/{project.pk}/communication/{meeting.pk}/")
    expect(page.locator("#participants")).to_contain_text("Disputed")
    expect(page.locator("#participants")).to_contain_text("上线日期应为 7 月 15 日")


@pytest.mark.parametrize("device", VIEWPORTS)
def test_the_client_sends_a_complaint_and_the_account_manager_finds_it(
    live_server, page, signed_in, project, portal_page, shots, device
):
    client_page = portal_page(device)

    # given 张伟 on his portal's home
    client_page.goto(f"{live_server.url}/portal/")
    client_page.locator("#feedback-card").get_by_role(
        "link", name="Send feedback"
    ).click()

    # when he sends a complaint without a subject, it is refused inline
    client_page.get_by_label("Complaint").check()
    client_page.get_by_role("button", name="Send").click()
    expect(client_page.locator("#feedback-form")).to_contain_text(
        "This field is required."
    )

    # and when he completes it, it is sent
    client_page.get_by_label("Complaint").check()
    client_page.fill("#id_subject", "测试环境经常无法访问")
    client_page.fill("#id_detail", "本周三次打不开，影响验收进度。")
    client_page.select_option("#id_severity", "high")
    no_sideways_scroll(client_page)
    client_page.get_by_role("button", name="Send").click()
    expect(client_page.get_by_role("alert").first).to_contain_text(
        "your feedback was sent to your account manager"
    )
    expect(client_page.locator("#feedback")).to_contain_text("测试环境经常无法访问")
    expect(client_page.locator("#feedback")).to_contain_text("Open")
    no_sideways_scroll(client_page)
    client_page.screenshot(
        path=str(shots / f"portal-feedback-{device}.png"), full_page=True
    )
    assert client_page.js_errors == []

    # then the account manager finds it among the client's feedback, from the portal
    page.goto(f"{live_server.url}/clients/{project.client_id}/")
    feedback = page.locator("#feedback")
    expect(feedback).to_contain_text("测试环境经常无法访问")
    expect(feedback).to_contain_text("Client portal")
    expect(feedback).to_contain_text("via the portal")
    expect(feedback).to_contain_text("High")


@pytest.mark.parametrize("device", VIEWPORTS)
def test_the_client_writes_to_the_team_and_the_manager_finds_the_thread(
    live_server, page, signed_in, project, portal_page, shots, device
):
    client_page = portal_page(device)

    # given 张伟 on his project
    client_page.goto(f"{live_server.url}/portal/projects/{project.pk}/")
    client_page.locator("#conversations").get_by_role(
        "link", name="Write to the team"
    ).click()

    # when he writes to the team
    client_page.fill("#id_subject", "验收时间")
    client_page.fill("#id_body", "能否把验收提前一周？")
    client_page.get_by_role("button", name="Send").click()

    # then he sees his conversation
    expect(client_page.get_by_role("alert").first).to_contain_text(
        "Your message was sent to the project team"
    )
    expect(client_page.locator("#thread-subject")).to_have_text("验收时间")
    expect(client_page.locator("#messages")).to_contain_text("能否把验收提前一周？")
    no_sideways_scroll(client_page)
    assert client_page.js_errors == []

    # and the project manager finds it among the project's communication records
    page.goto(f"{live_server.url}/projects/{project.pk}/communication/")
    page.get_by_role("link", name="验收时间").first.click()
    expect(page.locator("#messages")).to_contain_text("能否把验收提前一周？")

    # and answers there; 张伟 reads the answer and replies
    page.fill("#reply textarea[name=body]", "可以，定在下周三。")
    page.locator("#reply").get_by_role("button", name="Send reply").click()
    expect(page.locator("#messages")).to_contain_text("可以，定在下周三。")
    client_page.reload()
    expect(client_page.locator("#messages")).to_contain_text("可以，定在下周三。")
    client_page.fill("#id_body", "好的，谢谢！")
    client_page.get_by_role("button", name="Send reply").click()
    expect(client_page.get_by_role("alert").first).to_contain_text(
        "Your reply was sent to the project team"
    )
    expect(client_page.locator("#messages")).to_contain_text("好的，谢谢！")
    no_sideways_scroll(client_page)
    client_page.screenshot(
        path=str(shots / f"portal-thread-{device}.png"), full_page=True
    )
