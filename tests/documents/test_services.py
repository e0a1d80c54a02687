"""Document services: streaming inspection, type checks, naming rule, versions, the
no-orphan guarantee, trash, restore and purge, and the orphan report."""

import hashlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from clientfolio.core.locking import StaleVersion
from clientfolio.documents import filetypes, services
from clientfolio.documents.models import (
    Document,
    DocumentVersion,
    DownloadLog,
    Folder,
    FolderTemplate,
)
from tests.documents.factories import PDF, PNG, DocumentFactory, upload


def stored_files(media_root) -> list[Path]:
    return [p for p in Path(media_root).rglob("*") if p.is_file()]


def test_the_template_has_the_eight_bilingual_folders(db):
    names = list(FolderTemplate.objects.values_list("name_zh", "name_en"))
    assert names[0] == ("合同协议", "Contracts")
    assert ("会议纪要", "Minutes") in names
    assert len(names) == 8


def test_a_project_gets_its_folders_from_the_template_once(project):
    services.ensure_folders(project)
    services.ensure_folders(project)

    folders = list(Folder.objects.for_tree(project))
    assert len(folders) == 8
    assert folders[0].template.name_en == "Contracts"
    assert folders[0].name == ""


def test_an_upload_stores_size_and_sha256_computed_while_streaming(
    project, project_manager, media_root
):
    content = PDF + b"x" * 300_000
    document = services.upload_documents(
        project, [upload("设计说明.pdf", content)], user=project_manager
    )[0]

    version = document.current_version
    assert version.number == 1
    assert version.size == len(content)
    assert version.sha256 == hashlib.sha256(content).hexdigest()
    assert version.content_type == "application/pdf"
    assert version.uploaded_by == project_manager
    assert document.title == "设计说明"
    assert default_storage.open(version.file.name).read() == content


def test_many_files_make_many_documents(project, member):
    documents = services.upload_documents(
        project,
        [
            upload("a.pdf"),
            upload("b.png", PNG, "image/png"),
            upload("c.txt", "纪要".encode()),
        ],
        user=member,
    )
    assert [d.title for d in documents] == ["a", "b", "c"]
    assert Document.objects.filter(project=project).count() == 3


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("合同.pdf", b"MZ\x90\x00\x03" + b"\x00" * 100),
        ("报告.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 100),
        ("说明.txt", b"#!/bin/sh\nrm -rf /\n"),
        ("setup.exe", b"MZ\x90\x00"),
        ("图片.png", PDF),
        ("script.js", b"alert(1)"),
    ],
)
def test_a_disguised_or_forbidden_file_is_refused_and_nothing_is_saved(
    project, member, media_root, name, content
):
    with pytest.raises(services.DocumentError):
        services.upload_documents(project, [upload(name, content)], user=member)

    assert not Document.objects.exists()
    assert stored_files(media_root) == []


def test_an_oversized_file_is_refused(project, member, settings, media_root):
    settings.DOCUMENTS_MAX_BYTES = 1024

    with pytest.raises(services.DocumentError, match="larger than the limit"):
        services.upload_documents(
            project, [upload("大文件.pdf", PDF + b"0" * 2048)], user=member
        )
    assert not Document.objects.exists()
    assert stored_files(media_root) == []


def test_a_path_in_the_file_name_is_removed(project, member, media_root):
    document = services.upload_documents(
        project, [upload("../../etc/..\\windows\\合同.pdf")], user=member
    )[0]

    version = document.current_version
    assert version.original_name == "合同.pdf"
    assert (
        Path(media_root, version.file.name)
        .resolve()
        .is_relative_to(Path(media_root).resolve())
    )


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../a.pdf", "a.pdf"),
        ("C:\\Users\\x\\报告.docx", "报告.docx"),
        ("..", "file"),
        (".hidden.txt", "hidden.txt"),
        ('a<b>:"c".txt', "a_b___c_.txt"),
        ("a\x00b.pdf", "a_b.pdf"),
    ],
)
def test_file_names_are_sanitised(raw, clean):
    assert filetypes.sanitise_name(raw) == clean


def test_a_failure_after_the_file_is_written_leaves_no_file_and_no_row(
    project, member, media_root, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "_add_version", broken)

    with pytest.raises(RuntimeError):
        services.upload_documents(
            project, [upload("a.pdf"), upload("b.pdf")], user=member
        )

    assert not Document.objects.exists()
    assert not DocumentVersion.objects.exists()
    assert stored_files(media_root) == []


def test_one_refused_file_refuses_the_whole_upload(project, member, media_root):
    with pytest.raises(services.DocumentError):
        services.upload_documents(
            project, [upload("a.pdf"), upload("b.pdf", b"MZ")], user=member
        )
    assert not Document.objects.exists()
    assert stored_files(media_root) == []


def test_a_new_upload_is_a_new_version_and_the_old_one_stays(contract, member):
    version = services.upload_version(
        contract,
        upload("一期实施合同-修订.pdf", PDF + b"v2"),
        user=member,
        note="修订付款条款",
    )

    contract.refresh_from_db()
    assert version.number == 2
    assert contract.current_version == version
    versions = list(contract.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].sha256 != versions[1].sha256
    assert default_storage.exists(versions[0].file.name)
    assert "修订" in contract.search_text


def test_versions_are_immutable(contract):
    version = contract.current_version
    version.note = "改过"

    with pytest.raises(ValidationError):
        version.save()
    version.refresh_from_db()
    assert version.note == ""


def test_the_naming_rule_refuses_a_wrong_name_and_suggests_one(project, member):
    services.save_naming_rule(project, "{project_code}-{category}-{title}-v{version}")

    with pytest.raises(services.DocumentError) as refused:
        services.upload_documents(
            project, [upload("合同扫描件.pdf")], user=member, category="合同"
        )
    assert refused.value.suggested == f"{project.code}-合同-合同扫描件-v1.pdf"
    assert not Document.objects.exists()

    document = services.upload_documents(
        project,
        [upload(f"{project.code}-合同-实施合同-v1.pdf")],
        user=member,
        category="合同",
    )[0]
    assert document.title == "实施合同"


def test_an_unknown_placeholder_in_the_naming_rule_is_refused(project):
    with pytest.raises(services.DocumentError, match="Unknown placeholders"):
        services.save_naming_rule(project, "{project}-{title}")


def test_trash_and_restore_keep_the_file(contract):
    name = contract.current_version.file.name
    services.trash_document(contract)
    assert Document.objects.active().count() == 0
    assert Document.objects.trashed().get() == contract

    services.restore_document(contract)
    assert Document.objects.active().get() == contract
    assert default_storage.exists(name)


def test_a_document_outside_the_trash_cannot_be_purged(contract):
    with pytest.raises(services.DocumentError):
        services.purge_document(contract)
    assert Document.objects.filter(pk=contract.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_purge_deletes_the_rows_and_the_files(project, project_manager, media_root):
    document = DocumentFactory(project=project, created_by=project_manager)
    name = document.current_version.file.name
    services.trash_document(document)

    services.purge_document(document)

    assert not Document.objects.filter(pk=document.pk).exists()
    assert not DocumentVersion.objects.exists()
    assert not default_storage.exists(name)


def test_a_folder_cannot_move_into_its_own_subfolder(project):
    parent = services.create_folder(project, "设计")
    child = services.create_folder(project, "原型", parent)

    with pytest.raises(services.DocumentError):
        services.update_folder(parent, parent.version, name="设计", parent=child)


def test_renaming_with_a_stale_version_is_refused(project):
    folder = services.create_folder(project, "设计")
    services.update_folder(folder, folder.version, name="设计稿", parent=None)

    with pytest.raises(StaleVersion):
        services.update_folder(folder, 1, name="又改了", parent=None)


def test_search_finds_chinese_substrings_in_titles_notes_and_file_names(
    contract, project
):
    DocumentFactory(project=project, title="周报", file=upload("第三周项目周报.pdf"))

    assert list(Document.objects.search("实施")) == [contract]
    assert list(Document.objects.search("盖章")) == [contract]
    assert Document.objects.search("第三周").get().title == "周报"


def test_a_download_is_logged(contract, member):
    services.record_download(contract.current_version, member, "10.0.0.1")

    log = DownloadLog.objects.get()
    assert log.user == member
    assert log.ip == "10.0.0.1"


def test_the_orphan_check_reports_stray_files_and_missing_ones(
    contract, project, media_root, capsys
):
    call_command("documents_orphans")
    assert "No orphans" in capsys.readouterr().out

    default_storage.save("documents/999/stray/left.pdf", upload("left.pdf"))
    other = DocumentFactory(project=project)
    default_storage.delete(other.current_version.file.name)

    with pytest.raises(CommandError):
        call_command("documents_orphans")
    out = capsys.readouterr().out
    assert "documents/999/stray/left.pdf" in out
    assert f"version {other.current_version.pk}" in out


def test_kind_of_recognises_types_by_content():
    assert filetypes.kind_of(PDF) == "pdf"
    assert filetypes.kind_of(PNG) == "png"
    assert filetypes.kind_of(b"\xff\xd8\xff\xe0") == "jpeg"
    assert filetypes.kind_of(b"GIF89a") == "gif"
    assert filetypes.kind_of(b"PK\x03\x04") == "zip"
    assert filetypes.kind_of("会议纪要".encode()) == "text"
    assert filetypes.kind_of(b"MZ") == "executable"
    assert filetypes.kind_of(b"\x00\x01\x02") == ""
