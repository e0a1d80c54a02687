"""Progress reports in a browser: the manager drafts this week's report from the data,
writes the narrative, is refused a client version with internal figures, publishes, and
the client reads the report in the portal on a phone."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def project(make_client, staff_user, settings, tmp_path):
    """客户数据平台一期 of 上海云帆 with a milestone and a baseline, managed by the staff
    user; 张伟 of 上海云帆 has a portal login (English)."""
    from clientfolio.core.models import User
    from clientfolio.projects import services
    from clientfolio.projects.models import Project
    from clientfolio.schedule import services as schedule
    from clientfolio.schedule.models import Task

    settings.MEDIA_ROOT = tmp_path / "media"
    client = make_client(
        "上海云帆信息科技有限公司",
        owner=staff_user,
        contacts=[("张伟", "13800138000", "zhang.wei@yunfan.example.cn")],
    )
    contact = client.contacts.get()
    contact.portal_user = User.objects.create_user(
        username="zhang.wei", password="x-portal-pass-1", role="client", language="en"
    )
    contact.save(update_fields=["portal_user"])
    project = services.create_project(
        Project(name="客户数据平台一期", client=client, manager=staff_user),
        user=staff_user,
    )
    schedule.create_task(Task(project=project, name="数据接口开发", duration=5))
    schedule.create_task(Task(project=project, name="上线验收", is_milestone=True))
    schedule.save_baseline(project, "初始基线", user=staff_user)
    return project


def test_draft_edit_publish_and_read_in_the_portal(
    live_server, page, signed_in, project, own_browser, shots
):
    from clientfolio.reports.models import ProgressReport, ProgressReportVersion

    # given the manager on the folder's Reports tab
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    page.get_by_role("link", name="Reports", exact=True).click()
    expect(page.locator(".cf-empty")).to_contain_text("No progress reports yet")

    # when they draft this week's report
    page.get_by_role("button", name="Draft this period's report").click()

    # then the draft shows the figures drafted from the data
    expect(page.locator("#report-status")).to_have_text("Draft")
    expect(page.locator("#section-progress")).to_contain_text("上线验收")
    expect(page.locator("[data-report-slip]")).to_have_attribute("data-ready", "1")

    # when they write the narrative and also tick the internal section
    page.fill("#id_summary", "本周完成数据接口开发的设计评审。")
    page.fill("#id_internal_notes", "测试人员紧张")
    page.locator("input[name=client_sections][value=budget]").check()
    page.locator("#narrative-form").get_by_role("button", name="Save").click()
    expect(page.locator(".alert-success")).to_contain_text("Report saved.")

    # then publishing is refused and nothing is published
    page.locator("#publish-form").get_by_role("button", name="Publish").click()
    expect(page.locator("#publish-form .alert-danger")).to_contain_text(
        "internal figures"
    )
    assert not ProgressReportVersion.objects.exists()

    # when they untick it and publish to 张伟
    page.locator("input[name=client_sections][value=budget]").uncheck()
    page.locator("#narrative-form").get_by_role("button", name="Save").click()
    page.get_by_label("张伟 <zhang.wei@yunfan.example.cn>").check()
    page.locator("#publish-form").get_by_role("button", name="Publish").click()

    # then version 1 is frozen and the draft is no longer editable
    expect(page.locator("#report-status")).to_have_text("Published")
    expect(page.locator("#versions")).to_contain_text("v1")
    expect(page.locator("#narrative-form")).to_have_count(0)
    page.screenshot(path=str(shots / "progress-report-published.png"), full_page=True)
    report = ProgressReport.objects.get()
    assert report.versions.get().recipients.get().name == "张伟"

    # and 张伟 reads the client version in the portal on his phone
    phone = own_browser(project.client.contacts.get().portal_user, "phone")
    phone.goto(f"{live_server.url}/portal/projects/{project.pk}/")
    phone.get_by_role("link", name="Read the reports").click()
    phone.locator("#portal-reports a").first.click()
    expect(phone.locator("body")).to_contain_text("本周完成数据接口开发的设计评审。")
    expect(phone.locator("body")).not_to_contain_text("测试人员紧张")
    expect(phone.locator("#section-budget")).to_have_count(0)
    phone.screenshot(
        path=str(shots / "progress-report-portal-phone.png"), full_page=True
    )
    assert phone.js_errors == []
