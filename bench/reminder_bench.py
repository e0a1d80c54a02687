"""The daily reminder sweep over the scale data set, on SQLite, run twice.

``.venv/bin/python bench/reminder_bench.py [--database PATH] [--clients 100000]``

In a temporary data folder: the scale database of ``bench/run.py`` (its cache in
``bench/out/``; a cached file of an older schema is copied and migrated rather than
seeded again; ``--database`` copies a given seeded file instead), then what the scale set
lacks for reminders is added with ``bulk_create`` (not timed): one follow-up visit (回访) per
client, planned within two months either side of the scale data's today (a third done),
one or two assignees per task from its project's team, and an issued invoice per project
whose client has a contract. Then ``notifications.reminders.sweep`` runs with the scale
data's today (``bench/run.py`` TODAY) on the database jobs backend, as the worker would run
it (delivery is queued, not run), and again: the second run must publish nothing.
Prints a JSON line and Markdown table rows (``bench/run.py`` keeps the lines that start
with |).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import run as bench_run  # noqa: E402  (bench/run.py: TODAY, set-up, the cache)

TARGET_SECONDS = 30.0
BATCH = 5000


def _database(data_dir: Path, clients: int, given: str | None) -> str:
    """Put a seeded scale database in ``data_dir``; returns where it came from."""
    exact = bench_run.OUT / f"{bench_run._schema_key(clients)}.sqlite3"
    older = sorted(
        bench_run.OUT.glob(f"scale-{clients}-*.sqlite3"),
        key=lambda p: p.stat().st_mtime,
    )
    source = Path(given) if given else None
    if source is None and not exact.exists() and older:
        source = older[-1]
    if source is None:
        how, _seconds = bench_run.prepare_database(data_dir, clients, reseed=False)
        return how
    shutil.copyfile(source, data_dir / "clientfolio.sqlite3")
    bench_run._call("migrate", "--noinput")
    return f"copied from `{source.name}` and migrated"


def _top_up() -> dict[str, int]:
    """What reminders need and the scale set does not have; returns the rows added."""
    from clientfolio.clients.models import Client, Contract, FollowUp
    from clientfolio.finance.models import Invoice
    from clientfolio.projects.models import Membership, Project
    from clientfolio.schedule.models import Assignment, Task

    today = bench_run.TODAY
    rng = random.Random(bench_run.SEED)
    added: dict[str, int] = {}

    if not FollowUp.objects.exists():
        rows = []
        for client_id, owner_id in Client.objects.values_list("pk", "owner_id"):
            planned = today + timedelta(days=rng.randint(-60, 60))
            done = planned if planned <= today and rng.random() < 1 / 3 else None
            rows.append(
                FollowUp(
                    client_id=client_id,
                    owner_id=owner_id,
                    planned_on=planned,
                    done_on=done,
                    purpose="季度回访",
                )
            )
        FollowUp.objects.bulk_create(rows, batch_size=BATCH)
        added["follow-ups"] = len(rows)

    if not Assignment.objects.exists():
        team: dict[int, list[int]] = {}
        for project_id, user_id in Membership.objects.values_list(
            "project_id", "user_id"
        ):
            team.setdefault(project_id, []).append(user_id)
        rows = []
        for task_id, project_id in Task.objects.values_list("pk", "project_id"):
            people = team.get(project_id) or []
            for user_id in rng.sample(people, min(len(people), rng.randint(1, 2))):
                rows.append(Assignment(task_id=task_id, user_id=user_id))
        Assignment.objects.bulk_create(rows, batch_size=BATCH)
        added["assignments"] = len(rows)

    if not Invoice.objects.exists():
        contracts: dict[int, int] = {}
        for contract_id, client_id in Contract.objects.values_list("pk", "client_id"):
            contracts.setdefault(client_id, contract_id)
        rows = []
        for project_id, client_id in Project.objects.values_list("pk", "client_id"):
            if client_id not in contracts:
                continue
            due = today + timedelta(days=rng.randint(-90, 30))
            status = rng.choice(["issued", "issued", "partly_paid", "paid"])
            total = Decimal(rng.randint(10_000, 500_000))
            paid = {"issued": 0, "partly_paid": total / 2, "paid": total}[status]
            rows.append(
                Invoice(
                    number=f"BENCH-{project_id:06d}",
                    project_id=project_id,
                    client_id=client_id,
                    contract_id=contracts[client_id],
                    status=status,
                    total=total,
                    paid_amount=paid,
                    issued_on=due - timedelta(days=30),
                    due_on=due,
                )
            )
        Invoice.objects.bulk_create(rows, batch_size=BATCH)
        added["invoices"] = len(rows)
    return added


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", help="a seeded scale SQLite file to copy")
    parser.add_argument("--clients", type=int, default=100_000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="cf-reminders-") as tmp:
        data_dir = Path(tmp)
        os.environ["JOBS_BACKEND"] = (
            "database"  # the sweep queues delivery as in production
        )
        bench_run._setup_django(data_dir)
        source = _database(data_dir, args.clients, args.database)

        from django.db import connection
        from django_tasks_db.models import DBTaskResult

        from clientfolio.core.models import Event
        from clientfolio.notifications import reminders
        from clientfolio.schedule.models import Task

        started = time.perf_counter()
        added = _top_up()
        top_up_seconds = time.perf_counter() - started
        tasks = Task.objects.count()
        from clientfolio.clients.models import FollowUp

        followups = FollowUp.objects.count()
        events_before = Event.objects.count()
        jobs_before = DBTaskResult.objects.count()

        started = time.perf_counter()
        first = reminders.sweep(bench_run.TODAY)
        first_seconds = time.perf_counter() - started
        jobs = DBTaskResult.objects.count() - jobs_before

        started = time.perf_counter()
        second = reminders.sweep(bench_run.TODAY)
        second_seconds = time.perf_counter() - started
        stored = Event.objects.count() - events_before
        connection.close()

    result = {
        "database": source,
        "added": added,
        "top_up_seconds": round(top_up_seconds, 1),
        "tasks": tasks,
        "followups": followups,
        "today": bench_run.TODAY.isoformat(),
        "first_seconds": round(first_seconds, 1),
        "first": first,
        "delivery_jobs": jobs,
        "second_seconds": round(second_seconds, 1),
        "second": second,
        "events_stored": stored,
    }
    print(json.dumps(result, ensure_ascii=False))
    print(render(result))


def render(r: dict) -> str:
    """The result as Markdown table rows (``bench/run.py`` keeps the lines that start with |)."""
    published = sum(r["first"].values())
    again = sum(r["second"].values())
    kinds = ", ".join(f"{kind} {n:,}" for kind, n in r["first"].items())
    fast = "✅" if r["first_seconds"] <= TARGET_SECONDS else "❌"
    once = "✅" if again == 0 and r["events_stored"] == published else "❌"
    return "\n".join(
        [
            "| scenario | figure | target | |",
            "| --- | --- | --- | --- |",
            f"| reminder sweep, {r['tasks']:,} tasks, {r['followups']:,} follow-ups, "
            f"today {r['today']} | {r['first_seconds']} s, {published:,} events "
            f"({kinds}), {r['delivery_jobs']:,} delivery jobs queued "
            f"| ≤ {TARGET_SECONDS:.0f} s | {fast} |",
            f"| the same sweep again | {r['second_seconds']} s, {again:,} new events "
            f"| nothing twice | {once} |",
        ]
    )


if __name__ == "__main__":
    main()
