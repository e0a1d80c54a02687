"""The client library's periodic jobs."""

from datetime import time

from django.utils.translation import gettext_lazy as _
from django_tasks import task

from clientfolio.clients import services
from clientfolio.core.jobs import periodic

__all__ = ["recompute_tiers"]


@periodic(
    at=time(2, 0), description=_("Recompute client tiers from the last twelve months")
)
@task()
def recompute_tiers() -> int:
    """Tiers move as payments leave the trailing twelve-month window, even on a day
    nobody records one."""
    return services.recompute_tiers()
