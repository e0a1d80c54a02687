"""Benchmark of MS Project XML imports and exports: ``.venv/bin/python bench/interchange_bench.py``.

Times, in process against SQLite in a temporary data folder:

* the import of a generated MSPDI file of 5,000 tasks (a three-level outline, about 6,000
  links of the four types with lags and leads, a calendar with exceptions, 20 people with
  an assignment each on 2,000 tasks): ``check_upload`` (read, validate, match people,
  store the run) plus ``confirm_run`` (write the plan in one transaction, renumber,
  recompute, announce); target ≤ 10 s;
* the round trip of the 10,000-task project (15,000 links): ``plan_from_project`` and
  ``mspdi.write``, then the import of that file into an empty project; target ≤ 20 s.

The 10,000-task project is generated (parallel streams of work, so that it finishes in
this century) and imported once before the timing. The scale data's biggest project
(``--scale-db PATH``: a copy of that database is migrated and its first project exported
and imported once) cannot serve: its seeded dates run to 2221, past the last plan date
(2200-12-31), so every recompute of it, an import's included, is refused. Each figure is
the median of ``--repeat`` runs (default 3). ``main()`` prints a Markdown table and
returns its rows.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 6, 30)


def _setup(data_dir: str, scale_db: Path | None) -> None:
    os.environ["CLIENTFOLIO_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clientfolio.settings")
    sys.path.insert(0, str(ROOT))
    if scale_db is not None:
        shutil.copyfile(scale_db, Path(data_dir) / "clientfolio.sqlite3")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def generated_plan(tasks: int, seed: int = 20261204):
    """A plan of ``tasks`` tasks as a project manager would build it in MS Project."""
    from decimal import Decimal

    from clientfolio.interchange import plan as p

    rng = random.Random(seed)
    rows = []
    leaves = []
    index = 0
    while index < tasks:
        rows.append(p.PlanTask(str(index + 1), f"阶段 {index + 1}", 1))
        index += 1
        for _group in range(rng.randint(2, 5)):
            if index >= tasks:
                break
            rows.append(p.PlanTask(str(index + 1), f"工作包 {index + 1}", 2))
            index += 1
            for _leaf in range(rng.randint(3, 8)):
                if index >= tasks:
                    break
                milestone = rng.random() < 0.05
                rows.append(
                    p.PlanTask(
                        str(index + 1),
                        f"任务 {index + 1}",
                        3,
                        duration=0 if milestone else rng.randint(1, 10),
                        is_milestone=milestone,
                        percent_complete=rng.choice([0, 0, 0, 30, 100]),
                    )
                )
                leaves.append(str(index + 1))
                index += 1
    # drop summary rows that ended up without children
    parents = {rows[i].key for i in p.parents(rows) if i is not None}
    rows = [r for r in rows if r.outline_level == 3 or r.key in parents]
    # One or two predecessors among the 40 leaves before: parallel streams, as in a
    # real plan (a single chain of 10,000 tasks would run for centuries).
    links = []
    for position in range(1, len(leaves)):
        for _n in range(1 if rng.random() < 0.2 else 2):
            links.append(
                p.Link(
                    leaves[max(0, position - rng.randint(1, 40))],
                    leaves[position],
                    rng.choice(["FS", "FS", "FS", "SS", "FF", "SF"]),
                    rng.choice([0, 0, 0, 1, 2, -1]),
                )
            )
    seen = set()
    links = [
        link
        for link in links
        if (link.predecessor, link.successor) not in seen
        and not seen.add((link.predecessor, link.successor))
    ]
    start = date(2026, 1, 5)
    people = [
        p.Resource(str(n), f"成员{n}", f"bench{n}@example.com") for n in range(20)
    ]
    return p.Plan(
        name="五千任务计划",
        start=start,
        tasks=rows,
        links=links,
        calendar=p.Calendar(
            "Standard",
            frozenset({0, 1, 2, 3, 4}),
            [
                p.CalendarException(start + timedelta(days=d), False, "假日")
                for d in range(30, 900, 45)
            ],
        ),
        resources=people,
        assignments=[
            p.Assignment(key, rng.choice(people).key, Decimal(rng.randint(4, 40)))
            for key in leaves[:2000]
        ],
    )


def _empty_project(user, client, code):
    from clientfolio.projects.models import Project
    from clientfolio.projects.services import create_project

    return create_project(
        Project(
            code=code,
            name=code,
            client=client,
            manager=user,
            starts_on=date(2026, 1, 5),
        ),
        user=user,
    )


def _import(user, data: bytes, project) -> tuple[float, Any]:
    from clientfolio.interchange import services

    started = time.perf_counter()
    run = services.check_upload(
        user=user, data=data, filename="bench.xml", project=project
    )
    run = services.confirm_run(run, user=user)
    seconds = time.perf_counter() - started
    assert run.status == "imported", (
        run.status,
        run.result,
        run.report["problems"][:3],
    )
    return seconds, run


def main(argv: list[str] | None = None) -> list[tuple[str, str, str, str]]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scale-db", type=Path, default=None)
    args = parser.parse_args(argv)
    data_dir = tempfile.mkdtemp(prefix="cf-interchange-bench-")
    rows = []
    try:
        _setup(data_dir, args.scale_db)
        import time_machine

        from clientfolio.clients.models import Client
        from clientfolio.core.models import User
        from clientfolio.interchange import mspdi, services
        from clientfolio.projects.models import Project

        with time_machine.travel(TODAY, tick=True):
            user = User.objects.create_user(
                "interchange-bench", password="bench-pw-2026", role="staff"
            )
            for n in range(20):
                User.objects.get_or_create(
                    username=f"bench{n}", defaults={"email": f"bench{n}@example.com"}
                )
            client = Client.objects.create(name="导入基准客户", owner=user)

            # 1. a generated file of 5,000 tasks
            data = mspdi.write(generated_plan(5000))
            imports = []
            for attempt in range(args.repeat):
                project = _empty_project(user, client, f"BENCH-5K-{attempt}")
                seconds, run = _import(user, data, project)
                imports.append(seconds)
            rows.append(
                (
                    f"MSPDI import of a generated file: {run.result['tasks']:,} tasks, "
                    f"{run.result['links']:,} links, {run.result['assignments']:,} "
                    f"assignments ({len(data) / 1e6:.1f} MB), check + confirm",
                    f"{statistics.median(imports):.2f} s",
                    f"{max(imports):.2f} s",
                    "≤ 10 s",
                )
            )

            # 2. round trip of a 10,000-task project with 15,000 links
            big = _empty_project(user, client, "BENCH-10K")
            _import(user, mspdi.write(generated_plan(10_000)), big)
            trips, exports = [], []
            for attempt in range(args.repeat):
                started = time.perf_counter()
                exported = mspdi.write(services.plan_from_project(big))
                exports.append(time.perf_counter() - started)
                project = _empty_project(user, client, f"BENCH-TRIP-{attempt}")
                seconds, run = _import(user, exported, project)
                trips.append(exports[-1] + seconds)
            fields = ("wbs", "duration", "is_milestone", "start", "finish")
            same = list(big.tasks.order_by("wbs_sort").values_list(*fields)) == list(
                run.project.tasks.order_by("wbs_sort").values_list(*fields)
            )
            rows.append(
                (
                    f"Round trip of a project of {big.tasks.count():,} tasks, "
                    f"{big.dependencies.count():,} links: export (median "
                    f"{statistics.median(exports):.2f} s) + import"
                    + (", same schedule" if same else " — SCHEDULE DIFFERS"),
                    f"{statistics.median(trips):.2f} s",
                    f"{max(trips):.2f} s",
                    "≤ 20 s",
                )
            )

            # 3. the scale data's biggest project, when its database is given
            if args.scale_db is not None:
                scale = Project.objects.order_by("id").first()
                started = time.perf_counter()
                exported = mspdi.write(services.plan_from_project(scale))
                export_seconds = time.perf_counter() - started
                project = _empty_project(user, client, "BENCH-SCALE-TRIP")
                started = time.perf_counter()
                run = services.confirm_run(
                    services.check_upload(
                        user=user, data=exported, filename="scale.xml", project=project
                    ),
                    user=user,
                )
                rows.append(
                    (
                        f"Scale data's biggest project ({scale.tasks.count():,} tasks, "
                        f"{scale.dependencies.count():,} links): export, then import "
                        f"({run.status}: {run.result.get('error', '')[:60]})",
                        f"{export_seconds:.2f} s + {time.perf_counter() - started:.2f} s",
                        "",
                        "≤ 20 s",
                    )
                )
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    print("| scenario | median | worst | target |\n| --- | --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return rows


if __name__ == "__main__":
    main()
