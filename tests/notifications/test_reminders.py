"""The daily reminder sweep: each kind found for the right people, with its key and data;
done, closed and paid records left alone; a second run publishes nothing; a few queries
whatever the number of rows."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from clientfolio.clients.models import FollowUp
from clientfolio.core.events import Kind
from clientfolio.core.jobs import PERIODIC, autodiscover
from clientfolio.core.models import Event
from clientfolio.finance.models import Invoice
from clientfolio.notifications import reminders
from clientfolio.notifications.models import Notification
from clientfolio.notifications.targets import describe
from clientfolio.risks.models import Risk
from clientfolio.schedule.models import Assignment, CalendarDay, ProjectSchedule, Task
from tests.clients.factories import ContractFactory, FollowUpFactory
from tests.projects.factories import ProjectFactory

# A Friday in a month without statutory holidays: the next working day is Monday.
TODAY = date(2026, 7, 3)
SATURDAY, MONDAY, TUESDAY = (TODAY + timedelta(days=n) for n in (1, 3, 4))


@pytest.fixture(autouse=True)
def _no_real_dates(client_record):
    """The shared client's open follow-up is planned from the real date: move it out."""
    FollowUp.objects.update(planned_on=date(2030, 1, 1))


def make_task(project, finish, *, name="任务", status=Task.Status.TODO, assignees=()):
    """A task with its computed finish as stored (not through ``create_task``, whose
    recomputation of the plan would move the dates the tests set)."""
    task = Task.objects.create(
        project=project, name=name, status=status, duration=3, finish=finish
    )
    for user in assignees:
        Assignment.objects.create(task=task, user=user)
    return task


def make_risk(project, owner, review_on, *, status="monitoring", title="关键人员离职"):
    return Risk.objects.create(
        project=project, title=title, owner=owner, review_on=review_on, status=status
    )


def make_invoice(
    project, number, due_on, *, status="issued", total="1000.00", paid="0"
):
    return Invoice.objects.create(
        number=number,
        project=project,
        client=project.client,
        contract=ContractFactory(client=project.client),
        status=status,
        issued_on=due_on - timedelta(days=30),
        due_on=due_on,
        total=Decimal(total),
        paid_amount=Decimal(paid),
    )


def events(kind=None):
    rows = Event.objects.order_by("pk")
    if kind:
        rows = rows.filter(kind=kind)
    return list(rows)


# --- each kind ---------------------------------------------------------------------


def test_tasks_due_by_the_next_working_day_are_due_soon_for_their_assignees(
    project, member, viewer
):
    saturday = make_task(project, SATURDAY, name="周末", assignees=[member])
    monday = make_task(project, MONDAY, name="周一", assignees=[member, viewer])
    make_task(project, TUESDAY, name="周二", assignees=[member])
    make_task(project, TODAY, name="今天", assignees=[member])
    make_task(project, MONDAY, name="已完成", status=Task.Status.DONE)

    assert reminders.sweep(TODAY)[Kind.TASK_DUE_SOON] == 2

    first, second = events(Kind.TASK_DUE_SOON)
    assert (first.target_type, first.target_id) == ("schedule.task", saturday.pk)
    assert first.key == f"task.due_soon:{saturday.pk}:2026-07-04"
    assert first.recipient_ids == [member.pk]
    assert first.project_id == project.pk
    assert first.data == {"title": str(saturday), "due": "2026-07-04"}
    assert second.key == f"task.due_soon:{monday.pk}:2026-07-06"
    assert second.recipient_ids == sorted([member.pk, viewer.pk])


def test_the_next_working_day_follows_the_projects_calendar(project, member):
    # given Monday is a holiday of this project, and another project works every day
    schedule = ProjectSchedule.objects.get_or_create(project=project)[0]
    CalendarDay.objects.create(schedule=schedule, day=MONDAY, kind="holiday")
    tuesday = make_task(project, TUESDAY, assignees=[member])
    every_day = ProjectFactory(manager=project.manager)
    ProjectSchedule.objects.update_or_create(
        project=every_day, defaults={"workdays": "0,1,2,3,4,5,6"}
    )
    saturday = make_task(every_day, SATURDAY)
    make_task(every_day, MONDAY)

    reminders.sweep(TODAY)

    assert {e.target_id for e in events(Kind.TASK_DUE_SOON)} == {
        tuesday.pk,
        saturday.pk,
    }


def test_statutory_holidays_stretch_due_soon_to_the_day_work_resumes():
    # 2026-09-30 is a Wednesday; National Day runs to 7 October
    by_project, default = reminders.due_soon_horizons(date(2026, 9, 30))
    assert default == date(2026, 10, 8)
    assert by_project == {}


def test_overdue_tasks_once_per_task_and_finish(project, member):
    late = make_task(project, TODAY - timedelta(days=2), assignees=[member])
    make_task(project, TODAY - timedelta(days=9), status=Task.Status.DONE)
    make_task(project, TODAY)  # due today is not overdue yet

    assert reminders.sweep(TODAY)[Kind.TASK_OVERDUE] == 1

    [event] = events(Kind.TASK_OVERDUE)
    assert event.key == f"task.overdue:{late.pk}:2026-07-01"
    assert event.recipient_ids == [member.pk]
    assert event.data == {"title": str(late), "due": "2026-07-01"}

    # when its finish moves (still in the past) it is overdue again, for the new date
    Task.objects.filter(pk=late.pk).update(finish=TODAY - timedelta(days=1))
    assert reminders.sweep(TODAY)[Kind.TASK_OVERDUE] == 1
    assert events(Kind.TASK_OVERDUE)[-1].key == f"task.overdue:{late.pk}:2026-07-02"


def test_tasks_overdue_longer_than_the_limit_are_not_reminded(
    project, member, settings
):
    settings.REMINDER_OVERDUE_MAX_DAYS = 30
    at_limit = make_task(project, TODAY - timedelta(days=30), assignees=[member])
    make_task(project, TODAY - timedelta(days=31), assignees=[member])
    make_task(project, date(2023, 1, 9), assignees=[member])

    assert reminders.sweep(TODAY)[Kind.TASK_OVERDUE] == 1
    [event] = events(Kind.TASK_OVERDUE)
    assert event.key == f"task.overdue:{at_limit.pk}:2026-06-03"
    # the next day the same task is past the limit; nothing new, nothing twice
    assert reminders.sweep(TODAY + timedelta(days=1))[Kind.TASK_OVERDUE] == 0
    assert reminders.sweep(TODAY)[Kind.TASK_OVERDUE] == 0


def test_the_overdue_limit_is_thirty_days_by_default_and_zero_lifts_it(
    project, member, settings
):
    del settings.REMINDER_OVERDUE_MAX_DAYS
    assert reminders.overdue_max_days() == 30
    make_task(project, date(2023, 1, 9), assignees=[member])
    assert reminders.sweep(TODAY)[Kind.TASK_OVERDUE] == 0

    settings.REMINDER_OVERDUE_MAX_DAYS = 0
    assert reminders.sweep(TODAY)[Kind.TASK_OVERDUE] == 1
    assert reminders.sweep(TODAY)[Kind.TASK_OVERDUE] == 0


def test_tasks_of_closed_projects_are_left_alone(project, member):
    make_task(project, TODAY - timedelta(days=2), assignees=[member])
    make_task(project, MONDAY, assignees=[member])
    project.__class__.objects.filter(pk=project.pk).update(status="cancelled")

    counts = reminders.sweep(TODAY)

    assert counts[Kind.TASK_OVERDUE] == counts[Kind.TASK_DUE_SOON] == 0


def test_followups_due_today_or_before_for_their_owner(client_record, staff, member):
    due = FollowUpFactory(
        client=client_record, owner=member, planned_on=TODAY, purpose="季度回访"
    )
    late = FollowUpFactory(
        client=client_record, planned_on=TODAY - timedelta(days=5), purpose="年度回访"
    )
    FollowUpFactory(client=client_record, owner=member, planned_on=SATURDAY)
    FollowUpFactory(
        client=client_record,
        owner=member,
        planned_on=TODAY - timedelta(days=1),
        done_on=TODAY - timedelta(days=1),
    )

    assert reminders.sweep(TODAY)[Kind.FOLLOWUP_DUE] == 2

    first, second = events(Kind.FOLLOWUP_DUE)
    assert first.key == f"followup.due:{due.pk}:2026-07-03"
    assert first.target_type == "clients.followup"
    assert first.recipient_ids == [member.pk]
    assert first.data == {"title": "季度回访", "due": "2026-07-03"}
    # without an owner of its own, the client's account manager is told
    assert second.key == f"followup.due:{late.pk}:2026-06-28"
    assert second.recipient_ids == [staff.pk]


def test_open_risks_whose_review_is_reached_for_their_owner(project, member):
    due = make_risk(project, member, TODAY)
    make_risk(project, member, TODAY - timedelta(days=3), status="closed")
    make_risk(project, member, SATURDAY)

    assert reminders.sweep(TODAY)[Kind.RISK_REVIEW_DUE] == 1

    [event] = events(Kind.RISK_REVIEW_DUE)
    assert event.key == f"risk.review_due:{due.pk}:2026-07-03"
    assert event.recipient_ids == [member.pk]
    assert event.project_id == project.pk
    assert event.data == {"title": "关键人员离职", "due": "2026-07-03"}


def test_visits_and_reviews_due_longer_ago_than_the_limit_are_not_reminded(
    project, client_record, member, settings
):
    settings.REMINDER_OVERDUE_MAX_DAYS = 30
    kept = FollowUpFactory(
        client=client_record, owner=member, planned_on=TODAY - timedelta(days=30)
    )
    FollowUpFactory(
        client=client_record, owner=member, planned_on=TODAY - timedelta(days=31)
    )
    review = make_risk(project, member, TODAY - timedelta(days=30))
    make_risk(project, member, date(2024, 3, 1))

    counts = reminders.sweep(TODAY)

    assert counts[Kind.FOLLOWUP_DUE] == counts[Kind.RISK_REVIEW_DUE] == 1
    assert [e.target_id for e in events(Kind.FOLLOWUP_DUE)] == [kept.pk]
    assert [e.target_id for e in events(Kind.RISK_REVIEW_DUE)] == [review.pk]
    # without a limit, the old ones are told too, once
    settings.REMINDER_OVERDUE_MAX_DAYS = 0
    counts = reminders.sweep(TODAY)
    assert counts[Kind.FOLLOWUP_DUE] == counts[Kind.RISK_REVIEW_DUE] == 1
    assert reminders.sweep(TODAY)[Kind.FOLLOWUP_DUE] == 0


def test_overdue_invoices_are_reminded_of_however_late(project, project_manager):
    make_invoice(project, "INV-9", date(2024, 1, 31))
    assert reminders.sweep(TODAY)[Kind.INVOICE_OVERDUE] == 1


def test_overdue_invoices_for_the_manager_and_finance(
    project, project_manager, accountant
):
    late = make_invoice(
        project, "INV-1", TODAY - timedelta(days=1), status="partly_paid", paid="400"
    )
    make_invoice(
        project, "INV-2", TODAY - timedelta(days=9), status="paid", paid="1000"
    )
    make_invoice(project, "INV-3", TODAY - timedelta(days=9), status="draft")
    make_invoice(project, "INV-4", TODAY)  # due today: not overdue yet

    assert reminders.sweep(TODAY)[Kind.INVOICE_OVERDUE] == 1

    [event] = events(Kind.INVOICE_OVERDUE)
    assert event.key == f"invoice.overdue:{late.pk}:2026-07-02"
    assert event.recipient_ids == sorted([project_manager.pk, accountant.pk])
    assert event.data == {
        "title": "INV-1",
        "due": "2026-07-02",
        "amount": "600.00",
        "currency": late.currency,
    }


# --- once, and cheaply --------------------------------------------------------------


def world(project, member, n):
    """``n`` matching records of every kind."""
    for i in range(n):
        make_task(project, MONDAY, name=f"soon{i}", assignees=[member])
        make_task(
            project, TODAY - timedelta(days=1), name=f"late{i}", assignees=[member]
        )
        FollowUpFactory(client=project.client, owner=member, planned_on=TODAY)
        make_risk(project, member, TODAY, title=f"风险{i}")
        make_invoice(project, f"INV-{n}-{i}", TODAY - timedelta(days=1))


def test_a_second_run_publishes_nothing(
    project, member, django_capture_on_commit_callbacks
):
    world(project, member, 2)
    with django_capture_on_commit_callbacks(execute=True):
        first = reminders.sweep(TODAY)
    assert set(first.values()) == {2}
    stored = Event.objects.count()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = reminders.sweep(TODAY)

    assert set(second.values()) == {0}
    assert Event.objects.count() == stored
    assert callbacks == []  # nothing queued for delivery


def sweep_queries(n):
    with CaptureQueriesContext(connection) as queries:
        counts = reminders.sweep(TODAY)
    assert set(counts.values()) == {n}
    return len(queries)


def test_the_queries_do_not_grow_with_the_rows(project, member):
    world(project, member, 2)
    with_two = sweep_queries(2)
    Event.objects.all().delete()
    world(project, member, 18)

    assert sweep_queries(20) == with_two


def test_the_handler_turns_reminders_into_notifications(
    project,
    member,
    staff,
    project_manager,
    accountant,
    django_capture_on_commit_callbacks,
):
    make_task(project, MONDAY, assignees=[member])
    make_task(project, TODAY - timedelta(days=1), assignees=[member])
    FollowUpFactory(client=project.client, owner=staff, planned_on=TODAY)
    make_risk(project, member, TODAY)
    make_invoice(project, "INV-9", TODAY - timedelta(days=1))

    with django_capture_on_commit_callbacks(execute=True):
        reminders.sweep(TODAY)

    told = set(Notification.objects.values_list("kind", "user__username"))
    # and each is described with its record's name and page
    with translation.override("en"):
        for event in Event.objects.all():
            description = describe(event)
            assert event.data["title"] in description.title
            assert description.url.startswith("/"), event.kind
    assert {
        (Kind.TASK_DUE_SOON, "member"),
        (Kind.TASK_OVERDUE, "member"),
        (Kind.FOLLOWUP_DUE, "staff"),
        (Kind.RISK_REVIEW_DUE, "member"),
        (Kind.INVOICE_OVERDUE, "pm"),
        (Kind.INVOICE_OVERDUE, "accountant"),
    } <= told


def test_the_sweep_runs_daily_at_seven():
    autodiscover()
    job = PERIODIC["notifications.reminders.send_reminders"]
    assert (job.every, job.at.hour, job.at.minute) == (timedelta(days=1), 7, 0)
    counts = reminders.send_reminders.call("2026-07-03")
    assert counts == {
        "task.due_soon": 0,
        "task.overdue": 0,
        "followup.due": 0,
        "risk.review_due": 0,
        "invoice.overdue": 0,
    }
