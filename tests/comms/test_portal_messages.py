"""Client portal messages (issue 12): the client writes to the project team in the
portal and each thread is a communication record of kind portal, with its messages; the
manager hears of the client's messages, the team answers from the record's page, the
search finds what was written, and the API reads the thread."""

from pathlib import Path

import pytest
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone

from clientfolio.comms import services
from clientfolio.comms.models import CommRecord, Message
from clientfolio.core.models import Event
from clientfolio.documents.models import Document
from tests.clients.factories import ContactFactory
from tests.documents.factories import PNG, upload

NOW = timezone.now()
# A Windows program renamed to look like a PDF.
DISGUISED_EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture(autouse=True)
def _english_messages():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def thread(project, zhang_wei):
    """张伟 asks the team when the test environment opens, with a screenshot."""
    return services.start_portal_thread(
        project,
        zhang_wei,
        "  测试环境\n账号  ",
        "请问测试环境的账号何时开通？",
        files=[upload("截图.png", PNG, "image/png")],
    )


def _events(kind="message.received"):
    return list(Event.objects.filter(kind=kind).order_by("pk"))


def _stored_files(media_root: Path) -> list[Path]:
    return [p for p in media_root.rglob("*") if p.is_file()]


# --- starting a thread ---------------------------------------------------------------------


def test_a_thread_is_a_portal_record_with_the_contact_and_the_first_message(
    thread, project, zhang_wei
):
    record = CommRecord.objects.get(pk=thread.pk)
    assert (record.kind, record.subject, record.project) == (
        CommRecord.Kind.PORTAL,
        "测试环境 账号",
        project,
    )
    assert record.created_by is None
    assert [p.contact for p in record.participants.all()] == [zhang_wei]
    [message] = record.messages.all()
    assert (message.author_contact, message.author_user) == (zhang_wei, None)
    assert message.body == "请问测试环境的账号何时开通？"
    assert message.is_from_client
    assert message.author_name == "张伟"


def test_the_first_messages_file_is_a_document_shared_with_the_client(thread):
    [document] = thread.messages.get().attachments.all()
    assert document.visibility == Document.Visibility.SHARED
    assert document.project == thread.project
    assert document.folder is not None
    assert document.folder.template.name_en == "Minutes"
    assert document.current_version.original_name == "截图.png"


def test_the_manager_is_told_of_a_new_thread(thread, project):
    [told] = _events()
    message = thread.messages.get()
    assert (told.target_type, told.target_id, told.project_id) == (
        "comms.commrecord",
        thread.pk,
        project.pk,
    )
    assert told.recipient_ids == [project.manager_id]
    assert told.actor_id is None
    assert told.data == {
        "title": "测试环境 账号",
        "contact": "张伟",
        "message_id": message.pk,
        "excerpt": "请问测试环境的账号何时开通？",
    }


def test_the_search_finds_a_thread_by_what_the_client_wrote(thread, project):
    assert list(CommRecord.objects.filter(project=project).search("账号何时开通")) == [
        thread
    ]


@pytest.mark.parametrize(
    ("subject", "body", "field", "message"),
    [
        ("  ", "正文", "subject", "Enter a subject."),
        ("主题", " \n ", "body", "Write a message."),
        ("主题", "长" * 10001, "body", "at most 10000 characters"),
        ("长" * 301, "正文", "subject", "at most 300 characters"),
    ],
)
def test_a_thread_without_a_subject_or_message_is_refused(
    project, zhang_wei, subject, body, field, message
):
    with pytest.raises(services.CommsError, match=message) as refused:
        services.start_portal_thread(project, zhang_wei, subject, body)
    assert refused.value.field == field
    assert not CommRecord.objects.exists()
    assert not _events()


def test_a_contact_of_another_client_cannot_start_a_thread(project, media_root):
    stranger = ContactFactory(name="赵六")
    with pytest.raises(services.CommsError, match="Only a contact of the project"):
        services.start_portal_thread(
            project, stranger, "问题", "你好", files=[upload("a.pdf")]
        )
    assert not CommRecord.objects.exists()
    assert not Document.objects.exists()
    assert not _stored_files(media_root)


def test_a_refused_file_saves_nothing(project, zhang_wei, media_root):
    with pytest.raises(services.CommsError) as refused:
        services.start_portal_thread(
            project,
            zhang_wei,
            "合同扫描件",
            "附件是合同",
            files=[upload("合同.pdf", DISGUISED_EXE)],
        )
    assert refused.value.field == "files"
    assert not CommRecord.objects.exists()
    assert not Message.objects.exists()
    assert not _stored_files(media_root)
    assert not _events()


# --- replies -------------------------------------------------------------------------------


def test_a_staff_reply_is_recorded_and_tells_nobody(thread, member):
    reply = services.post_message(thread, user=member, body="本周五开通。")
    assert (reply.author_user, reply.author_contact) == (member, None)
    assert [m.body for m in thread.messages.all()] == [
        "请问测试环境的账号何时开通？",
        "本周五开通。",
    ]
    assert len(_events()) == 1  # only the client's first message
    # the member on the team now takes part in the thread
    assert thread.participants.filter(user=member).exists()


def test_a_reply_by_staff_outside_the_team_does_not_make_them_a_participant(
    thread, admin
):
    services.post_message(thread, user=admin, body="管理员回复")
    assert not thread.participants.filter(user=admin).exists()


def test_a_client_reply_tells_the_manager_and_the_staff_who_took_part(
    thread, member, zhang_wei, project
):
    services.post_message(thread, user=member, body="本周五开通。")
    reply = services.post_message(thread, contact=zhang_wei, body="好的，谢谢！")
    told = _events()[-1]
    assert sorted(told.recipient_ids) == sorted([project.manager_id, member.pk])
    assert told.data["message_id"] == reply.pk
    assert told.key == f"message.received:{reply.pk}"


def test_another_contact_of_the_client_joins_the_thread_by_writing(
    thread, client_record
):
    li_na = client_record.contacts.get(name="李娜")
    services.post_message(thread, contact=li_na, body="我也需要一个账号。")
    assert thread.participants.filter(contact=li_na).exists()


def test_replies_are_found_by_search_and_leave_the_records_version(thread, member):
    version = CommRecord.objects.get(pk=thread.pk).version
    services.post_message(thread, user=member, body="已开通，请查收邮件")
    stored = CommRecord.objects.get(pk=thread.pk)
    assert stored.version == version
    assert "已开通" in stored.search_text
    assert "账号何时开通" in stored.search_text


def test_editing_the_thread_keeps_its_messages_searchable(thread):
    thread.agenda = "环境准备"
    services.update_record(thread, thread.version)
    assert "账号何时开通" in CommRecord.objects.get(pk=thread.pk).search_text


def test_a_contact_of_another_client_cannot_reply(thread):
    with pytest.raises(services.CommsError, match="Only a contact of the project"):
        services.post_message(thread, contact=ContactFactory(name="赵六"), body="你好")
    assert thread.messages.count() == 1


def test_only_portal_threads_have_messages(meeting, member):
    with pytest.raises(services.CommsError, match="Only client portal conversations"):
        services.post_message(meeting, user=member, body="你好")
    assert not Message.objects.filter(record=meeting).exists()


def test_a_message_has_exactly_one_author(thread, member, zhang_wei):
    with pytest.raises(ValueError, match="exactly one author"):
        services.post_message(thread, user=member, contact=zhang_wei, body="两位")
    with pytest.raises(ValueError, match="exactly one author"):
        services.post_message(thread, body="没有作者")
    assert thread.messages.count() == 1


def test_a_thread_with_the_clients_messages_cannot_be_deleted(thread):
    with pytest.raises(ProtectedError):
        services.delete_record(thread)
    assert CommRecord.objects.filter(pk=thread.pk).exists()


# --- the staff page ------------------------------------------------------------------------


def _detail_url(record):
    return reverse(
        "comms:record_detail", kwargs={"pk": record.project_id, "record_pk": record.pk}
    )


def _reply_url(record):
    return reverse(
        "comms:record_reply", kwargs={"pk": record.project_id, "record_pk": record.pk}
    )


def test_the_record_page_shows_the_thread_with_a_reply_form(thread, as_persona):
    response = as_persona("member").get(_detail_url(thread))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="messages"' in body
    assert "请问测试环境的账号何时开通？" in body
    assert thread.messages.get().attachments.get().title in body
    assert _reply_url(thread) in body
    assert "Send for confirmation" not in body  # a thread has no minutes to confirm


def test_a_viewer_reads_the_thread_without_a_reply_form(thread, as_persona):
    body = as_persona("viewer").get(_detail_url(thread)).content.decode()
    assert "请问测试环境的账号何时开通？" in body
    assert _reply_url(thread) not in body


def test_a_meeting_shows_no_thread(meeting, as_persona):
    body = as_persona("member").get(_detail_url(meeting)).content.decode()
    assert 'id="messages"' not in body
    assert 'id="minutes"' in body


def test_the_team_replies_from_the_record_page(thread, member, as_persona):
    response = as_persona("member").post(
        _reply_url(thread),
        {"body": "本周五开通。", "attachment_files": [upload("说明.pdf")]},
    )
    reply = thread.messages.order_by("-id").first()
    assert response.status_code == 302
    assert response["Location"] == f"{_detail_url(thread)}#message-{reply.pk}"
    assert (reply.author_user, reply.body) == (member, "本周五开通。")
    assert reply.attachments.get().visibility == Document.Visibility.SHARED


def test_an_empty_reply_is_refused_inline(thread, as_persona):
    response = as_persona("member").post(_reply_url(thread), {"body": "  "})
    assert response.status_code == 400
    assert "Write a message." in response.content.decode()
    assert thread.messages.count() == 1


def test_a_refused_file_is_shown_under_the_reply(thread, as_persona, media_root):
    before = _stored_files(media_root)
    response = as_persona("member").post(
        _reply_url(thread),
        {"body": "附件", "attachment_files": [upload("合同.pdf", DISGUISED_EXE)]},
    )
    assert response.status_code == 400
    assert "附件" in response.content.decode()  # the input is kept
    assert thread.messages.count() == 1
    assert _stored_files(media_root) == before


def test_a_meeting_takes_no_reply(meeting, as_persona):
    response = as_persona("member").post(_reply_url(meeting), {"body": "你好"})
    assert response.status_code == 404
    assert not Message.objects.exists()


def test_a_viewer_cannot_reply(thread, as_persona):
    response = as_persona("viewer").post(_reply_url(thread), {"body": "你好"})
    assert response.status_code == 403
    assert thread.messages.count() == 1


def test_the_thread_page_takes_a_fixed_number_of_queries(
    thread, member, zhang_wei, as_persona, django_assert_num_queries
):
    browser = as_persona("member")
    browser.get(_detail_url(thread))  # warm the session
    with django_assert_num_queries(QUERIES_THREAD):
        assert browser.get(_detail_url(thread)).status_code == 200

    # when the thread grows, with files on several messages
    for n in range(6):
        services.post_message(
            thread, user=member, body=f"回复{n}", files=[upload(f"回复{n}.pdf")]
        )
        services.post_message(thread, contact=zhang_wei, body=f"追问{n}")
    with django_assert_num_queries(QUERIES_THREAD):
        assert browser.get(_detail_url(thread)).status_code == 200


# The record page of a thread: what a record's page takes, plus the messages, their
# attachments and the attachments' visibility. The same for 1 message or 13.
QUERIES_THREAD = 13


# --- API -----------------------------------------------------------------------------------


def test_the_api_detail_lists_the_messages(thread, member, zhang_wei, api_as):
    services.post_message(thread, user=member, body="本周五开通。")
    body = api_as("viewer").get(f"/api/v1/comm-records/{thread.pk}/").json()
    assert body["kind"] == "portal"
    first, second = body["messages"]
    assert (first["author_contact"], first["author_name"], first["is_from_client"]) == (
        zhang_wei.pk,
        "张伟",
        True,
    )
    assert first["attachments"][0]["file_name"] == "截图.png"
    assert (second["author_user"], second["body"], second["is_from_client"]) == (
        member.pk,
        "本周五开通。",
        False,
    )


def test_the_api_detail_of_a_meeting_has_no_messages(meeting, api_as):
    body = api_as("member").get(f"/api/v1/comm-records/{meeting.pk}/").json()
    assert body["messages"] == []


def test_the_api_detail_takes_a_fixed_number_of_queries(
    thread, member, zhang_wei, api_as, django_assert_num_queries
):
    api = api_as("member")
    url = f"/api/v1/comm-records/{thread.pk}/"
    api.get(url)
    with django_assert_num_queries(QUERIES_API):
        assert api.get(url).status_code == 200
    for n in range(5):
        services.post_message(
            thread, user=member, body=f"回复{n}", files=[upload(f"回复{n}.pdf")]
        )
        services.post_message(thread, contact=zhang_wei, body=f"追问{n}")
    with django_assert_num_queries(QUERIES_API):
        response = api.get(url)
    assert len(response.json()["messages"]) == 11


QUERIES_API = 8


def test_messages_are_read_only_in_the_api(thread, api_as):
    api = api_as("project_manager")
    response = api.patch(
        f"/api/v1/comm-records/{thread.pk}/",
        {"messages": [{"body": "伪造"}], "version": thread.version},
        format="json",
    )
    assert response.status_code == 200
    assert [m.body for m in thread.messages.all()] == ["请问测试环境的账号何时开通？"]


# --- a thread stays a thread ---------------------------------------------------------------


def test_staff_cannot_create_a_portal_record(project, member):
    with pytest.raises(services.CommsError, match="started by the client") as refused:
        services.create_record(
            CommRecord(project=project, kind="portal", subject="冒充", occurred_at=NOW),
            user=member,
        )
    assert refused.value.field == "kind"
    assert not CommRecord.objects.exists()


def test_a_meeting_cannot_become_a_portal_thread(meeting):
    # it would show its minutes to every contact who took part
    meeting.kind = CommRecord.Kind.PORTAL
    with pytest.raises(services.CommsError, match="cannot become one"):
        services.update_record(meeting, meeting.version)
    assert CommRecord.objects.get(pk=meeting.pk).kind == CommRecord.Kind.MEETING


def test_a_thread_cannot_become_a_meeting(thread):
    thread.kind = CommRecord.Kind.MEETING
    with pytest.raises(services.CommsError, match="stop being one"):
        services.update_record(thread, thread.version)
    assert CommRecord.objects.get(pk=thread.pk).kind == CommRecord.Kind.PORTAL


def test_the_record_form_offers_the_portal_kind_only_to_a_thread(
    thread, meeting, as_persona
):
    browser = as_persona("member")
    edit = "comms:record_edit"
    thread_form = browser.get(
        reverse(edit, kwargs={"pk": thread.project_id, "record_pk": thread.pk})
    ).context["form"]
    meeting_form = browser.get(
        reverse(edit, kwargs={"pk": meeting.project_id, "record_pk": meeting.pk})
    ).context["form"]
    assert [v for v, _label in thread_form.fields["kind"].choices] == ["portal"]
    assert "portal" not in [v for v, _label in meeting_form.fields["kind"].choices]


def test_the_api_refuses_a_portal_record_with_a_field_error(project, api_as):
    response = api_as("member").post(
        "/api/v1/comm-records/",
        {
            "project": project.pk,
            "kind": "portal",
            "subject": "冒充",
            "occurred_at": NOW.isoformat(),
        },
        format="json",
    )
    assert response.status_code == 400
    assert "started by the client" in response.json()["kind"][0]
    assert not CommRecord.objects.exists()


def test_a_thread_has_no_minutes_to_send_for_confirmation(
    thread, django_capture_on_commit_callbacks
):
    from django.core import mail

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(services.CommsError, match="no minutes to confirm"),
    ):
        services.send_minutes_for_confirmation(thread, "https://cf.example.com/")
    assert CommRecord.objects.get(pk=thread.pk).minutes_sent_at is None
    assert not mail.outbox
