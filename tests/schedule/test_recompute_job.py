"""A calendar change of a large plan recomputes it in a background job: the manager is
sent to its progress page, told when it is done, and the plan's dates move only then;
small plans are still recomputed in the request."""

import datetime

import pytest
from django.urls import reverse

from clientfolio.core.models import Event, Job
from clientfolio.projects.models import Membership
from clientfolio.schedule import tasks as schedule_tasks
from clientfolio.schedule.models import CalendarDay, ProjectSchedule, Task

pytestmark = pytest.mark.django_db

D = datetime.date


def url(name, project, **kwargs):
    return reverse(f"schedule:{name}", kwargs={"pk": project.pk, **kwargs})


@pytest.fixture
def large(settings, project_manager):
    """Plans of more than two tasks count as large; the manager reads English."""
    settings.PLAN_RECOMPUTE_INLINE_LIMIT = 2
    project_manager.language = "en"
    project_manager.save()


def six_day_week(browser, project):
    settings_row = ProjectSchedule.objects.get(project=project)
    return browser.post(
        url("calendar", project),
        {
            "weekdays": ["0", "1", "2", "3", "4", "5"],
            "buffer_days": "3",
            "status_date": "2026-09-28",
            "version": settings_row.version,
        },
    )


def test_a_large_plan_is_recomputed_by_a_job_with_progress_and_a_notification(
    plan,
    large,
    as_persona,
    project,
    project_manager,
    django_capture_on_commit_callbacks,
):
    browser = as_persona("project_manager")
    with django_capture_on_commit_callbacks(execute=True):
        response = six_day_week(browser, project)

    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("core:job_detail", args=[job.pk])
    assert (job.kind, job.status, job.project_id, job.user) == (
        "schedule.recompute",
        "done",
        project.pk,
        project_manager,
    )
    assert job.title == f"Recompute the schedule of {project.name}"
    # the four steps of the recompute: read, computed, written, announced
    assert (job.done, job.total) == (4, 4)
    # 开发 (5 days from Thursday 2026-10-01) now works the Saturdays: the National Day
    # holiday still stops it, the make-up Saturday 10-10 counts once as before
    assert Task.objects.get(pk=plan["build"].pk).finish < D(2026, 10, 13)
    assert (
        job.result["summary"] == "4 tasks recomputed; the plan finishes on 6 Oct 2026."
    )
    assert job.result["url"] == url("gantt", project)
    told = Event.objects.get(kind="job.finished")
    assert (told.target_id, told.recipient_ids) == (job.pk, [project_manager.pk])

    page = browser.get(response["Location"]).content.decode()
    assert "4 tasks recomputed; the plan finishes on 6 Oct 2026." in page
    assert url("gantt", project) in page
    assert "Open the Gantt chart" in page


def test_until_the_job_runs_the_dates_stay_and_the_calendar_says_so(
    plan, large, as_persona, project, django_capture_on_commit_callbacks
):
    browser = as_persona("project_manager")
    before = Task.objects.get(pk=plan["build"].pk).finish
    with django_capture_on_commit_callbacks(execute=False):
        response = six_day_week(browser, project)

    job = Job.objects.get()
    assert job.status == "queued"
    assert Task.objects.get(pk=plan["build"].pk).finish == before
    followed = browser.get(response["Location"]).content.decode()
    assert "is being recomputed in the background" in followed
    page = browser.get(url("calendar", project)).content.decode()
    assert 'id="recompute-running"' in page
    assert reverse("core:job_detail", args=[job.pk]) in page
    # an administrator sees the notice, but not the way to the manager's own job
    other = as_persona("admin").get(url("calendar", project))
    assert other.status_code == 200
    assert 'id="recompute-running"' in other.content.decode()
    assert reverse("core:job_detail", args=[job.pk]) not in other.content.decode()


def test_an_exception_day_of_a_large_plan_goes_through_the_job_too(
    plan, large, as_persona, project, django_capture_on_commit_callbacks
):
    browser = as_persona("project_manager")
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(
            url("calendar_day_add", project),
            {"day": "2026-10-08", "kind": "holiday", "name": "团建"},
        )
    job = Job.objects.get()
    assert response["Location"] == reverse("core:job_detail", args=[job.pk])
    assert job.status == "done"
    assert Task.objects.get(pk=plan["build"].pk).finish == D(2026, 10, 14)

    day = CalendarDay.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        browser.post(url("calendar_day_delete", project, day_pk=day.pk))
    assert Job.objects.filter(status="done").count() == 2
    assert Task.objects.get(pk=plan["build"].pk).finish == D(2026, 10, 13)


def test_a_manager_who_left_before_the_job_runs_changes_nothing(
    plan,
    large,
    as_persona,
    project,
    project_manager,
    django_capture_on_commit_callbacks,
):
    before = Task.objects.get(pk=plan["build"].pk).finish
    with django_capture_on_commit_callbacks(execute=False) as queued:
        six_day_week(as_persona("project_manager"), project)
    Membership.objects.filter(project=project, user=project_manager).delete()
    project_manager.is_active = False
    project_manager.save()
    for callback in queued:
        callback()

    job = Job.objects.get()
    assert job.status == "failed"
    assert job.message == "You may no longer change this project's schedule."
    assert Task.objects.get(pk=plan["build"].pk).finish == before


def test_a_small_plan_is_recomputed_at_once(
    plan, as_persona, project, settings, django_capture_on_commit_callbacks
):
    del settings.PLAN_RECOMPUTE_INLINE_LIMIT
    assert schedule_tasks.inline_limit() == 5000
    with django_capture_on_commit_callbacks(execute=True):
        response = six_day_week(as_persona("project_manager"), project)
    assert response["Location"] == url("calendar", project)
    assert not Job.objects.exists()
    assert Task.objects.get(pk=plan["build"].pk).finish < D(2026, 10, 13)
