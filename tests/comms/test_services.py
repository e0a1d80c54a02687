"""Writes to communication records: participants, action items, confirmation of minutes by
signed links, and records made from .eml files."""

import re
import time
from datetime import UTC, datetime
from email.header import Header
from email.mime.text import MIMEText

import pytest
from django.core import mail, signing
from django.urls import reverse

from clientfolio.clients.models import Contact
from clientfolio.comms import services
from clientfolio.comms.models import ActionItem, CommRecord, Participant, overall_state
from clientfolio.core.locking import StaleVersion
from tests.clients.factories import ClientFactory, ContactFactory
from tests.comms.factories import ActionItemFactory, CommRecordFactory

BASE = "https://cf.example.com/"


def _link(message) -> str:
    match = re.search(r"https://cf\.example\.com(/confirm/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


# --- records and participants --------------------------------------------------------


def test_a_record_keeps_lower_cased_search_text(meeting):
    # given the kick-off meeting, when its subject changes to mixed case
    meeting.subject = "Kick-off 启动会 ERP"
    services.update_record(meeting, meeting.version)

    # then the search text holds every searchable part in lower case
    meeting.refresh_from_db()
    assert "kick-off 启动会 erp" in meeting.search_text
    assert "一期范围" in meeting.search_text
    assert "6 月 30 日" in meeting.search_text
    assert list(CommRecord.objects.search("ERP 一期")) == [meeting]
    assert list(CommRecord.objects.search("二期")) == []


def test_a_contact_of_another_client_is_refused_and_nothing_is_saved(project, member):
    # given a contact of a different client
    stranger = ContactFactory(client=ClientFactory(name="北京星河贸易"), name="赵六")

    # when a record is created with them as a participant
    with pytest.raises(services.CommsError) as raised:
        CommRecordFactory(
            project=project, participant_users=[member], participant_contacts=[stranger]
        )

    # then it is refused with a message naming them, and nothing is saved
    assert raised.value.field == "participant_contacts"
    assert "赵六" in raised.value.message
    assert "上海云帆" in raised.value.message
    assert not CommRecord.objects.exists()
    assert not Participant.objects.exists()


def test_a_staff_user_outside_the_team_is_refused(meeting, staff):
    # when the staff user who is not on the team is added
    with pytest.raises(services.CommsError) as raised:
        services.set_participants(meeting, [staff], [])

    # then it is refused and the participants are unchanged
    assert raised.value.field == "participant_users"
    assert meeting.participants.count() == 3


def test_participants_who_stay_keep_their_answers(meeting, project_manager, zhang_wei):
    # given the manager has confirmed
    mine = meeting.participants.get(user=project_manager)
    services.respond(mine, "confirmed")

    # when the member is removed from the participants
    services.set_participants(meeting, [project_manager], [zhang_wei])

    # then the manager's answer is kept
    assert meeting.participants.count() == 2
    assert meeting.participants.get(user=project_manager).state == "confirmed"


def test_a_stale_record_update_is_refused(meeting):
    # given two editors loaded the same version
    first = CommRecord.objects.get(pk=meeting.pk)
    second = CommRecord.objects.get(pk=meeting.pk)
    first.subject = "改期"
    services.update_record(first, first.version)

    # when the second saves with the old version, then nothing is written
    second.subject = "覆盖"
    with pytest.raises(StaleVersion):
        services.update_record(second, second.version)
    meeting.refresh_from_db()
    assert meeting.subject == "改期"


# --- action items ---------------------------------------------------------------------


def test_an_action_item_owner_must_be_on_the_team(meeting, staff, member):
    # when an outsider is made owner, then it is refused
    with pytest.raises(services.CommsError) as raised:
        ActionItemFactory(record=meeting, owner=staff)
    assert raised.value.field == "owner"
    assert not ActionItem.objects.exists()

    # and a team member is fine
    item = ActionItemFactory(record=meeting, owner=member)
    assert item.pk
    assert item.status == "open"


def test_a_status_change_on_a_stale_action_item_is_refused(meeting, member):
    # given an action item that someone changed
    item = ActionItemFactory(record=meeting, owner=member)
    old_version = item.version
    services.set_action_item_status(item, "in_progress", old_version)

    # when a status is set from the old version, then it is refused
    with pytest.raises(StaleVersion):
        services.set_action_item_status(
            ActionItem.objects.get(pk=item.pk), "done", old_version
        )
    assert ActionItem.objects.get(pk=item.pk).status == "in_progress"


def test_saving_a_record_with_items_is_all_or_nothing(project, member, staff):
    # given a new record with one good and one bad action item
    record = CommRecord(
        project=project, subject="电话沟通", occurred_at="2026-03-10T10:00Z"
    )
    items = [
        services.ItemChange(ActionItem(text="发送报价", owner=member)),
        services.ItemChange(ActionItem(text="外部人员", owner=staff)),
    ]

    # when it is created, then it is refused and nothing is saved
    with pytest.raises(services.CommsError):
        services.create_record(record, user=member, items=items)
    assert not CommRecord.objects.exists()
    assert not ActionItem.objects.exists()


# --- confirmation of minutes ----------------------------------------------------------


@pytest.mark.parametrize(
    ("states", "expected"),
    [
        ([], ""),
        (["pending", "confirmed"], "pending"),
        (["confirmed", "confirmed"], "confirmed"),
        (["confirmed", "disputed", "pending"], "disputed"),
    ],
)
def test_overall_state(states, expected):
    assert overall_state(states) == expected


def test_minutes_are_mailed_with_working_signed_links(
    meeting, client, django_capture_on_commit_callbacks
):
    # when the minutes are sent for confirmation
    with django_capture_on_commit_callbacks(execute=True):
        result = services.send_minutes_for_confirmation(meeting, BASE)

    # then all three are asked: the contact by an e-mail with her own link (the staff
    # by a notification, see test_events)
    assert len(result.sent) == 3
    assert not result.without_email
    assert [m.to[0].split("<")[-1].rstrip(">") for m in mail.outbox] == [
        "zhang.wei@yunfan.cn"
    ]
    message = mail.outbox[0]
    assert "一期启动会" in message.subject
    assert "一期范围" in message.body
    meeting.refresh_from_db()
    assert meeting.minutes_sent_at is not None

    # and the contact's link opens the public page and records a confirmation
    link = _link(message)
    page = client.get(link)
    assert page.status_code == 200
    assert "一期启动会" in page.content.decode()
    response = client.post(link, {"state": "confirmed"})
    assert response.status_code == 302
    answer = meeting.participants.get(contact__name="张伟")
    assert answer.state == "confirmed"
    assert answer.responded_at is not None


def test_overall_state_follows_the_answers(meeting):
    # given the minutes were sent
    services.send_minutes_for_confirmation(meeting, BASE)
    participants = list(meeting.participants.all())

    # when everyone confirms, then the record is confirmed
    for participant in participants:
        services.respond(participant, "confirmed")
    assert CommRecord.objects.for_detail().get().confirmation_state == "confirmed"

    # when one disputes, then the record is disputed
    services.respond(participants[0], "disputed", "日期写错了")
    assert CommRecord.objects.for_detail().get().confirmation_state == "disputed"


def test_a_dispute_needs_a_comment(meeting):
    participant = meeting.participants.first()
    with pytest.raises(services.CommsError) as raised:
        services.respond(participant, "disputed", "  ")
    assert raised.value.field == "comment"
    participant.refresh_from_db()
    assert participant.state == "pending"


def test_a_tampered_link_is_refused_and_nothing_changes(
    meeting, client, django_capture_on_commit_callbacks
):
    # given a valid link with one character changed in its signature
    with django_capture_on_commit_callbacks(execute=True):
        services.send_minutes_for_confirmation(meeting, BASE)
    link = _link(mail.outbox[0])
    tampered = link[:-3] + ("A" if link[-3] != "A" else "B") + link[-2:]

    # when it is used, then it is refused with 400 and nothing changes
    assert client.get(tampered).status_code == 400
    response = client.post(tampered, {"state": "confirmed"})
    assert response.status_code == 400
    assert "damaged" in response.content.decode()
    assert not meeting.participants.exclude(state="pending").exists()
    with pytest.raises(services.LinkError):
        services.read_token("not-a-token")


def test_an_expired_link_is_refused_and_nothing_changes(meeting, client, monkeypatch):
    # given a link issued 31 days ago
    participant = meeting.participants.get(contact__name="张伟")
    issued = time.time() - 31 * 24 * 3600
    monkeypatch.setattr(signing.time, "time", lambda: issued)
    token = services.confirmation_token(participant)
    monkeypatch.undo()

    # when it is used, then it is refused (410) and nothing changes
    response = client.post(
        reverse("comms:confirm", kwargs={"token": token}), {"state": "confirmed"}
    )
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    participant.refresh_from_db()
    assert participant.state == "pending"


def test_changed_minutes_invalidate_old_links_and_a_resend_resets_answers(
    meeting, client, django_capture_on_commit_callbacks
):
    # given the minutes were sent and the contact confirmed
    with django_capture_on_commit_callbacks(execute=True):
        services.send_minutes_for_confirmation(meeting, BASE)
    old_link = _link(next(m for m in mail.outbox if "zhang.wei" in m.to[0]))
    client.post(old_link, {"state": "confirmed"})

    # when the minutes change, then the old link is refused
    meeting.minutes += "\n- 补充：增加报表模块"
    services.update_record(meeting, meeting.version)
    assert (
        client.post(old_link, {"state": "disputed", "comment": "x"}).status_code == 410
    )

    # and sending again resets the answers and mails everyone
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = services.send_minutes_for_confirmation(meeting, BASE)
    assert result.reset
    assert len(result.sent) == 3
    assert not meeting.participants.exclude(state="pending").exists()


def test_a_resend_of_unchanged_minutes_skips_those_who_confirmed(
    meeting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.send_minutes_for_confirmation(meeting, BASE)
    services.respond(meeting.participants.get(contact__name="张伟"), "confirmed")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        result = services.send_minutes_for_confirmation(meeting, BASE)

    assert not result.reset
    assert len(result.sent) == 2
    assert all("zhang.wei" not in m.to[0] for m in mail.outbox)


def test_participants_without_an_address_are_reported(
    meeting, zhang_wei, django_capture_on_commit_callbacks
):
    Contact.objects.filter(pk=zhang_wei.pk).update(email="")
    with django_capture_on_commit_callbacks(execute=True):
        result = services.send_minutes_for_confirmation(meeting, BASE)
    assert [str(p) for p in result.without_email] == ["张伟"]
    assert len(result.sent) == 2  # the staff, in the app
    assert mail.outbox == []


def test_minutes_without_participants_cannot_be_sent(project):
    record = CommRecordFactory(project=project)
    with pytest.raises(services.CommsError):
        services.send_minutes_for_confirmation(record, BASE)
    record.refresh_from_db()
    assert record.minutes_sent_at is None


def test_an_eml_file_becomes_an_email_record_with_matched_participants(
    project, project_manager
):
    # given a GB2312 e-mail from the client's 张伟 to the project manager
    message = MIMEText("王经理：\n\n附件是一期需求清单，请确认。", "plain", "gb2312")
    message["Subject"] = Header("一期需求清单", "gb2312")
    message["From"] = f"{Header('张伟', 'gb2312').encode()} <Zhang.Wei@yunfan.cn>"
    message["To"] = "pm@example.com, outsider@elsewhere.cn"
    message["Date"] = "Tue, 10 Mar 2026 09:30:00 +0800"

    # when it is imported
    record = services.create_record_from_eml(
        project, message.as_bytes(), user=project_manager
    )

    # then it is an e-mail record with subject, date, body and both people taking part
    assert record.kind == "email"
    assert record.subject == "一期需求清单"
    record.refresh_from_db()
    assert record.occurred_at == datetime(2026, 3, 10, 1, 30, tzinfo=UTC)
    assert "一期需求清单，请确认" in record.minutes
    assert record.email_from == "张伟 <Zhang.Wei@yunfan.cn>"  # decoded, as shown
    assert record.email_to == "pm@example.com, outsider@elsewhere.cn"
    names = sorted(str(p) for p in record.participants.all())
    assert names == sorted([str(project_manager), "张伟"])
    assert "一期需求清单" in record.search_text


def test_a_file_that_is_not_an_email_is_refused_and_nothing_is_saved(
    project, project_manager
):
    with pytest.raises(services.CommsError) as raised:
        services.create_record_from_eml(
            project, "会议记录\n第二行".encode(), user=project_manager
        )
    assert raised.value.field == "file"
    assert "not an e-mail" in raised.value.message
    assert not CommRecord.objects.exists()


def test_deleting_a_record_deletes_its_items(meeting, member):
    ActionItemFactory(record=meeting, owner=member)
    services.delete_record(meeting)
    assert not CommRecord.objects.exists()
    assert not ActionItem.objects.exists()
    assert not Participant.objects.exists()


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def test_records_stored_with_encoded_names_are_decoded_by_the_migration(project):
    import importlib

    from django.apps import apps as django_apps

    migration = importlib.import_module(
        "clientfolio.comms.migrations.0009_decode_stored_email_headers"
    )
    record = CommRecordFactory(
        project=project,
        kind="email",
        subject="=?utf-8?b?5LiA5pyf6ZyA5rGC?=",
        email_from="=?utf-8?b?5byg5Lyf?= <zw@yunfan.cn>",
        email_to="pm@example.com, =?gb2312?b?wO7EyA==?= <li.na@yunfan.cn>",
    )
    plain = CommRecordFactory(project=project, subject="周会 =? 待定")

    migration.decode_headers(django_apps, None)

    record.refresh_from_db()
    assert (record.subject, record.email_from, record.email_to) == (
        "一期需求",
        "张伟 <zw@yunfan.cn>",
        "pm@example.com, 李娜 <li.na@yunfan.cn>",
    )
    plain.refresh_from_db()
    assert plain.subject == "周会 =? 待定"
