"""The API of communication records and action items: same rules as the pages."""

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clientfolio.comms.models import CommRecord
from tests.clients.factories import ClientFactory, ContactFactory
from tests.comms.factories import ActionItemFactory, CommRecordFactory

RECORDS = reverse("comm-record-list")
ITEMS = reverse("action-item-list")


def _detail(record):
    return reverse("comm-record-detail", kwargs={"pk": record.pk})


def test_a_member_creates_a_record_with_participants(
    project, member, zhang_wei, api_as
):
    # when a member posts a call with participants
    response = api_as("member").post(
        RECORDS,
        {
            "project": project.pk,
            "kind": "call",
            "occurred_at": "2026-03-10T10:00:00+08:00",
            "subject": "电话确认报价",
            "minutes": "价格已确认",
            "participant_users": [member.pk],
            "participant_contacts": [zhang_wei.pk],
        },
        format="json",
    )

    # then it is created with both participants, pending
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["version"] == 1
    assert data["confirmation_state"] == "pending"
    assert data["open_action_count"] == 0
    assert sorted(p["name"] for p in data["participants"]) == sorted(
        [str(member), "张伟"]
    )
    assert CommRecord.objects.get().created_by == member


def test_a_contact_of_another_client_is_a_field_error(project, api_as):
    stranger = ContactFactory(client=ClientFactory(), name="赵六")
    response = api_as("member").post(
        RECORDS,
        {
            "project": project.pk,
            "occurred_at": "2026-03-10T10:00:00+08:00",
            "subject": "会议",
            "participant_contacts": [stranger.pk],
        },
        format="json",
    )
    assert response.status_code == 400
    assert "赵六" in response.json()["participant_contacts"][0]
    assert not CommRecord.objects.exists()


def test_missing_fields_are_field_errors(project, api_as):
    response = api_as("member").post(
        RECORDS, {"project": project.pk, "subject": " "}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) >= {"occurred_at", "subject"}


def test_a_viewer_cannot_create_and_an_outsider_cannot_see(meeting, project, api_as):
    body = {
        "project": project.pk,
        "occurred_at": "2026-03-10T10:00:00+08:00",
        "subject": "越权",
    }
    assert api_as("viewer").post(RECORDS, body, format="json").status_code == 403
    assert api_as("staff").post(RECORDS, body, format="json").status_code == 400
    assert api_as("staff").get(_detail(meeting)).status_code == 404
    assert api_as("staff").get(RECORDS).json()["count"] == 0
    assert CommRecord.objects.count() == 1


def test_an_update_needs_the_current_version(meeting, api_as):
    browser = api_as("member")

    # without a version: 400
    response = browser.patch(_detail(meeting), {"subject": "改"}, format="json")
    assert response.status_code == 400
    assert "version" in response.json()

    # with the current version: 200 and the version moves on
    response = browser.patch(
        _detail(meeting), {"subject": "改名", "version": 1}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["version"] == 2

    # with the old version: 409 and nothing written
    response = browser.patch(
        _detail(meeting), {"subject": "覆盖", "version": 1}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["current_version"] == 2
    meeting.refresh_from_db()
    assert meeting.subject == "改名"


def test_participants_can_be_replaced_by_id_lists(meeting, project_manager, api_as):
    response = api_as("member").patch(
        _detail(meeting),
        {
            "participant_users": [project_manager.pk],
            "participant_contacts": [],
            "version": 1,
        },
        format="json",
    )
    assert response.status_code == 200
    assert [p["name"] for p in response.json()["participants"]] == [
        str(project_manager)
    ]


def test_only_the_manager_deletes(meeting, api_as):
    assert api_as("member").delete(_detail(meeting)).status_code == 403
    assert api_as("project_manager").delete(_detail(meeting)).status_code == 204
    assert not CommRecord.objects.exists()


def test_send_and_respond(meeting, api_as, django_capture_on_commit_callbacks):
    # when the minutes are sent through the API
    url = reverse("comm-record-send", kwargs={"pk": meeting.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as("member").post(url)
    assert response.status_code == 200
    assert len(response.json()["sent"]) == 3
    assert len(mail.outbox) == 1  # the contact; the staff answer in the app

    # and a participant disputes without a comment: 400; with one: recorded
    url = reverse("comm-record-respond", kwargs={"pk": meeting.pk})
    response = api_as("member").post(url, {"state": "disputed"}, format="json")
    assert response.status_code == 400
    assert "comment" in response.json()
    response = api_as("member").post(
        url, {"state": "disputed", "comment": "日期不对"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["confirmation_state"] == "disputed"

    # someone who did not take part cannot answer
    assert api_as("viewer").post(url, {"state": "confirmed"}).status_code == 403


def test_the_list_runs_a_constant_number_of_queries(project, member, zhang_wei, api_as):
    browser = api_as("member")

    def count():
        with CaptureQueriesContext(connection) as context:
            assert browser.get(RECORDS).status_code == 200
        return len(context.captured_queries)

    CommRecordFactory(
        project=project, participant_users=[member], participant_contacts=[zhang_wei]
    )
    one = count()
    for _ in range(19):
        CommRecordFactory(
            project=project,
            participant_users=[member],
            participant_contacts=[zhang_wei],
        )
    assert count() == one


def test_action_items(meeting, member, staff, api_as):
    browser = api_as("member")

    # an owner outside the team is a field error
    response = browser.post(
        ITEMS, {"record": meeting.pk, "text": "外人", "owner": staff.pk}, format="json"
    )
    assert response.status_code == 400
    assert "owner" in response.json()

    # a team member is fine, and updates need the current version
    response = browser.post(
        ITEMS,
        {
            "record": meeting.pk,
            "text": "出原型",
            "owner": member.pk,
            "due_on": "2026-04-01",
        },
        format="json",
    )
    assert response.status_code == 201
    url = reverse("action-item-detail", kwargs={"pk": response.json()["id"]})
    assert (
        browser.patch(url, {"status": "done", "version": 1}, format="json").status_code
        == 200
    )
    assert (
        browser.patch(url, {"status": "open", "version": 1}, format="json").status_code
        == 409
    )

    # a viewer can read but not change
    assert api_as("viewer").get(url).status_code == 200
    assert (
        api_as("viewer")
        .patch(url, {"status": "open", "version": 2}, format="json")
        .status_code
        == 403
    )
    # and the list can be filtered by owner and status
    ActionItemFactory(record=meeting, owner=member, text="另一项")
    data = browser.get(ITEMS + f"?owner={member.pk}&status=open").json()
    assert [row["text"] for row in data["results"]] == ["另一项"]
