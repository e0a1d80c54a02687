"""The daily backup job: it backs up the running instance into BACKUP_DIR, records the
run, and deletes the scheduled archives the retention rule does not keep."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import override_settings

from clientfolio.core import jobs
from clientfolio.ops.backups import verify_backup
from clientfolio.ops.models import BackupRun
from clientfolio.ops.tasks import daily_backup

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_daily_backup_is_registered_at_its_time():
    job = jobs.autodiscover()["ops.tasks.daily_backup"]
    assert (job.at.hour, job.at.minute) == (2, 30)


def test_daily_backups_are_made_recorded_and_pruned(tmp_path):
    start = datetime(2026, 3, 2, 18, 30, tzinfo=UTC)  # Monday 02:30 in Shanghai
    with override_settings(
        BACKUP_DIR=tmp_path, BACKUP_KEEP_DAILY=2, BACKUP_KEEP_WEEKLY=1
    ):
        for day in range(4):
            with time_machine.travel(start + timedelta(days=day), tick=False):
                daily_backup.call()
    runs = list(BackupRun.objects.order_by("started_at"))
    assert [run.status for run in runs] == ["succeeded"] * 4
    # Kept: the two newest days; the week's newest is one of them.
    assert [run.pruned_at is None for run in runs] == [False, False, True, True]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        run.file.rsplit("/", 1)[-1] for run in runs[2:]
    )
    assert runs[3].file.endswith("clientfolio-20260306-023000.tar.zst")
    assert verify_backup(tmp_path / runs[3].file.rsplit("/", 1)[-1]).problems == []
    assert runs[3].size
    assert runs[3].rows
    assert runs[3].tables


def test_a_failed_backup_is_recorded_with_its_reason(tmp_path):
    (tmp_path / "not-a-folder").write_text("")
    with override_settings(BACKUP_DIR=tmp_path / "not-a-folder"):
        daily_backup.call()
    run = BackupRun.objects.get()
    assert run.status == BackupRun.Status.FAILED
    assert run.message
