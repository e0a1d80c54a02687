"""Drafting the weekly progress report of the largest project of the scale data set.

``.venv/bin/python bench/report_bench.py [--runs 5]``

Copies the cached scale database (``bench/out/``, never written to; seeded there first
if there is none) into a fresh data folder and migrates it, gives the 10,000-task project a baseline, then times ``--runs`` drafts of
its weekly report (``reports.progress.draft``: every section, from the data) and counts
their queries. Prints a JSON line and Markdown table rows. Target (issue 13): ≤ 2 s.
"""

from __future__ import annotations

import argparse
import importlib
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

scale = importlib.import_module("run")

TARGET_S = 2.0


def _copy_database(data_dir: Path, clients: int) -> str:
    cached = sorted(
        scale.OUT.glob(f"scale-{clients}-*.sqlite3"), key=lambda p: p.stat().st_mtime
    )
    if cached:
        shutil.copyfile(cached[-1], data_dir / "clientfolio.sqlite3")
        scale._call("migrate", "--noinput")
        return f"copied from `bench/out/{cached[-1].name}` and migrated"
    how, _seconds = scale.prepare_database(data_dir, clients, reseed=False)
    return how


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--clients", type=int, default=100_000)
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="clientfolio-reportbench-"))
    scale._setup_django(data_dir)
    how = _copy_database(data_dir, args.clients)

    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    from clientfolio.projects.models import Project
    from clientfolio.reports import progress
    from clientfolio.reports.periods import period_of
    from clientfolio.schedule import services as schedule
    from clientfolio.schedule.models import Baseline

    pk, tasks = (
        Project.objects.annotate(n=Count("tasks")).order_by("-n").values_list("pk", "n")
    ).first()
    project = Project.objects.select_related("client").get(pk=pk)
    if not Baseline.objects.filter(project=project).exists():
        schedule.save_baseline(project, "基准计划", user=None)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    today = scale.TODAY
    start, end = period_of("weekly", today)
    progress.draft(project, "weekly", start, end, today=today)  # warm-up
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            data = progress.draft(project, "weekly", start, end, today=today)
        times.append(time.perf_counter() - started)
    result = {
        "database": how,
        "tasks": tasks,
        "runs": args.runs,
        "queries": len(queries),
        "median_s": round(statistics.median(times), 3),
        "max_s": round(max(times), 3),
        "percent_complete": data["progress"]["percent_complete"],
        "spi": data["progress"]["spi"],
    }
    print(json.dumps(result, ensure_ascii=False))
    print("| scenario | median | max | queries | target |")
    print("| --- | ---: | ---: | ---: | --- |")
    print(
        f"| draft the weekly report of the {tasks:,}-task project | "
        f"{result['median_s']} s | {result['max_s']} s | {len(queries)} | "
        f"≤ {TARGET_S} s |"
    )


if __name__ == "__main__":
    main()
