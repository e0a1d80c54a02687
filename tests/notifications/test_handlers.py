"""Who hears of an event: its recipients and followers, never the actor, and only those who
may see the record when it is told; once, however often it is delivered."""

from decimal import Decimal

import pytest

from clientfolio.core.events import Kind
from clientfolio.core.models import Event
from clientfolio.notifications.handlers import handle_event
from clientfolio.notifications.models import (
    EmailMode,
    Follow,
    Notification,
    Preference,
)
from clientfolio.projects.models import Membership
from clientfolio.schedule.models import Assignment
from tests.core.factories import UserFactory
from tests.finance.factories import ExpenseFactory


def readers(event_kind=None):
    rows = Notification.objects.all()
    if event_kind:
        rows = rows.filter(kind=event_kind)
    return sorted(rows.values_list("user__username", flat=True))


def test_it_tells_the_assignee_in_the_app_and_by_email(
    publish, task, project_manager, member, mailoutbox
):
    # when the manager assigns the member
    publish(Kind.TASK_ASSIGNED, task, actor=project_manager, recipients=[member])

    # then the member (only) has an unread notification and one e-mail
    notification = Notification.objects.get()
    assert notification.user == member
    assert notification.read_at is None
    assert notification.in_app
    assert notification.email == EmailMode.IMMEDIATE
    assert notification.emailed_at is not None
    [message] = mailoutbox
    assert message.to[0].endswith(f"<{member.email}>")


def test_nobody_hears_of_their_own_action(publish, task, project_manager, mailoutbox):
    publish(
        Kind.TASK_ASSIGNED, task, actor=project_manager, recipients=[project_manager]
    )

    assert Notification.objects.count() == 0
    assert mailoutbox == []


def test_followers_hear_of_comments_and_the_commenter_follows(
    publish, task, project_manager, member, viewer
):
    # given the viewer follows the task the member owns, and the manager is assigned
    Follow.objects.create(
        user=viewer,
        target_type="schedule.task",
        target_id=task.pk,
        project=task.project,
    )
    Assignment.objects.create(task=task, user=project_manager, hours=Decimal("8"))
    commenter = UserFactory(username="commenter")
    Membership.objects.create(project=task.project, user=commenter, role="member")

    # when someone else comments on it
    publish(
        Kind.COMMENT_ADDED,
        task,
        actor=commenter,
        data={"title": str(task), "comment_id": 1, "excerpt": "看一下"},
    )

    # then the owner, the assignee and the follower hear of it; the commenter follows
    assert readers() == ["member", "pm", "viewer"]
    assert Follow.objects.filter(user=commenter, target_id=task.pk).exists()


def test_followers_do_not_hear_of_an_assignment(publish, task, project_manager, viewer):
    Follow.objects.create(
        user=viewer,
        target_type="schedule.task",
        target_id=task.pk,
        project=task.project,
    )
    someone = UserFactory(username="assignee")
    Membership.objects.create(project=task.project, user=someone, role="member")

    publish(Kind.TASK_ASSIGNED, task, actor=project_manager, recipients=[someone])

    assert readers() == ["assignee"]


def test_someone_removed_from_the_project_is_not_told(
    publish, task, project_manager, member, viewer, mailoutbox
):
    # given the viewer left the project after the event was published, before delivery
    Membership.objects.filter(user=viewer).delete()

    # when the event reaches them
    publish(
        Kind.TASK_ASSIGNED, task, actor=project_manager, recipients=[member, viewer]
    )

    # then only the member is told
    assert readers() == ["member"]
    assert len(mailoutbox) == 1


def test_a_finance_event_skips_whoever_has_no_finance_rights(
    publish, project, project_manager, member, viewer, accountant, mailoutbox
):
    # given a member's expense, told to everyone on the team
    expense = ExpenseFactory(
        project=project, submitted_by=member, amount=Decimal("860")
    )

    publish(
        Kind.EXPENSE_SUBMITTED,
        expense,
        actor=member,
        recipients=[project_manager, viewer, accountant, member],
    )

    # then the viewer (no money rights) and the submitter (the actor) hear nothing
    assert readers() == ["accountant", "pm"]
    assert all("860" not in message.body for message in mailoutbox)


def test_another_members_expense_is_not_told_to_a_member(
    publish, project, project_manager, member
):
    colleague = UserFactory(username="colleague")
    Membership.objects.create(project=project, user=colleague, role="member")
    expense = ExpenseFactory(project=project, submitted_by=colleague)

    publish(
        Kind.EXPENSE_DECIDED,
        expense,
        actor=project_manager,
        recipients=[colleague, member],
        data={"title": str(expense), "decision": "approved"},
    )

    assert readers() == ["colleague"]


def test_inactive_users_hear_nothing(publish, task, project_manager, member):
    member.is_active = False
    member.save()

    publish(Kind.TASK_ASSIGNED, task, actor=project_manager, recipients=[member])

    assert Notification.objects.count() == 0


def test_a_second_delivery_tells_nobody_twice(
    publish, task, project_manager, member, mailoutbox
):
    event = publish(
        Kind.TASK_ASSIGNED, task, actor=project_manager, recipients=[member]
    )

    # when the event is handed over again (a restarted worker)
    handle_event(Event.objects.get(pk=event.pk))
    handle_event(Event.objects.get(pk=event.pk))

    assert Notification.objects.count() == 1
    assert len(mailoutbox) == 1


def test_a_record_deleted_before_delivery_is_told_to_nobody(
    django_capture_on_commit_callbacks, task, project_manager, member
):
    from clientfolio.core import events

    with django_capture_on_commit_callbacks(execute=True):
        events.publish(
            Kind.TASK_ASSIGNED,
            task,
            actor=project_manager,
            recipients=[member],
            data={"title": str(task)},
        )
        task.delete()

    assert Notification.objects.count() == 0


def test_preferences_choose_the_channels(
    publish, task, project_manager, member, mailoutbox
):
    # given the member wants assignments by e-mail only, and no comment news at all
    Preference.objects.create(
        user=member, kind=Kind.TASK_ASSIGNED, in_app=False, email="immediate"
    )
    Preference.objects.create(
        user=member, kind=Kind.COMMENT_ADDED, in_app=False, email="off"
    )

    publish(Kind.TASK_ASSIGNED, task, actor=project_manager, recipients=[member])
    publish(Kind.COMMENT_ADDED, task, actor=project_manager)

    # then one e-mail, no row under the bell, nothing of the comment
    [row] = Notification.objects.all()
    assert (row.kind, row.in_app) == (Kind.TASK_ASSIGNED, False)
    assert len(mailoutbox) == 1


def test_a_finished_job_is_told_to_its_starter_in_the_app_only(
    publish, staff, admin, mailoutbox
):
    from clientfolio.core.models import Job

    job = Job.objects.create(kind="clients.export", title="客户导出", user=staff)

    publish(
        Kind.JOB_FINISHED,
        job,
        recipients=[staff, admin],
        data={"title": job.title, "status": "done", "kind": job.kind},
    )

    assert readers() == ["staff"]
    assert mailoutbox == []


@pytest.mark.parametrize("kind", [Kind.TASK_DUE_SOON, Kind.TASK_OVERDUE])
def test_a_due_reminder_reaches_the_owner_and_assignees(
    publish, kind, task, project_manager
):
    Assignment.objects.create(task=task, user=project_manager, hours=Decimal("8"))

    publish(kind, task, data={"title": str(task), "due": "2026-03-02"})

    assert readers() == ["member", "pm"]
    assert set(Notification.objects.values_list("email", flat=True)) == {"digest"}
