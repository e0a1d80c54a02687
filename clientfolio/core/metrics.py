"""Prometheus metrics (prometheus-client), scraped from ``/metrics/`` (ops.views).

Under gunicorn every worker process counts on its own; with ``PROMETHEUS_MULTIPROC_DIR``
set (deploy/gunicorn.conf.py sets it and empties it at start) they write their values
to files there and the scrape adds them up, the background worker's too when it shares
the folder (the systemd units do). Without it, one process's figures are shown.

Labels are bounded: a view is its URL name (``unmatched`` for a path no URL has), never
the path, so ids do not make a series each.
"""

from __future__ import annotations

import os
import time
from typing import Any

import prometheus_client
from django.db import connections
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

__all__ = [
    "EMAILS",
    "JOBS",
    "MetricsMiddleware",
    "email_outcome",
    "exposition",
    "job_finished",
]

REQUESTS = Counter(
    "clientfolio_http_requests",
    "HTTP requests answered, by view, method and status code.",
    ["view", "method", "status"],
)
LATENCY = Histogram(
    "clientfolio_http_request_duration_seconds",
    "Time from the request reaching Django to the response leaving it, by view.",
    ["view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
QUERIES = Counter(
    "clientfolio_db_queries",
    "Database queries run while answering requests, by view.",
    ["view"],
)
QUERIES_PER_REQUEST = Histogram(
    "clientfolio_db_queries_per_request",
    "Database queries one request ran, by view.",
    ["view"],
    buckets=(0, 1, 2, 5, 10, 20, 50, 100, 200),
)
JOBS = Counter(
    "clientfolio_jobs",
    "Background jobs finished, by job and outcome (SUCCESSFUL or FAILED).",
    ["task", "status"],
)
EMAILS = Counter(
    "clientfolio_emails",
    "E-mails handed to the mail server: sent, failed (tried again later) or "
    "given_up (failed for good).",
    ["outcome"],
)


OWN = (REQUESTS, LATENCY, QUERIES, QUERIES_PER_REQUEST, JOBS, EMAILS)


def email_outcome(outcome: str) -> None:
    EMAILS.labels(outcome).inc()


def job_finished(task: str, status: str) -> None:
    JOBS.labels(task.removeprefix("clientfolio."), status.rsplit(".", 1)[-1]).inc()


class _QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class MetricsMiddleware:
    """Counts each request with its view, status, time and database queries. Put it
    right after ``RequestIdMiddleware`` so the time covers the other middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counter = _QueryCounter()
        start = time.perf_counter()
        with connections["default"].execute_wrapper(counter):
            response = self.get_response(request)
        elapsed = time.perf_counter() - start
        match = getattr(request, "resolver_match", None)
        view = (match.view_name if match else "") or "unmatched"
        REQUESTS.labels(view, request.method, str(response.status_code)).inc()
        LATENCY.labels(view).observe(elapsed)
        QUERIES.labels(view).inc(counter.count)
        QUERIES_PER_REQUEST.labels(view).observe(counter.count)
        return response


class JobQueueCollector:
    """The jobs waiting now, per queue, and how long the oldest has waited: read from
    the jobs table at each scrape (database backend only; Celery's queues are Redis')."""

    def collect(self) -> Any:
        from django.db.models import Count, Min
        from django.utils import timezone
        from django_tasks_db.models import DBTaskResult

        depth = GaugeMetricFamily(
            "clientfolio_job_queue_depth",
            "Background jobs ready to run (due and not started), by queue.",
            labels=["queue"],
        )
        oldest = GaugeMetricFamily(
            "clientfolio_job_queue_oldest_seconds",
            "How long the oldest ready job has waited, by queue.",
            labels=["queue"],
        )
        now = timezone.now()
        rows = (
            DBTaskResult.objects.ready()
            .values("queue_name")
            .annotate(n=Count("pk"), first=Min("run_after"))
            .order_by()
        )
        for row in rows:
            depth.add_metric([row["queue_name"]], row["n"])
            oldest.add_metric(
                [row["queue_name"]], max(0.0, (now - row["first"]).total_seconds())
            )
        failed = GaugeMetricFamily(
            "clientfolio_jobs_failed_stored",
            "Failed background jobs kept in the jobs table.",
        )
        failed.add_metric([], DBTaskResult.objects.failed().count())
        yield depth
        yield oldest
        yield failed


def exposition() -> bytes:
    """The text a Prometheus server scrapes: every process's figures (multiprocess
    mode) or this one's, and the job queue."""
    from django.conf import settings

    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        for collector in (
            *OWN,
            prometheus_client.PROCESS_COLLECTOR,
            prometheus_client.PLATFORM_COLLECTOR,
            prometheus_client.GC_COLLECTOR,
        ):
            registry.register(collector)
    if settings.JOBS_BACKEND == "database":
        registry.register(JobQueueCollector())
    return generate_latest(registry)
