"""Documents through the API: multipart upload, versions, download, 409 on stale
versions, trash and purge, with the same permissions as the pages."""

from django.urls import reverse

from clientfolio.documents.models import Document, DocumentVersion, DownloadLog
from tests.documents.factories import PDF, FolderFactory, upload


def test_a_member_uploads_a_document_with_multipart(project, api_as):
    response = api_as("member").post(
        reverse("document-list"),
        {"project": project.pk, "file": upload("接口上传.pdf"), "note": "初稿"},
        format="multipart",
    )

    assert response.status_code == 201, response.data
    assert response.data["title"] == "接口上传"
    assert response.data["current_version"]["size"] == len(PDF)
    assert response.data["current_version"]["note"] == "初稿"


def test_a_disguised_file_is_refused_through_the_api(project, api_as):
    response = api_as("member").post(
        reverse("document-list"),
        {"project": project.pk, "file": upload("报告.pdf", b"\x7fELF" + b"\x00" * 50)},
        format="multipart",
    )

    assert response.status_code == 400
    assert "file" in response.data
    assert not Document.objects.exists()


def test_a_viewer_cannot_upload(project, api_as):
    response = api_as("viewer").post(
        reverse("document-list"),
        {"project": project.pk, "file": upload()},
        format="multipart",
    )
    assert response.status_code == 403
    assert not Document.objects.exists()


def test_a_new_version_and_its_download(contract, api_as):
    api = api_as("member")
    response = api.post(
        reverse("document-version-list"),
        {
            "document": contract.pk,
            "file": upload("v2.pdf", PDF + b"2"),
            "note": "第二版",
        },
        format="multipart",
    )
    assert response.status_code == 201, response.data
    assert response.data["number"] == 2

    first = contract.versions.get(number=1)
    download = api.get(reverse("document-version-download", args=[first.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment")
    assert DownloadLog.objects.get().version == first


def test_versions_cannot_be_changed_through_the_api(contract, api_as):
    version = contract.current_version
    response = api_as("member").patch(
        f"{reverse('document-version-list')}{version.pk}/", {"note": "改"}
    )
    assert response.status_code == 405
    assert DocumentVersion.objects.get().note == ""


def test_a_stale_update_gets_409(contract, api_as):
    api = api_as("member")
    url = reverse("document-detail", args=[contract.pk])
    assert api.patch(url, {"visibility": "shared", "version": 1}).status_code == 200

    response = api.patch(url, {"title": "改名", "version": 1})

    assert response.status_code == 409
    contract.refresh_from_db()
    assert (contract.title, contract.visibility) == ("一期实施合同", "shared")


def test_delete_moves_to_the_trash_and_only_admins_purge(contract, api_as):
    assert (
        api_as("member")
        .delete(reverse("document-detail", args=[contract.pk]))
        .status_code
        == 204
    )
    assert Document.objects.trashed().get() == contract

    purge = reverse("document-purge", args=[contract.pk])
    assert api_as("project_manager").post(purge).status_code == 403
    assert api_as("admin").post(purge).status_code == 204
    assert not Document.objects.exists()


def test_search_through_the_api(contract, api_as):
    response = api_as("viewer").get(reverse("document-list"), {"q": "盖章"})
    assert [row["id"] for row in response.data["results"]] == [contract.pk]


def test_an_outsider_sees_no_documents(contract, api_as):
    assert api_as("staff").get(reverse("document-list")).data["results"] == []
    response = api_as("staff").get(reverse("document-detail", args=[contract.pk]))
    assert response.status_code == 404


def test_a_viewer_cannot_add_a_version_and_nothing_is_written(contract, api_as):
    response = api_as("viewer").post(
        reverse("document-version-list"),
        {"document": contract.pk, "file": upload("v2.pdf", PDF + b"2")},
        format="multipart",
    )

    assert response.status_code == 403
    assert response.data == {"detail": "Your project role does not allow this change."}
    assert list(contract.versions.values_list("number", flat=True)) == [1]


def test_an_outsider_cannot_add_a_version_to_a_document_they_cannot_see(
    contract, api_as
):
    response = api_as("staff").post(
        reverse("document-version-list"),
        {"document": contract.pk, "file": upload("v2.pdf", PDF + b"2")},
        format="multipart",
    )

    assert response.status_code == 400
    assert response.data == {
        "document": [f'Invalid pk "{contract.pk}" - object does not exist.']
    }
    assert contract.versions.count() == 1


def test_a_viewer_cannot_create_or_rename_a_folder(project, api_as):
    folder = FolderFactory(project=project, name="合同")
    api = api_as("viewer")

    created = api.post(
        reverse("document-folder-list"),
        {"project": project.pk, "name": "新"},
        format="json",
    )
    renamed = api.patch(
        reverse("document-folder-detail", args=[folder.pk]),
        {"name": "改名", "version": folder.version},
        format="json",
    )

    assert (created.status_code, renamed.status_code) == (403, 403)
    assert created.data == {"detail": "Your project role does not allow this change."}
    assert renamed.data == {
        "detail": "You do not have permission to perform this action."
    }
    assert list(project.document_folders.values_list("name", flat=True)) == ["合同"]


def test_a_folder_of_another_project_does_not_exist_for_an_upload(project, api_as):
    elsewhere = FolderFactory(name="别人的文件夹")

    response = api_as("member").post(
        reverse("document-list"),
        {"project": project.pk, "folder": elsewhere.pk, "file": upload()},
        format="multipart",
    )

    assert response.status_code == 400
    assert response.data == {
        "folder": [f'Invalid pk "{elsewhere.pk}" - object does not exist.']
    }
    assert not Document.objects.exists()
