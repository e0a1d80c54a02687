"""``clientfolio health``: the checks of ``/health/`` from the command line (database,
file storage, and the cache when it is Redis), for an operator who has just set a
server's variables, before any web server runs. ``--workers`` also asks the Celery
workers (``JOBS_BACKEND=celery``) to answer. ``--wait SECONDS`` tries again until all
are ok. Prints one JSON object; exits 0 when everything is ok, else 1."""

from __future__ import annotations

import json
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django_tasks import task_backends

from clientfolio.core.jobs.celery_backend import CeleryBackend, app
from clientfolio.core.views import run_health_checks


def _workers_answer() -> str:
    replies = app.control.ping(timeout=2.0)
    return "ok" if replies else "error"


class Command(BaseCommand):
    help = (
        "Check that the database, the file storage and the cache (Redis) answer; with "
        "--workers also the Celery workers. Exit status 0 when all do."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--workers",
            action="store_true",
            help="Also ask the Celery workers (JOBS_BACKEND=celery) to answer.",
        )
        parser.add_argument(
            "--wait",
            type=float,
            default=0,
            help="Seconds to keep trying until everything answers.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["workers"] and not isinstance(
            task_backends["default"], CeleryBackend
        ):
            raise CommandError(
                _(
                    "--workers asks Celery workers: set JOBS_BACKEND=celery. The "
                    "database backend's worker shows in /metrics/ "
                    "(clientfolio_job_queue_oldest_seconds)."
                )
            )
        deadline = time.monotonic() + options["wait"]
        while True:
            results = run_health_checks()
            if options["workers"]:
                try:
                    results["workers"] = _workers_answer()
                except Exception:
                    results["workers"] = "error"
            healthy = all(value == "ok" for value in results.values())
            if healthy or time.monotonic() >= deadline:
                break
            time.sleep(0.5)
        self.stdout.write(json.dumps(results))
        if not healthy:
            raise SystemExit(1)
