"""The notification list of a user with 10,000 notifications, and the bell on every page.

``.venv/bin/python bench/notification_list_bench.py [--notifications 10000] [--requests 200]``

In a fresh SQLite data folder (DEBUG off): migrate, load the demo, and give the demo's
project manager ``li.na`` ``--notifications`` notifications (stored as the handler stores
them: one event and one notification row each, about the demo's tasks, risks and
follow-ups, a third of them unread). Then, signed in as li.na with Django's test client,
time ``--requests`` requests each of: the notification list (page 1), page 50 of it, a
page carrying the bell (the home page), the bell's unread count (polled by every page) and
the bell's menu. Prints a JSON line and Markdown table rows (``bench/run.py`` keeps the
lines that start with |). Target: p95 ≤ 100 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 100.0


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def _time(client, url: str, n: int, **headers) -> list[float]:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        response = client.get(url, headers=headers)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times


def _fill(user, n: int) -> None:
    """``n`` notifications of ``user``, newest last, about records of the demo."""
    from django.utils import timezone

    from clientfolio.clients.models import FollowUp
    from clientfolio.core.events import Kind
    from clientfolio.core.models import Event, User
    from clientfolio.notifications.models import EmailMode, Notification
    from clientfolio.risks.models import Risk
    from clientfolio.schedule.models import Task

    actor = User.objects.exclude(pk=user.pk).filter(role="staff").first()
    targets: list[tuple[str, object, dict]] = []
    for task in Task.objects.select_related("project")[:200]:
        targets.append((Kind.TASK_ASSIGNED, task, {"title": str(task)}))
        targets.append(
            (Kind.TASK_DUE_SOON, task, {"title": str(task), "due": "2026-03-03"})
        )
        targets.append(
            (
                Kind.COMMENT_MENTIONED,
                task,
                {"title": str(task), "comment_id": task.pk, "excerpt": "请看接口文档"},
            )
        )
    for risk in Risk.objects.select_related("project")[:50]:
        targets.append(
            (
                Kind.RISK_LEVEL_ROSE,
                risk,
                {"title": str(risk), "old_level": "medium", "new_level": "high"},
            )
        )
    for followup in FollowUp.objects.all()[:50]:
        targets.append(
            (
                Kind.FOLLOWUP_DUE,
                followup,
                {"title": str(followup), "due": "2026-03-03"},
            )
        )
    start = timezone.now() - dt.timedelta(minutes=n)
    events = []
    for index in range(n):
        kind, target, data = targets[index % len(targets)]
        events.append(
            Event(
                kind=kind,
                target_type=target._meta.label_lower,  # type: ignore[attr-defined]
                target_id=target.pk,  # type: ignore[attr-defined]
                project_id=getattr(target, "project_id", None),
                actor=None if kind == Kind.FOLLOWUP_DUE else actor,
                data=data,
                occurred_at=start + dt.timedelta(minutes=index),
                key=f"bench:{index}",
            )
        )
    events = Event.objects.bulk_create(events, batch_size=2000)
    if events[0].pk is None:  # backends that do not return ids
        events = list(Event.objects.filter(key__startswith="bench:").order_by("pk"))
    Notification.objects.bulk_create(
        [
            Notification(
                user=user,
                event=event,
                kind=event.kind,
                project_id=event.project_id,
                target_type=event.target_type,
                target_id=event.target_id,
                email=EmailMode.OFF,
                created_at=event.occurred_at,
                # the older two thirds were read
                read_at=event.occurred_at if index < n * 2 // 3 else None,
            )
            for index, event in enumerate(events)
        ],
        batch_size=2000,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notifications", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="clientfolio-notifbench-"))
    env = {
        **os.environ,
        "CLIENTFOLIO_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "clientfolio.settings",
        "DEBUG": "false",
        "JOBS_BACKEND": "immediate",
        "ALLOWED_HOSTS": "testserver,127.0.0.1",
        "LOG_LEVEL": "ERROR",
    }
    for name in ("DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL"):
        env.pop(name, None)
    os.environ.update(env)
    command = [str(ROOT / ".venv" / "bin" / "clientfolio")]
    subprocess.run([*command, "migrate", "--noinput", "-v0"], check=True, env=env)
    subprocess.run([*command, "demo"], check=True, env=env, stdout=subprocess.DEVNULL)
    # DEBUG off: the templates need the static files' manifest.
    subprocess.run([*command, "collectstatic", "--noinput", "-v0"], check=True, env=env)

    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from clientfolio.core.models import User
    from clientfolio.notifications.models import Notification

    user = User.objects.get(username="li.na")
    Notification.objects.filter(user=user).delete()
    started = time.perf_counter()
    _fill(user, args.notifications)
    fill_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    stored = Notification.objects.filter(user=user).count()
    unread = Notification.objects.filter(user=user, read_at__isnull=True).count()

    browser = Client()
    browser.force_login(user)
    htmx = {"HX-Request": "true"}
    scenarios = [
        ("the list, page 1", "/notifications/", {}),
        ("the list, page 50", "/notifications/?page=50", {}),
        ("a page carrying the bell (home)", "/", {}),
        ("the bell's unread count", "/notifications/bell/", htmx),
        ("the bell's menu", "/notifications/bell/?menu=1", htmx),
    ]
    # the home page carries the bell (its count then comes from the bell's own request)
    assert b'id="notification-bell"' in browser.get("/").content
    timings = {}
    for name, url, headers in scenarios:
        _time(browser, url, 10, **headers)  # warm-up
        times = _time(browser, url, args.requests, **headers)
        timings[name] = {
            "url": url,
            "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(_percentile(times, 0.95), 1),
        }

    result = {
        "notifications": stored,
        "unread": unread,
        "fill_seconds": round(fill_seconds, 1),
        "requests": args.requests,
        "timings": timings,
    }
    print(json.dumps(result, ensure_ascii=False))
    print(render(result))


def render(r: dict) -> str:
    """The result as Markdown table rows (``bench/run.py`` keeps the lines that start
    with |)."""
    rows = [
        "| scenario | p50 / p95 | target | |",
        "| --- | --- | --- | --- |",
    ]
    for name, t in r["timings"].items():
        ok = "✅" if t["p95_ms"] <= TARGET_MS else "❌"
        rows.append(
            f"| {name} (`{t['url']}`), {r['notifications']:,} notifications "
            f"({r['unread']:,} unread), {r['requests']} requests "
            f"| {t['p50_ms']} / {t['p95_ms']} ms | p95 ≤ {TARGET_MS:g} ms | {ok} |"
        )
    return "\n".join(rows)


if __name__ == "__main__":
    main()
