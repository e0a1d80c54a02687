"""A client contact's answer to the minutes is the client's word: deleting the record or
the contact, or dropping the contact from the participants, never deletes it."""

import pytest
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import translation

from clientfolio.clients.models import Contact
from clientfolio.comms import services
from clientfolio.comms.models import CommRecord, Participant


@pytest.fixture
def confirmed(meeting, zhang_wei):
    """张伟 confirmed the kick-off's minutes."""
    return services.respond(meeting.participants.get(contact=zhang_wei), "confirmed")


def test_a_record_the_client_confirmed_cannot_be_deleted(meeting, confirmed):
    with pytest.raises(ProtectedError):
        services.delete_record(meeting)
    assert CommRecord.objects.filter(pk=meeting.pk).exists()
    assert Participant.objects.filter(pk=confirmed.pk).exists()


def test_a_record_only_staff_answered_is_deleted(meeting, member):
    services.respond(meeting.participants.get(user=member), "confirmed")

    services.delete_record(meeting)

    assert not CommRecord.objects.filter(pk=meeting.pk).exists()


def test_a_contact_who_answered_cannot_be_deleted_but_one_who_did_not_can(
    meeting, confirmed, zhang_wei, client_record
):
    with pytest.raises(ProtectedError):
        zhang_wei.delete()

    # given 李娜 invited to the meeting but who never answered
    li_na = client_record.contacts.get(name="李娜")
    services.set_participants(
        meeting,
        [p.user for p in meeting.participants.exclude(user=None)],
        [zhang_wei, li_na],
    )
    li_na.delete()
    assert list(
        meeting.participants.exclude(contact=None).values_list(
            "contact__name", flat=True
        )
    ) == ["张伟"]


def test_a_contact_who_answered_stays_among_the_participants(meeting, confirmed):
    staff = [p.user for p in meeting.participants.exclude(user=None)]
    with (
        translation.override("en"),
        pytest.raises(services.CommsError, match="张伟 already answered the minutes"),
    ):
        services.set_participants(meeting, staff, [])
    assert Participant.objects.filter(pk=confirmed.pk).exists()


def test_the_api_answers_409_when_deleting_a_confirmed_record(
    meeting, confirmed, api_as
):
    response = api_as("project_manager").delete(
        reverse("comm-record-detail", kwargs={"pk": meeting.pk})
    )

    assert response.status_code == 409, response.content
    assert response.json() == {
        "detail": "This record cannot be deleted: participants refer to it.",
        "blocked_by": [{"kind": "comms.participant", "name": "participants"}],
    }
    assert CommRecord.objects.filter(pk=meeting.pk).exists()


def test_the_delete_page_says_what_holds_the_record(
    meeting, confirmed, project, as_persona
):
    url = reverse("comms:record_delete", args=[project.pk, meeting.pk])

    response = as_persona("project_manager").post(url, follow=True)

    assert response.status_code == 200
    assert (
        "“一期启动会” cannot be deleted: participants refer to it."
        in response.content.decode()
    )
    assert CommRecord.objects.filter(pk=meeting.pk).exists()
    assert Contact.objects.filter(name="张伟").exists()
