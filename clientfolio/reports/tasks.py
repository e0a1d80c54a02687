"""The reports app's jobs: the nightly client analysis."""

from datetime import time

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from clientfolio.core.jobs import periodic
from clientfolio.reports.insights import compute_insights

__all__ = ["recompute_insights"]


@periodic(
    at=time(2, 30),
    description=_("Recompute the client analysis: RFM segments and clients at risk"),
)
@task()
def recompute_insights() -> int:
    return compute_insights(timezone.localdate())
