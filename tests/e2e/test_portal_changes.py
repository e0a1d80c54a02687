"""The client's decisions in a browser, on a desktop (1280 × 800) and on a phone
(390 × 844): 张伟 approves a change request that awaits him and the project manager
finds it approved on the change's staff page; 张伟 accepts a milestone's deliverable
with the signed PDF and sees the record of his acceptance."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PASSWORD, VIEWPORTS, no_sideways_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SIGNED = b"%PDF-1.4\n% signed acceptance\n%%EOF\n"


@pytest.fixture
def project(make_client, staff_user, settings, tmp_path):
    """客户数据平台一期 of 上海云帆, managed by the staff user; 张伟 of 上海云帆 has a
    portal login (English)."""
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
def portal_page(own_browser, project):
    """A page of 张伟's own browser, signed in (a session made on the server side),
    one per device."""
    return lambda device: own_browser(project.client.contacts.get().portal_user, device)


@pytest.fixture
def change(project, staff_user):
    """CR-001: the team assessed it and sent it to the client."""
    from clientfolio.projects import change_control
    from clientfolio.projects.models import ChangeRequest

    change = change_control.create_change_request(
        ChangeRequest(
            project=project,
            title="增加移动端审批",
            reason="业务部门需要在手机上审批",
            scope_impact="新增移动端审批模块",
            schedule_impact_days=5,
            cost_impact=Decimal("12000.00"),
            requested_on=datetime.date(2026, 4, 1),
        ),
        user=staff_user,
    )
    change_control.transition(change, "evaluating", staff_user)
    change_control.transition(change, "awaiting_client", staff_user)
    return change


@pytest.mark.parametrize("device", VIEWPORTS)
def test_the_client_approves_a_change_and_the_manager_sees_it_approved(
    live_server, page, signed_in, project, change, portal_page, shots, device
):
    client_page = portal_page(device)

    # given 张伟 on his project, where a change waits for his decision
    client_page.goto(f"{live_server.url}/portal/projects/{project.pk}/")
    expect(client_page.locator("#changes")).to_contain_text(
        "1 change awaits your decision"
    )
    client_page.locator("#changes a").click()
    expect(client_page.locator("#changes-awaiting")).to_contain_text("增加移动端审批")
    client_page.locator("#changes-awaiting a").first.click()

    # then he reads the reason and the impact, said plainly
    expect(client_page.locator("#reason")).to_have_text("业务部门需要在手机上审批")
    expect(client_page.locator("#schedule-impact")).to_have_text("+5 days")
    expect(client_page.locator("#cost-impact")).to_have_text("¥12,000.00")
    expect(client_page.locator("#change-status")).to_contain_text(
        "Awaiting your decision"
    )
    no_sideways_scroll(client_page)
    client_page.screenshot(
        path=str(shots / f"portal-change-{device}.png"), full_page=True
    )

    # when he approves it with a comment
    client_page.fill("#id_comment", "同意，请尽快安排")
    client_page.get_by_role("button", name="Approve").click()

    # then the page says so, and shows the decision as his
    expect(client_page.get_by_role("alert").first).to_contain_text(
        "You approved CR-001"
    )
    expect(client_page.locator("#change-status")).to_contain_text("Approved")
    expect(client_page.locator("#change-history")).to_contain_text("Approved by 张伟")
    expect(client_page.locator("#decision-form")).to_have_count(0)
    no_sideways_scroll(client_page)
    assert client_page.js_errors == []

    # and the project manager finds it approved by 张伟 on the change's page
    page.goto(f"{live_server.url}/projects/{project.pk}/changes/{change.number}/")
    expect(page.locator(".cf-change-title")).to_contain_text("Approved")
    expect(page.locator("#change-facts")).to_contain_text("张伟")
    page.screenshot(path=str(shots / f"portal-change-staff-{device}.png"))


@pytest.fixture
def deliverable(project):
    """架构设计说明书, submitted, the only deliverable of the milestone 设计评审通过."""
    from clientfolio.quality import services as quality
    from clientfolio.quality.models import Deliverable
    from clientfolio.schedule import services as schedule
    from clientfolio.schedule.models import Task

    milestone = schedule.create_task(
        Task(project=project, name="设计评审通过", is_milestone=True)
    )
    return quality.save_deliverable(
        Deliverable(
            project=project,
            milestone=milestone,
            name="架构设计说明书",
            acceptance_criteria="包含部署架构图\n性能设计满足 P95 ≤ 300 ms",
            status="submitted",
        )
    )


@pytest.mark.parametrize("device", VIEWPORTS)
def test_the_client_accepts_a_milestone_deliverable_with_a_signed_pdf(
    live_server, project, deliverable, portal_page, shots, device, tmp_path
):
    from clientfolio.quality.models import Acceptance
    from clientfolio.schedule.models import Task

    client_page = portal_page(device)
    signed = tmp_path / "验收确认单.pdf"
    signed.write_bytes(SIGNED)

    # given 张伟 on his project, where the deliverable awaits his acceptance
    client_page.goto(f"{live_server.url}/portal/projects/{project.pk}/")
    card = client_page.locator("#deliverables")
    expect(card).to_contain_text("架构设计说明书")
    expect(card).to_contain_text("Awaiting your acceptance")
    card.get_by_role("link", name="架构设计说明书").click()

    # then he reads the acceptance criteria and the milestone
    expect(client_page.locator("#criteria")).to_contain_text("包含部署架构图")
    expect(client_page.locator("#deliverable-facts")).to_contain_text("设计评审通过")
    no_sideways_scroll(client_page)

    # when he accepts it with the signed form
    client_page.fill("#id_comments", "符合要求")
    client_page.set_input_files("#id_file", str(signed))
    client_page.locator('#decision-form button[value="accepted"]').click()

    # then the page shows the immutable record of his acceptance
    expect(client_page.get_by_role("alert").first).to_contain_text(
        "You accepted 架构设计说明书"
    )
    record = client_page.locator(".cf-acceptance").first
    expect(record).to_contain_text("张伟")
    expect(record).to_contain_text("Accepted")
    expect(record).to_contain_text("验收确认单.pdf")
    expect(record).to_contain_text("包含部署架构图")
    expect(record.locator(".cf-record-address")).to_have_text("127.0.0.1")
    expect(client_page.locator("#decision-form")).to_have_count(0)
    no_sideways_scroll(client_page)
    client_page.screenshot(
        path=str(shots / f"portal-acceptance-{device}.png"), full_page=True
    )
    assert client_page.js_errors == []

    # and the milestone is reached, as its only deliverable is accepted
    acceptance = Acceptance.objects.get()
    assert acceptance.channel == "portal"
    assert acceptance.document is not None
    assert Task.objects.get(pk=deliverable.milestone_id).status == "done"
    client_page.goto(
        f"{live_server.url}/portal/projects/{project.pk}/milestones/"
        f"{deliverable.milestone_id}/"
    )
    expect(client_page.locator("#milestone-state")).to_contain_text("Reached")
