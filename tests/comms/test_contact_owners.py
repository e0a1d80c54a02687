"""Action items on the client's side (issue 12): a client contact who took part in the
communication may own an action item (never together with a staff owner), the manager
picks them in the record form, lists mark them as the client's, and the contact marks
their item done through the service the portal calls, recorded in the history."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from clientfolio.comms import services
from clientfolio.comms.models import ActionItem
from clientfolio.core.locking import StaleVersion
from tests.clients.factories import ContactFactory
from tests.comms.factories import ActionItemFactory, CommRecordFactory


@pytest.fixture(autouse=True)
def _english_messages():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def li_na(client_record):
    """李娜, the client's other contact, who did not take part in the meeting."""
    return client_record.contacts.exclude(name="张伟").get()


@pytest.fixture
def client_item(meeting, zhang_wei):
    """张伟 (who took part) owns 提供测试账号, due 2026-10-20."""
    return ActionItemFactory(
        record=meeting,
        owner_contact=zhang_wei,
        text="提供测试账号",
        due_on=datetime.date(2026, 10, 20),
    )


# --- the owner rule ------------------------------------------------------------------------


def test_a_client_contact_who_took_part_owns_an_action_item(client_item, zhang_wei):
    client_item.refresh_from_db()
    assert client_item.owner_contact == zhang_wei
    assert client_item.owner is None
    assert client_item.owned_by_client
    assert client_item.owner_name == "张伟"


def test_a_contact_who_did_not_take_part_is_refused(meeting, li_na):
    with pytest.raises(services.CommsError, match="took part") as refused:
        ActionItemFactory(record=meeting, owner_contact=li_na, text="补充材料")
    assert refused.value.field == "owner"
    assert "李娜" not in refused.value.message  # an id the caller may not see
    assert not ActionItem.objects.exists()


def test_a_contact_of_another_client_is_refused(meeting):
    stranger = ContactFactory(name="赵六")
    with pytest.raises(services.CommsError, match="took part"):
        ActionItemFactory(record=meeting, owner_contact=stranger)
    assert not ActionItem.objects.exists()


def test_an_item_has_one_owner_not_two(meeting, member, zhang_wei):
    with pytest.raises(services.CommsError, match="not both") as refused:
        ActionItemFactory(record=meeting, owner=member, owner_contact=zhang_wei)
    assert refused.value.field == "owner"
    assert not ActionItem.objects.exists()


def test_the_database_refuses_two_owners_too(client_item, member):
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionItem.objects.filter(pk=client_item.pk).update(owner=member)


def test_a_contact_who_owns_an_item_stays_among_the_participants(
    meeting, client_item, project_manager
):
    with pytest.raises(services.CommsError, match="owns action items") as refused:
        services.set_participants(meeting, [project_manager], [])
    assert refused.value.field == "participant_contacts"
    assert meeting.participants.filter(contact__name="张伟").exists()


def test_an_edit_may_reassign_the_item_and_remove_the_contact_at_once(
    meeting, client_item, project_manager, member
):
    # when the item goes to a team member in the same edit that removes 张伟
    client_item.owner_contact = None
    client_item.owner = member
    services.update_record(
        meeting,
        meeting.version,
        participant_users=[project_manager, member],
        participant_contacts=[],
        items=[services.ItemChange(client_item, client_item.version)],
    )

    # then both are saved
    client_item.refresh_from_db()
    assert client_item.owner == member
    assert not meeting.participants.filter(contact__isnull=False).exists()


def test_a_new_record_may_name_its_new_contact_participant_as_owner(
    project, member, zhang_wei
):
    record = services.create_record(
        CommRecordFactory.build(project=project, subject="电话沟通"),
        user=member,
        participant_users=[member],
        participant_contacts=[zhang_wei],
        items=[
            services.ItemChange(ActionItem(text="确认接口", owner_contact=zhang_wei))
        ],
    )
    assert record.action_items.get().owner_contact == zhang_wei


# --- the contact's list and status --------------------------------------------------------


def test_for_contact_lists_the_open_items_the_contact_owns(
    meeting, client_item, zhang_wei, member, django_assert_num_queries
):
    # given a done item of 张伟's, an item of the team and one without a due date
    done = ActionItemFactory(record=meeting, owner_contact=zhang_wei, text="已完成")
    services.set_action_item_status(done, "done", done.version)
    ActionItemFactory(record=meeting, owner=member, text="团队的事")
    later = ActionItemFactory(record=meeting, owner_contact=zhang_wei, text="无期限")

    # when the portal lists 张伟's items, then one query gives items with their projects
    with django_assert_num_queries(1):
        items = list(ActionItem.objects.for_contact(zhang_wei))
        shown = [
            (
                i.text,
                i.record.subject,
                i.record.project.code,
                i.record.project.client.name,
            )
            for i in items
        ]
    assert [i.pk for i in items] == [client_item.pk, later.pk]
    assert shown[0] == (
        "提供测试账号",
        "一期启动会",
        meeting.project.code,
        "上海云帆信息科技有限公司",
    )


def test_the_contact_marks_their_item_done_and_the_history_says_so(
    client_item, zhang_wei
):
    # when 张伟 marks the item done through the portal's service
    services.set_action_item_status(
        client_item, "done", client_item.version, contact=zhang_wei
    )

    # then it is done, by the client, and the history keeps who did it
    client_item.refresh_from_db()
    assert client_item.status == "done"
    assert client_item.status_set_by_contact == zhang_wei
    latest = ActionItem.history.filter(id=client_item.pk).latest("history_date")
    assert (latest.status, latest.status_set_by_contact_id) == ("done", zhang_wei.pk)
    assert not ActionItem.objects.for_contact(zhang_wei).exists()


def test_a_change_by_staff_clears_the_client_mark(client_item, zhang_wei):
    services.set_action_item_status(
        client_item, "done", client_item.version, contact=zhang_wei
    )
    services.set_action_item_status(client_item, "open", client_item.version)
    client_item.refresh_from_db()
    assert client_item.status_set_by_contact is None


def test_a_contact_cannot_change_an_item_they_do_not_own(client_item, li_na):
    with pytest.raises(services.CommsError, match="Only the owner"):
        services.set_action_item_status(
            client_item, "done", client_item.version, contact=li_na
        )
    client_item.refresh_from_db()
    assert client_item.status == "open"


def test_a_contact_cannot_cancel_an_item(client_item, zhang_wei):
    with pytest.raises(services.CommsError, match="Only the project team can cancel"):
        services.set_action_item_status(
            client_item, "cancelled", client_item.version, contact=zhang_wei
        )
    client_item.refresh_from_db()
    assert client_item.status == "open"


def test_a_stale_status_change_by_the_contact_is_refused(client_item, zhang_wei):
    stale = client_item.version
    services.set_action_item_status(client_item, "in_progress", client_item.version)
    with pytest.raises(StaleVersion):
        services.set_action_item_status(
            ActionItem.objects.get(pk=client_item.pk), "done", stale, contact=zhang_wei
        )
    assert ActionItem.objects.get(pk=client_item.pk).status == "in_progress"


# --- pages ----------------------------------------------------------------------------------


def _edit_url(record):
    return reverse(
        "comms:record_edit", kwargs={"pk": record.project_id, "record_pk": record.pk}
    )


def _detail_url(record):
    return reverse(
        "comms:record_detail", kwargs={"pk": record.project_id, "record_pk": record.pk}
    )


def test_the_owner_select_offers_the_team_and_the_clients_contacts(meeting, as_persona):
    body = as_persona("project_manager").get(_edit_url(meeting)).content.decode()
    assert '<optgroup label="Team">' in body
    assert '<optgroup label="Client contacts who take part">' in body
    zhang_wei = meeting.participants.get(contact__isnull=False).contact
    assert f'value="contact-{zhang_wei.pk}"' in body


def _item_data(meeting, **item):
    return {
        "kind": "meeting",
        "subject": meeting.subject,
        "occurred_at": "2026-03-12T14:30",
        "version": str(meeting.version),
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-0-text": "提供测试账号",
        "items-0-status": "open",
        **{f"items-0-{key}": value for key, value in item.items()},
    }


def test_the_manager_gives_an_item_to_a_client_contact_who_took_part(
    meeting, zhang_wei, project_manager, member, as_persona
):
    data = _item_data(meeting, owner=f"contact-{zhang_wei.pk}")
    data["participant_users"] = [str(project_manager.pk), str(member.pk)]
    data["participant_contacts"] = [str(zhang_wei.pk)]
    response = as_persona("project_manager").post(_edit_url(meeting), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    item = meeting.action_items.get()
    assert (item.owner, item.owner_contact) == (None, zhang_wei)


def test_a_contact_who_did_not_take_part_is_refused_in_the_form(
    meeting, li_na, project_manager, zhang_wei, as_persona
):
    data = _item_data(meeting, owner=f"contact-{li_na.pk}")
    data["participant_users"] = [str(project_manager.pk)]
    data["participant_contacts"] = [str(zhang_wei.pk)]
    response = as_persona("project_manager").post(_edit_url(meeting), data)
    assert response.status_code == 400
    assert "took part in this communication" in response.content.decode()
    assert not ActionItem.objects.exists()


def test_a_forged_owner_value_is_refused_in_the_form(
    meeting, project_manager, as_persona
):
    other_contact = ContactFactory(name="赵六")
    data = _item_data(meeting, owner=f"contact-{other_contact.pk}")
    data["participant_users"] = [str(project_manager.pk)]
    response = as_persona("project_manager").post(_edit_url(meeting), data)
    assert response.status_code == 400
    assert not ActionItem.objects.exists()


def test_the_record_page_shows_the_contact_with_a_client_badge(
    meeting, client_item, zhang_wei, as_persona
):
    services.set_action_item_status(
        client_item, "done", client_item.version, contact=zhang_wei
    )
    body = as_persona("viewer").get(_detail_url(meeting)).content.decode()
    row = body.split(f'id="action-item-{client_item.pk}"')[1].split("</tr>")[0]
    assert "张伟" in row
    assert ">Client</span>" in row
    assert "Set by the client" in row


def test_the_record_page_query_count_does_not_grow_with_client_owned_items(
    meeting, zhang_wei, member, as_persona, django_assert_num_queries
):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    browser = as_persona("project_manager")
    ActionItemFactory(record=meeting, owner_contact=zhang_wei)
    ActionItemFactory(record=meeting, owner=member)
    with CaptureQueriesContext(connection) as few:
        assert browser.get(_detail_url(meeting)).status_code == 200
    for _ in range(8):
        item = ActionItemFactory(record=meeting, owner_contact=zhang_wei)
        services.set_action_item_status(item, "done", item.version, contact=zhang_wei)
        ActionItemFactory(record=meeting, owner=member)
    cache.clear()  # uncached, like the first request (core.caching)
    with django_assert_num_queries(len(few)):
        assert browser.get(_detail_url(meeting)).status_code == 200


def test_my_action_items_of_staff_leave_out_the_clients(
    meeting, client_item, member, as_persona
):
    ActionItemFactory(record=meeting, owner=member, text="团队的事")
    body = as_persona("member").get(reverse("comms:my_action_items")).content.decode()
    assert "团队的事" in body
    assert "提供测试账号" not in body


# --- API ------------------------------------------------------------------------------------


def test_the_api_gives_an_item_to_a_contact_and_reads_it_back(
    meeting, zhang_wei, api_as
):
    api = api_as("project_manager")
    response = api.post(
        "/api/v1/action-items/",
        {"record": meeting.pk, "text": "提供测试账号", "owner_contact": zhang_wei.pk},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["owner"], body["owner_contact"], body["owner_name"]) == (
        None,
        zhang_wei.pk,
        "张伟",
    )
    listed = api.get(f"/api/v1/action-items/?owner_contact={zhang_wei.pk}").json()
    assert [row["id"] for row in listed["results"]] == [body["id"]]


def test_the_api_refuses_two_owners_with_a_field_error(
    meeting, zhang_wei, member, api_as
):
    response = api_as("project_manager").post(
        "/api/v1/action-items/",
        {
            "record": meeting.pk,
            "text": "两个负责人",
            "owner": member.pk,
            "owner_contact": zhang_wei.pk,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "not both" in response.json()["owner"][0]
    assert not ActionItem.objects.exists()
