"""The scale-out backend: Django's Tasks API on Celery workers over Redis.

``CeleryBackend.enqueue`` sends one Celery message naming the task's module path and its
arguments; any Celery worker (``clientfolio worker`` with ``JOBS_BACKEND=celery``, on as
many machines as needed) imports the task and calls it. Celery beat calls
``core.jobs.schedule.tick`` every ``PERIODIC_TICK_SECONDS``, so periodic jobs keep one
schedule, visible to administrators, whichever backend runs them.
"""

from __future__ import annotations

import os
from typing import Any

from celery import Celery
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.base import Task, TaskResult, TaskResultStatus
from django_tasks.signals import task_enqueued

from clientfolio.core.jobs.schedule import PERIODIC_TICK_SECONDS

__all__ = ["CeleryBackend", "app"]

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clientfolio.settings")
app = Celery("clientfolio")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.beat_schedule = {
    "clientfolio-periodic-jobs": {
        "task": "clientfolio.periodic_tick",
        "schedule": PERIODIC_TICK_SECONDS,
    }
}


@app.task(name="clientfolio.run_task")
def run_task(module_path: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """Run one Django task on this Celery worker."""
    task: Task[Any, Any] = import_string(module_path)
    return task.call(*args, **kwargs)


@app.task(name="clientfolio.periodic_tick")
def periodic_tick() -> list[str]:
    from clientfolio.core.jobs.schedule import tick

    return tick()


class CeleryBackend(BaseTaskBackend):
    supports_defer = True

    def enqueue(self, task: Task[Any, Any], args: Any, kwargs: Any) -> TaskResult[Any]:
        self.validate_task(task)
        result: TaskResult[Any] = TaskResult(
            task=task,
            id=get_random_string(32),
            status=TaskResultStatus.READY,
            enqueued_at=timezone.now(),
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=list(args),
            kwargs=dict(kwargs),
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        run_task.apply_async(
            args=[task.module_path, result.args, result.kwargs],
            task_id=result.id,
            queue=task.queue_name,
            eta=task.run_after,
        )
        task_enqueued.send(type(self), task_result=result)
        return result
