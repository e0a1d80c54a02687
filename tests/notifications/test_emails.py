"""E-mails: in the reader's language and time zone, with only what the notification says;
the daily digest at the time each reader chose, once a day."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from clientfolio.core.events import Kind
from clientfolio.notifications import services
from clientfolio.notifications.models import Notification, NotificationSettings
from clientfolio.notifications.tasks import send_digests

SHANGHAI = ZoneInfo("Asia/Shanghai")
KARACHI = ZoneInfo("Asia/Karachi")


def _html(message):
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


@pytest.mark.parametrize(
    ("language", "subject"),
    [
        ("zh-hans", "项目经理 把你指派到任务「1 需求调研」"),
        ("en", "项目经理 assigned you to 1 需求调研"),
        ("", "项目经理 把你指派到任务「1 需求调研」"),  # the site's language
    ],
)
def test_the_email_is_in_the_readers_language(
    publish, task, project_manager, member, mailoutbox, settings, language, subject
):
    settings.SITE_URL = "https://pm.example.cn"
    member.language = language
    member.save()

    publish(Kind.TASK_ASSIGNED, task, actor=project_manager, recipients=[member])

    [message] = mailoutbox
    assert message.subject == subject
    url = f"https://pm.example.cn/projects/{task.project_id}/schedule/tasks/{task.pk}/"
    assert url in message.body
    assert f'href="{url}"' in _html(message)
    assert ("打开查看" in message.body) == (language != "en")
    assert ("Open it" in message.body) == (language == "en")


def test_the_email_shows_the_time_in_the_readers_zone(
    publish, task, project_manager, member, mailoutbox
):
    member.language, member.time_zone = "en", "America/New_York"
    member.save()

    with time_machine.travel(
        dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI), tick=False
    ):
        publish(Kind.TASK_ASSIGNED, task, actor=project_manager, recipients=[member])

    [message] = mailoutbox
    # 09:00 in Shanghai is 20:00 the day before in New York (EST)
    assert "2026-03-01 20:00 (EST)" in message.body


def test_the_email_carries_no_more_than_the_title(
    publish, task, project_manager, member, mailoutbox
):
    task.description = "内部报价：每人天 3000 元"
    task.save()

    publish(Kind.TASK_ASSIGNED, task, actor=project_manager, recipients=[member])

    [message] = mailoutbox
    assert "3000" not in message.body
    assert "3000" not in _html(message)


# --- the daily digest -------------------------------------------------------------


@pytest.fixture
def waiting(publish, task, project_manager, member, viewer):
    """Two reminders waiting for the member's digest (08:00 by default, Shanghai), and one
    for the viewer, published on 2026-03-02 at 06:00 Shanghai time."""
    with time_machine.travel(
        dt.datetime(2026, 3, 2, 6, 0, tzinfo=SHANGHAI), tick=False
    ):
        publish(
            Kind.TASK_DUE_SOON, task, data={"title": str(task), "due": "2026-03-03"}
        )
        publish(
            Kind.COMMENT_ADDED,
            task,
            actor=project_manager,
            recipients=[member, viewer],
            data={"title": str(task), "comment_id": 1, "excerpt": "请看"},
        )
    mail.outbox.clear()
    assert Notification.objects.filter(user=member, email="digest").count() == 2


def _to(mailoutbox, user):
    return [m for m in mailoutbox if m.to[0].endswith(f"<{user.email}>")]


def _run_at(when, django_capture_on_commit_callbacks):
    with time_machine.travel(when, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            return send_digests.call()


def test_the_digest_leaves_at_the_readers_time_once_a_day(
    waiting, member, viewer, mailoutbox, django_capture_on_commit_callbacks
):
    viewer.time_zone = "Asia/Karachi"  # 08:00 there is 11:00 in Shanghai
    viewer.save()

    # before 08:00 in Shanghai nothing leaves
    assert (
        _run_at(
            dt.datetime(2026, 3, 2, 7, 50, tzinfo=SHANGHAI),
            django_capture_on_commit_callbacks,
        )
        == 0
    )
    assert mailoutbox == []

    # after it, the member's digest (the viewer's morning is still to come)
    assert (
        _run_at(
            dt.datetime(2026, 3, 2, 8, 5, tzinfo=SHANGHAI),
            django_capture_on_commit_callbacks,
        )
        == 1
    )
    [digest] = mailoutbox
    assert digest.to[0].endswith(f"<{member.email}>")
    assert digest.subject == "Clientfolio：自上次摘要以来有 2 条通知"
    assert "将于" in digest.body
    assert "评论了" in digest.body

    # a second run the same day (another worker, a restart) sends nothing more
    assert (
        _run_at(
            dt.datetime(2026, 3, 2, 8, 20, tzinfo=SHANGHAI),
            django_capture_on_commit_callbacks,
        )
        == 0
    )
    assert len(mailoutbox) == 1
    assert NotificationSettings.objects.get(user=member).last_digest_on == dt.date(
        2026, 3, 2
    )

    # the viewer's comes at 08:00 Karachi time
    assert (
        _run_at(
            dt.datetime(2026, 3, 2, 8, 10, tzinfo=KARACHI),
            django_capture_on_commit_callbacks,
        )
        == 1
    )
    assert mailoutbox[-1].to[0].endswith(f"<{viewer.email}>")


def test_the_next_digest_carries_only_what_came_since(
    waiting, publish, task, member, mailoutbox, django_capture_on_commit_callbacks
):
    _run_at(
        dt.datetime(2026, 3, 2, 8, 5, tzinfo=SHANGHAI),
        django_capture_on_commit_callbacks,
    )
    with time_machine.travel(
        dt.datetime(2026, 3, 2, 12, 0, tzinfo=SHANGHAI), tick=False
    ):
        publish(Kind.TASK_OVERDUE, task, data={"title": str(task), "due": "2026-03-02"})

    assert len(_to(mailoutbox, member)) == 1

    # nothing more for the member the same day, after today's digest
    _run_at(
        dt.datetime(2026, 3, 2, 23, 0, tzinfo=SHANGHAI),
        django_capture_on_commit_callbacks,
    )
    assert len(_to(mailoutbox, member)) == 1
    # the next morning, only the overdue task
    _run_at(
        dt.datetime(2026, 3, 3, 8, 0, tzinfo=SHANGHAI),
        django_capture_on_commit_callbacks,
    )
    [_first, second] = _to(mailoutbox, member)
    assert second.subject == "Clientfolio：自上次摘要以来有 1 条通知"
    assert "已逾期" in second.body


def test_the_digest_is_in_the_readers_language_and_time(
    waiting, member, mailoutbox, django_capture_on_commit_callbacks
):
    member.language = "en"
    member.save()
    NotificationSettings.objects.create(user=member, digest_time=dt.time(6, 30))

    _run_at(
        dt.datetime(2026, 3, 2, 6, 31, tzinfo=SHANGHAI),
        django_capture_on_commit_callbacks,
    )

    [digest] = mailoutbox
    assert digest.subject == "Clientfolio: 2 notifications since your last digest"
    assert "is due on" in digest.body
    assert "2026-03-02 06:00" in digest.body


def test_the_digest_leaves_out_what_the_reader_can_no_longer_see(
    waiting, member, viewer, mailoutbox, django_capture_on_commit_callbacks
):
    from clientfolio.projects.models import Membership

    Membership.objects.filter(user=viewer).delete()

    _run_at(
        dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI),
        django_capture_on_commit_callbacks,
    )

    assert [m.to[0].rsplit("<")[-1] for m in mailoutbox] == [f"{member.email}>"]
    # and what was left out is not sent later either
    assert not Notification.objects.filter(
        user=viewer, email="digest", emailed_at__isnull=True
    ).exists()


def test_a_digest_time_that_is_not_on_the_half_hour_is_refused():
    from django.core.exceptions import ValidationError

    settings_row = NotificationSettings(digest_time=dt.time(8, 15))
    with pytest.raises(ValidationError) as refused:
        settings_row.full_clean(exclude=["user"])
    assert "digest_time" in refused.value.message_dict


@pytest.mark.django_db
def test_digests_are_sent_by_a_periodic_job():
    from clientfolio.core.jobs import PERIODIC, autodiscover

    autodiscover()
    job = PERIODIC["notifications.tasks.send_digests"]
    assert job.every == dt.timedelta(minutes=15)
    assert services.send_due_digests(dt.datetime(2026, 3, 2, tzinfo=SHANGHAI)) == 0
