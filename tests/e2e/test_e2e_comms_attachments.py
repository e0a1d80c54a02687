"""Attachments of communication records in a browser: a program disguised as a PDF is
refused inline with nothing saved; then minutes and a photo are attached, listed on the
record and downloaded through the (logged) document download."""

import re

import pytest
from playwright.sync_api import expect

from clientfolio.comms.models import CommRecord
from clientfolio.documents.models import Document, DownloadLog

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120


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


def _file(name, content, mime):
    return {"name": name, "mimeType": mime, "buffer": content}


def test_attach_files_to_a_meeting_record(
    live_server, page, signed_in, project, shots, settings
):
    # given the project manager on a new record's form
    page.goto(f"{live_server.url}/projects/{project.pk}/communication/new/")
    page.fill("#id_subject", "需求评审会")
    page.fill("#id_occurred_at", "2026-03-12T14:30")

    # when they attach a program disguised as a PDF and save
    page.set_input_files(
        "#id_attachment_files", [_file("报价单.pdf", EXE, "application/pdf")]
    )
    page.locator("#record-form").get_by_role("button", name="Save").click()

    # then the error shows under the file field, the subject is kept, nothing saved
    field = page.locator("#attachments-form")
    expect(field.locator(".invalid-feedback")).to_contain_text("报价单.pdf")
    expect(page.locator("#id_subject")).to_have_value("需求评审会")
    assert not CommRecord.objects.exists()
    assert not Document.objects.exists()
    assert not [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()]

    # when they pick the real minutes and a whiteboard photo instead
    page.set_input_files(
        "#id_attachment_files",
        [
            _file("评审纪要.pdf", PDF, "application/pdf"),
            _file("白板.png", PNG, "image/png"),
        ],
    )
    page.screenshot(path=str(shots / "comms-attach-form.png"), full_page=True)
    page.locator("#record-form").get_by_role("button", name="Save").click()

    # then the record lists both attachments
    expect(page).to_have_url(re.compile(r"/communication/\d+/$"))
    attachments = page.locator("#attachments")
    expect(attachments.locator("tbody tr")).to_have_count(2)
    expect(attachments).to_contain_text("评审纪要.pdf")
    expect(attachments).to_contain_text("白板.png")
    page.screenshot(path=str(shots / "comms-attachments.png"), full_page=True)

    # and a download goes through the documents download, which logs it
    row = attachments.locator("tr", has_text="评审纪要.pdf")
    with page.expect_download() as info:
        row.get_by_role("link", name="Download").click()
    download = info.value
    assert download.suggested_filename == "评审纪要.pdf"
    assert open(download.path(), "rb").read() == PDF
    assert DownloadLog.objects.count() == 1
    # (the refused form was answered with 400 on purpose)
    assert [e for e in page.js_errors if "status of 400" not in e] == []
