"""Communication records in a browser: log a meeting with a client contact, send the
minutes, confirm them through the e-mailed link without logging in, and see the
confirmed state on the record."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from clientfolio.comms.models import CommRecord, Participant

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def project(make_client, staff_user):
    from clientfolio.projects import services
    from clientfolio.projects.models import Project

    staff_user.email = "li.na@example.com"
    staff_user.save()
    client = make_client(
        "上海云帆信息科技有限公司",
        owner=staff_user,
        contacts=[
            ("张伟", "13800138000", "zhang.wei@yunfan.example.cn"),
            ("李雷", "13900139000", ""),
        ],
    )
    return services.create_project(
        Project(name="客户数据平台一期", client=client, manager=staff_user),
        user=staff_user,
    )


def test_log_a_meeting_and_confirm_it_through_the_emailed_link(
    live_server, page, browser, signed_in, project, shots
):
    # given the project manager on the project's communication tab
    page.goto(f"{live_server.url}/projects/{project.pk}/communication/")
    expect(page.locator(".cf-empty")).to_contain_text("No communication recorded yet")

    # when they log a meeting with the client's 张伟 and an action item
    page.locator(".page-header").get_by_role("link", name="New record").click()
    page.select_option("#id_kind", "meeting")
    page.fill("#id_subject", "一期需求启动会")
    page.fill("#id_occurred_at", "2026-03-12T14:30")
    page.fill("#id_duration_minutes", "90")
    page.fill("#id_location", "云帆会议室 A")
    page.fill("#id_minutes", "## 纪要\n- 确认**一期范围**：审批与报表\n- 下周提交原型")
    page.fill("#id_decisions", "一期上线日期定为 6 月 30 日")
    page.get_by_label("张伟").check()
    expect(page.get_by_label(str(signed_in))).to_be_checked()
    page.fill("[name=items-0-text]", "提交原型")
    page.select_option("[name=items-0-owner]", str(signed_in.pk))
    page.fill("[name=items-0-due_on]", "2026-03-19")
    page.locator("#record-form").get_by_role("button", name="Save").click()

    # then the record page shows the minutes, both participants pending and the item
    expect(page).to_have_url(re.compile(r"/communication/\d+/$"))
    record = CommRecord.objects.get()
    expect(page.locator("#record-subject")).to_have_text("一期需求启动会")
    expect(page.locator("#minutes strong")).to_have_text("一期范围")
    expect(page.locator("#participants [data-participant]")).to_have_count(2)
    expect(page.locator("#overall-state")).to_have_text("Pending")
    expect(page.locator("#action-items")).to_contain_text("提交原型")

    # when the minutes are sent for confirmation
    page.get_by_role("button", name="Send for confirmation").click()
    expect(page.get_by_role("alert").first).to_contain_text("sent to 2 participants")
    message = next(m for m in mail.outbox if "zhang.wei" in m.to[0])
    link = re.search(r"https?://\S+/confirm/[^/\s]+/", message.body).group(0)
    assert link.startswith(live_server.url)

    # and 张伟 opens the link in his own browser, without logging in, and confirms
    outside = browser.new_context(
        locale="en-US", viewport={"width": 1280, "height": 900}
    )
    public = outside.new_page()
    public.goto(link)
    expect(public.locator("#record-subject")).to_have_text("一期需求启动会")
    expect(public.locator("#minutes strong")).to_have_text("一期范围")
    expect(public.locator("aside.navbar-vertical")).to_have_count(0)
    public.screenshot(path=str(shots / "comms-confirm.png"), full_page=True)
    public.get_by_role("button", name="Confirm").click()
    expect(public.get_by_role("alert").first).to_contain_text(
        "your answer was recorded"
    )
    expect(public.locator("#my-state")).to_have_text("Confirmed")
    outside.close()

    # and the manager confirms in the app
    page.reload()
    contact_row = page.locator("#participants [data-participant]", has_text="张伟")
    expect(contact_row).to_contain_text("Confirmed")
    expect(page.locator("#overall-state")).to_have_text("Pending")
    page.locator("#my-answer").get_by_role("button", name="Confirm").click()

    # then the record is confirmed by everyone
    expect(page.locator("#overall-state")).to_have_text("Confirmed")
    assert set(Participant.objects.values_list("state", flat=True)) == {"confirmed"}
    page.screenshot(path=str(shots / "comms-record.png"), full_page=True)

    # and the timeline shows it, found by a Chinese substring of the minutes
    page.goto(f"{live_server.url}/projects/{project.pk}/communication/?q=审批与报表")
    expect(page.locator(".timeline-event")).to_have_count(1)
    expect(page.locator(".timeline-event")).to_contain_text("Confirmed")
    page.screenshot(path=str(shots / "comms-timeline.png"), full_page=True)
    assert record.pk
    assert page.js_errors == []


def test_an_action_item_status_changes_inline(live_server, page, signed_in, project):
    from clientfolio.comms import services
    from clientfolio.comms.models import ActionItem

    record = services.create_record(
        CommRecord(
            project=project, subject="电话沟通", occurred_at="2026-03-10T02:00Z"
        ),
        user=signed_in,
        participant_users=[signed_in],
        items=[services.ItemChange(ActionItem(text="发送报价", owner=signed_in))],
    )
    page.goto(f"{live_server.url}/my/action-items/")
    row = page.locator("tr", has_text="发送报价")
    expect(row).to_contain_text("电话沟通")
    with page.expect_response(re.compile(r"/status/$")):
        row.locator("select[name=status]").select_option("done")
    expect(page.locator("tr", has_text="发送报价").locator("select")).to_have_value(
        "done"
    )
    assert ActionItem.objects.get().status == "done"
    assert record.action_items.get().version == 2
    assert page.js_errors == []
