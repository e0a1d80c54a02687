"""The notifications app's periodic job: the daily digests."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _
from django_tasks import task

import clientfolio.notifications.reminders  # noqa: F401 (its daily sweep)
from clientfolio.core.jobs import periodic
from clientfolio.notifications import services

__all__ = ["send_digests"]


@periodic(
    every=timedelta(minutes=15),
    description=_("Send the daily notification digests that are due"),
)
@task()
def send_digests() -> int:
    """Each user's digest leaves within 15 minutes of the time they chose."""
    return services.send_due_digests()
