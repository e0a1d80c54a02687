"""The one search over everything (``/search/?q=…``, issue 13) on the scale data set.

``.venv/bin/python bench/search_bench.py [--requests 30] [--profile]``

Copies the scale database of ``bench/run.py`` (its cache in ``bench/out/``, never written
to) into a fresh data folder, migrates it (DEBUG off), then, signed in with Django's test
client, times ``--requests`` requests of the search page for two users — the staff user
on the most projects (290 in the scale set) and an administrator — and three queries: a
Chinese substring of a client's name (few hits: every kind scans its whole table), a
project code and a word of meeting minutes (many hits: the scans stop at the count cap).
Also times the API with the same queries for the administrator. Prints a JSON line and
Markdown table rows (``bench/run.py`` keeps the lines that start with |). Target:
p95 ≤ 200 ms. ``--profile`` prints the time each kind takes instead.

``--database-url postgres://…`` runs the same on PostgreSQL, on a database that holds
the scale set already (``bench/pg_copy.py`` copies the SQLite one into it); it is
migrated first, so this tree's indexes are there.
"""

from __future__ import annotations

import argparse
import importlib
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

# bench/run.py: the scale database and its cache (a script beside this one, not a package)
scale = importlib.import_module("run")
portal_bench = importlib.import_module("portal_bench")

TARGET_MS = 200.0


def _users():
    from django.db.models import Count

    from clientfolio.core.models import User

    busiest = (
        User.objects.filter(is_superuser=False, role="staff")
        .annotate(n=Count("memberships"))
        .order_by("-n", "pk")
        .first()
    )
    admin = User.objects.filter(username="search.bench.admin").first()
    if admin is None:
        admin = User.objects.create_superuser(
            "search.bench.admin", password="search-bench", language="zh-hans"
        )
    return (busiest, busiest.n), admin


def _queries() -> list[tuple[str, str]]:
    from clientfolio.projects.models import Project

    code = Project.objects.order_by("pk").values_list("code", flat=True)[420]
    return [
        ("a Chinese substring (天康)", "天康"),
        (f"a project code ({code})", code),
        ("a word of minutes (演练)", "演练"),
    ]


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


def _profile(users, queries) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from clientfolio.reports.search import KINDS, search

    for user in users:
        for name, text in queries:
            started = time.perf_counter()
            search(user, text)
            whole = (time.perf_counter() - started) * 1000
            print(f"-- {user.username}: {name}: the whole search {whole:.1f} ms")
            for kind in KINDS:
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    (group,) = search(user, text, kinds=[kind])
                    ms = (time.perf_counter() - started) * 1000
                print(
                    f"   {kind:13} {ms:7.1f} ms  total {group.total:5}"
                    f"{'+' if group.capped else ' '} queries {len(captured)}"
                )
                for query in captured:
                    if float(query["time"]) > 0.02:
                        with connection.cursor() as cursor:
                            if connection.vendor == "postgresql":
                                cursor.execute("EXPLAIN " + query["sql"])
                                rows = cursor.fetchall()[:6]
                                plan = " | ".join(r[0].strip() for r in rows)
                            else:
                                cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
                                plan = "; ".join(r[-1] for r in cursor.fetchall())
                        print("      ", query["time"], plan)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL database holding the scale set (bench/pg_copy.py)",
    )
    parser.add_argument(
        "--reuse",
        type=Path,
        help="the data folder of an earlier run (its copy is migrated, not copied again)",
    )
    args = parser.parse_args()

    if args.database_url:
        import os

        data_dir = Path(tempfile.mkdtemp(prefix="clientfolio-searchbench-"))
        os.environ.update(
            CLIENTFOLIO_DATA_DIR=str(data_dir),
            DJANGO_SETTINGS_MODULE="clientfolio.settings",
            DEBUG="false",
            DATABASE_URL=args.database_url,
            ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
            LOG_LEVEL="ERROR",
        )
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        scale._call("migrate", "--noinput")
        scale._call("collectstatic", "--noinput", "-v0")
        how = "PostgreSQL, the scale set copied by bench/pg_copy.py, migrated"
    elif args.reuse:
        data_dir = args.reuse
        scale._setup_django(data_dir)
        scale._call("migrate", "--noinput")
        how = f"reused `{data_dir}` and migrated"
    else:
        data_dir = Path(tempfile.mkdtemp(prefix="clientfolio-searchbench-"))
        scale._setup_django(data_dir)
        how = portal_bench._scale_database(data_dir, args.clients)
        scale._call("collectstatic", "--noinput")
    from django.db import connection
    from django.test import Client

    (busiest, projects), admin = _users()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    queries = _queries()
    if args.profile:
        _profile([busiest, admin], queries)
        return
    timings: dict[str, dict] = {}
    for user, who in ((busiest, f"staff on {projects} projects"), (admin, "admin")):
        browser = Client(headers={"accept-language": "zh-hans"})
        browser.force_login(user)
        for name, text in queries:
            for surface, path in (("page", "/search/"), ("API", "/api/v1/search/")):
                if surface == "API" and user is busiest:
                    continue
                url = f"{path}?{urlencode({'q': text})}"
                _time(browser, url, 3)
                times, cpu = _time(browser, url, args.requests)
                timings[f"{surface}, {who}, {name}"] = {
                    "url": url,
                    "p50_ms": round(statistics.median(times), 1),
                    "p95_ms": round(scale._percentile(times, 0.95), 1),
                    "cpu_p95_ms": round(scale._percentile(cpu, 0.95), 1),
                }
    print(json.dumps({"database": how, "requests": args.requests, "timings": timings}))
    print("| scenario | p50 | p95 | CPU p95 | target |")
    print("| --- | ---: | ---: | ---: | --- |")
    for name, row in timings.items():
        verdict = "met" if row["p95_ms"] <= TARGET_MS else "**missed**"
        print(
            f"| search {name} | {row['p50_ms']} ms | {row['p95_ms']} ms | "
            f"{row['cpu_p95_ms']} ms | p95 ≤ {TARGET_MS:.0f} ms: {verdict} |"
        )


if __name__ == "__main__":
    main()
