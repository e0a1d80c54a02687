"""What comms tells people: an action item's new owner, minutes awaiting a staff member's
confirmation, a dispute for the minutes' author (``core.events``); and the minutes'
e-mail, which leaves from a job so a failing mail server fails nothing."""

import socket

import pytest
from django.core import mail
from django.urls import reverse

from clientfolio.comms import services
from clientfolio.comms.models import ActionItem, CommRecord
from clientfolio.core.models import Event
from tests.comms.factories import CommRecordFactory

pytestmark = pytest.mark.django_db

BASE = "https://cf.example.com/"


def _events(kind):
    return list(Event.objects.filter(kind=kind).order_by("pk"))


# --- action items ------------------------------------------------------------------------


def test_an_action_item_owner_is_told_when_given_the_item(
    project, project_manager, member
):
    # given a record saved with a new item for the member
    record = services.create_record(
        CommRecordFactory.build(project=project, subject="周例会"),
        user=project_manager,
        items=[services.ItemChange(ActionItem(text="提交原型", owner=member))],
    )
    item = record.action_items.get()

    # when the item is edited (same owner), then handed to the manager
    item.text = "提交高保真原型"
    services.save_action_item(item, item.version, actor=project_manager)
    item.owner = project_manager
    services.save_action_item(item, item.version, actor=member)

    told = _events("action_item.assigned")
    assert [(e.recipient_ids, e.actor_id) for e in told] == [
        ([member.pk], project_manager.pk),
        ([project_manager.pk], member.pk),
    ]
    first = told[0]
    assert (first.target_type, first.target_id, first.project_id) == (
        "comms.actionitem",
        item.pk,
        project.pk,
    )
    assert first.data == {"title": "提交原型", "record": "周例会"}


def test_an_owner_changed_with_the_record_form_is_told(
    meeting, member, project_manager
):
    item = services.save_action_item(
        ActionItem(record=meeting, text="整理需求清单"), actor=project_manager
    )
    assert _events("action_item.assigned") == []  # nobody owns it yet

    item.owner = member
    services.update_record(
        meeting,
        meeting.version,
        items=[services.ItemChange(item, item.version)],
        user=project_manager,
    )

    [told] = _events("action_item.assigned")
    assert told.recipient_ids == [member.pk]
    assert told.actor_id == project_manager.pk


# --- minutes -----------------------------------------------------------------------------


def test_staff_who_must_confirm_are_told_the_minutes_were_sent(
    meeting, project_manager, member
):
    # when the member sends the minutes
    services.send_minutes_for_confirmation(meeting, BASE, sender=member)

    # then both staff participants are told (the contact gets the e-mail)
    [told] = _events("minutes.sent")
    assert (told.target_type, told.target_id) == ("comms.commrecord", meeting.pk)
    assert told.recipient_ids == sorted([project_manager.pk, member.pk])
    assert told.actor_id == member.pk
    assert told.project_id == meeting.project_id
    assert told.data == {"title": "一期启动会"}

    # and once the manager confirmed, a resend tells only the member
    services.respond(meeting.participants.get(user=project_manager), "confirmed")
    services.send_minutes_for_confirmation(meeting, BASE, sender=member)
    assert _events("minutes.sent")[-1].recipient_ids == [member.pk]


def test_minutes_with_only_contacts_tell_nobody(project, zhang_wei):
    record = CommRecordFactory(project=project, participant_contacts=[zhang_wei])
    services.send_minutes_for_confirmation(record, BASE)
    assert _events("minutes.sent") == []


def test_a_dispute_tells_the_minutes_author(meeting, project_manager, zhang_wei):
    contact = meeting.participants.get(contact=zhang_wei)

    services.respond(contact, "confirmed")
    services.respond(contact, "disputed", "上线日期应为 7 月 15 日")

    [told] = _events("minutes.disputed")
    assert (told.target_type, told.target_id) == ("comms.commrecord", meeting.pk)
    assert told.recipient_ids == [project_manager.pk]
    assert told.actor_id is None  # a client contact, not a user
    assert told.data == {
        "title": "一期启动会",
        "participant": "张伟",
        "excerpt": "上线日期应为 7 月 15 日",
    }


def test_a_staff_dispute_names_its_actor_and_without_an_author_tells_the_manager(
    project, project_manager, member
):
    record = CommRecordFactory(project=project, participant_users=[member])
    services.respond(record.participants.get(), "disputed", "决议不完整")
    [told] = _events("minutes.disputed")
    assert told.actor_id == member.pk
    assert told.recipient_ids == [project_manager.pk]


# --- the minutes' e-mail leaves from a job -------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_minutes_mail_leaves_only_after_the_commit(
    meeting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.send_minutes_for_confirmation(meeting, BASE)
        assert mail.outbox == []  # not while the row is locked
    assert len(mail.outbox) == 1


def test_a_failing_mail_server_fails_neither_the_request_nor_the_sending(
    meeting, as_persona, settings, django_capture_on_commit_callbacks, caplog
):
    # given a real SMTP connection to a port nobody listens on: refused
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = _free_port()
    settings.EMAIL_TIMEOUT = 2
    settings.EMAIL_RETRIES = 2
    url = reverse(
        "comms:record_send", kwargs={"pk": meeting.project_id, "record_pk": meeting.pk}
    )

    # when the member sends the minutes (the mail jobs run after the commit, and fail)
    with django_capture_on_commit_callbacks(execute=True):
        response = as_persona("member").post(url)

    # then the page answers as usual and the minutes are sent
    assert response.status_code == 302
    record = CommRecord.objects.get(pk=meeting.pk)
    assert record.minutes_sent_at is not None
    assert record.sent_digest == services.content_digest(record)
    assert mail.outbox == []
    assert _events("minutes.sent")
    # and the mail job did try the server, twice, and gave up
    assert any(
        "failed for good after 2 attempts" in r.getMessage()
        and "zhang.wei" in r.getMessage()
        for r in caplog.records
    )
