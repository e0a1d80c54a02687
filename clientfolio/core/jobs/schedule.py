"""The schedule of periodic jobs: which are due, and claiming a run exactly once.

``tick`` is called by the embedded worker every few seconds and, at scale, by Celery
beat (``core.jobs.celery_backend``). Each job's row (``core.PeriodicJob``) holds its next
run; a run is claimed by moving that time forward with a compare-and-set update, so two
workers (or a worker and beat) that tick at the same moment start it once.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from clientfolio.core.jobs import Periodic, autodiscover

__all__ = ["PERIODIC_TICK_SECONDS", "next_run", "sync", "tick"]

# How often the worker (or Celery beat) looks for periodic jobs that are due.
PERIODIC_TICK_SECONDS = 15.0

logger = logging.getLogger(__name__)


def next_run(after: datetime, every: timedelta, at: time | None) -> datetime:
    """The first run strictly after ``after``: ``after + every``, or for a daily job with
    ``at``, the next day (in ``after``'s zone) whose ``at`` has not passed."""
    if at is None:
        return after + every
    local = timezone.localtime(after)
    candidate = local.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    while candidate <= local:
        candidate += timedelta(days=1)
    return candidate


def sync(now: datetime) -> dict[str, Any]:
    """Make sure every registered job has its row; returns rows by name."""
    from clientfolio.core.models import PeriodicJob

    registered = autodiscover()
    rows = {row.name: row for row in PeriodicJob.objects.all()}
    for name, job in registered.items():
        if name not in rows:
            first = now if job.at is None else next_run(now, job.every, job.at)
            rows[name], _ = PeriodicJob.objects.get_or_create(
                name=name, defaults={"next_run_at": first}
            )
    return rows


def tick(now: datetime | None = None) -> list[str]:
    """Queue every periodic job that is due and not claimed by someone else; returns the
    names queued."""
    from clientfolio.core.models import PeriodicJob

    now = now or timezone.now()
    queued = []
    registered = autodiscover()
    for name, row in sync(now).items():
        job: Periodic | None = registered.get(name)
        if job is None or not row.enabled or row.next_run_at > now:
            continue
        following = next_run(max(now, row.next_run_at), job.every, job.at)
        claimed = PeriodicJob.objects.filter(
            pk=row.pk, next_run_at=row.next_run_at
        ).update(next_run_at=following, last_run_at=now)
        if not claimed:
            continue
        result = job.task.enqueue()
        PeriodicJob.objects.filter(pk=row.pk).update(last_result_id=str(result.id))
        logger.info("Periodic job %s queued (next run %s)", name, following)
        queued.append(name)
    return queued
