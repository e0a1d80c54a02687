"""An administrator is warned on My work that the last backup is three days old, follows
the warning to the backups page and sees the failed run since, with its reason."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from clientfolio.ops.models import BackupRun
from tests.e2e.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_admin_follows_the_backup_warning_to_the_backups_page(
    live_server, page, login, shots
):
    from clientfolio.core.models import User

    admin = User.objects.create_user(
        username="wang.admin", password=PASSWORD, role="admin", language="en"
    )
    now = timezone.now()
    BackupRun.objects.create(
        started_at=now - timedelta(days=3),
        finished_at=now - timedelta(days=3) + timedelta(seconds=40),
        status=BackupRun.Status.SUCCEEDED,
        trigger=BackupRun.Trigger.SCHEDULE,
        file="/srv/backups/clientfolio-old.tar.zst",
        size=135_000_000,
        tables=157,
        rows=2_009_479,
        files=1,
    )
    BackupRun.objects.create(
        started_at=now - timedelta(hours=20),
        finished_at=now - timedelta(hours=20),
        status=BackupRun.Status.FAILED,
        trigger=BackupRun.Trigger.SCHEDULE,
        file="/srv/backups/clientfolio-new.tar.zst",
        message="[Errno 28] No space left on device",
    )
    login(admin)
    page.goto(f"{live_server.url}/")
    warning = page.locator("#backup-warning")
    expect(warning).to_contain_text("The last successful backup was 3")
    expect(warning).to_contain_text("No space left on device")
    warning.get_by_role("link", name="See the backups").click()

    expect(page.get_by_role("heading", name="Backups", exact=True)).to_be_visible()
    expect(page.get_by_text("Too old")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="clientfolio-new.tar.zst")
    expect(row).to_contain_text("Failed")
    page.screenshot(path=str(shots / "backups.png"), full_page=True)
    assert page.js_errors == []
