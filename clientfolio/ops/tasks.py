"""The ops app's periodic jobs: the retention rule for personal data."""

from datetime import time

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from clientfolio.core.jobs import periodic
from clientfolio.ops import privacy

__all__ = ["erase_expired_personal_data"]


@periodic(
    at=time(3, 30),
    description=_("Erase the personal data of lost clients past the retention period"),
)
@task()
def erase_expired_personal_data() -> int:
    """Nothing happens while ``PERSONAL_DATA_RETENTION_DAYS`` is 0 (the default)."""
    return privacy.apply_retention(timezone.now())
