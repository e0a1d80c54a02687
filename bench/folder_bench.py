"""The folder overview and the time list of the busiest project on the scale data set.

``.venv/bin/python bench/folder_bench.py [--requests 50] [--profile URL] [--only URL]``

Copies (or seeds) the scale database of ``bench/run.py`` into a fresh data folder (DEBUG
off), then, with the clock at the scale data's today (``bench/run.py`` TODAY), times
``--requests`` requests of each page through Django's test client: the folder overview of
the busiest project (the most communication records) signed in as its manager, and the
time list of the project with the most time entries (50,000) signed in as its manager, the
first page and a filtered one. Each scenario is timed cold (the first request after a
write, which empties the cross-request caches of ``core.caching``) and warm. Prints a JSON
line and Markdown table rows (``bench/run.py`` keeps the lines that start with |).
Targets (issue 15): p95 ≤ 150 ms, wall and CPU. ``--profile URL`` prints a cProfile of
one warm request of that URL and its queries instead.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

# bench/run.py: the scale database and its cache (a script beside this one, not a package)
scale = importlib.import_module("run")
portal_bench = importlib.import_module("portal_bench")
TARGET_MS = 150


def _time(client, url: str, n: int, cold: bool) -> tuple[list[float], list[float], int]:
    """Wall-clock and CPU milliseconds of ``n`` requests, and the queries of the last.
    ``cold``: every cache generation is bumped before each request, as a write would."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    try:
        from clientfolio.core import caching
    except ImportError:  # before the caches existed: cold is warm
        cold = False

    times, cpu = [], []
    queries = 0
    for _ in range(n):
        if cold:
            caching.bump_all_for_benchmark()
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        queries = len(captured)
        assert response.status_code == 200, (url, response.status_code)
    return times, cpu, queries


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--profile", help="profile one warm request of this URL")
    parser.add_argument("--only", help="time only the scenarios whose URL is this")
    args = parser.parse_args()

    # One process with a per-process cache: cache across requests as Redis would.
    os.environ.setdefault("CACHE_ACROSS_REQUESTS", "true")
    data_dir = Path(tempfile.mkdtemp(prefix="clientfolio-folderbench-"))
    scale._setup_django(data_dir)
    how = portal_bench._scale_database(data_dir, args.clients)
    scale._call("collectstatic", "--noinput")

    import time_machine
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from clientfolio.finance.models import TimeEntry
    from clientfolio.projects.models import Project

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    busiest = (
        Project.objects.annotate(records=Count("comm_records"))
        .order_by("-records")
        .select_related("manager")
        .first()
    )
    by_time = (
        TimeEntry.objects.values("project_id")
        .annotate(n=Count("id"))
        .order_by("-n", "project_id")
        .first()
    )
    timed = Project.objects.select_related("manager").get(pk=by_time["project_id"])
    person = (
        TimeEntry.objects.filter(project=timed)
        .values_list("user_id", flat=True)
        .first()
    )
    travel = time_machine.travel(
        datetime.combine(scale.TODAY, datetime.min.time()).replace(hour=2, tzinfo=UTC),
        tick=True,
    )
    travel.start()
    browsers = {}
    for name, user in (("busiest", busiest.manager), ("timed", timed.manager)):
        browser = Client(headers={"accept-language": "zh-hans"})
        browser.force_login(user)
        browsers[name] = browser
    time_url = f"/projects/{timed.pk}/finance/time/"
    scenarios = [
        (
            f"Folder overview, busiest project ({busiest.records:,} records)",
            "busiest",
            f"/projects/{busiest.pk}/",
        ),
        (
            f"Time list, project with {by_time['n']:,} time entries",
            "timed",
            time_url,
        ),
        ("Time list, filtered by person", "timed", f"{time_url}?person={person}"),
    ]
    if timed.pk != busiest.pk:
        scenarios.append(
            (
                "Time list of the busiest project",
                "busiest",
                f"/projects/{busiest.pk}/finance/time/",
            )
        )
    if args.profile:
        for _name, who, url in scenarios:
            if url == args.profile:
                portal_bench._profile(browsers[who], url)
                return
        raise SystemExit(f"no scenario at {args.profile}")
    rows = []
    for name, who, url in scenarios:
        if args.only and url != args.only:
            continue
        for cold in (True, False):
            _time(browsers[who], url, 3, cold)
            times, cpu, queries = _time(browsers[who], url, args.requests, cold)
            rows.append(
                {
                    "scenario": f"{name}, {'after a write' if cold else 'warm'}",
                    "url": url,
                    "p50_ms": round(statistics.median(times), 1),
                    "p95_ms": round(scale._percentile(times, 0.95), 1),
                    "cpu_p95_ms": round(scale._percentile(cpu, 0.95), 1),
                    "queries": queries,
                }
            )
    travel.stop()
    print(json.dumps({"database": how, "requests": args.requests, "rows": rows}))
    print("| scenario | p50 | p95 | CPU p95 | queries | target | |")
    print("| --- | ---: | ---: | ---: | ---: | --- | --- |")
    for row in rows:
        ok = "✅" if max(row["p95_ms"], row["cpu_p95_ms"]) <= TARGET_MS else "❌"
        print(
            f"| {row['scenario']} | {row['p50_ms']} ms | {row['p95_ms']} ms "
            f"| {row['cpu_p95_ms']} ms | {row['queries']} | p95 ≤ {TARGET_MS} ms "
            f"| {ok} |"
        )


if __name__ == "__main__":
    main()
