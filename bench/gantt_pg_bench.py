"""A Gantt resize (and the grid's edit) on a 5,000-task project on PostgreSQL, to find
where the time goes (issue 14: "a median of 619 ms, and one of twelve took 12.6 s").

``DATABASE_URL=postgres://… .venv/bin/python bench/gantt_pg_bench.py [--requests 12]``

Migrates the (empty) database, seeds one project of 5,000 tasks and 7,500 links and 19
small ones (``schedule.scale.seed``, as ``seed-scale`` does), then POSTs ``--requests``
Gantt resizes of a task halfway down the plan, then as many grid edits of its duration,
each signed in as the manager with Django's test client. Every SQL statement is timed
(``connection.execute_wrapper``); for each request the script prints its wall time, the
time in SQL and its slowest statement, so an outlier names its cause. ``--no-analyze``
skips the ``ANALYZE`` after seeding (what a fresh import leaves to autovacuum).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 6, 30)


def _setup() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to an empty PostgreSQL database.")
    os.environ["CLIENTFOLIO_DATA_DIR"] = tempfile.mkdtemp(prefix="clientfolio-pgbench-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "clientfolio.settings"
    os.environ["DEBUG"] = "false"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _seed(tasks: int):
    from clientfolio.clients.models import Client
    from clientfolio.core.models import User
    from clientfolio.projects.models import Membership, Project
    from clientfolio.schedule import scale

    user = User.objects.filter(username="pgbench").first()
    if user is not None:
        return user, Project.objects.order_by("pk").first()
    user = User.objects.create_user("pgbench", password="pgbench-2026", role="staff")
    client = Client.objects.create(name="基准测试客户", owner=user)
    projects = [
        Project.objects.create(
            code=f"PGB-{i:02d}",
            name=f"基准项目{i}",
            client=client,
            manager=user,
            starts_on=date(2026, 1, 5),
        )
        for i in range(20)
    ]
    for project in projects:
        Membership.objects.get_or_create(
            project=project, user=user, defaults={"role": "manager"}
        )
    started = time.perf_counter()
    scale.seed(
        tasks=tasks + 19 * 100,
        biggest=tasks,
        biggest_links=tasks * 3 // 2,
        today=TODAY,
    )
    print(f"seeded in {time.perf_counter() - started:.1f} s")
    return user, projects[0]


class Timer:
    """Times every statement of a request."""

    def __init__(self) -> None:
        self.statements: list[tuple[float, str]] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.statements.append(((time.perf_counter() - started) * 1000, sql))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=12)
    parser.add_argument("--tasks", type=int, default=5_000)
    parser.add_argument("--no-analyze", action="store_true")
    args = parser.parse_args()
    _setup()
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from clientfolio.schedule.models import Task

    user, project = _seed(args.tasks)
    if not args.no_analyze:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    ids = list(
        Task.objects.filter(project=project, is_summary=False)
        .order_by("wbs_sort", "id")
        .values_list("id", flat=True)
    )
    task_id = ids[len(ids) // 2]
    print(f"project {project.pk}: {len(ids):,} leaf tasks; task {task_id}")
    from django.urls import get_resolver

    from clientfolio.schedule.models import ProjectSchedule

    # As clientfolio/wsgi.py does at start: import the URL modules and views before the
    # first request (a cold worker's first request spent seconds importing them).
    get_resolver().url_patterns  # noqa: B018
    # The status date back to "today": when it moves (every morning, for a plan without
    # one), the next edit moves every task that has not started and rewrites them all.
    ProjectSchedule.objects.filter(project=project).update(status_date=None)
    browser = Client()
    browser.force_login(user)

    def version():
        return Task.objects.values_list("version", flat=True).get(pk=task_id)

    def resize(i):
        return browser.post(
            reverse("schedule:gantt_update", kwargs={"pk": project.pk}),
            json.dumps(
                {
                    "task": task_id,
                    "version": version(),
                    "action": "resize",
                    "value": 3 + i % 2,
                }
            ),
            content_type="application/json",
        )

    def grid_edit(i):
        return browser.post(
            reverse("plan-grid-cell", kwargs={"pk": project.pk}),
            json.dumps(
                {
                    "task": task_id,
                    "version": version(),
                    "field": "duration",
                    "value": str(3 + i % 2),
                }
            ),
            content_type="application/json",
        )

    for name, post in (("Gantt resize", resize), ("grid duration edit", grid_edit)):
        walls = []
        print(f"\n{name}: request, wall ms, SQL ms, statements, slowest statement")
        for i in range(args.requests):
            timer = Timer()
            started = time.perf_counter()
            with connection.execute_wrapper(timer):
                response = post(i)
            wall = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, response.content[:300]
            walls.append(wall)
            sql = sum(ms for ms, _ in timer.statements)
            slow_ms, slow_sql = max(timer.statements)
            print(
                f"{i + 1:2d} {wall:8.0f} {sql:8.0f} {len(timer.statements):4d} "
                f"{slow_ms:7.0f} ms  {slow_sql[:110]}"
            )
        ordered = sorted(walls)
        print(
            f"{name}: median {statistics.median(walls):.0f} ms, "
            f"p95 {ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]:.0f} ms, "
            f"max {ordered[-1]:.0f} ms"
        )


if __name__ == "__main__":
    main()
