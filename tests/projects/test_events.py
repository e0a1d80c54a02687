"""What change control tells people: a change request awaits its deciders' decision, and
the requester hears the decision, and the managers hear the client's (``core.events``)."""

import pytest
from django.utils import timezone

from clientfolio.core.models import Event
from clientfolio.projects import change_control
from clientfolio.projects.models import ChangeRequest, Membership
from tests.core.factories import UserFactory

pytestmark = pytest.mark.django_db


def _submit(project, user, **fields):
    return change_control.create_change_request(
        ChangeRequest(project=project, title="增加报表模块", **fields), user=user
    )


def test_a_submitted_change_request_tells_the_project_managers(
    project, project_manager, member
):
    deputy = UserFactory(username="deputy")
    Membership.objects.create(project=project, user=deputy, role="manager")

    change_request = _submit(project, member)

    [told] = Event.objects.filter(kind="change_request.submitted")
    assert (told.target_type, told.target_id, told.project_id) == (
        "projects.changerequest",
        change_request.pk,
        project.pk,
    )
    assert told.actor_id == member.pk
    assert told.recipient_ids == sorted([project_manager.pk, deputy.pk])
    assert told.data == {"title": "CR-001 增加报表模块"}


@pytest.mark.parametrize("decision", ["approved", "rejected"])
def test_the_requester_and_the_managers_hear_the_clients_decision(
    project, project_manager, member, viewer, client_record, decision
):
    # given a change the viewer asked for, recorded by the member, awaiting the client
    change_request = _submit(project, member, requested_by_user=viewer)
    change_control.transition(change_request, "evaluating", project_manager)
    change_control.transition(change_request, "awaiting_client", project_manager)
    assert not Event.objects.filter(kind="change_request.decided").exists()

    # when the client's decision is recorded
    change_control.transition(
        change_request,
        decision,
        project_manager,
        decided_by=client_record.contacts.first(),
        decided_on=timezone.localdate(),
    )

    [told] = Event.objects.filter(kind="change_request.decided")
    assert told.target_id == change_request.pk
    assert told.recipient_ids == sorted([viewer.pk, project_manager.pk])
    assert told.actor_id == project_manager.pk
    assert told.data == {"title": "CR-001 增加报表模块", "decision": decision}


def test_a_change_a_contact_asked_for_tells_who_recorded_it(
    project, project_manager, member, client_record
):
    contact = client_record.contacts.first()
    change_request = _submit(project, member, requested_by_contact=contact)

    change_control.transition(change_request, "rejected", project_manager, "超出预算")

    [told] = Event.objects.filter(kind="change_request.decided")
    assert told.recipient_ids == [member.pk]
    assert told.data["decision"] == "rejected"
