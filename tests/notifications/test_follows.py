"""Who follows a record without asking (its owner, assignees, requester), why, and how
the button and the handler agree on it."""

from clientfolio.notifications import services
from clientfolio.notifications.follows import (
    ASSIGNEE,
    OWNER,
    REASONS,
    REQUESTER,
    FollowState,
    follow_state,
    natural_followers,
)
from clientfolio.notifications.handlers import followers_of
from clientfolio.schedule.models import Assignment
from tests.projects.factories import ChangeRequestFactory


def test_a_tasks_owner_and_assignees_follow_it_naturally(task, member, viewer):
    Assignment.objects.create(task=task, user=member)
    Assignment.objects.create(task=task, user=viewer)

    # the owner who is also assigned follows it as its owner
    assert natural_followers(task) == {member.pk: OWNER, viewer.pk: ASSIGNEE}


def test_a_change_requests_requester_follows_it(project, member):
    change = ChangeRequestFactory(project=project, title="增加导出", user=member)

    assert natural_followers(change) == {member.pk: REQUESTER}
    assert follow_state(member, change) == FollowState(explicit=False, reason=REQUESTER)


def test_the_handler_tells_who_the_button_says_follows(task, member, viewer, staff):
    Assignment.objects.create(task=task, user=viewer)
    services.follow(staff, task)

    assert followers_of(task) == {member.pk, viewer.pk, staff.pk}
    assert follow_state(member, task).reason == OWNER
    assert follow_state(viewer, task).reason == ASSIGNEE
    assert follow_state(staff, task) == FollowState(explicit=True)
    assert all(follow_state(u, task).following for u in (member, viewer, staff))


def test_a_stranger_follows_nothing(task, project_manager):
    # the manager hears of a task's life only by following it (or being its owner)
    state = follow_state(project_manager, task)

    assert state == FollowState(explicit=False)
    assert not state.following
    assert state.label == state.explanation == ""


def test_every_reason_has_a_label_and_an_explanation():
    for label, explanation in REASONS.values():
        assert str(label).startswith("Following (")
        assert "nothing to unfollow" in str(explanation)
