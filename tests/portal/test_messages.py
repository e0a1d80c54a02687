"""Messages in the portal: 张伟 writes to the project team, the team answers from the
project's communication records, and he replies; each conversation is a communication
record of the project."""

from pathlib import Path

import pytest
from django.urls import reverse

from clientfolio.comms import services as comms
from clientfolio.comms.models import CommRecord, Message
from clientfolio.documents.models import Document
from clientfolio.projects.models import Project
from tests.documents.factories import PNG, upload

# A Windows program renamed to look like a PNG.
DISGUISED_EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120


@pytest.fixture(autouse=True)
def _no_event_handlers(settings):
    settings.CLIENTFOLIO_EVENT_HANDLERS = []


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def _list(project):
    return reverse("portal:messages", kwargs={"pk": project.pk})


def _new(project):
    return reverse("portal:message_new", kwargs={"pk": project.pk})


def _thread(record):
    return reverse(
        "portal:thread", kwargs={"pk": record.project_id, "record_pk": record.pk}
    )


@pytest.fixture
def thread(project, portal_contact):
    return comms.start_portal_thread(
        project, portal_contact, "测试环境账号", "请问测试环境的账号何时开通？"
    )


def test_the_contact_writes_to_the_team_with_a_file(
    portal, portal_user, portal_contact, project
):
    response = portal.post(
        _new(project),
        {
            "subject": "测试环境账号",
            "body": "请问测试环境的账号何时开通？",
            "attachment_files": upload("截图.png", PNG, "image/png"),
        },
    )

    record = CommRecord.objects.get(kind="portal")
    assert response.status_code == 302
    assert response["Location"] == _thread(record)
    assert record.project == project
    assert record.subject == "测试环境账号"
    [message] = record.messages.all()
    assert message.author_contact == portal_contact
    assert message.history.first().history_user == portal_user
    [document] = message.attachments.all()
    assert document.visibility == Document.Visibility.SHARED
    page = portal.get(_thread(record)).content.decode()
    assert "请问测试环境的账号何时开通？" in page
    assert document.title in page
    version = document.current_version_id
    assert f"/portal/projects/{project.pk}/files/{version}/" in page


def test_the_team_answers_from_the_record_and_the_client_reads_it(
    portal, thread, project_manager
):
    comms.post_message(thread, user=project_manager, body="明天上午开通。")

    body = portal.get(_thread(thread)).content.decode()

    assert "明天上午开通。" in body
    assert str(project_manager) in body
    assert "Project team" in body


def test_the_contact_replies(portal, portal_contact, thread):
    response = portal.post(_thread(thread), {"body": "好的，谢谢！"})

    reply = Message.objects.filter(record=thread).order_by("-id").first()
    assert response.status_code == 302
    assert response["Location"] == f"{_thread(thread)}#message-{reply.pk}"
    assert (reply.body, reply.author_contact) == ("好的，谢谢！", portal_contact)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"subject": "", "body": "内容"}, "subject", "This field is required."),
        ({"subject": "主题", "body": "  "}, "body", "This field is required."),
        ({"subject": "主题", "body": "长" * 10001}, "body", "at most 10000"),
        ({"subject": "长" * 301, "body": "内容"}, "subject", "at most 300"),
    ],
)
def test_bad_input_is_refused_inline_and_nothing_is_saved(
    portal, project, data, field, message
):
    response = portal.post(_new(project), data)

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert not CommRecord.objects.filter(kind="portal").exists()


def test_a_disguised_file_is_refused_and_nothing_is_kept(portal, project, media_root):
    response = portal.post(
        _new(project),
        {
            "subject": "发票",
            "body": "附上发票",
            "attachment_files": upload("发票.png", DISGUISED_EXE, "image/png"),
        },
    )

    assert response.status_code == 400
    assert response.context["form"].errors["attachment_files"]
    assert not CommRecord.objects.filter(kind="portal").exists()
    assert not [p for p in media_root.rglob("*") if p.is_file()]


def test_an_empty_reply_is_refused(portal, thread):
    response = portal.post(_thread(thread), {"body": ""})

    assert response.status_code == 400
    assert thread.messages.count() == 1


def test_the_list_shows_the_contacts_threads(portal, project, thread):
    body = portal.get(_list(project)).content.decode()

    assert "测试环境账号" in body
    assert f'data-thread="{thread.pk}"' in body
    project_page = portal.get(reverse("portal:project", kwargs={"pk": project.pk}))
    assert f'data-thread="{thread.pk}"' in project_page.content.decode()


def test_a_thread_of_a_colleague_is_not_shown(portal, project, client_record):
    li_na = client_record.contacts.get(name="李娜")
    other = comms.start_portal_thread(project, li_na, "李娜的问题", "内容")

    assert "李娜的问题" not in portal.get(_list(project)).content.decode()
    assert portal.get(_thread(other)).status_code == 404


def test_a_meeting_is_not_a_thread(portal, project, project_manager, portal_contact):
    from tests.comms.factories import CommRecordFactory

    meeting = CommRecordFactory(
        project=project,
        participant_users=[project_manager],
        participant_contacts=[portal_contact],
    )

    assert portal.get(_thread(meeting)).status_code == 404


def test_the_other_clients_contact_gets_404_and_writes_nothing(
    other_portal, project, thread
):
    assert other_portal.get(_thread(thread)).status_code == 404
    assert other_portal.get(_list(project)).status_code == 404
    response = other_portal.post(_thread(thread), {"body": "我是别人"})

    assert response.status_code == 404
    assert thread.messages.count() == 1
    assert (
        other_portal.post(_new(project), {"subject": "x", "body": "y"}).status_code
        == 404
    )


def test_a_preview_reads_and_refuses_to_write(
    staff_browser, staff, project, portal_contact, thread
):
    from clientfolio.projects.models import Membership

    Membership.objects.create(project=project, user=staff, role="member")
    staff_browser.post(
        reverse("portal:preview_start", kwargs={"contact_pk": portal_contact.pk})
    )

    assert staff_browser.get(_thread(thread)).status_code == 200
    assert staff_browser.post(_thread(thread), {"body": "x"}).status_code == 403
    assert (
        staff_browser.post(_new(project), {"subject": "x", "body": "y"}).status_code
        == 403
    )
    assert thread.messages.count() == 1


def test_a_completed_project_keeps_its_threads_read_only(portal, project, thread):
    Project.objects.filter(pk=project.pk).update(status=Project.Status.COMPLETED)

    page = portal.get(_thread(thread)).content.decode()
    reply = portal.post(_thread(thread), {"body": "还在吗？"})
    new = portal.post(_new(project), {"subject": "新问题", "body": "内容"})

    assert "请问测试环境的账号何时开通？" in page
    assert 'id="reply-form"' not in page
    assert reply.status_code == 403
    assert new.status_code == 403
    assert "This project is completed" in reply.content.decode()
    assert thread.messages.count() == 1
    assert CommRecord.objects.filter(kind="portal").count() == 1


def test_staff_see_the_thread_in_the_projects_communication_records(
    portal, as_persona, project
):
    portal.post(_new(project), {"subject": "验收时间", "body": "能否提前一周？"})
    record = CommRecord.objects.get(kind="portal")

    browser = as_persona("project_manager")
    listing = browser.get(reverse("comms:record_list", kwargs={"pk": project.pk}))
    detail = browser.get(
        reverse(
            "comms:record_detail", kwargs={"pk": project.pk, "record_pk": record.pk}
        )
    )

    assert "验收时间" in listing.content.decode()
    assert "能否提前一周？" in detail.content.decode()


@pytest.mark.parametrize("count", [1, 20])
def test_the_list_costs_the_same_for_1_and_20_threads(
    portal, project, portal_contact, django_assert_num_queries, count
):
    for number in range(count):
        comms.start_portal_thread(project, portal_contact, f"问题{number}", "内容")
    portal.get(_list(project))

    # session, user, contact, project, threads
    with django_assert_num_queries(5):
        response = portal.get(_list(project))

    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 20])
def test_a_thread_costs_the_same_for_1_and_20_messages(
    portal, thread, project_manager, django_assert_num_queries, count
):
    for number in range(count):
        comms.post_message(
            thread,
            user=project_manager,
            body=f"回复{number}",
            files=[upload(f"附件{number}.png", PNG, "image/png")],
        )
    portal.get(_thread(thread))

    # session, user, contact, project, thread, messages, attachments
    with django_assert_num_queries(7):
        response = portal.get(_thread(thread))

    assert response.status_code == 200


# --- feedback with attachments goes into a conversation -------------------------------


def test_feedback_with_attachments_starts_a_conversation_of_the_project(
    portal, project, portal_contact
):
    from clientfolio.clients.models import Feedback

    response = portal.post(
        reverse("portal:feedback_new"),
        {
            "kind": "complaint",
            "subject": "报表导出乱码",
            "detail": "见截图",
            "severity": "medium",
            "project": project.pk,
            "attachment_files": upload("乱码.png", PNG, "image/png"),
        },
    )

    assert response.status_code == 302
    complaint = Feedback.objects.get(subject="报表导出乱码")
    record = CommRecord.objects.get(kind="portal", project=project)
    assert record.subject == "报表导出乱码"
    [message] = record.messages.all()
    assert message.body == "见截图"
    assert message.attachments.get().title.startswith("乱码")
    assert "1 file in the client portal conversation “报表导出乱码”" in complaint.detail


def test_feedback_with_a_refused_file_saves_nothing(portal, project, media_root):
    from clientfolio.clients.models import Feedback

    response = portal.post(
        reverse("portal:feedback_new"),
        {
            "kind": "complaint",
            "subject": "报表导出乱码",
            "severity": "medium",
            "project": project.pk,
            "attachment_files": upload("乱码.png", DISGUISED_EXE, "image/png"),
        },
    )

    assert response.status_code == 400
    assert response.context["form"].errors["attachment_files"]
    assert not Feedback.objects.filter(subject="报表导出乱码").exists()
    assert not CommRecord.objects.filter(kind="portal").exists()
    assert not [p for p in media_root.rglob("*") if p.is_file()]


def test_a_past_project_not_shown_when_closed_has_no_threads(portal, project, thread):
    from clientfolio.portal.models import ProjectSharing

    ProjectSharing.objects.create(project=project, shows_when_closed=False)
    Project.objects.filter(pk=project.pk).update(status=Project.Status.COMPLETED)

    assert portal.get(_thread(thread)).status_code == 404
    assert portal.get(_list(project)).status_code == 404
