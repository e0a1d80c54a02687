"""Document pages: list and search, uploads, versions, downloads and previews, visibility,
trash, folders, and constant query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clientfolio.documents import services
from clientfolio.documents.models import Document, DownloadLog, Folder
from tests.documents.factories import PDF, PNG, DocumentFactory, upload


def list_url(project, **query):
    url = reverse("documents:document_list", args=[project.pk])
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def detail_url(document):
    return reverse("documents:document_detail", args=[document.project_id, document.pk])


def test_the_documents_tab_shows_the_template_folders(project, as_persona):
    response = as_persona("member").get(list_url(project))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Contracts" in body
    assert "Minutes" in body
    assert "No documents here yet" in body


def test_folder_names_follow_the_reader_language(project, project_manager):
    from django.test import Client

    browser = Client(headers={"accept-language": "zh-hans"})
    browser.force_login(project_manager)
    body = browser.get(list_url(project)).content.decode()
    assert "合同协议" in body
    assert "Contracts" not in body


def test_a_member_uploads_several_files_at_once(project, as_persona):
    services.ensure_folders(project)
    folder = Folder.objects.for_tree(project).first()

    response = as_persona("member").post(
        reverse("documents:upload", args=[project.pk]),
        {
            "files": [upload("甲.pdf"), upload("乙.png", PNG, "image/png")],
            "folder": folder.pk,
            "visibility": "internal",
        },
    )

    assert response.status_code == 302
    assert sorted(Document.objects.values_list("title", flat=True)) == ["乙", "甲"]
    assert set(Document.objects.values_list("folder", flat=True)) == {folder.pk}


def test_a_disguised_executable_gets_a_clear_message(project, as_persona, media_root):
    response = as_persona("member").post(
        reverse("documents:upload", args=[project.pk]),
        {"files": [upload("合同.pdf", b"MZ\x90\x00" * 10)], "visibility": "internal"},
    )

    assert response.status_code == 400
    assert "program or script" in response.content.decode()
    assert not Document.objects.exists()


def test_the_naming_rule_message_suggests_a_name(project, as_persona):
    services.save_naming_rule(project, "{project_code}-{title}-v{version}")

    response = as_persona("member").post(
        reverse("documents:upload", args=[project.pk]),
        {"files": [upload("扫描件.pdf")], "visibility": "internal"},
    )

    assert response.status_code == 400
    assert f"{project.code}-扫描件-v1.pdf" in response.content.decode()


def test_the_detail_lists_versions_newest_first(contract, as_persona, member):
    services.upload_version(
        contract, upload("v2.pdf", PDF + b"2"), user=member, note="第二版"
    )

    body = as_persona("viewer").get(detail_url(contract)).content.decode()

    assert body.index('id="version-2"') < body.index('id="version-1"')
    assert "第二版" in body
    assert contract.versions.get(number=2).sha256[:12] in body


def test_a_new_version_is_uploaded_with_its_note(contract, as_persona):
    response = as_persona("member").post(
        reverse("documents:version_upload", args=[contract.project_id, contract.pk]),
        {"file": upload("合同-v2.pdf", PDF + b"v2"), "note": "调整付款节点"},
    )

    assert response.status_code == 302
    assert contract.versions.get(number=2).note == "调整付款节点"


def test_a_download_is_an_attachment_with_the_original_name_and_is_logged(
    contract, as_persona
):
    version = contract.current_version
    response = as_persona("viewer").get(
        reverse("documents:version_download", args=[contract.project_id, version.pk])
    )

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''%E4%B8%80%E6%9C%9F" in disposition
    assert DownloadLog.objects.get().version == version


def test_a_download_behind_the_proxy_logs_the_real_client_address(
    contract, as_persona, settings
):
    # given a proxy in front that appended the client's address
    settings.PROXY_COUNT = 1
    version = contract.current_version

    # when the viewer downloads through it
    response = as_persona("viewer").get(
        reverse("documents:version_download", args=[contract.project_id, version.pk]),
        headers={"x-forwarded-for": "203.0.113.7"},
        REMOTE_ADDR="127.0.0.1",
    )

    # then the log has the client's address, not the proxy's
    assert response.status_code == 200
    assert DownloadLog.objects.get().ip == "203.0.113.7"


def test_pdfs_preview_inline_but_text_does_not(project, contract, as_persona):
    browser = as_persona("viewer")
    response = browser.get(
        reverse(
            "documents:version_preview",
            args=[project.pk, contract.current_version.pk],
        )
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline")
    assert "default-src 'none'" in response["Content-Security-Policy"]

    text = DocumentFactory(project=project, file=upload("纪要.txt", b"<script>"))
    response = browser.get(
        reverse("documents:version_preview", args=[project.pk, text.current_version.pk])
    )
    assert response.status_code == 404


def test_sharing_with_the_client(contract, as_persona):
    response = as_persona("member").post(
        reverse(
            "documents:document_visibility", args=[contract.project_id, contract.pk]
        ),
        {"visibility": "shared", "version": contract.version},
    )

    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.is_shared


def test_a_stale_visibility_change_is_refused(contract, as_persona):
    services.set_visibility(contract, "shared")

    as_persona("member").post(
        reverse(
            "documents:document_visibility", args=[contract.project_id, contract.pk]
        ),
        {"visibility": "internal", "version": 1},
    )

    contract.refresh_from_db()
    assert contract.is_shared


def test_trash_then_restore(contract, as_persona):
    browser = as_persona("member")
    browser.post(
        reverse("documents:document_delete", args=[contract.project_id, contract.pk])
    )
    assert Document.objects.trashed().get() == contract
    trash = browser.get(reverse("documents:trash", args=[contract.project_id]))
    assert contract.title in trash.content.decode()

    browser.post(
        reverse("documents:document_restore", args=[contract.project_id, contract.pk])
    )
    assert Document.objects.active().get() == contract


def test_only_an_admin_purges(contract, as_persona):
    services.trash_document(contract)
    url = reverse("documents:document_purge", args=[contract.project_id, contract.pk])

    assert as_persona("project_manager").post(url).status_code == 403
    assert Document.objects.filter(pk=contract.pk).exists()
    assert as_persona("admin").post(url).status_code == 302
    assert not Document.objects.filter(pk=contract.pk).exists()


def test_search_over_titles_notes_and_file_names(project, contract, as_persona):
    DocumentFactory(project=project, title="周报", file=upload("第三周项目周报.pdf"))
    browser = as_persona("viewer")

    body = browser.get(list_url(project, q="盖章")).content.decode()
    assert "一期实施合同" in body
    assert "周报" not in body
    body = browser.get(list_url(project, q="第三周")).content.decode()
    assert "周报" in body
    assert "一期实施合同" not in body


def test_folders_are_added_renamed_and_moved(project, as_persona):
    browser = as_persona("member")
    browser.post(
        reverse("documents:folder_create", args=[project.pk]), {"name": "接口文档"}
    )
    folder = Folder.objects.get(name="接口文档")
    parent = services.create_folder(project, "技术")

    response = browser.post(
        reverse("documents:folder_edit", args=[project.pk, folder.pk]),
        {"name": "接口说明", "parent": parent.pk, "version": folder.version},
    )

    assert response.status_code == 302
    folder.refresh_from_db()
    assert (folder.name, folder.parent) == ("接口说明", parent)


def _queries(browser, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert browser.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["list", "detail"])
def test_query_counts_do_not_grow_with_rows(project, project_manager, as_persona, page):
    browser = as_persona("member")
    first = DocumentFactory(project=project, created_by=project_manager)
    url = list_url(project) if page == "list" else detail_url(first)
    browser.get(url)
    one = _queries(browser, url)

    for n in range(19):
        DocumentFactory(project=project, created_by=project_manager)
        services.upload_version(first, upload(f"v{n}.pdf"), user=project_manager)
        services.record_download(first.current_version, project_manager, None)

    assert _queries(browser, url) == one
