"""Quality in a browser: review a deliverable against its criteria, fail an item (adding
a row with htmx) and open an issue for it, then record the client's rejection and, with
the signed PDF, the acceptance that closes the milestone."""

import pytest
from playwright.sync_api import expect

from clientfolio.quality.models import Deliverable, ReviewItem
from clientfolio.schedule.models import Task

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SIGNED = b"%PDF-1.4\n% signed acceptance\n%%EOF\n"


@pytest.fixture
def deliverable(make_client, staff_user, settings, tmp_path):
    from clientfolio.projects import services
    from clientfolio.projects.models import Project
    from clientfolio.quality import services as quality
    from clientfolio.schedule import services as schedule

    settings.MEDIA_ROOT = tmp_path / "media"
    client = make_client(
        "上海云帆信息科技有限公司",
        owner=staff_user,
        contacts=[("张伟", "13812345678", "zhang.wei@yunfan.cn")],
    )
    project = services.create_project(
        Project(name="客户数据平台一期", client=client, manager=staff_user),
        user=staff_user,
    )
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


def test_review_fails_an_item_opens_an_issue_then_the_client_rejects_and_accepts(
    live_server, page, signed_in, deliverable, shots
):
    project = deliverable.project
    # given the project manager on the quality tab
    page.goto(f"{live_server.url}/projects/{project.pk}/quality/")
    expect(page.locator("#deliverables")).to_contain_text("架构设计说明书")
    page.get_by_role("link", name="架构设计说明书").click()

    # when they review it: the checklist starts with its criteria
    page.locator(".page-header").get_by_role("link", name="Review").click()
    expect(page.locator("#id_items-0-criterion")).to_have_value("包含部署架构图")
    page.select_option("#id_items-1-result", "fail")
    page.fill("#id_items-1-findings", "压测 P95 为 450 ms")
    # and add a row with htmx
    page.get_by_role("button", name="Add item").click()
    expect(page.locator("#id_items-3-criterion")).to_be_visible()
    page.fill("#id_items-3-criterion", "文档格式符合模板")
    page.screenshot(path=str(shots / "quality-review-form.png"), full_page=True)
    page.get_by_role("button", name="Save").click()

    # then the review failed, with three items kept (the empty row skipped)
    expect(page.locator("#review-result")).to_have_text("Failed")
    expect(page.locator("#checklist tbody tr")).to_have_count(3)

    # when they open an issue for the failed item
    page.get_by_role("button", name="Open issue").click()

    # then the item links to the issue in the issue log
    expect(page.locator(".issue-link")).to_contain_text("架构设计说明书")
    assert ReviewItem.objects.get(result="fail").issue is not None
    page.screenshot(path=str(shots / "quality-review.png"), full_page=True)

    # when the client rejects the deliverable (comments required)
    page.get_by_role("link", name="架构设计说明书").first.click()
    page.locator(".page-header").get_by_role("link", name="Record acceptance").click()
    page.locator("label[for='id_decision_1']").click()
    page.select_option("#id_contact", label="张伟")
    page.get_by_role("button", name="Record").click()
    expect(page.locator("#acceptance-form")).to_contain_text("comments are required")
    page.fill("#id_comments", "缺少网络拓扑图")
    page.get_by_role("button", name="Record").click()

    # then the work is reopened
    expect(page.locator("#deliverable-status")).to_have_text("In progress")
    expect(page.locator("#acceptances")).to_contain_text("缺少网络拓扑图")

    # when the client accepts it with the signed PDF
    page.locator(".page-header").get_by_role("link", name="Record acceptance").click()
    page.locator("label[for='id_decision_0']").click()
    page.select_option("#id_contact", label="张伟")
    page.set_input_files(
        "#id_document",
        files=[
            {"name": "验收确认单.pdf", "mimeType": "application/pdf", "buffer": SIGNED}
        ],
    )
    page.screenshot(path=str(shots / "quality-acceptance-form.png"), full_page=True)
    page.get_by_role("button", name="Record").click()

    # then the deliverable is accepted, its milestone done, the signed document linked
    expect(page.locator("#deliverable-status")).to_have_text("Accepted")
    expect(page.locator("#acceptances")).to_contain_text("验收确认单")
    expect(page.locator("#deliverable-milestone")).to_contain_text("Done")
    page.screenshot(path=str(shots / "quality-deliverable.png"), full_page=True)
    assert Task.objects.get(pk=deliverable.milestone_id).status == Task.Status.DONE
    # the only console error is the refused form's 400
    assert [e for e in page.js_errors if "400 (Bad Request)" not in e] == []
