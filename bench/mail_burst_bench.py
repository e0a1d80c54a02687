"""A burst of notification e-mails drained by one worker, while pages are being served.

``.venv/bin/python bench/mail_burst_bench.py [--messages 1000] [--requests 200]``

In a fresh SQLite data folder: migrate, load the demo, queue ``--messages`` e-mails through
``core.mail.send_later`` (the path every notification e-mail takes), then start one
``clientfolio worker`` (database backend) that sends them over SMTP to a local SMTP
server on 127.0.0.1. While it drains the queue, this process requests the "My work" page
and the project list as a signed-in user; the same requests are timed before the burst.
Reports the drain time, the messages received, and page p50/p95 idle and during the
burst. Prints a JSON line and a Markdown table (``bench/run.py`` puts it into docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import json
import os
import socketserver
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class _Sink(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) to accept messages and count them: the burst's (to
    ``user<n>@example.com``) apart from any other mail the demo's own events send."""

    received: list[int] = []
    others: list[int] = []
    lock = threading.Lock()

    def reply(self, line: str) -> None:
        self.wfile.write((line + "\r\n").encode())

    def handle(self) -> None:
        self.reply("220 sink ESMTP")
        burst = False
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line.decode(errors="replace").strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self.reply("250 sink")
            elif command.startswith(("MAIL", "RCPT", "RSET", "NOOP")):
                if command.startswith(("MAIL", "RSET")):
                    burst = False
                elif command.startswith("RCPT TO:<USER"):
                    burst = True
                self.reply("250 OK")
            elif command == "DATA":
                self.reply("354 go ahead")
                size = 0
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    size += len(chunk)
                with self.lock:
                    (self.received if burst else self.others).append(size)
                self.reply("250 queued")
            elif command == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 not implemented")


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def _time_pages(client, urls: list[str], n: int) -> list[float]:
    times = []
    for index in range(n):
        started = time.perf_counter()
        response = client.get(urls[index % len(urls)])
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Sink)
    server.daemon_threads = True
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()

    data_dir = Path(tempfile.mkdtemp(prefix="clientfolio-mailbench-"))
    env = {
        **os.environ,
        "CLIENTFOLIO_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "clientfolio.settings",
        "DEBUG": "false",
        "JOBS_BACKEND": "database",
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "ALLOWED_HOSTS": "testserver,127.0.0.1",
        "LOG_LEVEL": "ERROR",
    }
    env.pop("DATABASE_URL", None)
    env.pop("CELERY_BROKER_URL", None)
    env.pop("REDIS_URL", None)
    os.environ.update(env)
    command = [str(ROOT / ".venv" / "bin" / "clientfolio")]
    subprocess.run([*command, "migrate", "--noinput", "-v0"], check=True, env=env)
    subprocess.run([*command, "demo"], check=True, env=env, stdout=subprocess.DEVNULL)
    # DEBUG off: the templates need the static files' manifest.
    subprocess.run([*command, "collectstatic", "--noinput", "-v0"], check=True, env=env)

    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.mail import EmailMultiAlternatives
    from django.test import Client

    from clientfolio.core.mail import send_later
    from clientfolio.core.models import User

    user = User.objects.get(username="li.na")
    browser = Client()
    browser.force_login(user)
    urls = ["/", "/projects/"]
    _time_pages(browser, urls, 10)  # warm-up
    idle = _time_pages(browser, urls, args.requests)

    for index in range(args.messages):
        message = EmailMultiAlternatives(
            f"[CF-2026-001] 任务即将到期 #{index}",
            "李娜，您好：\n任务「需求调研」明天到期。\nhttp://127.0.0.1:8000/\n",
            to=[f"user{index}@example.com"],
        )
        message.attach_alternative("<p>任务「需求调研」明天到期。</p>", "text/html")
        send_later(message)  # autocommit: queued at once

    worker = subprocess.Popen(
        [*command, "worker", "--interval", "0.2", "--no-schedule"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    started = time.perf_counter()
    during: list[float] = []
    try:
        while len(_Sink.received) < args.messages:
            during.extend(_time_pages(browser, urls, 10))
            if time.perf_counter() - started > 600:
                break
        drained = time.perf_counter() - started
    finally:
        worker.terminate()
        worker.wait(30)
        server.shutdown()

    result = {
        "messages": args.messages,
        "received": len(_Sink.received),
        "other_mail": len(_Sink.others),
        "drain_seconds": round(drained, 1),
        "per_second": round(len(_Sink.received) / drained, 1),
        "idle_p50_ms": round(statistics.median(idle), 1),
        "idle_p95_ms": round(_percentile(idle, 0.95), 1),
        "burst_requests": len(during),
        "burst_p50_ms": round(statistics.median(during), 1) if during else None,
        "burst_p95_ms": round(_percentile(during, 0.95), 1) if during else None,
    }
    print(json.dumps(result))
    print(render(result))


def render(r: dict) -> str:
    """The result as Markdown table rows (``bench/run.py`` keeps the lines that start with |)."""
    drained = "✅" if r["received"] == r["messages"] else "❌"
    return "\n".join(
        [
            "| scenario | figure | target | |",
            "| --- | --- | --- | --- |",
            f"| {r['messages']:,} e-mails queued, one worker, SMTP on 127.0.0.1 "
            f"| {r['received']:,} received in {r['drain_seconds']} s "
            f"({r['per_second']} per s; {r['other_mail']:,} more from the demo's own "
            f"events) | all delivered | {drained} |",
            f"| pages while idle (p50 / p95) | {r['idle_p50_ms']} / {r['idle_p95_ms']} ms "
            "| reference | |",
            f"| pages during the burst, {r['burst_requests']:,} requests (p50 / p95) "
            f"| {r['burst_p50_ms']} / {r['burst_p95_ms']} ms | not blocked (≤ 150 ms) "
            f"| {'✅' if (r['burst_p95_ms'] or 0) <= 150 else '❌'} |",
        ]
    )


if __name__ == "__main__":
    main()
