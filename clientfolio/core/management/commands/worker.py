"""``clientfolio worker``: run background jobs, and the periodic schedule.

With the database backend (the default) this is one process that works the jobs table
and ticks the schedule of periodic jobs in a thread; run as many as you like, each run
and each periodic run is claimed once. With ``JOBS_BACKEND=celery`` it starts a Celery
worker on the ``default``, ``mail`` and ``hooks`` queues; ``--beat`` adds Celery beat,
which ticks the same schedule (run it on one machine only).
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils.crypto import get_random_string
from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker

from clientfolio.core.jobs.celery_backend import CeleryBackend
from clientfolio.core.jobs.schedule import PERIODIC_TICK_SECONDS, tick

logger = logging.getLogger("clientfolio.worker")

QUEUES = ["default", "mail", "hooks"]


class Command(BaseCommand):
    help = "Run background jobs and the schedule of periodic jobs."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds between polls."
        )
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Tick the schedule once, run every queued job, then exit.",
        )
        parser.add_argument(
            "--no-schedule",
            action="store_true",
            help="Do not run periodic jobs from this worker.",
        )
        parser.add_argument(
            "--beat", action="store_true", help="Celery only: also run Celery beat."
        )
        parser.add_argument(
            "--concurrency", type=int, default=0, help="Celery only: worker processes."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        backend = task_backends["default"]
        if isinstance(backend, CeleryBackend):
            self.run_celery(options)
            return
        if not isinstance(backend, DatabaseBackend):
            raise CommandError(
                f"The job backend {type(backend).__name__} runs jobs in the request; "
                "there is nothing for a worker to do (JOBS_BACKEND=database)."
            )
        worker = Worker(
            queue_names=["*"],
            interval=options["interval"],
            batch=options["batch"],
            backend_name="default",
            startup_delay=not options["batch"],
            max_tasks=None,
            worker_id=get_random_string(32),
            excluded_queue_names=[],
        )
        if not options["no_schedule"]:
            if options["batch"]:
                tick()
                close_old_connections()
            else:
                threading.Thread(target=self.schedule_loop, daemon=True).start()
        if not options["batch"]:
            worker.configure_signals()
            self.stdout.write("Worker started (database backend); Ctrl+C stops it.")
        worker.run()

    @staticmethod
    def schedule_loop() -> None:
        stop = threading.Event()
        while True:
            try:
                tick()
            except Exception:
                logger.exception("The schedule of periodic jobs failed to tick")
            finally:
                close_old_connections()
            stop.wait(PERIODIC_TICK_SECONDS)

    def run_celery(self, options: dict[str, Any]) -> None:
        from clientfolio.core.jobs.celery_backend import app

        argv = ["worker", "--loglevel=INFO", "--queues=" + ",".join(QUEUES)]
        if options["concurrency"]:
            argv.append(f"--concurrency={options['concurrency']}")
        if options["beat"]:
            argv.append("--beat")
        app.worker_main(argv)
