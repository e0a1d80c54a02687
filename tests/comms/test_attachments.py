"""Files attached to communication records: stored as documents of the project (in its
Minutes folder), all or nothing with the record, downloaded through the documents pages
(so each download is logged), and listed in the API."""

from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from clientfolio.comms import services
from clientfolio.comms.models import CommRecord
from clientfolio.documents.models import Document, DownloadLog
from tests.comms.factories import CommRecordFactory
from tests.documents.factories import PDF, PNG, upload

# A Windows program renamed to look like a PDF.
DISGUISED_EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def _stored_files(media_root: Path) -> list[Path]:
    return [p for p in media_root.rglob("*") if p.is_file()]


def _form_data(**extra):
    return {
        "kind": "meeting",
        "subject": "需求评审会",
        "occurred_at": "2026-03-12T10:00",
        "items-TOTAL_FORMS": "0",
        "items-INITIAL_FORMS": "0",
        **extra,
    }


# --- services ------------------------------------------------------------------------


def test_files_attached_to_a_new_record_become_documents_in_minutes(
    project, project_manager
):
    # given a new meeting record with two files
    record = CommRecord(
        project=project, subject="需求评审会", occurred_at="2026-03-12T10:00+08:00"
    )

    # when it is created with them
    services.create_record(
        record,
        user=project_manager,
        participant_users=[project_manager],
        files=[upload("评审纪要.pdf"), upload("白板照片.png", PNG, "image/png")],
    )

    # then both are documents of the project in the Minutes folder, attached
    attached = list(record.attachments.order_by("title"))
    assert [d.title for d in attached] == ["白板照片", "评审纪要"]
    assert {d.folder.template.name_en for d in attached} == {"Minutes"}
    assert {d.project_id for d in attached} == {project.pk}
    assert attached[0].current_version.uploaded_by == project_manager
    assert "需求评审会" in attached[0].current_version.note


def test_a_disguised_executable_saves_neither_record_nor_file(
    project, project_manager, media_root
):
    # given a record with a good PDF and a program disguised as a PDF
    record = CommRecord(
        project=project, subject="需求评审会", occurred_at="2026-03-12T10:00+08:00"
    )
    files = [upload("纪要.pdf"), upload("报价.pdf", DISGUISED_EXE)]

    # when it is created
    with (
        translation.override("en"),
        pytest.raises(services.CommsError) as refused,
    ):
        services.create_record(record, user=project_manager, files=files)

    # then it is refused on the files field and nothing at all is kept
    assert refused.value.field == "attachment_files"
    assert "报价.pdf" in refused.value.message
    assert not CommRecord.objects.filter(subject="需求评审会").exists()
    assert not Document.objects.exists()
    assert _stored_files(media_root) == []


def test_a_refused_participant_removes_the_attached_files(
    project, project_manager, staff, media_root
):
    # given a record naming someone who is not on the team (checked before the files)
    record = CommRecord(
        project=project, subject="需求评审会", occurred_at="2026-03-12T10:00+08:00"
    )

    # when it is created with a file
    with pytest.raises(services.CommsError):
        services.create_record(
            record, user=project_manager, participant_users=[staff], files=[upload()]
        )

    # then neither the record, nor a document, nor a file is left
    assert not CommRecord.objects.exists()
    assert not Document.objects.exists()
    assert _stored_files(media_root) == []


def test_a_stale_edit_keeps_no_attached_file(project, project_manager, media_root):
    # given a record someone saved meanwhile
    record = CommRecordFactory(project=project, created_by=project_manager)
    stale = record.version
    CommRecord.objects.filter(pk=record.pk).update(version=stale + 1)

    # when an edit with the old version attaches a file
    from clientfolio.core.locking import StaleVersion

    with pytest.raises(StaleVersion):
        services.update_record(record, stale, files=[upload()], user=project_manager)

    # then no document and no file was kept
    assert not Document.objects.exists()
    assert _stored_files(media_root) == []


def test_an_edit_adds_and_detaches_attachments(project, project_manager):
    # given a record with one attachment
    record = CommRecordFactory(project=project, created_by=project_manager)
    services.update_record(
        record, record.version, files=[upload("旧纪要.pdf")], user=project_manager
    )
    old = record.attachments.get()
    record.refresh_from_db()

    # when the next edit attaches a new file and detaches the old one
    services.update_record(
        record,
        record.version,
        files=[upload("新纪要.pdf")],
        detach=[old],
        user=project_manager,
    )

    # then only the new one is attached; the old document stays in the project
    assert [d.title for d in record.attachments.all()] == ["新纪要"]
    assert Document.objects.filter(pk=old.pk, deleted_at__isnull=True).exists()


# --- pages ---------------------------------------------------------------------------


def test_a_member_attaches_files_on_the_create_form(as_persona, project, member):
    # when a member saves a new record with two files
    response = as_persona("member").post(
        reverse("comms:record_create", kwargs={"pk": project.pk}),
        _form_data(
            participant_users=[member.pk],
            attachment_files=[upload("评审纪要.pdf"), upload("签到表.pdf")],
        ),
    )

    # then the record is saved with both files attached
    assert response.status_code == 302, response.content.decode()[:2000]
    record = CommRecord.objects.get(subject="需求评审会")
    assert sorted(d.title for d in record.attachments.all()) == ["签到表", "评审纪要"]


def test_a_refused_file_shows_inline_and_saves_nothing(as_persona, project, media_root):
    # when the form carries a program disguised as a PDF
    with translation.override("en"):
        response = as_persona("member").post(
            reverse("comms:record_create", kwargs={"pk": project.pk}),
            _form_data(attachment_files=[upload("报价.pdf", DISGUISED_EXE)]),
            HTTP_ACCEPT_LANGUAGE="en",
        )

    # then the form comes back with the error under the file field, values kept
    body = response.content.decode()
    assert response.status_code == 400
    assert "报价.pdf" in body
    assert "is a program or script" in body
    assert 'value="需求评审会"' in body
    # and nothing was saved: no record, no document, no file
    assert not CommRecord.objects.filter(subject="需求评审会").exists()
    assert not Document.objects.exists()
    assert _stored_files(media_root) == []


def test_the_detail_lists_attachments_with_logged_downloads(
    as_persona, project, project_manager, django_assert_max_num_queries
):
    # given a record with three attachments
    record = CommRecordFactory(project=project, created_by=project_manager)
    services.update_record(
        record,
        record.version,
        files=[upload(f"附件{n}.pdf") for n in range(3)],
        user=project_manager,
    )
    browser = as_persona("viewer")
    url = reverse(
        "comms:record_detail", kwargs={"pk": project.pk, "record_pk": record.pk}
    )
    browser.get(url)  # warm the session and caches

    # when a viewer opens the record (queries do not grow with attachments)
    with django_assert_max_num_queries(30):
        response = browser.get(url)

    # then each attachment links to the logged download of its current version
    body = response.content.decode()
    assert response.status_code == 200
    for document in record.attachments.all():
        download = reverse(
            "documents:version_download",
            kwargs={"pk": project.pk, "version_pk": document.current_version_id},
        )
        assert download in body
    first = record.attachments.first()
    assert (
        browser.get(
            reverse(
                "documents:version_download",
                kwargs={"pk": project.pk, "version_pk": first.current_version_id},
            )
        ).status_code
        == 200
    )
    assert DownloadLog.objects.filter(version=first.current_version).count() == 1


def test_detail_queries_do_not_grow_with_attachments(
    as_persona, project, project_manager
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # given two records, with one and with five attachments
    counts = []
    for n in (1, 5):
        record = CommRecordFactory(project=project, created_by=project_manager)
        services.update_record(
            record,
            record.version,
            files=[upload(f"附件{i}.pdf") for i in range(n)],
            user=project_manager,
        )
        browser = as_persona("viewer")
        url = reverse(
            "comms:record_detail", kwargs={"pk": project.pk, "record_pk": record.pk}
        )
        browser.get(url)
        with CaptureQueriesContext(connection) as context:
            assert browser.get(url).status_code == 200
        counts.append(len(context.captured_queries))

    # then both pages take the same number of queries
    assert counts[0] == counts[1]


def test_an_edit_form_detaches_a_file(as_persona, project, project_manager):
    # given a record with an attachment
    record = CommRecordFactory(project=project, created_by=project_manager)
    services.update_record(
        record, record.version, files=[upload("旧纪要.pdf")], user=project_manager
    )
    record.refresh_from_db()
    old = record.attachments.get()

    # when the manager ticks it under "Remove attachments" and saves
    response = as_persona("project_manager").post(
        reverse("comms:record_edit", kwargs={"pk": project.pk, "record_pk": record.pk}),
        _form_data(
            subject=record.subject,
            version=record.version,
            remove_attachments=[old.pk],
        ),
    )

    # then it is no longer attached
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not record.attachments.exists()


# --- API -----------------------------------------------------------------------------


def test_the_api_creates_a_record_with_attachments_by_multipart(
    api_as, project, member
):
    # when a member posts a record with files as multipart
    response = api_as("member").post(
        reverse("comm-record-list"),
        {
            "project": project.pk,
            "kind": "meeting",
            "occurred_at": "2026-03-12T10:00:00+08:00",
            "subject": "接口上传纪要",
            "participant_users": [member.pk],
            "attachment_files": [upload("纪要.pdf"), upload("照片.png", PNG)],
        },
        format="multipart",
    )

    # then the record lists its attachments by id and name, with download links
    assert response.status_code == 201, response.json()
    attachments = response.json()["attachments"]
    assert sorted(a["file_name"] for a in attachments) == ["照片.png", "纪要.pdf"]
    document = Document.objects.get(pk=attachments[0]["id"])
    assert attachments[0]["title"] == document.title
    assert attachments[0]["size"] == document.current_version.size
    assert attachments[0]["download_url"] == reverse(
        "document-version-download", kwargs={"pk": document.current_version_id}
    )


def test_the_api_refuses_a_disguised_executable_with_nothing_saved(
    api_as, project, media_root
):
    # when the multipart post carries a program named .pdf
    with translation.override("en"):
        response = api_as("member").post(
            reverse("comm-record-list"),
            {
                "project": project.pk,
                "occurred_at": "2026-03-12T10:00:00+08:00",
                "subject": "接口上传纪要",
                "attachment_files": [upload("纪要.pdf", DISGUISED_EXE)],
            },
            format="multipart",
            HTTP_ACCEPT_LANGUAGE="en",
        )

    # then it is a 400 on the files field and nothing is saved
    assert response.status_code == 400
    assert "纪要.pdf is a program" in response.json()["attachment_files"][0]
    assert not CommRecord.objects.filter(subject="接口上传纪要").exists()
    assert not Document.objects.exists()
    assert _stored_files(media_root) == []


def test_the_api_attaches_and_detaches_on_update(api_as, project, project_manager):
    # given a record with one attachment
    record = CommRecordFactory(project=project, created_by=project_manager)
    services.update_record(
        record, record.version, files=[upload("旧纪要.pdf")], user=project_manager
    )
    record.refresh_from_db()
    old = record.attachments.get()

    # when a PATCH attaches a new file and detaches the old one
    response = api_as("member").patch(
        reverse("comm-record-detail", kwargs={"pk": record.pk}),
        {
            "version": record.version,
            "attachment_files": [upload("新纪要.pdf", PDF)],
            "remove_attachments": [old.pk],
        },
        format="multipart",
    )

    # then only the new file is attached
    assert response.status_code == 200, response.json()
    assert [a["file_name"] for a in response.json()["attachments"]] == ["新纪要.pdf"]


def test_the_api_list_queries_do_not_grow_with_attachments(
    api_as, project, project_manager, django_assert_max_num_queries
):
    # given several records with attachments
    for n in range(4):
        record = CommRecordFactory(project=project, created_by=project_manager)
        services.update_record(
            record,
            record.version,
            files=[upload(f"附件{n}.pdf")],
            user=project_manager,
        )
    api = api_as("viewer")

    # when the list is read, it takes a fixed number of queries
    with django_assert_max_num_queries(12):
        response = api.get(reverse("comm-record-list"), {"project": project.pk})
    assert response.status_code == 200
    assert all(len(r["attachments"]) == 1 for r in response.json()["results"])


# --- .eml imports --------------------------------------------------------------------


def _email_with_attachments() -> bytes:
    from email.message import EmailMessage

    message = EmailMessage()
    message["Subject"] = "报价与会议纪要"
    message["From"] = "张伟 <zhang.wei@yunfan.example.cn>"
    message["To"] = "pm@example.com"
    message["Date"] = "Wed, 11 Mar 2026 14:05:00 +0800"
    message.set_content("附件是会议纪要和报价。")
    message.add_attachment(
        PDF, maintype="application", subtype="pdf", filename="会议纪要.pdf"
    )
    message.add_attachment(
        DISGUISED_EXE, maintype="application", subtype="pdf", filename="报价.pdf"
    )
    return bytes(message)


def test_eml_attachments_are_read_with_their_chinese_names():
    from clientfolio.comms.eml import parse_eml

    parsed = parse_eml(_email_with_attachments())

    assert [name for name, _data in parsed.attachments] == ["会议纪要.pdf", "报价.pdf"]
    assert parsed.attachments[0][1] == PDF
    assert parsed.body == "附件是会议纪要和报价。"


def test_an_eml_import_attaches_the_good_files_and_reports_the_refused(
    as_persona, project
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    # when an .eml with a PDF and a disguised program is imported
    upload = SimpleUploadedFile("报价.eml", _email_with_attachments(), "message/rfc822")
    with translation.override("en"):
        response = as_persona("member").post(
            reverse("comms:record_import", kwargs={"pk": project.pk}),
            {"file": upload},
            follow=True,
            HTTP_ACCEPT_LANGUAGE="en",
        )

    # then the record has the PDF attached, and the page says the program was left out
    record = CommRecord.objects.get(subject="报价与会议纪要")
    assert [d.title for d in record.attachments.all()] == ["会议纪要"]
    body = response.content.decode()
    assert "An attachment of the e-mail was not kept" in body
    assert "报价.pdf is a program or script" in body
