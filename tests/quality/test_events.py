"""What quality tells people: the client accepted or rejected a deliverable (or a
milestone), for its owner and the project manager (``core.events``)."""

import pytest
from django.utils import timezone

from clientfolio.core.models import Event
from clientfolio.quality import services

pytestmark = pytest.mark.django_db


def _decide(project, user, **kwargs):
    return services.record_acceptance(
        project,
        decided_on=timezone.localdate(),
        user=user,
        **kwargs,
    )


@pytest.mark.parametrize(
    ("decision", "kind", "comments"),
    [
        ("accepted", "deliverable.accepted", ""),
        ("rejected", "deliverable.rejected", "缺少网络拓扑图"),
    ],
)
def test_the_clients_decision_tells_the_owner_and_the_manager(
    project, deliverable, contact, member, project_manager, decision, kind, comments
):
    _decide(
        project,
        project_manager,
        deliverable=deliverable,
        decision=decision,
        contact=contact,
        comments=comments,
    )

    [told] = Event.objects.filter(kind=kind)
    assert (told.target_type, told.target_id, told.project_id) == (
        "quality.deliverable",
        deliverable.pk,
        project.pk,
    )
    assert told.recipient_ids == sorted([member.pk, project_manager.pk])
    assert told.actor_id == project_manager.pk
    assert told.data == {
        "title": "架构设计说明书",
        "contact": "张伟",
        "decided_on": timezone.localdate().isoformat(),
    }
    assert not Event.objects.filter(kind__startswith="deliverable.").exclude(pk=told.pk)


def test_a_milestone_accepted_directly_is_the_target(
    project, milestone, contact, project_manager
):
    _decide(
        project,
        project_manager,
        milestone=milestone,
        decision="accepted",
        contact=contact,
    )

    [told] = Event.objects.filter(kind="deliverable.accepted")
    assert (told.target_type, told.target_id) == ("schedule.task", milestone.pk)
    assert told.recipient_ids == [project_manager.pk]  # the milestone has no owner
    assert told.data["title"] == "1 设计评审通过"


def test_a_refused_decision_tells_nobody(project, deliverable, project_manager):
    with pytest.raises(services.QualityError):
        _decide(
            project,
            project_manager,
            deliverable=deliverable,
            decision="accepted",
            contact=None,
        )
    assert not Event.objects.filter(kind__startswith="deliverable.").exists()
