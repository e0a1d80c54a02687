"""Documents in a browser: drop a file on the upload page, upload a second version, download
the first one (its original bytes and name), and share the document with the client."""

import pytest
from playwright.sync_api import expect

from clientfolio.documents.models import Document, DownloadLog

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FIRST = "%PDF-1.7\n% 第一版\n%%EOF\n"
SECOND = b"%PDF-1.7\n% second version, longer\n%%EOF\n"


@pytest.fixture
def project(make_client, staff_user, settings, tmp_path):
    from clientfolio.projects import services
    from clientfolio.projects.models import Project

    settings.MEDIA_ROOT = tmp_path / "media"
    client = make_client("上海云帆信息科技有限公司", owner=staff_user)
    return services.create_project(
        Project(name="客户数据平台一期", client=client, manager=staff_user),
        user=staff_user,
    )


def test_upload_version_download_and_share_a_document(
    live_server, page, signed_in, project, shots, tmp_path
):
    # given the project manager on the project's documents tab
    page.goto(f"{live_server.url}/projects/{project.pk}/documents/")
    expect(page.locator(".cf-empty")).to_contain_text("No documents here yet")

    # when they drop a PDF on the upload page and upload it
    page.locator(".page-header").get_by_role("link", name="Upload").click()
    # the drop zone's module runs after the page has loaded
    expect(page.locator("#dropzone[data-ready='true']")).to_have_count(1)
    dropped = page.evaluate_handle(
        """(text) => {
            const data = new DataTransfer();
            data.items.add(new File([text], "需求规格说明书.pdf", {type: "application/pdf"}));
            return data;
        }""",
        FIRST,
    )
    page.dispatch_event("#dropzone", "drop", {"dataTransfer": dropped})
    expect(page.locator("#dropzone-list")).to_have_text("需求规格说明书.pdf")
    page.fill("#id_note", "初稿")
    page.get_by_role("button", name="Upload").click()

    # then the document's page shows version 1
    expect(page.locator("#document-title")).to_have_text("需求规格说明书")
    expect(page.locator("#version-1")).to_contain_text("初稿")

    # when they upload a second version with a note
    page.locator(".page-header").get_by_role("link", name="New version").click()
    page.set_input_files(
        "#id_file",
        files=[
            {
                "name": "需求规格说明书-v2.pdf",
                "mimeType": "application/pdf",
                "buffer": SECOND,
            }
        ],
    )
    page.fill("#id_note", "补充接口需求")
    page.get_by_role("button", name="Upload").click()

    # then both versions are listed, newest first, told apart by size, hash and note
    expect(page.locator("#version-2")).to_contain_text("补充接口需求")
    expect(page.locator("#version-1")).to_be_visible()
    page.screenshot(path=str(shots / "documents-versions.png"), full_page=True)

    # when they download the first version
    with page.expect_download() as info:
        page.locator("#version-1").get_by_role("link", name="Download").click()
    download = info.value

    # then it is the original file under its original name, and the download is logged
    assert download.suggested_filename == "需求规格说明书.pdf"
    saved = tmp_path / "first.pdf"
    download.save_as(saved)
    assert saved.read_bytes() == FIRST.encode()
    assert DownloadLog.objects.get().version.number == 1

    # when they share the document with the client
    page.get_by_role("button", name="Share with the client").click()

    # then it is marked shared
    expect(page.locator("#visibility")).to_contain_text("Shared with the client")
    assert Document.objects.get().visibility == "shared"
    assert page.js_errors == []
