"""The client portal for a contact whose client has 50 projects, on the scale data set.

``.venv/bin/python bench/portal_bench.py [--requests 50]``

Copies (or seeds) the scale database of ``bench/run.py`` into a fresh data folder
(DEBUG off), moves 50 of its projects to one client — the 10,000-task project among them —
and gives that client a contact with a portal login. Ten of the projects get a change
request awaiting the client's decision, ten a deliverable submitted for acceptance and ten
a meeting whose minutes wait for the contact's confirmation, so "waiting for you" is
full. Then, signed in as the contact with Django's test client, times ``--requests``
requests each of the portal's home page, a typical project's page and the 10,000-task
project's page. Prints a JSON line and Markdown table rows (``bench/run.py`` keeps the
lines that start with |). Target (issue 12): p95 ≤ 100 ms.
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

# bench/run.py: the scale database and its cache (a script beside this one, not a package)
scale = importlib.import_module("run")

TARGET_MS = 100.0
PROJECTS = 50


def _time(client, url: str, n: int) -> list[float]:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times


def _portal_client():
    """One client with 50 projects (the largest plan among them), its contact with a
    portal login, and something waiting in thirty of the projects."""
    from datetime import datetime, timedelta
    from datetime import time as day_time
    from decimal import Decimal

    from django.db.models import Count
    from django.utils import timezone

    from clientfolio.clients.models import Client, Contact
    from clientfolio.comms.models import CommRecord, Participant
    from clientfolio.core.models import User
    from clientfolio.projects.models import ChangeRequest, Project
    from clientfolio.quality.models import Deliverable

    biggest = (
        Project.objects.annotate(n=Count("tasks")).order_by("-n").values_list("pk", "n")
    ).first()
    others = list(
        Project.objects.exclude(pk=biggest[0])
        .filter(status__in=["active", "on_hold", "proposed"])
        .order_by("pk")
        .values_list("pk", flat=True)[: PROJECTS - 1]
    )
    ids = [biggest[0], *others]
    client = Client.objects.order_by("pk").first()
    Project.objects.filter(pk__in=ids).update(client=client, status="active")
    user = User.objects.create_user(
        "portal.bench", password="portal-bench", role="client", language="zh-hans"
    )
    contact = Contact.objects.create(
        client=client, name="王敏", email="wang.min@example.cn", portal_user=user
    )
    projects = list(Project.objects.filter(pk__in=ids).order_by("pk"))
    today = scale.TODAY
    for index, project in enumerate(projects[:10]):
        ChangeRequest.objects.create(
            project=project,
            number=9000 + index,
            title=f"增加报表模块 {index}",
            requested_on=today - timedelta(days=index),
            schedule_impact_days=5,
            cost_impact=Decimal("30000"),
            status="awaiting_client",
        )
    for index, project in enumerate(projects[10:20]):
        Deliverable.objects.create(
            project=project, name=f"阶段成果 {index}", status="submitted"
        )
    for index, project in enumerate(projects[20:30]):
        record = CommRecord.objects.create(
            project=project,
            kind="meeting",
            subject=f"周例会 {index}",
            occurred_at=timezone.make_aware(datetime.combine(today, day_time(10))),
            minutes_sent_at=timezone.now(),
        )
        Participant.objects.create(record=record, contact=contact)
    return user, projects[0], projects[1], biggest[1]


def _scale_database(data_dir: Path, clients: int) -> str:
    """The scale database of ``bench/run.py``: its cache when it is current, else the
    newest cached one brought up to date by ``migrate`` (the data do not change with a
    migration that adds a table), else seeded anew."""
    import shutil

    current = scale.OUT / f"{scale._schema_key(clients)}.sqlite3"
    older = sorted(
        scale.OUT.glob(f"scale-{clients}-*.sqlite3"), key=lambda p: p.stat().st_mtime
    )
    if not current.exists() and older:
        shutil.copyfile(older[-1], data_dir / "clientfolio.sqlite3")
        scale._call("migrate", "--noinput")
        return f"copied from cache `bench/out/{older[-1].name}` and migrated"
    how, _seconds = scale.prepare_database(data_dir, clients, reseed=False)
    return how


def _profile(browser, url: str) -> None:
    import cProfile
    import pstats

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    browser.get(url)
    with CaptureQueriesContext(connection) as queries:
        profiler = cProfile.Profile()
        profiler.enable()
        browser.get(url)
        profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(
        "clientfolio|template|render", 45
    )
    slowest = sorted(queries, key=lambda q: -float(q["time"]))[:6]
    for query in slowest:
        print(query["time"], query["sql"])
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
            for row in cursor.fetchall():
                print("   ", row[-1])
    print(len(queries), "queries")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument(
        "--profile",
        action="store_true",
        help="print where the largest project's page spends its time and its queries",
    )
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="clientfolio-portalbench-"))
    scale._setup_django(data_dir)
    how = _scale_database(data_dir, args.clients)
    scale._call("collectstatic", "--noinput")
    from django.db import connection
    from django.test import Client

    user, biggest, typical, biggest_tasks = _portal_client()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    browser = Client(headers={"accept-language": "zh-hans"})
    browser.force_login(user)
    scenarios = [
        ("portal home (50 projects, 30 things waiting)", "/portal/"),
        ("a project's page", f"/portal/projects/{typical.pk}/"),
        (
            f"the {biggest_tasks:,}-task project's page",
            f"/portal/projects/{biggest.pk}/",
        ),
    ]
    home = browser.get("/portal/").content.decode()
    assert home.count("cf-project-card-name") == PROJECTS, "not 50 projects"
    if args.profile:
        _profile(browser, scenarios[-1][1])
        return
    timings = {}
    for name, url in scenarios:
        _time(browser, url, 3)
        times = _time(browser, url, args.requests)
        timings[name] = {
            "url": url,
            "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(scale._percentile(times, 0.95), 1),
        }
    print(json.dumps({"database": how, "requests": args.requests, "timings": timings}))
    print("| scenario | p50 | p95 | target |")
    print("| --- | ---: | ---: | --- |")
    for name, row in timings.items():
        verdict = "met" if row["p95_ms"] <= TARGET_MS else "**missed**"
        print(
            f"| {name} | {row['p50_ms']} ms | {row['p95_ms']} ms | "
            f"p95 ≤ {TARGET_MS:.0f} ms: {verdict} |"
        )


if __name__ == "__main__":
    main()
