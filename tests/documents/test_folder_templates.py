"""The folder template's admin pages and services: list, add, rename in both languages,
reorder and delete; and what the documents issue asks of folders, search and versions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clientfolio.documents import services
from clientfolio.documents.models import Document, Folder, FolderTemplate
from tests.documents.factories import PDF, DocumentFactory, upload
from tests.projects.factories import ProjectFactory

LIST = reverse("documents:folder_template_list")


def _names() -> list[str]:
    return list(FolderTemplate.objects.values_list("name_en", flat=True))


def _edit(template):
    return reverse("documents:folder_template_edit", args=[template.pk])


def _move(template):
    return reverse("documents:folder_template_move", args=[template.pk])


# --- services ------------------------------------------------------------------------


def test_a_new_template_folder_goes_to_the_end(db):
    # when an administrator adds a folder
    added = services.save_folder_template(
        FolderTemplate(), name_zh=" 测试报告 ", name_en="Test reports"
    )

    # then it is last, with its names trimmed, and new projects get it
    assert _names()[-1] == "Test reports"
    assert added.name_zh == "测试报告"
    project = ProjectFactory()
    services.ensure_folders(project)
    assert Folder.objects.filter(project=project, template=added).exists()


def test_a_template_folder_needs_both_names(db):
    with pytest.raises(services.DocumentError) as missing:
        services.save_folder_template(FolderTemplate(), name_zh="", name_en="Other")
    assert missing.value.field == "name_zh"
    with pytest.raises(services.DocumentError) as missing:
        services.save_folder_template(FolderTemplate(), name_zh="其他", name_en=" ")
    assert missing.value.field == "name_en"


def test_renaming_a_template_folder_renames_it_in_projects(project):
    # given a project with its folders from the template
    services.ensure_folders(project)
    template = FolderTemplate.objects.get(name_en="Minutes")

    # when the template folder is renamed
    services.save_folder_template(template, name_zh="会议记录", name_en="Meetings")

    # then the project's folder shows the new name in both languages
    from django.utils import translation

    folder = Folder.objects.select_related("template").get(
        project=project, template=template
    )
    with translation.override("en"):
        assert folder.label == "Meetings"
    with translation.override("zh-hans"):
        assert folder.label == "会议记录"


def test_moving_renumbers_the_positions(db):
    names = _names()
    second = FolderTemplate.objects.get(name_en=names[1])

    # when the second folder moves up, then down twice
    services.move_folder_template(second, -1)
    assert _names()[:2] == [names[1], names[0]]
    services.move_folder_template(second, 1)
    services.move_folder_template(second, 1)

    # then it is third and positions run 0, 1, 2…
    assert _names()[:3] == [names[0], names[2], names[1]]
    positions = list(FolderTemplate.objects.values_list("position", flat=True))
    assert positions == list(range(len(names)))


def test_moving_past_either_end_changes_nothing(db):
    names = _names()
    services.move_folder_template(FolderTemplate.objects.get(name_en=names[0]), -1)
    services.move_folder_template(FolderTemplate.objects.get(name_en=names[-1]), 1)
    assert _names() == names


def test_deleting_a_template_folder_keeps_projects_folders_named(project):
    # given a project whose Minutes folder holds a document
    services.ensure_folders(project)
    template = FolderTemplate.objects.get(name_en="Minutes")
    folder = Folder.objects.get(project=project, template=template)
    document = DocumentFactory(project=project, folder=folder)

    # when the template folder is deleted
    kept = services.delete_folder_template(template)

    # then the project keeps its folder, named, with its document
    folder.refresh_from_db()
    assert kept == 1
    assert folder.template is None
    assert folder.label == "会议纪要"
    assert Document.objects.get(pk=document.pk).folder == folder
    assert not FolderTemplate.objects.filter(name_en="Minutes").exists()


# --- pages ---------------------------------------------------------------------------


def test_the_admin_lists_the_template_with_its_usage(
    project, as_persona, django_assert_max_num_queries
):
    services.ensure_folders(project)
    browser = as_persona("admin")
    browser.get(LIST)

    with django_assert_max_num_queries(10):
        response = browser.get(LIST)

    body = response.content.decode()
    assert response.status_code == 200
    assert "会议纪要" in body
    assert "Minutes" in body
    # the navigation links to the page
    assert f'href="{LIST}"' in body


def test_the_list_query_count_does_not_grow(db, as_persona):
    browser = as_persona("admin")
    browser.get(LIST)
    with CaptureQueriesContext(connection) as before:
        browser.get(LIST)
    for n in range(10):
        services.save_folder_template(
            FolderTemplate(), name_zh=f"文件夹{n}", name_en=f"Folder {n}"
        )
    with CaptureQueriesContext(connection) as after:
        browser.get(LIST)
    assert len(after) == len(before)


def test_staff_see_no_link_and_get_403(db, as_persona):
    browser = as_persona("staff")
    assert f'href="{LIST}"' not in browser.get("/").content.decode()
    assert browser.get(LIST).status_code == 403


def test_an_admin_adds_renames_reorders_and_deletes(db, as_persona):
    browser = as_persona("admin")

    # add
    response = browser.post(
        reverse("documents:folder_template_create"),
        {"name_zh": "测试报告", "name_en": "Test reports"},
    )
    assert response.status_code == 302
    added = FolderTemplate.objects.get(name_en="Test reports")
    assert _names()[-1] == "Test reports"

    # rename both names
    response = browser.post(
        _edit(added), {"name_zh": "测试与验收", "name_en": "Testing"}
    )
    assert response.status_code == 302
    added.refresh_from_db()
    assert (added.name_zh, added.name_en) == ("测试与验收", "Testing")

    # reorder: up one place
    assert browser.post(_move(added), {"direction": "up"}).status_code == 302
    assert _names()[-2] == "Testing"

    # delete
    response = browser.post(
        reverse("documents:folder_template_delete", args=[added.pk])
    )
    assert response.status_code == 302
    assert not FolderTemplate.objects.filter(pk=added.pk).exists()


def test_a_missing_name_shows_inline(db, as_persona):
    from django.utils import translation

    with translation.override("en"):
        response = as_persona("admin").post(
            reverse("documents:folder_template_create"),
            {"name_zh": "测试报告", "name_en": ""},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 400
    assert 'value="测试报告"' in response.content.decode()
    assert not FolderTemplate.objects.filter(name_zh="测试报告").exists()


# --- the points --------------------------------------------------------------


def test_a_folder_is_moved_through_the_page_with_its_documents(project, as_persona):
    # given a folder with a document, and another folder
    folder = services.create_folder(project, "接口文档")
    document = DocumentFactory(project=project, folder=folder)
    target = services.create_folder(project, "技术")
    browser = as_persona("member")

    # the edit page offers the move
    page = browser.get(reverse("documents:folder_edit", args=[project.pk, folder.pk]))
    assert 'name="parent"' in page.content.decode()

    # when it is moved under the other folder
    response = browser.post(
        reverse("documents:folder_edit", args=[project.pk, folder.pk]),
        {"name": "接口文档", "parent": target.pk, "version": folder.version},
    )

    # then it sits under it, its document still inside
    assert response.status_code == 302
    folder.refresh_from_db()
    assert folder.parent == target
    assert Document.objects.get(pk=document.pk).folder == folder


def test_chinese_search_finds_notes_and_file_names_of_later_versions(
    project, member, as_persona
):
    # given a document whose second version has another file name, and notes
    document = DocumentFactory(
        project=project, title="Design", notes="包含数据库表结构说明"
    )
    services.upload_version(
        document, upload("数据字典终稿.pdf", PDF + b"2"), user=member
    )
    browser = as_persona("viewer")
    url = reverse("documents:document_list", args=[project.pk])

    # then a substring of the notes and of the new file name both find it
    for query in ("表结构", "字典终", "DESIGN 表结构"):
        body = browser.get(url, {"q": query}).content.decode()
        assert f'href="/projects/{project.pk}/documents/{document.pk}/"' in body, query
    body = browser.get(url, {"q": "不存在的词"}).content.decode()
    assert f'href="/projects/{project.pk}/documents/{document.pk}/"' not in body


def test_versions_are_told_apart_at_a_glance(project, member, as_persona):
    # given three versions, the third re-uploading the first's content
    document = DocumentFactory(project=project, title="合同", created_by=member)
    services.upload_version(
        document, upload("合同2.pdf", PDF + b"v2" * 600), user=member, note="改付款"
    )
    services.upload_version(document, upload("合同3.pdf"), user=member, note="回退")

    body = (
        as_persona("viewer")
        .get(reverse("documents:document_detail", args=[project.pk, document.pk]))
        .content.decode()
    )

    # then each row shows its size, hash, note, uploader and time, the current one is
    # marked and the identical content is flagged
    from django.utils import translation

    versions = list(document.versions.order_by("number"))
    for version in versions:
        assert version.sha256[:12] in body
        assert f'title="{version.size}"' in body
    assert "改付款" in body
    assert "回退" in body
    assert str(member) in body
    row3 = body[body.index('id="version-3"') : body.index('id="version-2"')]
    with translation.override("zh-hans"):
        assert "v1" in row3
        assert "bg-yellow-lt" in row3
        assert "bg-blue-lt" in row3
    row2 = body[body.index('id="version-2"') : body.index('id="version-1"')]
    assert "bg-yellow-lt" not in row2
