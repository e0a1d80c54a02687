"""Core's periodic jobs: redelivering missed events (``core.events``) and pruning the
records of finished jobs."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from clientfolio.core import events  # noqa: F401  (registers redeliver_events)
from clientfolio.core.jobs import periodic

__all__ = ["JOB_RESULTS_KEPT", "prune_job_results"]

JOB_RESULTS_KEPT = timedelta(days=14)


@periodic(
    every=timedelta(days=1),
    description=_("Forget finished background jobs after 14 days"),
)
@task()
def prune_job_results() -> int:
    """Delete the database backend's rows of jobs that finished two weeks ago."""
    from django_tasks_db.models import DBTaskResult

    deleted, _rows = DBTaskResult.objects.filter(
        finished_at__lt=timezone.now() - JOB_RESULTS_KEPT
    ).delete()
    return deleted
