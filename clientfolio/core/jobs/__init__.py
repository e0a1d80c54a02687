"""Background jobs: Django's Tasks API (``@task``, ``.enqueue()``) and what we add to it.

- ``enqueue_on_commit``: queue a job once the current transaction commits, so the job
  never sees (or misses) uncommitted rows. Jobs take ids and are safe to run twice.
- ``periodic``: run a job on a schedule (``core.jobs.schedule``); the embedded worker
  (``clientfolio worker``) runs the schedule itself, Celery beat does at scale.
- ``start_job`` / ``Progress``: long work a user starts, with a progress bar on the page
  and a notification when it finishes (``core.Job``).

The backend is chosen in settings (``JOBS_BACKEND``): the database (django-tasks-db),
Celery with Redis (``core.jobs.celery_backend``), or immediate for tests.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import time, timedelta
from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django_tasks.base import Task

__all__ = [
    "PERIODIC",
    "Periodic",
    "Progress",
    "autodiscover",
    "enqueue_on_commit",
    "periodic",
    "start_job",
]

logger = logging.getLogger(__name__)


def enqueue_on_commit(task: Task[Any, Any], *args: Any, **kwargs: Any) -> None:
    """Queue ``task`` with these arguments when the current transaction commits (at once
    outside a transaction). Arguments must be JSON-serialisable: pass ids, not records."""
    transaction.on_commit(lambda: task.enqueue(*args, **kwargs))


@dataclass(frozen=True)
class Periodic:
    """A job run on a schedule: every ``every``, or daily at ``at`` (server time zone)."""

    name: str
    task: Task[Any, Any]
    every: timedelta
    at: time | None
    description: Any


PERIODIC: dict[str, Periodic] = {}


def periodic(
    *,
    every: timedelta = timedelta(days=1),
    at: time | None = None,
    description: Any = "",
) -> Callable[[Task[Any, Any]], Task[Any, Any]]:
    """Register a task (which takes no arguments) to run on a schedule. Put it in the
    app's ``tasks.py``, which ``autodiscover`` imports."""

    def register(task: Task[Any, Any]) -> Task[Any, Any]:
        name = task.module_path.removeprefix("clientfolio.")
        PERIODIC[name] = Periodic(name, task, every, at, description)
        return task

    return register


def autodiscover() -> dict[str, Periodic]:
    """Import every installed app's ``tasks`` module, so its jobs and schedules exist."""
    for config in apps.get_app_configs():
        module = f"{config.name}.tasks"
        if config.name.startswith("clientfolio.") and find_spec(module) is not None:
            import_module(module)
    return PERIODIC


class Progress:
    """Reports how far a user's job has got; the page polls it (``core.Job``).

    Called with ``done`` (and ``total`` once known) as often as the work likes; it
    writes the row about a hundred times over the whole job (every ``every`` steps,
    by default a hundredth of the total), and always at the end."""

    def __init__(self, job_id: int, *, every: int | None = None) -> None:
        self.job_id = job_id
        self.fixed = every is not None
        self.every = max(1, every or 1)
        self._last = 0
        self._total: int | None = None

    def __call__(self, done: int, total: int | None = None) -> None:
        from clientfolio.core.models import Job

        new_total = total is not None and total != self._total
        if new_total and not self.fixed:
            self.every = max(1, (total or 0) // 100)
        if not new_total and done - self._last < self.every and done != total:
            return
        self._last = done
        fields: dict[str, Any] = {"done": done}
        if total is not None:
            fields["total"] = self._total = total
        Job.objects.filter(pk=self.job_id).update(**fields)


def start_job(
    task: Task[Any, Any],
    *,
    user: Any,
    kind: str,
    title: str,
    params: dict[str, Any] | None = None,
    project: Any = None,
) -> Any:
    """Create the ``Job`` row a page shows and queue ``task(job_id)`` after commit.

    The task runs the work inside ``core.jobs.run_job``, which records the outcome."""
    from clientfolio.core.models import Job

    job = Job.objects.create(
        kind=kind,
        title=title[:200],
        user=user,
        params=params or {},
        project_id=getattr(project, "pk", project),
    )
    enqueue_on_commit(task, job.pk)
    return job


def run_job(job_id: int, work: Callable[[Any, Progress], dict[str, Any]]) -> None:
    """Run ``work(job, progress)`` for a queued ``Job``: mark it running, then done with
    the result ``work`` returns, or failed with the error's message. Running a finished
    job again does nothing."""
    from clientfolio.core.models import Job

    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.is_finished:
        return
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.RUNNING, started_at=timezone.now()
    )
    try:
        result = work(job, Progress(job_id))
    except Exception as error:
        logger.exception("Job %s (%s) failed", job_id, job.kind)
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.FAILED,
            message=str(error)[:2000],
            finished_at=timezone.now(),
        )
        _tell_finished(job_id)
        return
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.DONE, result=result or {}, finished_at=timezone.now()
    )
    _tell_finished(job_id)


def _tell_finished(job_id: int) -> None:
    from clientfolio.core import events
    from clientfolio.core.models import Job

    job = Job.objects.get(pk=job_id)
    with transaction.atomic():
        events.publish(
            events.Kind.JOB_FINISHED,
            job,
            recipients=[job.user_id],
            data={"title": job.title, "status": job.status},
            key=f"job.finished:{job.pk}",
        )
