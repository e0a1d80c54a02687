"""The portal API's conversation: 张伟's integration reads his meetings and answers the
minutes, marks his action items done, sends feedback and requests, and talks to the
project team; nothing of another client exists for it."""

from pathlib import Path

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from clientfolio.clients.models import Feedback, Requirement
from clientfolio.comms import services as comms
from clientfolio.comms.models import ActionItem, CommRecord, Participant
from clientfolio.core.tokens import issue_token
from clientfolio.projects.models import Project
from tests.comms.factories import CommRecordFactory
from tests.documents.factories import PNG, upload


@pytest.fixture(autouse=True)
def _no_event_handlers(settings):
    settings.CLIENTFOLIO_EVENT_HANDLERS = []


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def _api(user):
    _token, key = issue_token(user)
    api = APIClient(headers={"accept-language": "en"})
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


@pytest.fixture
def api(portal_user):
    return _api(portal_user)


@pytest.fixture
def other_api(other_contact):
    return _api(other_contact.portal_user)


@pytest.fixture
def meeting(project, project_manager, portal_contact):
    record = CommRecordFactory(
        project=project,
        subject="一期启动会",
        decisions="一期上线日期定为 6 月 30 日",
        created_by=project_manager,
        participant_users=[project_manager],
        participant_contacts=[portal_contact],
    )
    comms.send_minutes_for_confirmation(record, "http://testserver")
    return record


@pytest.fixture
def my_item(meeting, portal_contact):
    return comms.save_action_item(
        ActionItem(record=meeting, text="提供测试账号", owner_contact=portal_contact)
    )


@pytest.fixture
def thread(project, portal_contact):
    return comms.start_portal_thread(
        project, portal_contact, "测试环境账号", "请问测试环境的账号何时开通？"
    )


def _mine(meeting, contact):
    return Participant.objects.get(record=meeting, contact=contact)


# --- meetings ---------------------------------------------------------------------------


def test_meetings_list_the_minutes_with_the_contacts_answer(api, meeting, my_item):
    response = api.get(reverse("portal_api:meeting-list"))

    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["subject"] == "一期启动会"
    assert row["decisions"] == "一期上线日期定为 6 月 30 日"
    assert row["my_state"] == "pending"
    assert [item["text"] for item in row["action_items"]] == ["提供测试账号"]
    assert row["action_items"][0]["is_mine"] is True


def test_respond_confirms_the_minutes(api, meeting, portal_contact, portal_user):
    url = reverse("portal_api:meeting-respond", kwargs={"pk": meeting.pk})

    response = api.post(url, {"state": "confirmed"}, format="json")

    assert response.status_code == 200
    assert response.json()["my_state"] == "confirmed"
    mine = _mine(meeting, portal_contact)
    assert mine.state == "confirmed"
    assert mine.history.first().history_user == portal_user


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"state": "disputed", "comment": ""}, "comment"),
        ({"state": "maybe"}, "state"),
        ({}, "state"),
        ({"state": "disputed", "comment": "长" * 5001}, "comment"),
    ],
)
def test_bad_answers_are_field_errors(api, meeting, portal_contact, body, field):
    url = reverse("portal_api:meeting-respond", kwargs={"pk": meeting.pk})

    response = api.post(url, body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert _mine(meeting, portal_contact).state == "pending"


def test_another_clients_meeting_does_not_exist(other_api, meeting, portal_contact):
    detail = reverse("portal_api:meeting-detail", kwargs={"pk": meeting.pk})
    respond = reverse("portal_api:meeting-respond", kwargs={"pk": meeting.pk})

    assert other_api.get(detail).status_code == 404
    assert other_api.post(respond, {"state": "confirmed"}).status_code == 404
    assert other_api.get(reverse("portal_api:meeting-list")).json()["results"] == []
    assert _mine(meeting, portal_contact).state == "pending"


def test_a_filter_by_another_clients_project_is_refused_as_unknown(api, other_contact):
    other = Project.objects.get(client=other_contact.client)

    response = api.get(reverse("portal_api:meeting-list"), {"project": other.pk})

    assert response.status_code == 400
    assert "project" in response.json()


def test_respond_on_a_completed_project_is_refused(
    api, meeting, project, portal_contact
):
    Project.objects.filter(pk=project.pk).update(status=Project.Status.COMPLETED)
    url = reverse("portal_api:meeting-respond", kwargs={"pk": meeting.pk})

    response = api.post(url, {"state": "confirmed"}, format="json")

    assert response.status_code == 403
    assert "completed" in response.json()["detail"]
    assert _mine(meeting, portal_contact).state == "pending"


def test_staff_get_404(staff_api, meeting):
    assert staff_api.get(reverse("portal_api:meeting-list")).status_code == 404


@pytest.mark.parametrize("count", [1, 10])
def test_the_meetings_list_costs_the_same_for_1_and_10(
    api, project, project_manager, portal_contact, django_assert_num_queries, count
):
    for number in range(count):
        record = CommRecordFactory(
            project=project,
            subject=f"例会{number}",
            participant_users=[project_manager],
            participant_contacts=[portal_contact],
        )
        comms.send_minutes_for_confirmation(record, "http://testserver")
    url = reverse("portal_api:meeting-list")
    api.get(url)

    # token with its user, contact, count, meetings, participants, action items
    with django_assert_num_queries(6):
        assert api.get(url).status_code == 200


# --- action items -------------------------------------------------------------------


def test_action_items_list_the_contacts_own(api, my_item, meeting, member):
    comms.save_action_item(ActionItem(record=meeting, text="内部事项", owner=member))

    rows = api.get(reverse("portal_api:action-item-list")).json()["results"]

    assert [row["text"] for row in rows] == ["提供测试账号"]
    assert rows[0]["meeting_subject"] == "一期启动会"


def test_done_marks_the_item_done(api, my_item, portal_contact):
    url = reverse("portal_api:action-item-done", kwargs={"pk": my_item.pk})

    response = api.post(url, {"version": my_item.version}, format="json")

    assert response.status_code == 200
    assert response.json()["status"] == "done"
    my_item.refresh_from_db()
    assert my_item.status_set_by_contact == portal_contact


def test_done_with_a_stale_version_is_409(api, my_item):
    url = reverse("portal_api:action-item-done", kwargs={"pk": my_item.pk})

    response = api.post(url, {"version": my_item.version - 1}, format="json")

    assert response.status_code == 409
    my_item.refresh_from_db()
    assert my_item.status == "open"


def test_done_with_a_bad_version_is_a_field_error(api, my_item):
    url = reverse("portal_api:action-item-done", kwargs={"pk": my_item.pk})

    response = api.post(url, {"version": "neu"}, format="json")

    assert response.status_code == 400
    assert "version" in response.json()


def test_another_clients_item_does_not_exist(other_api, my_item):
    url = reverse("portal_api:action-item-done", kwargs={"pk": my_item.pk})

    assert other_api.post(url, {}).status_code == 404
    my_item.refresh_from_db()
    assert my_item.status == "open"


# --- feedback and requests ----------------------------------------------------------


def test_feedback_is_sent_and_listed(api, portal_contact, client_record):
    response = api.post(
        reverse("portal_api:feedback-list"),
        {"kind": "complaint", "subject": "测试环境无法访问", "severity": "high"},
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["kind"], body["severity"], body["channel"]) == (
        "complaint",
        "high",
        "portal",
    )
    stored = Feedback.objects.get(pk=body["id"])
    assert (stored.client, stored.contact) == (client_record, portal_contact)
    rows = api.get(reverse("portal_api:feedback-list")).json()["results"]
    assert [row["subject"] for row in rows] == ["测试环境无法访问"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "rant", "subject": "x"}, "kind"),
        ({"kind": "praise", "subject": "  "}, "subject"),
        ({"kind": "praise", "subject": "长" * 201}, "subject"),
        ({"kind": "complaint", "subject": "x", "severity": "doom"}, "severity"),
    ],
)
def test_bad_feedback_is_a_field_error_and_saves_nothing(api, body, field):
    before = Feedback.objects.count()

    response = api.post(reverse("portal_api:feedback-list"), body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert Feedback.objects.count() == before


def test_a_requirement_is_sent_and_listed(api, portal_contact):
    response = api.post(
        reverse("portal_api:requirement-list"),
        {"title": "导出 PDF 报表", "wanted_by": "2026-09-30"},
        format="json",
    )

    assert response.status_code == 201
    assert Requirement.objects.get(pk=response.json()["id"]).submitted_by == (
        portal_contact
    )
    rows = api.get(reverse("portal_api:requirement-list")).json()["results"]
    assert [row["title"] for row in rows] == ["导出 PDF 报表"]


def test_an_absurd_date_is_a_field_error(api):
    response = api.post(
        reverse("portal_api:requirement-list"),
        {"title": "导出", "wanted_by": "9999-01-01"},
        format="json",
    )

    assert response.status_code == 400
    assert "wanted_by" in response.json()
    assert not Requirement.objects.filter(title="导出").exists()


def test_the_other_client_sees_none_of_the_feedback(api, other_api):
    api.post(
        reverse("portal_api:feedback-list"),
        {"kind": "praise", "subject": "原型很好"},
        format="json",
    )

    rows = other_api.get(reverse("portal_api:feedback-list")).json()["results"]

    assert rows == []


# --- threads --------------------------------------------------------------------------


def test_a_thread_is_started_with_a_file_and_read(api, project, portal_contact):
    response = api.post(
        reverse("portal_api:thread-list"),
        {
            "project": project.pk,
            "subject": "测试环境账号",
            "body": "何时开通？",
            "files": [upload("截图.png", PNG, "image/png")],
        },
        format="multipart",
    )

    assert response.status_code == 201
    body = response.json()
    assert body["subject"] == "测试环境账号"
    assert body["message_count"] == 1
    [message] = body["messages"]
    assert message["from_client"] is True
    assert len(message["attachments"]) == 1
    assert CommRecord.objects.get(pk=body["id"]).kind == "portal"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"subject": "", "body": "x"}, "subject"),
        ({"subject": "x", "body": ""}, "body"),
        ({"subject": "x"}, "body"),
        ({"subject": "x", "body": "长" * 10001}, "body"),
    ],
)
def test_bad_threads_are_field_errors(api, project, body, field):
    response = api.post(
        reverse("portal_api:thread-list"),
        {"project": project.pk, **body},
        format="json",
    )

    assert response.status_code == 400
    assert field in response.json()
    assert not CommRecord.objects.filter(kind="portal").exists()


def test_a_thread_in_another_clients_project_is_refused_as_unknown(api, other_contact):
    other = Project.objects.get(client=other_contact.client)

    response = api.post(
        reverse("portal_api:thread-list"),
        {"project": other.pk, "subject": "x", "body": "y"},
        format="json",
    )

    assert response.status_code == 400
    assert "project" in response.json()
    assert not CommRecord.objects.filter(kind="portal").exists()


def test_a_disguised_file_is_a_field_error(api, project, media_root):
    response = api.post(
        reverse("portal_api:thread-list"),
        {
            "project": project.pk,
            "subject": "发票",
            "body": "附件",
            "files": [upload("发票.png", b"MZ\x90\x00" + b"\x00" * 64, "image/png")],
        },
        format="multipart",
    )

    assert response.status_code == 400
    assert "files" in response.json()
    assert not CommRecord.objects.filter(kind="portal").exists()
    assert not [p for p in media_root.rglob("*") if p.is_file()]


def test_reply_and_read_the_thread(api, thread, project_manager):
    comms.post_message(thread, user=project_manager, body="明天开通。")
    url = reverse("portal_api:thread-reply", kwargs={"pk": thread.pk})

    response = api.post(url, {"body": "谢谢！"}, format="json")

    assert response.status_code == 201
    assert response.json()["body"] == "谢谢！"
    detail = api.get(reverse("portal_api:thread-detail", kwargs={"pk": thread.pk}))
    assert [m["body"] for m in detail.json()["messages"]] == [
        "请问测试环境的账号何时开通？",
        "明天开通。",
        "谢谢！",
    ]
    assert [m["from_client"] for m in detail.json()["messages"]] == [True, False, True]


def test_an_empty_reply_is_a_field_error(api, thread):
    url = reverse("portal_api:thread-reply", kwargs={"pk": thread.pk})

    response = api.post(url, {"body": " "}, format="json")

    assert response.status_code == 400
    assert "body" in response.json()
    assert thread.messages.count() == 1


def test_another_clients_thread_does_not_exist(other_api, thread):
    detail = reverse("portal_api:thread-detail", kwargs={"pk": thread.pk})
    reply = reverse("portal_api:thread-reply", kwargs={"pk": thread.pk})

    assert other_api.get(detail).status_code == 404
    assert other_api.post(reply, {"body": "x"}).status_code == 404
    assert thread.messages.count() == 1


def test_a_reply_on_a_completed_project_is_refused(api, thread, project):
    Project.objects.filter(pk=project.pk).update(status=Project.Status.COMPLETED)
    url = reverse("portal_api:thread-reply", kwargs={"pk": thread.pk})

    response = api.post(url, {"body": "还在吗？"}, format="json")

    assert response.status_code == 403
    assert thread.messages.count() == 1


@pytest.mark.parametrize("count", [1, 10])
def test_the_threads_list_costs_the_same_for_1_and_10(
    api, project, portal_contact, django_assert_num_queries, count
):
    for number in range(count):
        comms.start_portal_thread(project, portal_contact, f"问题{number}", "内容")
    url = reverse("portal_api:thread-list")
    api.get(url)

    # token with its user, contact, count, threads, messages, attachments
    with django_assert_num_queries(6):
        assert api.get(url).status_code == 200
