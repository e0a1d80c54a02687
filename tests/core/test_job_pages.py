"""The pages of background jobs: a user's job with its progress bar and download, the
schedule of periodic jobs for administrators, and the client export that runs as a job."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from clientfolio.clients import tasks as client_tasks
from clientfolio.core.jobs import schedule
from clientfolio.core.models import Event, Job, PeriodicJob
from tests.clients.factories import ClientFactory
from tests.core.factories import UserFactory

pytestmark = pytest.mark.django_db


def _job(user, **fields):
    return Job.objects.create(kind="test", title="导出客户", user=user, **fields)


def test_a_running_job_shows_its_progress_and_keeps_polling(staff_browser, staff):
    job = _job(staff, status=Job.Status.RUNNING, done=250, total=1000)
    page = staff_browser.get(reverse("core:job_detail", args=[job.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "导出客户" in html
    assert 'aria-valuenow="25"' in html
    partial = staff_browser.get(
        reverse("core:job_detail", args=[job.pk]), HTTP_HX_REQUEST="true"
    )
    text = partial.content.decode()
    assert 'hx-trigger="every 1s"' in text
    assert "<html" not in text


def test_a_finished_job_stops_polling_and_offers_its_file(staff_browser, staff):
    job = _job(staff, status=Job.Status.DONE, result={"filename": "客户.csv"})
    job.result_file.save("clients.csv", ContentFile("名称\n星河\n".encode()))
    page = staff_browser.get(
        reverse("core:job_detail", args=[job.pk]), HTTP_HX_REQUEST="true"
    )
    assert "hx-trigger" not in page.content.decode()
    assert reverse("core:job_download", args=[job.pk]) in page.content.decode()
    download = staff_browser.get(reverse("core:job_download", args=[job.pk]))
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content).decode() == "名称\n星河\n"


def test_someone_elses_job_does_not_exist(staff_browser):
    job = _job(UserFactory(), status=Job.Status.DONE)
    assert (
        staff_browser.get(reverse("core:job_detail", args=[job.pk])).status_code == 404
    )
    assert (
        staff_browser.get(reverse("core:job_download", args=[job.pk])).status_code
        == 404
    )


def test_an_unfinished_job_has_nothing_to_download(staff_browser, staff):
    job = _job(staff, status=Job.Status.RUNNING)
    assert (
        staff_browser.get(reverse("core:job_download", args=[job.pk])).status_code
        == 404
    )


def test_the_schedule_lists_every_periodic_job(
    admin_browser, django_assert_num_queries
):
    schedule.sync(timezone.now())
    with django_assert_num_queries(4):
        page = admin_browser.get(reverse("core:job_schedule"))
    html = page.content.decode()
    assert page.status_code == 200
    for name in (
        "core.events.redeliver_events",
        "clients.tasks.recompute_tiers",
        "documents.tasks.check_orphans",
    ):
        assert name in html
    assert "Recompute client tiers from the last twelve months" in html


def test_an_administrator_pauses_resumes_and_runs_a_periodic_job(admin_browser):
    schedule.sync(datetime(2026, 5, 4, tzinfo=UTC))
    row = PeriodicJob.objects.get(name="clients.tasks.recompute_tiers")
    url = reverse("core:periodic_job_action", args=[row.pk])
    assert admin_browser.post(url, {"action": "pause"}).status_code == 302
    row.refresh_from_db()
    assert row.enabled is False
    admin_browser.post(url, {"action": "resume"})
    admin_browser.post(url, {"action": "run"})
    row.refresh_from_db()
    assert row.enabled is True
    assert row.next_run_at > timezone.now() - timedelta(minutes=1)
    refused = admin_browser.post(url, {"action": "explode"}, follow=True)
    assert "Choose pause, resume or run now." in refused.content.decode()


def test_staff_do_not_see_the_schedule(staff_browser):
    assert staff_browser.get(reverse("core:job_schedule")).status_code == 403


# --- the client export as a job -------------------------------------------------------


@pytest.fixture
def small_limit(monkeypatch):
    monkeypatch.setattr(client_tasks, "EXPORT_INLINE_LIMIT", 2)


def test_a_large_export_runs_as_a_job_and_tells_its_user(
    staff_browser, staff, small_limit, django_capture_on_commit_callbacks
):
    for name in (
        "北京星河贸易有限公司",
        "上海云帆信息科技有限公司",
        "深圳海岸科技有限公司",
    ):
        ClientFactory(name=name)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_browser.get(
            reverse("clients:client_export"), {"format": "xlsx"}
        )
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("core:job_detail", args=[job.pk])
    assert (job.status, job.done, job.total, job.user) == ("done", 3, 3, staff)
    assert job.result["summary"] == "3 clients exported."
    workbook = load_workbook(io.BytesIO(job.result_file.read()))
    names = [
        row[0] for row in workbook.worksheets[0].iter_rows(min_row=2, values_only=True)
    ]
    assert sorted(set(names)) == sorted(
        {"北京星河贸易有限公司", "上海云帆信息科技有限公司", "深圳海岸科技有限公司"}
    )
    event = Event.objects.get(kind="job.finished")
    assert event.recipient_ids == [staff.pk]


def test_a_background_export_keeps_the_list_filters(
    staff_browser, small_limit, django_capture_on_commit_callbacks
):
    for index in range(3):
        ClientFactory(name=f"星河{index}号有限公司")
    ClientFactory(name="上海云帆信息科技有限公司")
    with django_capture_on_commit_callbacks(execute=True):
        staff_browser.get(reverse("clients:client_export"), {"q": "星河"})
    job = Job.objects.get()
    text = job.result_file.read().decode("utf-8-sig")
    assert text.count("星河") == 3
    assert "云帆" not in text


def test_an_export_job_of_a_user_who_lost_the_right_fails(
    staff, small_limit, django_capture_on_commit_callbacks
):
    job = _job(staff, params={"format": "csv"})
    staff.role = "client"
    staff.save()
    client_tasks.export_clients.call(job.pk)
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.message == "You may no longer export clients."
    assert not job.result_file
