"""The ops app's periodic jobs: the daily backup (BACKUP_AT) with its retention rule,
and the retention rule for personal data."""

from datetime import time, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from clientfolio.core.jobs import periodic
from clientfolio.ops import privacy

__all__ = ["daily_backup", "erase_expired_personal_data"]


def _backup_time() -> time | None:
    """BACKUP_AT as a time of day ("02:30"); None when scheduled backups are off."""
    if not settings.BACKUP_AT:
        return None
    hour, _sep, minute = settings.BACKUP_AT.partition(":")
    return time(int(hour), int(minute or 0))


@task()
def daily_backup() -> int | None:
    """Back up into BACKUP_DIR and prune old scheduled backups; returns the run's id.
    Safe to run twice: a second run is one more backup, pruned by the same rule."""
    from clientfolio.ops.runs import scheduled_backup

    return scheduled_backup().pk


if _backup_time() is not None:
    periodic(
        every=timedelta(days=1),
        at=_backup_time(),
        description=_("Back up the database and the uploaded files"),
    )(daily_backup)


@periodic(
    at=time(3, 30),
    description=_("Erase the personal data of lost clients past the retention period"),
)
@task()
def erase_expired_personal_data() -> int:
    """Nothing happens while ``PERSONAL_DATA_RETENTION_DAYS`` is 0 (the default)."""
    return privacy.apply_retention(timezone.now())
