"""Pages of communication records: timelines, detail, forms, confirmation and the query
counts that must not grow with the number of rows."""

import datetime
import re
from email.mime.text import MIMEText

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clientfolio.comms import services
from clientfolio.comms.models import ActionItem, CommRecord, Participant
from tests.clients.factories import ClientFactory, ContactFactory
from tests.comms.factories import ActionItemFactory, CommRecordFactory
from tests.projects.factories import MembershipFactory, ProjectFactory


def _queries(browser, url) -> int:
    # Uncached, so that one request and the next compare alike (core.caching keeps
    # the user's project roles and the folder's counts between requests).
    cache.clear()
    with CaptureQueriesContext(connection) as context:
        response = browser.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(context.captured_queries)


def _records(project, count, people, contact):
    for n in range(count):
        record = CommRecordFactory(
            project=project,
            subject=f"周会{n}",
            occurred_at=timezone.now() - datetime.timedelta(days=n),
            participant_users=people,
            participant_contacts=[contact],
        )
        ActionItemFactory(record=record, owner=people[0])


# --- the project timeline ----------------------------------------------------------------


def test_the_timeline_lists_records_by_day(meeting, as_persona, project):
    # when a viewer opens the project's communication tab
    response = as_persona("viewer").get(
        reverse("comms:record_list", kwargs={"pk": project.pk})
    )

    # then the meeting is there with its participants and confirmation state
    body = response.content.decode()
    assert response.status_code == 200
    assert "一期启动会" in body
    assert "张伟" in body
    assert timezone.localtime(meeting.occurred_at).date().isoformat() in body
    assert "Pending" in body
    # a viewer may not add records
    assert reverse("comms:record_create", kwargs={"pk": project.pk}) not in body


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("q=一期范围", True),  # a Chinese substring of the minutes
        ("q=上线日期", True),  # of the decisions
        ("q=ERP", False),
        ("kind=meeting", True),
        ("kind=call", False),
        ("participant=contact-{zhang}", True),
        ("participant=user-{viewer}", False),
        ("date_from=2000-01-01&date_to=2100-01-01", True),
        ("date_to=2000-01-01", False),
    ],
)
def test_the_timeline_filters(
    meeting, project, viewer, zhang_wei, as_persona, query, found
):
    # given the kick-off meeting and a call about something else
    CommRecordFactory(
        project=project, kind="call", subject="报价电话", minutes="讨论价格"
    )
    url = reverse("comms:record_list", kwargs={"pk": project.pk})
    query = query.format(zhang=zhang_wei.pk, viewer=viewer.pk)

    # when the timeline is filtered
    body = as_persona("member").get(f"{url}?{query}").content.decode()

    # then the meeting is shown or not
    assert ("一期启动会" in body) is found


def test_htmx_gets_only_the_timeline(meeting, project, as_persona):
    url = reverse("comms:record_list", kwargs={"pk": project.pk})
    response = as_persona("member").get(url + "?q=启动", headers={"hx-request": "true"})
    body = response.content.decode()
    assert "一期启动会" in body
    assert "<html" not in body
    assert "HX-Request" in response["Vary"]


def test_the_timeline_runs_a_constant_number_of_queries(
    project, project_manager, member, zhang_wei, as_persona
):
    # given one record, then twenty, each with participants and an action item
    browser = as_persona("member")
    url = reverse("comms:record_list", kwargs={"pk": project.pk})
    _records(project, 1, [project_manager, member], zhang_wei)
    one = _queries(browser, url)
    _records(project, 19, [project_manager, member], zhang_wei)

    # then the page needs as many queries for twenty as for one
    assert _queries(browser, url) == one
    assert one <= 14


def test_an_empty_timeline_invites_the_first_record(project, as_persona):
    body = (
        as_persona("member")
        .get(reverse("comms:record_list", kwargs={"pk": project.pk}))
        .content.decode()
    )
    assert "No communication recorded yet" in body
    assert reverse("comms:record_create", kwargs={"pk": project.pk}) in body


# --- the record ---------------------------------------------------------------------------


def test_the_record_page_shows_minutes_participants_and_items(
    meeting, member, as_persona
):
    # given an action item and an unsafe line in the minutes
    ActionItemFactory(
        record=meeting, owner=member, text="提交原型", due_on=datetime.date(2020, 1, 1)
    )
    meeting.minutes += "\n<script>alert(1)</script>"
    services.update_record(meeting, meeting.version)
    url = reverse(
        "comms:record_detail",
        kwargs={"pk": meeting.project_id, "record_pk": meeting.pk},
    )

    # when the manager opens it
    body = as_persona("project_manager").get(url).content.decode()

    # then the minutes are rendered Markdown without the script
    assert "<strong>一期范围</strong>" in body
    assert "<script>alert" not in body
    # and each participant with their state, the overall state, the overdue item
    assert body.count('data-participant="') == 3
    assert 'id="overall-state"' in body
    assert "提交原型" in body
    assert "cf-overdue" in body
    assert "Send for confirmation" in body
    assert "Your confirmation" in body  # the manager takes part


def test_the_record_page_runs_a_constant_number_of_queries(
    meeting, project, as_persona
):
    browser = as_persona("project_manager")
    url = reverse(
        "comms:record_detail", kwargs={"pk": project.pk, "record_pk": meeting.pk}
    )
    team = [MembershipFactory(project=project).user for _ in range(3)]
    ActionItemFactory(record=meeting, owner=team[0])
    one = _queries(browser, url)

    # when there are many more participants and action items
    contacts = [ContactFactory(client=project.client) for _ in range(10)]
    services.set_participants(meeting, team, contacts)
    for n in range(19):
        ActionItemFactory(record=meeting, owner=team[n % 3])

    # then the page needs no more queries
    assert _queries(browser, url) == one


def test_a_record_of_another_project_is_not_found(meeting, as_persona):
    other = ProjectFactory()
    url = reverse(
        "comms:record_detail", kwargs={"pk": other.pk, "record_pk": meeting.pk}
    )
    assert as_persona("admin").get(url).status_code == 404


# --- create and edit ----------------------------------------------------------------------


def _form_data(project, **overrides):
    data = {
        "kind": "meeting",
        "subject": "需求评审会",
        "occurred_at": "2026-03-12T14:30",
        "duration_minutes": "90",
        "location": "腾讯会议",
        "agenda": "评审一期需求",
        "minutes": "- 通过 12 项需求",
        "decisions": "进入开发",
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "items-0-text": "整理需求文档",
        "items-0-due_on": "2026-03-20",
        "items-0-status": "open",
        "items-1-status": "open",
    }
    data.update(overrides)
    return data


def test_a_member_logs_a_meeting_with_participants_and_action_items(
    project, member, zhang_wei, as_persona
):
    # when the member saves the form
    data = _form_data(project, **{"items-0-owner": str(member.pk)})
    data["participant_users"] = [str(member.pk)]
    data["participant_contacts"] = [str(zhang_wei.pk)]
    response = as_persona("member").post(
        reverse("comms:record_create", kwargs={"pk": project.pk}), data
    )

    # then the record exists with its participants and one action item
    assert response.status_code == 302, response.content.decode()[:2000]
    record = CommRecord.objects.get()
    assert record.created_by == member
    assert record.duration_minutes == 90
    assert (
        timezone.localtime(record.occurred_at).strftime("%Y-%m-%d %H:%M")
        == "2026-03-12 14:30"
    )
    assert sorted(str(p) for p in record.participants.all()) == sorted(
        [str(member), "张伟"]
    )
    item = record.action_items.get()
    assert (item.text, item.owner, item.due_on) == (
        "整理需求文档",
        member,
        datetime.date(2026, 3, 20),
    )
    assert response["Location"] == reverse(
        "comms:record_detail", kwargs={"pk": project.pk, "record_pk": record.pk}
    )


def test_a_contact_of_another_client_is_refused_with_a_message(project, as_persona):
    # given a contact of a different client
    stranger = ContactFactory(client=ClientFactory(name="北京星河贸易"), name="赵六")
    data = _form_data(project)
    data["participant_contacts"] = [str(stranger.pk)]

    # when it is posted as a participant
    response = as_persona("member").post(
        reverse("comms:record_create", kwargs={"pk": project.pk}), data
    )

    # then the form says so, keeps the input and nothing is saved
    body = response.content.decode()
    assert response.status_code == 400
    assert "赵六 is not a contact of 上海云帆信息科技有限公司" in body
    assert "需求评审会" in body
    assert not CommRecord.objects.exists()
    assert not ActionItem.objects.exists()


def test_a_stale_edit_is_answered_with_409(meeting, as_persona):
    url = reverse(
        "comms:record_edit", kwargs={"pk": meeting.project_id, "record_pk": meeting.pk}
    )
    browser = as_persona("member")
    assert browser.get(url).status_code == 200
    old_version = meeting.version
    meeting.subject = "别人改了标题"
    services.update_record(meeting, meeting.version)

    data = _form_data(meeting.project, subject="我的标题", version=str(old_version))
    response = browser.post(url, data)

    assert response.status_code == 409
    assert "别人改了标题" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.subject == "别人改了标题"


def test_editing_keeps_participants_answers_and_removes_items(
    meeting, project_manager, member, zhang_wei, as_persona
):
    item = ActionItemFactory(record=meeting, owner=member, text="旧事项")
    services.respond(meeting.participants.get(user=project_manager), "confirmed")
    url = reverse(
        "comms:record_edit", kwargs={"pk": meeting.project_id, "record_pk": meeting.pk}
    )
    data = _form_data(
        meeting.project,
        subject="一期启动会",
        version=str(meeting.version),
        **{
            "items-TOTAL_FORMS": "3",
            "items-INITIAL_FORMS": "1",
            "items-0-id": str(item.pk),
            "items-0-record": str(meeting.pk),
            "items-0-text": "旧事项",
            "items-0-status": "open",
            "items-0-version": str(item.version),
            "items-0-DELETE": "on",
            "items-1-text": "",
            "items-2-status": "open",
        },
    )
    data["participant_users"] = [str(project_manager.pk)]
    data["participant_contacts"] = [str(zhang_wei.pk)]

    response = as_persona("member").post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert not ActionItem.objects.exists()
    assert meeting.participants.count() == 2
    assert meeting.participants.get(user=project_manager).state == "confirmed"


# --- sending, answering, action items -------------------------------------------------------


def test_sending_for_confirmation_mails_everyone(
    meeting, as_persona, django_capture_on_commit_callbacks
):
    url = reverse(
        "comms:record_send", kwargs={"pk": meeting.project_id, "record_pk": meeting.pk}
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = as_persona("member").post(url, follow=True)
    assert response.status_code == 200
    [message] = mail.outbox  # the contact's; the staff answer in the app
    assert "zhang.wei@yunfan.cn" in message.to[0]
    assert "sent to 3 participants" in response.content.decode()
    link = re.search(r"http://testserver(/confirm/[^/\s]+/)", message.body)
    assert link


def test_a_staff_participant_confirms_in_the_app(meeting, project_manager, as_persona):
    url = reverse(
        "comms:record_respond",
        kwargs={"pk": meeting.project_id, "record_pk": meeting.pk},
    )
    browser = as_persona("project_manager")

    # a dispute without a comment is refused and changes nothing
    response = browser.post(url, {"state": "disputed", "comment": ""})
    assert response.status_code == 400
    assert "Say what is wrong" in response.content.decode()
    assert meeting.participants.get(user=project_manager).state == "pending"

    # a confirmation is recorded
    assert browser.post(url, {"state": "confirmed"}).status_code == 302
    assert meeting.participants.get(user=project_manager).state == "confirmed"


def test_someone_who_did_not_take_part_cannot_answer(meeting, as_persona):
    url = reverse(
        "comms:record_respond",
        kwargs={"pk": meeting.project_id, "record_pk": meeting.pk},
    )
    assert as_persona("viewer").post(url, {"state": "confirmed"}).status_code == 403


def test_an_action_item_status_changes_inline(meeting, member, as_persona):
    item = ActionItemFactory(record=meeting, owner=member)
    url = reverse(
        "comms:action_item_status",
        kwargs={"pk": meeting.project_id, "item_pk": item.pk},
    )
    browser = as_persona("member")

    # when htmx posts a new status, then the row comes back with it
    response = browser.post(
        url, {"status": "done", "version": item.version}, headers={"hx-request": "true"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.strip().startswith("<tr")
    assert 'value="done" selected' in body
    item.refresh_from_db()
    assert item.status == "done"

    # when a stale version is posted, then nothing changes and the row says why
    response = browser.post(
        url, {"status": "open", "version": 1}, headers={"hx-request": "true"}
    )
    assert "Someone else changed this action item" in response.content.decode()
    item.refresh_from_db()
    assert item.status == "done"


def test_a_viewer_cannot_change_an_action_item(meeting, member, as_persona):
    item = ActionItemFactory(record=meeting, owner=member)
    url = reverse(
        "comms:action_item_status",
        kwargs={"pk": meeting.project_id, "item_pk": item.pk},
    )
    assert (
        as_persona("viewer").post(url, {"status": "done", "version": 1}).status_code
        == 403
    )
    item.refresh_from_db()
    assert item.status == "open"


def test_the_manager_deletes_a_record(meeting, as_persona):
    url = reverse(
        "comms:record_delete",
        kwargs={"pk": meeting.project_id, "record_pk": meeting.pk},
    )
    assert as_persona("member").post(url).status_code == 403
    assert as_persona("project_manager").post(url).status_code == 302
    assert not CommRecord.objects.exists()


# --- .eml upload --------------------------------------------------------------------------


def test_an_eml_upload_creates_an_email_record(project, as_persona):
    message = MIMEText("请查收需求清单。", "plain", "gbk")
    message["Subject"] = "需求清单"
    message["From"] = "zhang.wei@yunfan.cn"
    message["To"] = "member@example.com"
    upload = SimpleUploadedFile("需求.eml", message.as_bytes(), "message/rfc822")

    response = as_persona("member").post(
        reverse("comms:record_import", kwargs={"pk": project.pk}), {"file": upload}
    )

    assert response.status_code == 302
    record = CommRecord.objects.get()
    assert (record.kind, record.subject) == ("email", "需求清单")
    assert record.participants.count() == 2


def test_an_upload_that_is_not_an_email_is_refused(project, as_persona):
    upload = SimpleUploadedFile("notes.eml", "只是一些笔记".encode(), "text/plain")
    response = as_persona("member").post(
        reverse("comms:record_import", kwargs={"pk": project.pk}), {"file": upload}
    )
    assert response.status_code == 400
    assert "not an e-mail message" in response.content.decode()
    assert not CommRecord.objects.exists()


# --- the public confirmation page ---------------------------------------------------------


def test_the_public_page_needs_no_login_and_a_dispute_needs_a_comment(
    meeting, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.send_minutes_for_confirmation(meeting, "http://testserver/")
    message = next(m for m in mail.outbox if "zhang.wei" in m.to[0])
    link = re.search(r"http://testserver(/confirm/[^/\s]+/)", message.body).group(1)

    page = client.get(link)
    assert page.status_code == 200
    assert "<strong>一期范围</strong>" in page.content.decode()

    response = client.post(link, {"state": "disputed", "comment": ""})
    assert response.status_code == 400
    assert meeting.participants.get(contact__name="张伟").state == "pending"

    response = client.post(
        link, {"state": "disputed", "comment": "上线日期不对"}, follow=True
    )
    assert response.status_code == 200
    answer = meeting.participants.get(contact__name="张伟")
    assert (answer.state, answer.comment) == ("disputed", "上线日期不对")
    # the answer may be changed
    client.post(link, {"state": "confirmed"})
    assert meeting.participants.get(contact__name="张伟").state == "confirmed"


# --- across projects ----------------------------------------------------------------------


def test_the_client_timeline_lists_only_projects_the_user_sees(
    meeting, client_record, as_persona
):
    # given another project of the same client that the member is not on
    hidden = ProjectFactory(client=client_record, name="保密项目")
    CommRecordFactory(project=hidden, subject="保密会议")
    url = reverse("comms:client_timeline", kwargs={"pk": client_record.pk})

    body = as_persona("member").get(url).content.decode()
    assert "一期启动会" in body
    assert "保密会议" not in body
    body = as_persona("admin").get(url).content.decode()
    assert "一期启动会" in body
    assert "保密会议" in body


def test_the_client_timeline_runs_a_constant_number_of_queries(
    project, project_manager, member, zhang_wei, client_record, as_persona
):
    browser = as_persona("member")
    url = reverse("comms:client_timeline", kwargs={"pk": client_record.pk})
    _records(project, 1, [project_manager, member], zhang_wei)
    one = _queries(browser, url)
    _records(project, 19, [project_manager, member], zhang_wei)
    assert _queries(browser, url) == one


def test_my_action_items_lists_open_items_across_projects(meeting, member, as_persona):
    # given open items of the member in two projects, one overdue, and a done one
    other = ProjectFactory(name="二期项目")
    MembershipFactory(project=other, user=member)
    ActionItemFactory(
        record=meeting, owner=member, text="逾期事项", due_on=datetime.date(2020, 1, 1)
    )
    ActionItemFactory(
        record=CommRecordFactory(project=other), owner=member, text="二期事项"
    )
    ActionItemFactory(record=meeting, owner=member, text="完成事项", status="done")

    body = as_persona("member").get(reverse("comms:my_action_items")).content.decode()

    assert "逾期事项" in body
    assert "二期事项" in body
    assert "完成事项" not in body
    assert "cf-overdue" in body
    assert "1 overdue" in body
    assert "My action items" in body


def test_my_action_items_runs_a_constant_number_of_queries(meeting, member, as_persona):
    browser = as_persona("member")
    url = reverse("comms:my_action_items")
    ActionItemFactory(record=meeting, owner=member)
    one = _queries(browser, url)
    for _ in range(19):
        other = ProjectFactory()
        MembershipFactory(project=other, user=member)
        ActionItemFactory(record=CommRecordFactory(project=other), owner=member)
    assert _queries(browser, url) == one


def test_the_project_overview_shows_the_latest_records_and_open_action_items(
    meeting, member, as_persona, project
):
    # given a meeting with one open and one finished action item
    ActionItemFactory(record=meeting, text="提交原型", owner=member)
    ActionItemFactory(
        record=meeting, text="已经做完的事", status=ActionItem.Status.DONE
    )
    # when the team opens the project's overview (comms registers its panel there)
    response = as_persona("member").get(
        reverse("projects:project_detail", args=[project.pk])
    )
    # then the record and the open item are listed, the finished one is not
    assert response.status_code == 200
    assert [r.subject for r in response.context["latest_records"]] == ["一期启动会"]
    assert [a.text for a in response.context["open_action_items"]] == ["提交原型"]
    assert response.context["open_action_item_count"] == 1
    body = response.content.decode()
    assert "一期启动会" in body
    assert "已经做完的事" not in body


def test_the_project_overview_names_a_client_contact_who_owns_an_action_item(
    meeting, as_persona, project
):
    # given an open action item that a contact of the client took on
    contact = ContactFactory(client=project.client, name="王敏")
    Participant.objects.create(record=meeting, contact=contact)
    ActionItemFactory(
        record=meeting, text="提供测试账号", owner=None, owner_contact=contact
    )
    # when the team opens the project's overview
    response = as_persona("member").get(
        reverse("projects:project_detail", args=[project.pk])
    )
    # then the item names her, marked as the client's
    assert response.status_code == 200
    row = re.search(
        r"<tr[^>]*><td>提供测试账号</td><td>(.*?)</td>", response.content.decode(), re.S
    )
    assert row is not None
    assert "王敏" in row.group(1)
    assert "Client" in row.group(1)
