"""My work, the project list and the portfolio dashboard on the scale data set.

``.venv/bin/python bench/dashboard_bench.py [--requests 50] [--profile NAME]``

Copies (or seeds) the scale database of ``bench/run.py`` into a fresh data folder (DEBUG
off), then, with the clock at the scale data's today (``bench/run.py`` TODAY), times
``--requests`` requests of each page through Django's test client, signed in as the
manager of the busiest project (who is on 290 projects) and as an administrator (all
1,000 projects). Prints a JSON line and Markdown table rows (``bench/run.py`` keeps the
lines that start with |). Targets (issue 13): My work p95 ≤ 150 ms for the manager,
the portfolio p95 ≤ 300 ms, the project list p95 ≤ 150 ms.
"""

from __future__ import annotations

import argparse
import importlib
import json
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


def _time(client, url: str, n: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of ``n`` requests. SQLite runs in this process, so
    the CPU time is the request's whole work: on a machine shared with other jobs it is
    the fairer figure (wall time then includes waiting for a core)."""
    times, cpu = [], []
    for _ in range(n):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times, cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--profile", help="profile the last scenario whose URL is this")
    parser.add_argument("--only", help="time only the scenarios whose URL is this")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="clientfolio-dashbench-"))
    scale._setup_django(data_dir)
    how = portal_bench._scale_database(data_dir, args.clients)
    scale._call("collectstatic", "--noinput")

    import time_machine
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from clientfolio.core.models import User
    from clientfolio.projects.models import Project

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    busiest = (
        Project.objects.annotate(records=Count("comm_records"))
        .order_by("-records")
        .select_related("manager")
        .first()
    )
    manager = busiest.manager
    on = Project.objects.filter(memberships__user=manager).distinct().count()
    admin = User.objects.filter(role="admin").order_by("pk").first()
    if admin is None:
        admin = User.objects.create_user("bench.admin", password="x", role="admin")
    open_projects = Project.objects.open().count()

    travel = time_machine.travel(
        datetime.combine(scale.TODAY, datetime.min.time()).replace(hour=2, tzinfo=UTC),
        tick=True,
    )
    travel.start()
    browsers = {}
    for name, user in (("manager", manager), ("admin", admin)):
        browser = Client(headers={"accept-language": "zh-hans"})
        browser.force_login(user)
        browsers[name] = browser
    scenarios = [
        (f"My work, manager on {on} projects", "manager", "/", 150),
        ("Project list, manager, page 1 with health", "manager", "/projects/", 150),
        (f"Portfolio, manager ({on} projects)", "manager", "/reports/portfolio/", 300),
        (
            f"Portfolio, administrator ({open_projects:,} open projects)",
            "admin",
            "/reports/portfolio/",
            300,
        ),
    ]
    if args.profile:
        for _name, who, url, _target in reversed(scenarios):
            if url == args.profile:
                portal_bench._profile(browsers[who], url)
                return
        raise SystemExit(f"no scenario at {args.profile}")
    rows = []
    for name, who, url, target in scenarios:
        if args.only and url != args.only:
            continue
        _time(browsers[who], url, 3)
        times, cpu = _time(browsers[who], url, args.requests)
        rows.append(
            {
                "scenario": name,
                "url": url,
                "p50_ms": round(statistics.median(times), 1),
                "p95_ms": round(scale._percentile(times, 0.95), 1),
                "cpu_p95_ms": round(scale._percentile(cpu, 0.95), 1),
                "target_ms": target,
            }
        )
    travel.stop()
    print(json.dumps({"database": how, "requests": args.requests, "rows": rows}))
    print("| scenario | p50 | p95 | CPU p95 | target | |")
    print("| --- | ---: | ---: | ---: | --- | --- |")
    for row in rows:
        ok = "✅" if row["p95_ms"] <= row["target_ms"] else "❌"
        print(
            f"| {row['scenario']} | {row['p50_ms']} ms | {row['p95_ms']} ms "
            f"| {row['cpu_p95_ms']} ms | p95 ≤ {row['target_ms']} ms | {ok} |"
        )


if __name__ == "__main__":
    main()
