"""Change control in a browser: submit a change request, evaluate it, have the client
approve it, and see its history and the change log's totals."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def project(staff_user, make_client):
    """客户数据平台一期 for 上海云帆, managed by the signed-in staff user."""
    from clientfolio.projects import services
    from clientfolio.projects.models import Project

    client = make_client(
        "上海云帆信息科技有限公司",
        owner=staff_user,
        contacts=[("张伟", "13812345678", "zhang.wei@yunfan.example.cn")],
    )
    return services.create_project(
        Project(name="客户数据平台一期", client=client, manager=staff_user),
        user=staff_user,
    )


def test_a_change_request_goes_from_submitted_to_approved(
    live_server, page, signed_in, project, shots
):
    # The change log starts empty and says what it is for.
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    page.locator(".nav-tabs").get_by_role("link", name="Changes").click()
    expect(page).to_have_url(re.compile(rf"/projects/{project.pk}/changes/$"))
    expect(page.locator(".cf-empty")).to_contain_text("No change requests yet")

    # Submit a change requested by the client's contact.
    page.get_by_role("link", name="New change request").first.click()
    page.fill("#id_title", "增加月度报表模块")
    page.select_option("#id_requested_by_contact", label="张伟")
    page.fill("#id_description", "客户希望在系统中增加月度经营报表。")
    page.fill("#id_reason", "管理层每月例会需要。")
    page.fill("#id_scope_impact", "新增三张报表和一个导出功能。")
    page.fill("#id_schedule_impact_days", "5")
    page.fill("#id_cost_impact", "12000")
    page.fill("#id_risk_notes", "报表口径尚未确定。")
    page.fill("#id_comment", "周会上提出")
    page.get_by_role("button", name="Submit").click()

    expect(page).to_have_url(re.compile(rf"/projects/{project.pk}/changes/1/$"))
    expect(page.get_by_role("alert").first).to_contain_text("CR-001 submitted")
    title = page.locator(".cf-change-title")
    expect(title).to_contain_text("CR-001")
    expect(title).to_contain_text("Submitted")
    expect(page.locator("#change-impact")).to_contain_text("+5 days")
    expect(page.locator("#change-impact")).to_contain_text("¥12,000.00")
    # Only the allowed steps are offered.
    step = page.locator("#change-next-step")
    expect(step.get_by_role("button", name="Approve")).to_have_count(0)

    # Evaluate it and send it to the client.
    step.locator("#id_comment").fill("技术评估：工作量 5 天")
    step.get_by_role("button", name="Start evaluation").click()
    expect(title).to_contain_text("Under evaluation")
    page.locator("#change-next-step").get_by_role(
        "button", name="Send to the client for decision"
    ).click()
    expect(title).to_contain_text("Awaiting client decision")

    # The client's decision names who decided.
    step = page.locator("#change-next-step")
    step.locator("#id_decided_by").select_option(label="张伟")
    step.locator("#id_comment").fill("客户邮件确认同意")
    step.get_by_role("button", name="Approve").click()
    expect(title).to_contain_text("Approved")
    expect(page.locator("#change-facts")).to_contain_text("张伟")

    # The history shows every step with who and the comments.
    events = page.locator("#change-history .timeline-event")
    expect(events).to_have_count(4)
    expect(events.nth(0)).to_contain_text("Submitted")
    expect(events.nth(0)).to_contain_text("周会上提出")
    expect(events.nth(1)).to_contain_text("技术评估：工作量 5 天")
    expect(events.nth(3)).to_contain_text("Awaiting client decision → Approved")
    expect(events.nth(3)).to_contain_text("客户邮件确认同意")
    expect(events.nth(3)).to_contain_text(signed_in.username)
    page.screenshot(path=str(shots / "change-detail.png"), full_page=True)

    # The change log lists it and counts its impact in the approved totals.
    page.get_by_role("link", name="Change log").click()
    row = page.locator("#change-log tbody tr", has_text="CR-001")
    expect(row).to_contain_text("增加月度报表模块")
    expect(row).to_contain_text("Approved")
    expect(row).to_contain_text("张伟")
    totals = page.locator("#change-totals")
    expect(totals.locator(".cf-total-days")).to_have_text("+5 days")
    expect(totals.locator(".cf-total-cost")).to_have_text("¥12,000.00")
    page.screenshot(path=str(shots / "change-log.png"), full_page=True)
    assert page.js_errors == []
