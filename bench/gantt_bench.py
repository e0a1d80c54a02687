"""Benchmark of the Gantt chart: ``.venv/bin/python bench/gantt_bench.py``.

In a fresh SQLite database in a temporary data folder, seeds one project of 10,000 tasks
and about 15,000 dependencies (``schedule.scale.seed``, which writes through
``bulk_create``) and a second one of 2,000 tasks, then times:

* ``schedule.gantt.gantt_data`` for the 10,000-task project, in process (p50 and p95 of
  10 calls after one warm-up); target ≤ 1 s;
* the first render of the 2,000-task Gantt in headless Chromium (Debian's, through
  Playwright), from navigation start until the chart has drawn (``data-gantt-ready``),
  against ``manage.py runserver``; p50 of 5 loads; target ≤ 2 s. Skipped without Chromium.

``main()`` prints a Markdown table and returns its rows (scenario, p50, p95, target).
"""

from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TODAY = date(2026, 6, 30)


def _setup(data_dir: str) -> None:
    os.environ["CLIENTFOLIO_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clientfolio.settings")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _seed() -> tuple[Any, Any, Any]:
    """The manager, the 10,000-task project and the 2,000-task project."""
    from clientfolio.clients.models import Client
    from clientfolio.core.models import User
    from clientfolio.projects.models import Membership, Project
    from clientfolio.schedule import scale

    user = User.objects.create_user("bench", password="bench-pw-2026", role="staff")
    client = Client.objects.create(name="基准测试客户", owner=user)
    big = Project.objects.create(
        code="BENCH-10K",
        name="万级任务项目",
        client=client,
        manager=user,
        starts_on=date(2026, 1, 5),
    )
    scale.seed(tasks=10_000, biggest=10_000, biggest_links=15_000, today=TODAY)
    medium = Project.objects.create(
        code="BENCH-2K",
        name="两千任务项目",
        client=client,
        manager=user,
        starts_on=date(2026, 1, 5),
    )
    # seed() fills every existing project, so the second one is made afterwards.
    _seed_only(medium, 2_000)
    for project in (big, medium):
        Membership.objects.get_or_create(
            project=project, user=user, defaults={"role": "manager"}
        )
    return user, big, medium


def _seed_only(project: Any, size: int) -> None:
    import random

    from clientfolio.schedule import scale

    plan, links = scale._plan(random.Random(7), project, size, 1.5)
    from clientfolio.schedule import services
    from clientfolio.schedule.models import Dependency, Task

    phases = [t for t in plan if not hasattr(t, "_cf_parent_index")]
    Task.objects.bulk_create(phases, batch_size=1000)
    for task in plan:
        if hasattr(task, "_cf_parent_index"):
            task.parent = plan[task._cf_parent_index]
    Task.objects.bulk_create(
        [t for t in plan if hasattr(t, "_cf_parent_index")], batch_size=1000
    )
    Dependency.objects.bulk_create(
        [
            Dependency(
                project=project, predecessor=plan[a], successor=plan[b], kind=k, lag=lag
            )
            for a, b, k, lag in links
        ],
        batch_size=2000,
    )
    services.recompute(project, status_date=TODAY)


def time_gantt_data(project: Any, runs: int = 10) -> tuple[float, float, int]:
    """p50 and p95 in seconds of building the project's Gantt data, and its task count."""
    from clientfolio.schedule.gantt import gantt_data

    data = gantt_data(project, today=TODAY)  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        gantt_data(project, today=TODAY)
        times.append(time.perf_counter() - started)
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return statistics.median(times), p95, len(data["tasks"])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def time_first_render(
    user: Any, project: Any, data_dir: str, loads: int = 5
) -> list[float] | None:
    """Seconds from navigation start to the drawn chart, per load; None without Chromium."""
    if not Path(CHROMIUM).exists():
        return None
    from django.test import Client as DjangoClient
    from playwright.sync_api import sync_playwright

    client = DjangoClient()
    client.force_login(user)
    session = client.cookies["sessionid"].value
    port = _free_port()
    env = {**os.environ, "CLIENTFOLIO_DATA_DIR": data_dir, "DEBUG": "true"}
    server = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "runserver",
            "--noreload",
            f"127.0.0.1:{port}",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        results = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1400, "height": 900})
            context.add_cookies([{"name": "sessionid", "value": session, "url": base}])
            page = context.new_page()
            url = f"{base}/projects/{project.pk}/schedule/gantt/"
            page.goto(url)  # warm-up: static files and the server's first request
            page.wait_for_selector(
                "[data-gantt-ready]", state="attached", timeout=30_000
            )
            for _ in range(loads):
                page.goto(url)
                page.wait_for_selector(
                    "[data-gantt-ready]", state="attached", timeout=30_000
                )
                elapsed = page.evaluate(
                    "Number(document.querySelector('[data-gantt]').dataset.ganttReady)"
                    " - performance.timeOrigin"
                )
                results.append(elapsed / 1000)
            browser.close()
        return results
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> list[tuple[str, str, str, str]]:
    data_dir = tempfile.mkdtemp(prefix="cf-gantt-bench-")
    _setup(data_dir)
    started = time.perf_counter()
    user, big, medium = _seed()
    seeded = time.perf_counter() - started
    from clientfolio.schedule.models import Dependency

    links = Dependency.objects.filter(project=big).count()
    p50, p95, count = time_gantt_data(big)
    rows = [
        (
            f"Gantt data, {count:,} tasks / {links:,} dependencies (in process)",
            f"{p50 * 1000:.0f} ms",
            f"{p95 * 1000:.0f} ms",
            "≤ 1 s",
        )
    ]
    renders = time_first_render(user, medium, data_dir)
    if renders:
        renders.sort()
        rows.append(
            (
                "Gantt first render, 2,000 tasks (headless Chromium)",
                f"{statistics.median(renders) * 1000:.0f} ms",
                f"{renders[-1] * 1000:.0f} ms (max)",
                "≤ 2 s",
            )
        )
    shutil.rmtree(data_dir, ignore_errors=True)
    print(f"Seeded in {seeded:.1f} s.")
    print("| scenario | p50 | p95 | target |")
    print("| --- | --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return rows


if __name__ == "__main__":
    main()
