"""Closure in a browser: the manager sees the unmet checklist, is refused without the
override, closes with an override and a reason, writes the final evaluation and downloads
it as a PDF whose text (pdftotext) holds the project's Chinese name and the narrative."""

import shutil
import subprocess

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def project(make_client, staff_user):
    from clientfolio.projects import services
    from clientfolio.projects.models import Project
    from clientfolio.risks.models import Issue

    client = make_client("上海云帆信息科技有限公司", owner=staff_user)
    project = services.create_project(
        Project(name="客户数据平台一期", client=client, manager=staff_user),
        user=staff_user,
    )
    Issue.objects.create(project=project, title="接口超时未解决", status="open")
    return project


def test_close_a_project_with_override_and_download_the_evaluation(
    live_server, page, signed_in, project, shots, tmp_path
):
    from clientfolio.clients.models import FollowUp
    from clientfolio.closure.models import Closure

    # given the manager on the project's closure tab, with an open issue
    page.goto(f"{live_server.url}/projects/{project.pk}/closure/")
    expect(page.locator("#item-issues")).to_have_attribute("data-status", "not_met")
    expect(page.locator("#item-issues")).to_contain_text("1")
    page.screenshot(path=str(shots / "closure-checklist.png"), full_page=True)

    # when they try to close without ticking the override
    page.locator("#close-submit").click()

    # then they are told why and nothing is closed
    expect(page.locator(".alert-danger")).to_contain_text("1 unmet item(s)")
    assert not Closure.objects.exists()

    # when they tick the override, give a reason and close
    page.get_by_label("Close anyway, although checklist items are unmet").check()
    page.fill("#id_reason", "客户要求提前结项，问题转入运维")
    page.fill("#id_follow_up_days", "14")
    page.locator("#close-submit").click()

    # then the project is closed, the reason shown and a follow-up planned
    expect(page.locator("#closure-record")).to_contain_text(
        "客户要求提前结项，问题转入运维"
    )
    expect(page.locator("#reopen-project")).to_be_visible()
    assert Closure.objects.get(project=project).overridden
    assert FollowUp.objects.filter(
        client=project.client, owner=project.manager
    ).exists()

    # when they write the final evaluation
    page.get_by_role("link", name="Final evaluation").click()
    page.locator(".page-header").get_by_role("link", name="Edit evaluation").click()
    page.fill("#id_satisfaction", "4")
    page.fill("#id_narrative", "项目按期交付，客户**满意**。")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#evaluation")).to_contain_text("4")
    expect(page.locator("#evaluation strong")).to_have_text("满意")
    page.screenshot(path=str(shots / "closure-evaluation.png"), full_page=True)

    # and download it as a PDF
    with page.expect_download() as info:
        page.locator("#evaluation-pdf").click()
    download = info.value
    assert download.suggested_filename.endswith("-evaluation.pdf")
    path = tmp_path / "evaluation.pdf"
    download.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")

    # then its text holds the project's Chinese name and the narrative
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    assert "客户数据平台一期" in text
    assert "项目按期交付" in text
    # (the refused close answered 400 on purpose; nothing else may fail)
    errors = [e for e in page.js_errors if "status of 400" not in e]  # type: ignore[attr-defined]
    assert errors == []
