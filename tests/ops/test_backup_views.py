"""Administrators see when the last backup succeeded: the backups page, and a warning on
My work when the last success is older than BACKUP_WARN_AFTER_HOURS (48)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clientfolio.ops.models import BackupRun

pytestmark = pytest.mark.django_db


def _run(hours_ago, status=BackupRun.Status.SUCCEEDED, **fields):
    started = timezone.now() - timedelta(hours=hours_ago)
    return BackupRun.objects.create(
        started_at=started,
        finished_at=started + timedelta(seconds=12),
        status=status,
        trigger=BackupRun.Trigger.SCHEDULE,
        file=f"/srv/backups/clientfolio-{hours_ago}.tar.zst",
        size=48_000_000,
        **fields,
    )


def test_the_backups_page_shows_the_last_success_and_the_runs(
    as_persona, django_assert_num_queries
):
    _run(30, status=BackupRun.Status.FAILED, message="No space left on device")
    _run(5)
    browser = as_persona("admin")
    with django_assert_num_queries(6):
        html = browser.get(reverse("ops:backup_status")).content.decode()
    assert "/srv/backups/clientfolio-5.tar.zst" in html
    assert "No space left on device" in html
    assert 'id="backup-warning"' not in html
    for _ in range(5):
        _run(50)
    with django_assert_num_queries(6):  # as many for 7 runs as for 2
        browser.get(reverse("ops:backup_status"))


def test_my_work_warns_administrators_of_an_old_last_success(as_persona):
    _run(49)
    _run(2, status=BackupRun.Status.FAILED, message="pg_dump failed: disk full")
    admin_home = as_persona("admin").get(reverse("home")).content.decode()
    assert 'id="backup-warning"' in admin_home
    assert "pg_dump failed: disk full" in admin_home
    staff_home = as_persona("staff").get(reverse("home")).content.decode()
    assert 'id="backup-warning"' not in staff_home


def test_my_work_warns_when_no_backup_ever_succeeded(as_persona):
    assert (
        'id="backup-warning"'
        in as_persona("admin").get(reverse("home")).content.decode()
    )
    _run(47)
    assert (
        'id="backup-warning"'
        not in as_persona("admin").get(reverse("home")).content.decode()
    )
