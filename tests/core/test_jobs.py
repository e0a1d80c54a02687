"""Background jobs: the event outbox, e-mail from a job with retries, the periodic schedule
and user jobs with progress, on the database backend worked by ``clientfolio worker``."""

import socket
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.test import override_settings
from django_tasks import task
from django_tasks_db.models import DBTaskResult
from hypothesis import given
from hypothesis import strategies as st

from clientfolio.core import events, jobs
from clientfolio.core.jobs import schedule
from clientfolio.core.mail import send_later
from clientfolio.core.models import Event, Job, PeriodicJob
from tests.core.factories import UserFactory

DATABASE_JOBS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "mail", "hooks"],
    }
}
HEARD: list[tuple[str, int]] = []
RAN: list[str] = []


def hear(event):
    """A handler named in settings by the tests below."""
    HEARD.append((event.kind, event.target_id))


def fail(event):
    raise RuntimeError("handler down")


@task()
def count_run() -> None:
    RAN.append("ran")


@pytest.fixture(autouse=True)
def _clean():
    HEARD.clear()
    RAN.clear()
    saved = dict(jobs.autodiscover())
    yield
    jobs.PERIODIC.clear()
    jobs.PERIODIC.update(saved)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _message(to="li.na@example.com"):
    message = EmailMultiAlternatives("周报 ready", "正文", to=[to])
    message.attach_alternative("<p>正文</p>", "text/html")
    return message


# --- events --------------------------------------------------------------------------


@pytest.mark.django_db
@override_settings(CLIENTFOLIO_EVENT_HANDLERS=["tests.core.test_jobs.hear"])
def test_an_event_is_told_once_the_transaction_commits(
    django_capture_on_commit_callbacks,
):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        event = events.publish(events.Kind.JOB_FINISHED, user, recipients=[user])
        assert HEARD == []
    assert HEARD == [("job.finished", user.pk)]
    event.refresh_from_db()
    assert event.delivered_at is not None
    assert event.recipient_ids == [user.pk]


@pytest.mark.django_db
@override_settings(CLIENTFOLIO_EVENT_HANDLERS=["tests.core.test_jobs.hear"])
def test_an_event_with_a_key_happens_once(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first = events.publish(events.Kind.TASK_OVERDUE, user, key="overdue:1")
        again = events.publish(events.Kind.TASK_OVERDUE, user, key="overdue:1")
    assert first is not None
    assert again is None
    assert Event.objects.filter(key="overdue:1").count() == 1
    assert HEARD == [("task.overdue", user.pk)]


@pytest.mark.django_db
@override_settings(
    CLIENTFOLIO_EVENT_HANDLERS=[
        "tests.core.test_jobs.fail",
        "tests.core.test_jobs.hear",
    ]
)
def test_a_failing_handler_does_not_stop_the_others(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        event = events.publish(events.Kind.JOB_FINISHED, user)
    assert HEARD == [("job.finished", user.pk)]
    event.refresh_from_db()
    assert event.delivered_at is None  # left for the redelivery job
    assert event.attempts == 1


@pytest.mark.django_db
@override_settings(CLIENTFOLIO_EVENT_HANDLERS=["tests.core.test_jobs.hear"])
def test_undelivered_events_are_delivered_again_later():
    user = UserFactory()
    with time_machine.travel(datetime(2026, 5, 4, 9, 0, tzinfo=UTC), tick=False):
        event = events.publish(events.Kind.JOB_FINISHED, user)  # never committed
    with time_machine.travel(datetime(2026, 5, 4, 9, 20, tzinfo=UTC), tick=False):
        events.redeliver_events.call()
        events.redeliver_events.call()
    assert HEARD == [("job.finished", user.pk)]
    event.refresh_from_db()
    assert event.delivered_at is not None


# --- e-mail --------------------------------------------------------------------------


@pytest.mark.django_db
def test_mail_waits_for_the_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_later(_message())
        assert mail.outbox == []
    [sent] = mail.outbox
    assert sent.subject == "周报 ready"
    assert sent.to == ["li.na@example.com"]
    assert sent.alternatives[0][0] == "<p>正文</p>"


@pytest.mark.django_db
def test_mail_is_never_sent_when_the_transaction_rolls_back(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send_later(_message())
    assert len(callbacks) == 1  # queued only on commit; a rollback drops it
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
@override_settings(
    TASKS=DATABASE_JOBS,
    EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
    EMAIL_HOST="127.0.0.1",
    EMAIL_TIMEOUT=2,
    EMAIL_RETRIES=3,
)
def test_a_failing_mail_server_is_tried_again_later():
    # A real SMTP connection to a port nobody listens on: refused.
    with override_settings(EMAIL_PORT=_free_port()):
        send_later(_message())  # autocommit: queued at once
        with time_machine.travel(datetime(2026, 5, 4, 9, 0, tzinfo=UTC), tick=False):
            call_command("worker", "--batch", "--no-schedule")
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 1
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["args"][1] == 2  # the second attempt
    assert retry.run_after == datetime(2026, 5, 4, 9, 1, tzinfo=UTC)


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_JOBS)
def test_the_worker_sends_queued_mail():
    send_later(_message("wang@example.com"))
    assert mail.outbox == []
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    call_command("worker", "--batch", "--no-schedule")
    assert [m.to for m in mail.outbox] == [["wang@example.com"]]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


# --- the periodic schedule -----------------------------------------------------------


@given(
    after=st.datetimes(
        min_value=datetime(2000, 1, 1),  # noqa: DTZ001 (hypothesis bounds are naive)
        max_value=datetime(2100, 1, 1),  # noqa: DTZ001
        timezones=st.just(UTC),
    ),
    at=st.times(),
)
def test_a_daily_run_is_the_next_time_of_day_within_a_day(after, at):
    with override_settings(TIME_ZONE="Asia/Shanghai"):
        following = schedule.next_run(after, timedelta(days=1), at)
    local = following.astimezone(ZoneInfo("Asia/Shanghai"))
    assert after < following <= after + timedelta(days=1)
    assert (local.hour, local.minute) == (at.hour, at.minute)


@given(
    after=st.datetimes(timezones=st.just(UTC), max_value=datetime(9000, 1, 1)),  # noqa: DTZ001
    minutes=st.integers(min_value=1, max_value=10_000),
)
def test_an_interval_run_comes_one_interval_later(after, minutes):
    every = timedelta(minutes=minutes)
    assert schedule.next_run(after, every, None) == after + every


@pytest.mark.django_db
def test_a_due_periodic_job_runs_once_however_often_the_schedule_ticks():
    jobs.PERIODIC.clear()
    jobs.periodic(every=timedelta(hours=1))(count_run)
    name = "tests.core.test_jobs.count_run".removeprefix("clientfolio.")
    start = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
    assert schedule.tick(start) == [name]  # a new job runs at once
    assert schedule.tick(start) == []
    assert schedule.tick(start + timedelta(minutes=59)) == []
    assert schedule.tick(start + timedelta(hours=1)) == [name]
    assert RAN == ["ran", "ran"]
    row = PeriodicJob.objects.get(name=name)
    assert row.next_run_at == start + timedelta(hours=2)
    assert row.last_run_at == start + timedelta(hours=1)


@pytest.mark.django_db
def test_two_workers_claiming_the_same_run_start_it_once():
    jobs.PERIODIC.clear()
    jobs.periodic(every=timedelta(hours=1))(count_run)
    start = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
    schedule.tick(start)
    rows = schedule.sync(start + timedelta(hours=1))  # both workers read the same row
    row = rows["tests.core.test_jobs.count_run"]
    first = PeriodicJob.objects.filter(pk=row.pk, next_run_at=row.next_run_at).update(
        next_run_at=start + timedelta(hours=2)
    )
    assert first == 1
    # The second worker's compare-and-set finds the time moved on, and queues nothing.
    assert schedule.tick(start + timedelta(hours=1)) == []
    assert RAN == ["ran"]


@pytest.mark.django_db
def test_a_disabled_periodic_job_does_not_run():
    jobs.PERIODIC.clear()
    jobs.periodic(every=timedelta(hours=1))(count_run)
    start = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
    schedule.sync(start)
    PeriodicJob.objects.update(enabled=False)
    assert schedule.tick(start) == []
    assert RAN == []


def test_the_application_registers_its_periodic_jobs():
    names = set(jobs.autodiscover())
    assert {"core.events.redeliver_events", "core.tasks.prune_job_results"} <= names


@pytest.mark.django_db
def test_a_daily_job_waits_for_its_time_of_day():
    jobs.PERIODIC.clear()
    jobs.periodic(at=time(7, 30))(count_run)
    with override_settings(TIME_ZONE="Asia/Shanghai"):
        start = datetime(2026, 5, 4, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
        assert schedule.tick(start) == []
        row = PeriodicJob.objects.get()
        assert row.next_run_at == datetime(2026, 5, 4, 23, 30, tzinfo=UTC)


# --- user jobs with progress ---------------------------------------------------------


def _count_to_ten(job, progress):
    for done in range(1, 11):
        progress(done, 10)
    return {"rows": 10}


@task()
def ten_rows(job_id: int) -> None:
    jobs.run_job(job_id, _count_to_ten)


@task()
def broken(job_id: int) -> None:
    def work(job, progress):
        raise ValueError("第 3 行的日期无效")

    jobs.run_job(job_id, work)


@pytest.mark.django_db
def test_a_user_job_reports_progress_and_tells_its_user(
    django_capture_on_commit_callbacks,
):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start_job(ten_rows, user=user, kind="import", title="导入客户")
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.percent) == ("done", 10, 10, 100)
    assert job.result == {"rows": 10}
    assert job.finished_at is not None
    event = Event.objects.get(kind="job.finished")
    assert (event.target_type, event.target_id, event.recipient_ids) == (
        "core.job",
        job.pk,
        [user.pk],
    )


@pytest.mark.django_db
def test_a_failed_user_job_keeps_the_reason(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start_job(broken, user=user, kind="import", title="导入客户")
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.message == "第 3 行的日期无效"
    assert Event.objects.get(kind="job.finished").data["status"] == "failed"
    # Running it again (a second worker, a restart) changes nothing.
    broken.call(job.pk)
    assert Event.objects.filter(kind="job.finished").count() == 1


@pytest.mark.django_db
def test_progress_writes_about_a_hundred_times_whatever_the_total(
    django_assert_num_queries,
):
    job = Job.objects.create(kind="import", title="导入客户", user=UserFactory())
    progress = jobs.Progress(job.pk)

    with django_assert_num_queries(101):  # the total, then each hundredth
        progress(0, 10_000)
        for done in range(1, 10_001):
            progress(done, 10_000)

    job.refresh_from_db()
    assert (job.done, job.total) == (10_000, 10_000)


@pytest.mark.django_db
def test_progress_writes_again_when_the_total_changes():
    job = Job.objects.create(kind="import", title="导入客户", user=UserFactory())
    progress = jobs.Progress(job.pk)
    progress(0, 200)
    progress(1, 200)  # less than a hundredth: not written
    job.refresh_from_db()
    assert (job.done, job.total) == (0, 200)

    progress(150, 300)  # a second phase of the work: a new total
    job.refresh_from_db()
    assert (job.done, job.total) == (150, 300)
