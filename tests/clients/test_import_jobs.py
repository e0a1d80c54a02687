"""A large client import runs as background jobs: the check with its progress bar ends on
the row-by-row report, the confirmed import is a second job, all or nothing as in the
request; small files are still checked at once."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from clientfolio.clients import exchange
from clientfolio.clients import tasks as client_tasks
from clientfolio.clients.models import Client
from clientfolio.core.models import Event, Job
from tests.clients.factories import ClientFactory
from tests.clients.test_exchange import (
    ENGLISH_HEADER,
    ROWS,
    _assert_imported,
    csv_text,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db

IMPORT = reverse("clients:client_import")
BAD_ROW = ["丁公司", "", "", "", "孙七", "", "bad@", ""]


@pytest.fixture(autouse=True)
def large(monkeypatch, settings, tmp_path, staff):
    """Every file of more than two rows counts as large; files in a fresh storage; the
    staff member reads English."""
    monkeypatch.setattr(client_tasks, "IMPORT_INLINE_LIMIT", 2)
    settings.MEDIA_ROOT = tmp_path / "media"
    staff.language = "en"
    staff.save()


def stored_uploads():
    if not default_storage.exists("imports"):
        return []
    return default_storage.listdir("imports")[1]


def upload(browser, data, name="clients.csv", run=None):
    with run(execute=True):
        return browser.post(IMPORT, {"file": SimpleUploadedFile(name, data)})


def test_a_large_file_is_checked_by_a_job_that_ends_on_the_report(
    staff_browser, staff, django_capture_on_commit_callbacks
):
    data = csv_text(ENGLISH_HEADER, ROWS).encode()

    response = upload(staff_browser, data, run=django_capture_on_commit_callbacks)

    check = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("core:job_detail", args=[check.pk])
    assert (check.kind, check.status, check.user) == (
        "clients.import_check",
        "done",
        staff,
    )
    assert check.done == check.total == 4  # the header and three rows
    assert check.result["summary"] == (
        "3 rows read: 2 clients with 2 contacts are ready to import. "
        "Nothing has been saved yet."
    )
    assert check.title == "Check of clients.csv"
    assert not Client.objects.exists()
    assert len(stored_uploads()) == 1

    # the polling page is sent to the report when the check is done
    poll = staff_browser.get(
        reverse("core:job_detail", args=[check.pk]), headers={"HX-Request": "true"}
    )
    report_url = f"{IMPORT}?job={check.pk}"
    assert poll.status_code == 200
    assert poll["HX-Redirect"] == report_url
    page = staff_browser.get(reverse("core:job_detail", args=[check.pk]))
    assert f'href="{IMPORT}?job={check.pk}"' in page.content.decode()
    assert "See the report" in page.content.decode()

    report = staff_browser.get(report_url)
    html = report.content.decode()
    assert report.status_code == 200
    assert "杭州数澜科技有限公司" in html
    assert f'name="job" value="{check.pk}"' in html
    assert "Import 2 clients" in html
    assert not Client.objects.exists()


def test_the_confirmed_import_is_a_second_job_that_imports_everything(
    staff_browser, staff, django_capture_on_commit_callbacks
):
    upload(
        staff_browser,
        xlsx_bytes(ENGLISH_HEADER, ROWS),
        "clients.xlsx",
        run=django_capture_on_commit_callbacks,
    )
    check = Job.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_browser.post(IMPORT, {"job": check.pk})

    job = Job.objects.exclude(pk=check.pk).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("core:job_detail", args=[job.pk])
    assert (job.kind, job.status, job.title) == (
        "clients.import",
        "done",
        "Import of clients.xlsx",
    )
    assert job.result["summary"] == "Imported 2 clients with 2 contacts."
    assert job.done == job.total > 0
    _assert_imported()
    assert stored_uploads() == []
    told = Event.objects.filter(kind="job.finished").values_list("target_id", flat=True)
    assert sorted(told) == sorted([check.pk, job.pk])

    # the job's page ends with the summary and the way to the clients
    page = staff_browser.get(reverse("core:job_detail", args=[job.pk]))
    html = page.content.decode()
    assert "Imported 2 clients with 2 contacts." in html
    assert reverse("clients:client_list") in html
    assert "HX-Redirect" not in staff_browser.get(
        reverse("core:job_detail", args=[job.pk]), headers={"HX-Request": "true"}
    )

    # confirming again starts nothing: the file went to the first import
    again = staff_browser.post(IMPORT, {"job": check.pk}, follow=True)
    assert "The uploaded file has expired" in again.content.decode()
    assert Job.objects.count() == 2
    assert Client.objects.count() == 2


def test_row_problems_end_the_check_with_the_report_and_no_import(
    staff_browser, django_capture_on_commit_callbacks
):
    data = csv_text(ENGLISH_HEADER, [*ROWS, BAD_ROW]).encode()

    upload(staff_browser, data, run=django_capture_on_commit_callbacks)

    check = Job.objects.get()
    assert check.status == "done"
    assert check.result["summary"] == "1 problem found. Nothing was imported."
    assert check.result["report"]["errors"] == [
        [5, "Contact e-mail", "This is not a valid e-mail address."]
    ]
    assert stored_uploads() == []
    report = staff_browser.get(f"{IMPORT}?job={check.pk}")
    html = report.content.decode()
    assert report.status_code == 400
    assert 'data-testid="import-errors"' in html
    assert "This is not a valid e-mail address." in html
    assert 'name="job"' not in html
    refused = staff_browser.post(IMPORT, {"job": check.pk}, follow=True)
    assert "The uploaded file has expired" in refused.content.decode()
    assert Job.objects.count() == 1
    assert not Client.objects.exists()


def test_clients_created_meanwhile_stop_the_import_with_the_report(
    staff_browser, django_capture_on_commit_callbacks
):
    upload(
        staff_browser,
        csv_text(ENGLISH_HEADER, ROWS).encode(),
        run=django_capture_on_commit_callbacks,
    )
    check = Job.objects.get()
    ClientFactory(name="Acme Trading Ltd")

    with django_capture_on_commit_callbacks(execute=True):
        staff_browser.post(IMPORT, {"job": check.pk})

    job = Job.objects.exclude(pk=check.pk).get()
    assert job.status == "done"
    assert job.result["summary"] == "1 problem found. Nothing was imported."
    assert job.result["redirect"] is True
    assert Client.objects.count() == 1
    assert stored_uploads() == []


def test_a_large_foreign_file_is_mapped_then_checked_and_imported_by_jobs(
    staff_browser, django_capture_on_commit_callbacks
):
    data = csv_text(
        ["Account Name", "Shoe size", "Last Name"],
        [["甲公司", "42", "王芳"], ["乙公司", "40", "李雷"], ["丙公司", "", ""]],
    ).encode()

    page = upload(staff_browser, data, run=django_capture_on_commit_callbacks)

    assert page.status_code == 200  # the mapping step, before any job
    assert not Job.objects.exists()
    token = page.context["token"]
    with django_capture_on_commit_callbacks(execute=True):
        checked = staff_browser.post(
            IMPORT,
            {
                "step": "map",
                "token": token,
                "filename": "crm.csv",
                "map_0": "name",
                "map_1": "",
                "map_2": "contact_name",
            },
        )
    check = Job.objects.get()
    assert checked["Location"] == reverse("core:job_detail", args=[check.pk])
    assert check.params["mapping"] == ["name", None, "contact_name"]
    assert check.result["report"]["clients"] == 3
    with django_capture_on_commit_callbacks(execute=True):
        staff_browser.post(IMPORT, {"job": check.pk})
    assert sorted(Client.objects.values_list("name", flat=True)) == [
        "丙公司",
        "乙公司",
        "甲公司",
    ]
    assert stored_uploads() == []


def test_someone_elses_check_does_not_exist(
    staff_browser, admin_browser, django_capture_on_commit_callbacks
):
    upload(
        admin_browser,
        csv_text(ENGLISH_HEADER, ROWS).encode(),
        run=django_capture_on_commit_callbacks,
    )
    check = Job.objects.get()

    assert staff_browser.get(f"{IMPORT}?job={check.pk}").status_code == 404
    assert staff_browser.post(IMPORT, {"job": check.pk}).status_code == 404
    assert staff_browser.get(f"{IMPORT}?job=x").status_code == 404
    assert Job.objects.count() == 1
    assert not Client.objects.exists()


def test_a_small_file_is_still_checked_at_once(staff_browser, monkeypatch):
    monkeypatch.setattr(client_tasks, "IMPORT_INLINE_LIMIT", 10_000)

    response = staff_browser.post(
        IMPORT,
        {"file": SimpleUploadedFile("c.csv", csv_text(ENGLISH_HEADER, ROWS).encode())},
    )

    assert response.status_code == 200
    assert "token" in response.context
    assert not Job.objects.exists()


def test_a_check_job_of_a_user_who_lost_the_right_fails(staff):
    name = client_tasks.stash_upload(csv_text(ENGLISH_HEADER, ROWS).encode())
    job = Job.objects.create(
        kind="clients.import_check",
        title="Check",
        user=staff,
        params={"upload": name, "filename": "c.csv"},
    )
    staff.role = "client"
    staff.save()

    client_tasks.check_import.call(job.pk)

    job.refresh_from_db()
    assert job.status == "failed"
    assert job.message == "You may no longer import clients."
    assert not default_storage.exists(name)


def test_rows_are_estimated_without_reading_the_file():
    rows = [*ROWS, *ROWS]
    assert exchange.estimate_rows(csv_text(ENGLISH_HEADER, rows).encode()) == 7
    assert exchange.estimate_rows(b"name\nA") == 2
    assert exchange.estimate_rows(xlsx_bytes(ENGLISH_HEADER, rows), "c.xlsx") == 7
    assert exchange.estimate_rows(b"PK\x03\x04 broken", "c.xlsx") == 0


def test_the_command_checks_a_file_in_the_background_for_a_user(
    tmp_path, staff, django_capture_on_commit_callbacks
):
    path = tmp_path / "clients.csv"
    path.write_bytes(csv_text(ENGLISH_HEADER, ROWS).encode())
    out = io.StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "import_clients", str(path), "--background", "--user", "staff", stdout=out
        )

    check = Job.objects.get()
    assert (check.kind, check.user, check.status) == (
        "clients.import_check",
        staff,
        "done",
    )
    assert check.title == "Check of clients.csv"
    assert reverse("core:job_detail", args=[check.pk]) in out.getvalue()
    assert check.result["report"]["clients"] == 2
    assert not Client.objects.exists()


def test_the_command_in_the_background_needs_a_user_who_may_import(tmp_path, staff):
    path = tmp_path / "clients.csv"
    path.write_bytes(csv_text(ENGLISH_HEADER, ROWS).encode())
    with pytest.raises(CommandError, match="needs --user"):
        call_command("import_clients", str(path), "--background", "--language", "en")
    staff.role = "client"
    staff.save()
    with pytest.raises(CommandError, match="may not import"):
        call_command(
            "import_clients",
            str(path),
            "--background",
            "--user",
            "staff",
            "--language",
            "en",
        )
    assert not Job.objects.exists()


def test_files_checked_but_never_imported_are_forgotten_after_a_day(settings, tmp_path):
    import os

    settings.DATA_DIR = tmp_path / "data"
    old, new = (client_tasks.stash_upload(b"name\nA\n") for _ in range(2))
    small = settings.DATA_DIR / "imports" / "abc.upload"
    small.parent.mkdir(parents=True)
    small.write_bytes(b"name\nB\n")
    noon = datetime(2026, 10, 9, 12, 0, tzinfo=UTC)
    for path, when in (
        (default_storage.path(old), noon - timedelta(days=2)),
        (default_storage.path(new), noon),
        (small, noon - timedelta(days=2)),
    ):
        os.utime(path, (when.timestamp(), when.timestamp()))

    assert client_tasks.forget_uploads_before(noon - timedelta(days=1)) == 2

    assert stored_uploads() == [new.removeprefix("imports/")]
    assert not small.exists()
