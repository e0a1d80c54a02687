"""Minutes in the portal: 张伟 reads the minutes of a meeting he took part in, confirms or
disputes them, and marks his own action items done."""

import pytest
from django.urls import reverse

from clientfolio.comms import services as comms
from clientfolio.comms.models import ActionItem, Participant
from clientfolio.portal.models import ProjectSharing
from clientfolio.projects.models import Project
from tests.comms.factories import CommRecordFactory
from tests.projects.factories import ProjectFactory


@pytest.fixture(autouse=True)
def _no_event_handlers(settings):
    settings.CLIENTFOLIO_EVENT_HANDLERS = []


def sent_meeting(project, manager, contact, subject="一期启动会", **kwargs):
    """A meeting with ``contact`` taking part, its minutes sent for confirmation."""
    record = CommRecordFactory(
        project=project,
        subject=subject,
        minutes="## 纪要\n- 确认**一期范围**：审批与报表",
        decisions="一期上线日期定为 6 月 30 日",
        created_by=manager,
        participant_users=[manager],
        participant_contacts=[contact],
        **kwargs,
    )
    comms.send_minutes_for_confirmation(record, "http://testserver", sender=manager)
    record.refresh_from_db()
    return record


@pytest.fixture
def meeting(project, project_manager, portal_contact):
    return sent_meeting(project, project_manager, portal_contact)


def _url(meeting):
    return reverse(
        "portal:minutes", kwargs={"pk": meeting.project_id, "record_pk": meeting.pk}
    )


def _mine(meeting, contact):
    return Participant.objects.get(record=meeting, contact=contact)


def test_the_contact_reads_the_minutes_decisions_and_action_items(
    portal, meeting, member
):
    comms.save_action_item(ActionItem(record=meeting, text="提交原型", owner=member))

    response = portal.get(_url(meeting))

    body = response.content.decode()
    assert response.status_code == 200
    assert "一期启动会" in body
    assert "<strong>一期范围</strong>" in body
    assert "一期上线日期定为 6 月 30 日" in body
    assert "提交原型" in body
    assert 'value="confirmed"' in body
    assert 'value="disputed"' in body


def test_confirming_records_the_answer_as_the_client_users(
    portal, portal_user, portal_contact, meeting
):
    response = portal.post(_url(meeting), {"state": "confirmed", "comment": ""})

    assert response.status_code == 302
    mine = _mine(meeting, portal_contact)
    assert mine.state == "confirmed"
    assert mine.responded_at is not None
    # the history says the client did it
    assert mine.history.first().history_user == portal_user
    page = portal.get(_url(meeting)).content.decode()
    assert "you confirmed the minutes" in page
    assert "You can change your answer." in page


def test_a_dispute_needs_a_comment_and_saves_nothing_without(
    portal, portal_contact, meeting
):
    response = portal.post(_url(meeting), {"state": "disputed", "comment": "  "})

    assert response.status_code == 400
    assert "Say what is wrong in the minutes" in response.content.decode()
    assert _mine(meeting, portal_contact).state == "pending"


def test_a_dispute_with_a_comment_is_recorded_and_tells_the_author(
    portal, portal_contact, meeting, settings
):
    response = portal.post(
        _url(meeting), {"state": "disputed", "comment": "上线日期应为 7 月 15 日"}
    )

    assert response.status_code == 302
    mine = _mine(meeting, portal_contact)
    assert (mine.state, mine.comment) == ("disputed", "上线日期应为 7 月 15 日")
    from clientfolio.core.models import Event

    assert Event.objects.filter(kind="minutes.disputed", target_id=meeting.pk).exists()


def test_an_answer_can_be_changed(portal, portal_contact, meeting):
    portal.post(_url(meeting), {"state": "disputed", "comment": "日期不对"})

    portal.post(_url(meeting), {"state": "confirmed", "comment": ""})

    assert _mine(meeting, portal_contact).state == "confirmed"


@pytest.mark.parametrize("state", ["", "maybe", "pending"])
def test_a_bad_state_is_a_clear_message(portal, portal_contact, meeting, state):
    response = portal.post(_url(meeting), {"state": state, "comment": "x"})

    assert response.status_code == 400
    assert "Choose to confirm or to dispute." in response.content.decode()
    assert _mine(meeting, portal_contact).state == "pending"


def test_the_emailed_link_keeps_working(meeting, portal_contact, client):
    token = comms.confirmation_token(_mine(meeting, portal_contact))

    response = client.post(
        reverse("comms:confirm", args=[token]), {"state": "confirmed"}
    )

    assert response.status_code == 302
    assert _mine(meeting, portal_contact).state == "confirmed"


def test_minutes_not_sent_yet_do_not_exist(
    portal, project, project_manager, portal_contact
):
    record = CommRecordFactory(
        project=project,
        subject="内部草稿",
        participant_users=[project_manager],
        participant_contacts=[portal_contact],
    )

    assert portal.get(_url(record)).status_code == 404
    assert (
        "内部草稿"
        not in portal.get(
            reverse("portal:minutes_list", kwargs={"pk": project.pk})
        ).content.decode()
    )


def test_a_meeting_the_contact_was_not_in_does_not_exist(
    portal, project, project_manager, client_record
):
    other = client_record.contacts.get(name="李娜")
    record = sent_meeting(project, project_manager, other, subject="李娜的会")

    response = portal.get(_url(record))

    assert response.status_code == 404
    assert "李娜的会" not in response.content.decode()


def test_the_other_clients_contact_gets_404_and_changes_nothing(
    other_portal, portal_contact, meeting
):
    response = other_portal.post(_url(meeting), {"state": "confirmed"})

    assert response.status_code == 404
    assert _mine(meeting, portal_contact).state == "pending"


def test_minutes_switched_off_are_not_shown(portal, project, meeting):
    ProjectSharing.objects.create(project=project, shows_minutes=False)

    assert portal.get(_url(meeting)).status_code == 404
    list_url = reverse("portal:minutes_list", kwargs={"pk": project.pk})
    assert portal.get(list_url).status_code == 404
    page = portal.get(reverse("portal:project", kwargs={"pk": project.pk}))
    assert 'id="meetings"' not in page.content.decode()


def test_a_preview_shows_the_minutes_and_refuses_an_answer(
    staff_browser, staff, portal_contact, meeting, project
):
    from clientfolio.projects.models import Membership

    Membership.objects.create(project=project, user=staff, role="member")
    staff_browser.post(
        reverse("portal:preview_start", kwargs={"contact_pk": portal_contact.pk})
    )

    assert staff_browser.get(_url(meeting)).status_code == 200
    response = staff_browser.post(_url(meeting), {"state": "confirmed"})

    assert response.status_code == 403
    assert _mine(meeting, portal_contact).state == "pending"


def test_a_completed_project_shows_its_minutes_read_only(
    portal, project, portal_contact, meeting
):
    Project.objects.filter(pk=project.pk).update(status=Project.Status.COMPLETED)

    page = portal.get(_url(meeting)).content.decode()
    response = portal.post(_url(meeting), {"state": "confirmed"})

    assert 'value="confirmed"' not in page
    assert "completed: read-only" in page
    assert response.status_code == 403
    assert "This project is completed" in response.content.decode()
    assert _mine(meeting, portal_contact).state == "pending"


def test_the_meetings_page_lists_meetings_with_the_contacts_answer(
    portal, project, project_manager, portal_contact, meeting
):
    second = sent_meeting(project, project_manager, portal_contact, subject="周例会")
    comms.respond(_mine(second, portal_contact), "confirmed")

    response = portal.get(reverse("portal:minutes_list", kwargs={"pk": project.pk}))

    body = response.content.decode()
    assert response.status_code == 200
    assert body.index("周例会") < body.index("一期启动会")  # newest first
    assert f'data-meeting="{second.pk}" data-state="confirmed"' in body
    assert f'data-meeting="{meeting.pk}" data-state="pending"' in body


def test_the_project_page_has_a_meetings_card(portal, project, meeting):
    response = portal.get(reverse("portal:project", kwargs={"pk": project.pk}))

    body = response.content.decode()
    assert 'id="meetings"' in body
    assert "一期启动会" in body


# --- query counts ---------------------------------------------------------------------


def _meetings(project, manager, contact, count):
    for number in range(count):
        sent_meeting(project, manager, contact, subject=f"例会{number}")


@pytest.mark.parametrize("count", [1, 20])
def test_the_meetings_page_costs_the_same_for_1_and_20(
    portal, project, project_manager, portal_contact, django_assert_num_queries, count
):
    _meetings(project, project_manager, portal_contact, count)
    url = reverse("portal:minutes_list", kwargs={"pk": project.pk})
    portal.get(url)

    # session, user, contact, project, meetings
    with django_assert_num_queries(5):
        response = portal.get(url)

    assert response.status_code == 200


@pytest.mark.parametrize("items", [1, 20])
def test_the_minutes_page_costs_the_same_for_1_and_20_items(
    portal, meeting, member, django_assert_num_queries, items
):
    for number in range(items):
        comms.save_action_item(
            ActionItem(record=meeting, text=f"事项{number}", owner=member)
        )
    portal.get(_url(meeting))

    # session, user, contact, project, record, participants, attachments, items
    with django_assert_num_queries(8):
        response = portal.get(_url(meeting))

    assert response.status_code == 200


# --- action items of the client's side ---------------------------------------------


@pytest.fixture
def my_item(meeting, portal_contact):
    return comms.save_action_item(
        ActionItem(record=meeting, text="提供测试账号", owner_contact=portal_contact)
    )


def _done_url(item):
    return reverse(
        "portal:action_item_done",
        kwargs={"pk": item.record.project_id, "item_pk": item.pk},
    )


def test_the_contact_marks_their_action_item_done(
    portal, portal_user, portal_contact, meeting, my_item
):
    page = portal.get(_url(meeting)).content.decode()
    assert _done_url(my_item) in page

    response = portal.post(
        _done_url(my_item), {"version": my_item.version, "next": _url(meeting)}
    )

    assert response.status_code == 302
    assert response["Location"] == _url(meeting)
    my_item.refresh_from_db()
    assert my_item.status == "done"
    assert my_item.status_set_by_contact == portal_contact
    assert my_item.history.first().history_user == portal_user


def test_the_action_items_are_in_waiting_for_you_with_mark_done(portal, my_item):
    body = portal.get(reverse("portal:home")).content.decode()

    assert "提供测试账号" in body
    assert _done_url(my_item) in body


def test_a_stale_version_is_refused_with_a_message(portal, my_item):
    response = portal.post(_done_url(my_item), {"version": my_item.version - 1})

    assert response.status_code == 302
    my_item.refresh_from_db()
    assert my_item.status == "open"
    page = portal.get(response["Location"]).content.decode()
    assert "Nothing was saved" in page


def test_someone_elses_action_item_cannot_be_marked_done(portal, meeting, member):
    item = comms.save_action_item(ActionItem(record=meeting, text="内部", owner=member))

    response = portal.post(_done_url(item), {"version": item.version})

    assert response.status_code == 404
    item.refresh_from_db()
    assert item.status == "open"


def test_the_other_client_cannot_mark_it_done(other_portal, my_item):
    response = other_portal.post(_done_url(my_item), {"version": my_item.version})

    assert response.status_code == 404
    my_item.refresh_from_db()
    assert my_item.status == "open"


def test_an_offsite_next_is_ignored(portal, meeting, my_item):
    response = portal.post(
        _done_url(my_item), {"version": my_item.version, "next": "https://evil.test/"}
    )

    assert response["Location"] == _url(meeting)


def test_marking_done_on_a_completed_project_is_refused(portal, project, my_item):
    Project.objects.filter(pk=project.pk).update(status=Project.Status.COMPLETED)

    response = portal.post(_done_url(my_item), {"version": my_item.version})

    assert response.status_code == 403
    my_item.refresh_from_db()
    assert my_item.status == "open"


def test_a_project_of_another_client_is_404(portal, project_manager):
    other = ProjectFactory(name="别家的项目")

    response = portal.get(reverse("portal:minutes_list", kwargs={"pk": other.pk}))

    assert response.status_code == 404


def test_minutes_switched_off_leave_nothing_waiting(portal, project, meeting, my_item):
    ProjectSharing.objects.create(project=project, shows_minutes=False)

    body = portal.get(reverse("portal:home")).content.decode()

    assert "一期启动会" not in body
    assert "提供测试账号" not in body


def test_a_past_project_not_shown_when_closed_has_no_minutes(portal, project, meeting):
    ProjectSharing.objects.create(project=project, shows_when_closed=False)
    Project.objects.filter(pk=project.pk).update(status=Project.Status.COMPLETED)

    assert portal.get(_url(meeting)).status_code == 404
    list_url = reverse("portal:minutes_list", kwargs={"pk": project.pk})
    assert portal.get(list_url).status_code == 404


def test_the_project_history_marks_what_the_client_did(
    portal, as_persona, meeting, my_item
):
    portal.post(_done_url(my_item), {"version": my_item.version})

    page = as_persona("project_manager").get(
        reverse(
            "comms:record_detail",
            kwargs={"pk": meeting.project_id, "record_pk": meeting.pk},
        )
    )

    history = page.content.decode().split('id="history"')[1]
    assert "提供测试账号" in history
    assert "via the portal" in history
